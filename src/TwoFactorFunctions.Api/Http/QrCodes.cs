using QRCoder;

namespace TwoFactorFunctions.Api.Http;

/// <summary>The QR code an authenticator app scans, as a PNG data URI (QRCoder's PNG writer needs no System.Drawing).</summary>
public static class QrCodes
{
    public static string PngDataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }
}
