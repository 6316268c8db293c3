using System.Net.Http.Json;
using System.Text.Json;

namespace TwoFactorFunctions.TestSupport;

/// <summary>Reads and clears the messages held by a MailDev 3 instance through its REST API.</summary>
/// <remarks>
/// MailDev 3 serves its API under /api (GET /api/email, DELETE /api/email/all); the un-prefixed paths of older
/// MailDev versions answer 404. The fixture's MailDev is shared by all tests, so tests should send to unique
/// addresses and filter by them rather than clear the inbox.
/// </remarks>
public sealed class MailDevClient : IDisposable
{
    private static readonly JsonSerializerOptions json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan pollInterval = TimeSpan.FromMilliseconds(100);

    private readonly HttpClient http;

    /// <param name="webUrl">MailDev's web URL, e.g. http://127.0.0.1:1080/.</param>
    public MailDevClient(Uri webUrl)
    {
        http = new HttpClient { BaseAddress = webUrl, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Every message MailDev holds, oldest first.</summary>
    public async Task<IReadOnlyList<MailDevEmail>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        var emails = await http.GetFromJsonAsync<List<EmailJson>>("api/email", json, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("MailDev answered GET /api/email with null.");
        return [.. emails.Select(ToEmail)];
    }

    /// <summary>Messages that <paramref name="to"/> received (To, Cc or Bcc), oldest first.</summary>
    public async Task<IReadOnlyList<MailDevEmail>> GetEmailsToAsync(string to, CancellationToken cancellationToken = default)
    {
        var all = await GetAllAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.Where(e => e.IsAddressedTo(to))];
    }

    public async Task<int> CountEmailsToAsync(string to, CancellationToken cancellationToken = default) =>
        (await GetEmailsToAsync(to, cancellationToken).ConfigureAwait(false)).Count;

    /// <summary>
    /// Polls until a message to <paramref name="to"/> that satisfies <paramref name="predicate"/> has arrived and
    /// returns the newest such message (the one a "resend code" flow cares about).
    /// </summary>
    /// <exception cref="TimeoutException">None arrived within <paramref name="timeout"/>; lists what did arrive.</exception>
    public async Task<MailDevEmail> WaitForEmailAsync(
        string to,
        Func<MailDevEmail, bool>? predicate,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        IReadOnlyList<MailDevEmail> received = [];
        try
        {
            while (true)
            {
                received = await GetEmailsToAsync(to, deadline.Token).ConfigureAwait(false);
                var match = received.LastOrDefault(e => predicate is null || predicate(e));
                if (match is not null)
                {
                    return match;
                }

                await Task.Delay(pollInterval, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var seen = received.Count == 0
                ? "none"
                : string.Join("; ", received.Select(e => $"'{e.Subject}' at {e.Date:O}"));
            throw new TimeoutException(
                $"No email to {to}{(predicate is null ? "" : " matching the predicate")} arrived within "
                + $"{timeout.TotalSeconds:0.#} s. Emails to {to} seen: {seen}.");
        }
    }

    /// <summary>Polls until at least <paramref name="count"/> messages to <paramref name="to"/> have arrived; returns them oldest first.</summary>
    public async Task<IReadOnlyList<MailDevEmail>> WaitForEmailsAsync(string to, int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var newest = await WaitForEmailAsync(to, null, timeout, cancellationToken).ConfigureAwait(false);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var received = await GetEmailsToAsync(to, cancellationToken).ConfigureAwait(false);
            if (received.Count >= count)
            {
                return received;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {received.Count} of {count} emails to {to} arrived within {timeout.TotalSeconds:0.#} s (newest: '{newest.Subject}').");
            }

            await Task.Delay(pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes every message MailDev holds (for all tests sharing the instance).</summary>
    public async Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync("api/email/all", cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => http.Dispose();

    private static MailDevEmail ToEmail(EmailJson email) => new()
    {
        Id = email.Id ?? throw new InvalidOperationException("MailDev returned an email without an id."),
        Subject = email.Subject ?? "",
        Text = email.Text,
        Html = email.Html,
        From = email.From?.Select(ToAddress).FirstOrDefault() ?? new MailDevAddress("", ""),
        To = [.. (email.To ?? []).Select(ToAddress)],
        Cc = [.. (email.Cc ?? []).Select(ToAddress)],
        EnvelopeTo = [.. (email.Envelope?.To ?? []).Select(a => a.Address ?? "")],
        Date = email.Time ?? default,
        MessageId = Header(email.Headers, "message-id")?.Trim('<', '>'),
        DateHeader = Header(email.Headers, "date"),
    };

    private static string? Header(JsonElement? headers, string name) =>
        headers is { ValueKind: JsonValueKind.Object } h && h.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static MailDevAddress ToAddress(AddressJson address) => new(address.Address ?? "", address.Name ?? "");

    // The subset of MailDev 3.0.0's email JSON that tests use. Observed shape:
    // { id, time, read, subject, source, size, sizeHuman, from: [{address, name}], to: [...], cc?: [...],
    //   headers: {...}, attachments: [...], envelope: { from: {address}, to: [{address}] }, calculatedBcc: [...],
    //   text?, html? }  -- cc, text and html are left out when the message has none.
    private sealed record EmailJson(
        string? Id,
        DateTimeOffset? Time,
        string? Subject,
        string? Text,
        string? Html,
        List<AddressJson>? From,
        List<AddressJson>? To,
        List<AddressJson>? Cc,
        EnvelopeJson? Envelope,
        JsonElement? Headers);

    private sealed record AddressJson(string? Address, string? Name);

    private sealed record EnvelopeJson(List<AddressJson>? To);
}
