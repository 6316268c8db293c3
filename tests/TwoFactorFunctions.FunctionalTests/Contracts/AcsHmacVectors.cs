namespace TwoFactorFunctions.Tests.Contracts;

/// <summary>
/// HMAC-SHA256 request signatures computed by the official JS SDK's policy (@azure/communication-common 2.5.0,
/// <c>createCommunicationAuthPolicy</c>) with Date frozen, recorded once from <c>tests/contract/acs-sdk-send.cjs</c>
/// ("vector" scenarios). The unit tests check our signer against them; the contract tests re-run node to confirm the
/// SDK still produces them.
/// </summary>
internal static class AcsHmacVectors
{
    /// <summary>A made-up test key (32 random bytes), never a real resource's.</summary>
    public const string AccessKey = "pZ0tmPsT0dg0H3ZlUo2bYX7P5Zo7xqFqHUSXBLQCbYU=";

    public const string Now = "2026-03-04T05:06:07Z";

    public const string Date = "Wed, 04 Mar 2026 05:06:07 GMT";

    public static readonly Vector[] All =
    [
        // POST with a non-ASCII body on the default port: the body hash is over UTF-8, the host has no port.
        new("POST", "https://contoso.communication.azure.com/emails:send?api-version=2025-09-01",
            "{\"senderAddress\":\"DoNotReply@contoso.example\",\"content\":{\"subject\":\"Código\",\"plainText\":\"123456\"}}",
            "yVKNBiATz85550V3jmnSNSNcCuu7abpkdGHE/tQKwG0=",
            "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=q0cBGwNiiycCxn32QZO9bM3NKRrliQmImJIiarRMgM4="),

        // GET with no body on a non-default port: the empty body is hashed, the port is part of the signed host.
        new("GET", "https://contoso.communication.azure.com:8443/emails/operations/7c9e6679-7425-40de-944b-e07fc1f90ae7?api-version=2025-09-01",
            "",
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
            "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=gnE/oE1JEQhtfd114He356TM+LMBhs8v58OUQ61/xe0="),
    ];

    internal sealed record Vector(string Method, string Url, string Body, string ContentSha256, string Authorization);
}
