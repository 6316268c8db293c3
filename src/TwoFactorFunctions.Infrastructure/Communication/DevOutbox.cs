using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.Infrastructure.Communication;

/// <summary>One SMS or call the dev outbox holds instead of sending it.</summary>
public sealed record DevOutboxMessage(string Kind, string To, string Text, DateTimeOffset At);

/// <summary>
/// Development only: SMS and calls land in a table (PartitionKey = <c>{tenant id}|{destination number}</c>, RowKey =
/// inverted ticks, so a partition reads newest first) where developers and tests read them back. The text includes the
/// code, which is the point of a dev outbox; the logs still show only the masked number.
/// </summary>
/// <remarks>
/// Filed by tenant as well as number because one number can belong to users of several tenants (a shared desk phone,
/// a test number, a demo seed): read by number alone, a caller limited to one tenant would see another tenant's codes.
/// '|' cannot occur in a tenant id (<see cref="Ids"/>) or an E.164 number, so the key splits one way only.
/// </remarks>
public sealed partial class DevOutboxSender(TableStorage storage, TimeProvider time, ILogger<DevOutboxSender> logger) : ISmsSender, IVoiceCaller
{
    public const int MaxListed = 50;

    public async Task SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await WriteAsync("sms", message.TenantId, message.To, message.Text, message.IdempotencyKey, cancellationToken);
        Log("SMS", message.To);
    }

    public async Task CallAsync(VoiceMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await WriteAsync("voice", message.TenantId, message.To, message.SpokenText, message.IdempotencyKey, cancellationToken);
        Log("Voice call", message.To);
    }

    public static string PartitionKey(string tenantId, string phone) => $"{tenantId}|{phone}";

    /// <summary>The newest messages <paramref name="tenantId"/> sent to <paramref name="phone"/>, newest first.</summary>
    public async Task<IReadOnlyList<DevOutboxMessage>> ListAsync(string tenantId, string phone, CancellationToken cancellationToken)
    {
        var list = new List<DevOutboxMessage>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(tenantId, phone)}");
        await foreach (var e in storage.Outbox.QueryAsync<TableEntity>(filter, maxPerPage: MaxListed, cancellationToken: cancellationToken))
        {
            list.Add(new DevOutboxMessage(e.GetString("Kind") ?? "", e.GetString("To") ?? phone, e.GetString("Text") ?? "", e.GetDateTimeOffset("At") ?? default));
            if (list.Count == MaxListed)
            {
                break;
            }
        }

        return list;
    }

    private async Task WriteAsync(string kind, string tenantId, string to, string text, string idempotencyKey, CancellationToken cancellationToken)
    {
        // Validated here too, not only by the API: a key that broke the partition rule would file a message where no
        // tenant's read finds it, or where another tenant's does.
        if (Ids.Validate(tenantId, "tenantId") is { } invalid)
        {
            throw new ArgumentException(invalid.Detail, nameof(tenantId));
        }

        var now = time.GetUtcNow();
        var inverted = (DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

        // The idempotency key keeps two messages in the same tick apart, and makes a retried send overwrite itself.
        var entity = new TableEntity(PartitionKey(tenantId, to), $"{inverted}|{AcsPipeline.IdempotencyId(kind, idempotencyKey):N}")
        {
            ["Kind"] = kind,
            ["To"] = to,
            ["Text"] = text,
            ["At"] = now,
        };
        await storage.Outbox.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    private void Log(string kind, string phone)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var masked = Mask(phone);
            LogQueued(logger, kind, masked);
        }
    }

    private static string Mask(string phone)
    {
        try
        {
            return PhoneNumberRules.Mask(phone);
        }
        catch (PhoneNumbers.NumberParseException)
        {
            return Masking.Phone(phone, 1);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} queued to dev outbox for {MaskedPhone}")]
    private static partial void LogQueued(ILogger logger, string kind, string maskedPhone);
}
