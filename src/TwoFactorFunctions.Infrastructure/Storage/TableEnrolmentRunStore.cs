using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Enrolment;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>
/// Runs: one partition per run, PartitionKey = <c>{tenant id}:{run id}</c> (':' is not allowed in ids, and '|' must
/// not appear in a partition key the expiry index points at). Row keys: <c>run</c> (the run) and <c>n|{batch}</c> (a
/// batch's notice progress), so one range query sums a run's notices.
/// </summary>
public sealed class TableEnrolmentRunStore(TableStorage storage) : IEnrolmentRunStore
{
    public const string RunRow = "run";
    private const int MaxTransactionSize = 100;

    private static readonly string[] NoticeCountColumns = ["ItemCount", "Sent", "Skipped", "Failed", "Resent"];

    public static string PartitionKey(string tenantId, string runId) => $"{tenantId}:{runId}";

    public static string NoticeRow(long batch) => "n|" + batch.ToString("D10", CultureInfo.InvariantCulture);

    public async Task<EnrolmentRun?> GetAsync(string tenantId, string runId, CancellationToken cancellationToken) =>
        await TableStorage.GetOrNullAsync(storage.Runs, PartitionKey(tenantId, runId), RunRow, cancellationToken) is { } e ? FromEntity(e) : null;

    public async Task<string> InsertAsync(EnrolmentRun run, CancellationToken cancellationToken)
    {
        var response = await storage.Runs.AddEntityAsync(ToEntity(run), cancellationToken);
        return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("The table service returned no ETag.");
    }

    public async Task<string?> TryReplaceAsync(EnrolmentRun run, CancellationToken cancellationToken)
    {
        try
        {
            var response = await storage.Runs.UpdateEntityAsync(ToEntity(run), new ETag(run.Version!), TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag?.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412 && !TableStorage.IsTableMissing(ex))
        {
            return null;
        }
    }

    public async Task<NoticeProgress?> GetNoticeProgressAsync(string tenantId, string runId, long batch, CancellationToken cancellationToken) =>
        await TableStorage.GetOrNullAsync(storage.Runs, PartitionKey(tenantId, runId), NoticeRow(batch), cancellationToken) is { } e
            ? NoticeFromEntity(tenantId, runId, batch, e)
            : null;

    public async Task<string?> TrySaveNoticeProgressAsync(NoticeProgress progress, CancellationToken cancellationToken)
    {
        var entity = NoticeEntity(progress);
        try
        {
            // After the insert only the small progress columns change: a merge leaves the recipient list alone, so a
            // claim per notice does not rewrite up to 100 ids.
            Response response;
            if (progress.Version is null)
            {
                entity[nameof(progress.Items)] = JsonSerializer.Serialize(progress.Items, EnrolmentJson.Options);
                entity["ItemCount"] = progress.Items.Count;
                response = await storage.Runs.AddEntityAsync(entity, cancellationToken);
            }
            else
            {
                response = await storage.Runs.UpdateEntityAsync(entity, new ETag(progress.Version), TableUpdateMode.Merge, cancellationToken);
            }

            return response.Headers.ETag?.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412 && !TableStorage.IsTableMissing(ex))
        {
            return null;
        }
    }

    public async Task<NoticeTotals> SumNoticesAsync(string tenantId, string runId, CancellationToken cancellationToken)
    {
        // '}' follows '|' in ordinal order: the range holds exactly the n|… rows.
        var pk = PartitionKey(tenantId, runId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {"n|"} and RowKey lt {"n}"}");
        long items = 0, sent = 0, skipped = 0, failed = 0, resent = 0;
        await foreach (var e in storage.Runs.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: NoticeCountColumns, cancellationToken: cancellationToken))
        {
            items += e.GetInt32("ItemCount") ?? 0;
            sent += e.GetInt32("Sent") ?? 0;
            skipped += e.GetInt32("Skipped") ?? 0;
            failed += e.GetInt32("Failed") ?? 0;
            resent += e.GetInt32("Resent") ?? 0;
        }

        // Resent is not an outcome of its own (a resent notice ends sent, skipped or failed), so it is not subtracted.
        return new NoticeTotals(sent, skipped, failed, resent, Math.Max(0, items - sent - skipped - failed));
    }

    public async Task ScheduleCleanupAsync(EnrolmentRun run, DateTimeOffset purgeAt, CancellationToken cancellationToken)
    {
        var pk = PartitionKey(run.TenantId, run.RunId);
        var entries = Enumerable.Range(0, checked((int)run.BatchesPlanned))
            .Select(b => ExpiryIndex.Entry(ExpiringKind.RunData, pk, NoticeRow(b), purgeAt));

        // One purge time puts every entry in the same hour; a transaction holds the entries of one shard, up to 100.
        foreach (var chunk in entries.GroupBy(e => e.PartitionKey).SelectMany(shard => shard.Chunk(MaxTransactionSize)))
        {
            await storage.Expiry.SubmitTransactionAsync(
                chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);
        }
    }

    internal static TableEntity ToEntity(EnrolmentRun r) => new(PartitionKey(r.TenantId, r.RunId), RunRow)
    {
        ["TenantId"] = r.TenantId,
        ["RunId"] = r.RunId,
        [nameof(r.Kind)] = r.Kind.ToString(),
        [nameof(r.Status)] = r.Status.ToString(),
        [nameof(r.Channel)] = r.Channel.ToString(),
        [nameof(r.PreviousChannel)] = r.PreviousChannel.ToString(),
        [nameof(r.Mode)] = r.Mode.ToString(),
        [nameof(r.PreviousMode)] = r.PreviousMode.ToString(),
        [nameof(r.WasEnabled)] = r.WasEnabled,
        [nameof(r.ActorId)] = r.ActorId,
        [nameof(r.ActorName)] = r.ActorName,
        [nameof(r.ActorEmail)] = r.ActorEmail,
        [nameof(r.CreatedAt)] = r.CreatedAt,
        [nameof(r.UpdatedAt)] = r.UpdatedAt,
        [nameof(r.CompletedAt)] = r.CompletedAt,
        [nameof(RunCounters.Total)] = r.Counters.Total,
        [nameof(RunCounters.Successful)] = r.Counters.Successful,
        [nameof(RunCounters.Unchanged)] = r.Counters.Unchanged,
        [nameof(RunCounters.NotExists)] = r.Counters.NotExists,
        [nameof(RunCounters.Skipped)] = r.Counters.Skipped,
        [nameof(RunCounters.Failed)] = r.Counters.Failed,
        [nameof(r.NoticesQueued)] = r.NoticesQueued,
        [nameof(r.BatchesPlanned)] = r.BatchesPlanned,
        [nameof(r.PlanError)] = r.PlanError,
        [nameof(r.SummaryClaimedAt)] = r.SummaryClaimedAt,
        [nameof(r.SummarySentAt)] = r.SummarySentAt,
        [nameof(r.AlertClaimedAt)] = r.AlertClaimedAt,
        [nameof(r.AlertSentAt)] = r.AlertSentAt,
        [nameof(r.NoticeReportClaimedAt)] = r.NoticeReportClaimedAt,
        [nameof(r.NoticeReportSentAt)] = r.NoticeReportSentAt,
        [nameof(r.FailureReason)] = r.FailureReason,
    };

    internal static EnrolmentRun FromEntity(TableEntity e) => new()
    {
        TenantId = e.GetString("TenantId") ?? "",
        RunId = e.GetString("RunId") ?? "",
        Kind = TableStorage.Enum(e, nameof(EnrolmentRun.Kind), RunKind.Enrol),
        Status = TableStorage.Enum(e, nameof(EnrolmentRun.Status), RunStatus.Pending),
        Channel = TableStorage.Enum(e, nameof(EnrolmentRun.Channel), Channel.Email),
        PreviousChannel = TableStorage.Enum(e, nameof(EnrolmentRun.PreviousChannel), Channel.Email),
        Mode = TableStorage.Enum(e, nameof(EnrolmentRun.Mode), TwoFactorMode.RequiredForAll),
        PreviousMode = TableStorage.Enum(e, nameof(EnrolmentRun.PreviousMode), TwoFactorMode.RequiredForAll),
        WasEnabled = e.GetBoolean(nameof(EnrolmentRun.WasEnabled)) ?? false,
        ActorId = e.GetString(nameof(EnrolmentRun.ActorId)) ?? "",
        ActorName = e.GetString(nameof(EnrolmentRun.ActorName)) ?? "",
        ActorEmail = e.GetString(nameof(EnrolmentRun.ActorEmail)),
        CreatedAt = e.GetDateTimeOffset(nameof(EnrolmentRun.CreatedAt)) ?? default,
        UpdatedAt = e.GetDateTimeOffset(nameof(EnrolmentRun.UpdatedAt)) ?? default,
        CompletedAt = e.GetDateTimeOffset(nameof(EnrolmentRun.CompletedAt)),
        Counters = CountersFrom(e),
        NoticesQueued = e.GetInt64(nameof(EnrolmentRun.NoticesQueued)) ?? 0,
        BatchesPlanned = e.GetInt64(nameof(EnrolmentRun.BatchesPlanned)) ?? 0,
        PlanError = e.GetString(nameof(EnrolmentRun.PlanError)),
        SummaryClaimedAt = e.GetDateTimeOffset(nameof(EnrolmentRun.SummaryClaimedAt)),
        SummarySentAt = e.GetDateTimeOffset(nameof(EnrolmentRun.SummarySentAt)),
        AlertClaimedAt = e.GetDateTimeOffset(nameof(EnrolmentRun.AlertClaimedAt)),
        AlertSentAt = e.GetDateTimeOffset(nameof(EnrolmentRun.AlertSentAt)),
        NoticeReportClaimedAt = e.GetDateTimeOffset(nameof(EnrolmentRun.NoticeReportClaimedAt)),
        NoticeReportSentAt = e.GetDateTimeOffset(nameof(EnrolmentRun.NoticeReportSentAt)),
        FailureReason = e.GetString(nameof(EnrolmentRun.FailureReason)),
        Version = e.ETag.ToString(),
    };

    private static RunCounters CountersFrom(TableEntity e) => new(
        e.GetInt64(nameof(RunCounters.Total)) ?? 0,
        e.GetInt64(nameof(RunCounters.Successful)) ?? 0,
        e.GetInt64(nameof(RunCounters.Unchanged)) ?? 0,
        e.GetInt64(nameof(RunCounters.NotExists)) ?? 0,
        e.GetInt64(nameof(RunCounters.Skipped)) ?? 0,
        e.GetInt64(nameof(RunCounters.Failed)) ?? 0);

    // Pending and AttemptsFor are -1 rather than null when free: a merge leaves a null property as it was.
    private static TableEntity NoticeEntity(NoticeProgress p) => new(PartitionKey(p.TenantId, p.RunId), NoticeRow(p.Batch))
    {
        [nameof(p.Position)] = p.Position,
        [nameof(p.Pending)] = p.Pending ?? -1,
        [nameof(p.PendingAt)] = p.PendingAt,
        [nameof(p.Attempts)] = p.Attempts,
        [nameof(p.AttemptsFor)] = p.AttemptsFor,
        [nameof(p.FirstAttemptAt)] = p.FirstAttemptAt,
        [nameof(p.Sent)] = p.Sent,
        [nameof(p.Skipped)] = p.Skipped,
        [nameof(p.Failed)] = p.Failed,
        [nameof(p.Resent)] = p.Resent,
    };

    private static NoticeProgress NoticeFromEntity(string tenantId, string runId, long batch, TableEntity e) => new()
    {
        TenantId = tenantId,
        RunId = runId,
        Batch = batch,
        Items = JsonSerializer.Deserialize<List<NoticeItem>>(e.GetString(nameof(NoticeProgress.Items)) ?? "[]", EnrolmentJson.Options) ?? [],
        Position = e.GetInt32(nameof(NoticeProgress.Position)) ?? 0,
        Pending = e.GetInt32(nameof(NoticeProgress.Pending)) is >= 0 and var pending ? pending : null,
        PendingAt = e.GetInt32(nameof(NoticeProgress.Pending)) is >= 0 ? e.GetDateTimeOffset(nameof(NoticeProgress.PendingAt)) : null,
        Attempts = e.GetInt32(nameof(NoticeProgress.Attempts)) ?? 0,
        AttemptsFor = e.GetInt32(nameof(NoticeProgress.AttemptsFor)) ?? -1,
        FirstAttemptAt = e.GetInt32(nameof(NoticeProgress.AttemptsFor)) is >= 0 ? e.GetDateTimeOffset(nameof(NoticeProgress.FirstAttemptAt)) : null,
        Sent = e.GetInt32(nameof(NoticeProgress.Sent)) ?? 0,
        Skipped = e.GetInt32(nameof(NoticeProgress.Skipped)) ?? 0,
        Failed = e.GetInt32(nameof(NoticeProgress.Failed)) ?? 0,
        Resent = e.GetInt32(nameof(NoticeProgress.Resent)) ?? 0,
        Version = e.ETag.ToString(),
    };
}
