using System.Diagnostics;
using OpenTelemetry;

namespace TwoFactorFunctions.Api.Telemetry;

/// <summary>
/// Keeps personal data out of exported spans. User ids may be email addresses and table keys can hold phone numbers
/// (the send guard's counters), and both appear in request paths: an incoming request keeps its route template, an
/// outgoing storage call keeps its table but not the entity keys, and no query string is kept.
/// </summary>
internal sealed class RedactingProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.GetTagItem("url.path") is string)
        {
            data.SetTag("url.path", data.GetTagItem("http.route") as string ?? "(redacted)");
        }

        data.SetTag("url.query", null);
        foreach (var key in (string[])["url.full", "http.url"])
        {
            if (data.GetTagItem(key) is string url)
            {
                data.SetTag(key, WithoutKeys(url));
            }
        }
    }

    /// <summary><c>https://acct.table.core.windows.net/tffUsers(PartitionKey='t',RowKey='u')?$filter=…</c> → <c>…/tffUsers</c>.</summary>
    internal static string WithoutKeys(string url)
    {
        var end = url.IndexOfAny(['(', '?', '#']);
        return end < 0 ? url : url[..end];
    }
}
