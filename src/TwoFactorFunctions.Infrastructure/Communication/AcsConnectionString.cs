namespace TwoFactorFunctions.Infrastructure.Communication;

/// <summary>
/// An ACS connection string, <c>endpoint=https://&lt;resource&gt;.communication.azure.com/;accesskey=&lt;base64&gt;</c>.
/// <see cref="ToString"/> leaves the key out, so the value is safe to log by accident.
/// </summary>
public sealed class AcsConnectionString
{
    private AcsConnectionString(Uri endpoint, byte[] key)
    {
        Endpoint = endpoint;
        Key = key;
    }

    public Uri Endpoint { get; }

    /// <summary>The decoded access key: the HMAC key itself.</summary>
    internal byte[] Key { get; }

    public static AcsConnectionString Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        string? endpoint = null;
        string? accessKey = null;
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            // Only the first '=' separates: base64 keys end in '='.
            var name = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            if (name.Equals("endpoint", StringComparison.OrdinalIgnoreCase))
            {
                endpoint = value;
            }
            else if (name.Equals("accesskey", StringComparison.OrdinalIgnoreCase))
            {
                accessKey = value;
            }
        }

        if (endpoint is null || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            throw new FormatException("The ACS connection string needs endpoint=<absolute http(s) URL>.");
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(accessKey ?? "");
        }
        catch (FormatException)
        {
            // The original exception could quote part of the key, so it is not kept as the inner exception.
            throw new FormatException("The ACS connection string needs accesskey=<base64 key>.");
        }

        if (key.Length == 0)
        {
            throw new FormatException("The ACS connection string needs accesskey=<base64 key>.");
        }

        return new AcsConnectionString(uri, key);
    }

    public static bool TryParse(string? connectionString, out AcsConnectionString? result)
    {
        result = null;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return false;
        }

        try
        {
            result = Parse(connectionString);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public override string ToString() => $"endpoint={Endpoint};accesskey=***";
}
