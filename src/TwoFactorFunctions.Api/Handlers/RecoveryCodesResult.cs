using System.Globalization;
using System.Text;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>A new set of recovery codes as shown once: the list, and the same as a text file for the user to keep.</summary>
public sealed record RecoveryCodesResult(IReadOnlyList<string> RecoveryCodes, DateTimeOffset GeneratedAt, string DownloadFileName, string DownloadText)
{
    public static RecoveryCodesResult From(RecoveryCodeSet set, string product)
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{product} recovery codes ({set.GeneratedAt:yyyy-MM-dd HH:mm} UTC)")
            .AppendLine("Each code signs you in once if you cannot use your authenticator app. Keep them somewhere safe.")
            .AppendLine();
        foreach (var code in set.Codes)
        {
            text.AppendLine(code);
        }

        return new RecoveryCodesResult(set.Codes, set.GeneratedAt, "recovery-codes.txt", text.ToString());
    }
}
