namespace TwoFactorFunctions.TestSupport;

/// <summary>A mailbox as MailDev reports it; <see cref="Name"/> is empty when the header had no display name.</summary>
public sealed record MailDevAddress(string Address, string Name)
{
    public override string ToString() => Name.Length == 0 ? Address : $"{Name} <{Address}>";
}

/// <summary>A message received by MailDev.</summary>
public sealed record MailDevEmail
{
    public required string Id { get; init; }

    public required string Subject { get; init; }

    /// <summary>The text/plain body, or null when the message has none.</summary>
    public string? Text { get; init; }

    /// <summary>The text/html body, or null when the message has none.</summary>
    public string? Html { get; init; }

    /// <summary>The From header's (first) mailbox.</summary>
    public required MailDevAddress From { get; init; }

    /// <summary>The To header's mailboxes.</summary>
    public required IReadOnlyList<MailDevAddress> To { get; init; }

    /// <summary>The Cc header's mailboxes.</summary>
    public IReadOnlyList<MailDevAddress> Cc { get; init; } = [];

    /// <summary>The SMTP envelope recipients (RCPT TO), which also include Bcc recipients.</summary>
    public IReadOnlyList<string> EnvelopeTo { get; init; } = [];

    /// <summary>The message's Date header, or the time MailDev received it when there is none.</summary>
    public DateTimeOffset Date { get; init; }

    /// <summary>The Message-Id header without its angle brackets, or null when there is none.</summary>
    public string? MessageId { get; init; }

    /// <summary>The Date header as sent (the sender's claim of when it wrote the message), or null.</summary>
    public string? DateHeader { get; init; }

    /// <summary>True when <paramref name="address"/> was a recipient in any way (To, Cc or the envelope, i.e. Bcc).</summary>
    /// <remarks>Compared case-insensitively: mail systems treat addresses that way in practice.</remarks>
    public bool IsAddressedTo(string address)
    {
        bool Matches(string candidate) => string.Equals(candidate, address, StringComparison.OrdinalIgnoreCase);
        return To.Any(a => Matches(a.Address)) || Cc.Any(a => Matches(a.Address)) || EnvelopeTo.Any(Matches);
    }
}
