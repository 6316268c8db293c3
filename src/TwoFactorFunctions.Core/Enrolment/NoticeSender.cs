using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Enrolment;

public enum NoticeBatchState
{
    /// <summary>Every recipient of the batch has been dealt with.</summary>
    Done,

    /// <summary>Put back on the queue with a delay (quota, provider back-off, or another sender mid-send).</summary>
    Requeued,

    /// <summary>A newer settings change made these notices stale, or the run is gone.</summary>
    Dropped,
}

public sealed record NoticeBatchReport(NoticeBatchState State, int Sent, TimeSpan? RequeuedAfter);

/// <summary>
/// Sends the notices of one batch at the provider's pace, at most once per (run, user).
/// </summary>
/// <remarks>
/// <para>Recipients are taken in order from the batch's <see cref="NoticeProgress"/> row. Before a notice goes out its
/// position is claimed by a conditional write on that row, so two deliveries of the same notices (a redelivered batch,
/// two processes) can never both send to one user: the loser of the write re-reads and moves on.</para>
/// <para>A sender that dies between its claim and recording the result leaves the position "pending". It may or may not
/// have been sent, and it is <b>not</b> resent: after <see cref="EnrolmentOptions.ClaimTimeout"/> it is counted as
/// uncertain and the next position is taken. At most once, because a crash lands near some send in almost every large
/// run, and a duplicate security notice is worse than one missing notice that the run's status reports.</para>
/// <para>A provider failure releases the claim (the message was not accepted) and the rest of the batch is put back on
/// the queue with the provider's Retry-After, or a back-off, as its visibility delay; the handler never sleeps on it.</para>
/// </remarks>
public sealed class NoticeSender(
    IEnrolmentRunStore runs,
    IEnrolmentDirectory directory,
    ITenantStore tenants,
    IEnrolmentQueues queue,
    IEmailSender email,
    EnrolmentEmails emails,
    NoticeRateLimiter limiter,
    NoticeOptions noticeOptions,
    EnrolmentOptions options,
    TimeProvider time)
{
    private const int MaxConcurrencyRetries = 100;

    public async Task<NoticeBatchReport> SendAsync(NoticeWork work, CancellationToken cancellationToken)
    {
        var run = await runs.GetHeaderAsync(work.TenantId, work.RunId, cancellationToken);
        var tenant = await tenants.GetAsync(work.TenantId, cancellationToken);
        if (run is null || tenant?.LastRunId != run.RunId)
        {
            return new NoticeBatchReport(NoticeBatchState.Dropped, 0, null);
        }

        var progress = await LoadOrCreateAsync(work, cancellationToken);
        if (progress.IsDone)
        {
            return new NoticeBatchReport(NoticeBatchState.Done, 0, null);
        }

        var users = (await directory.ReadRangeAsync(work.TenantId, work.After, work.Last, cancellationToken))
            .Where(r => r.User is not null)
            .ToDictionary(r => r.UserId, r => r.User!, StringComparer.Ordinal);

        var state = new SendState(progress);
        try
        {
            return await SendBatchAsync(work, run, users, state, cancellationToken);
        }
        catch (OperationCanceledException) when (state.Dirty)
        {
            // Shutting down: record what was sent, so a graceful stop leaves nothing "uncertain".
            await SaveAsync(state.Progress, CancellationToken.None);
            throw;
        }
    }

    private async Task<NoticeBatchReport> SendBatchAsync(NoticeWork work, EnrolmentRun run, Dictionary<string, DirectoryUser> users,
        SendState state, CancellationToken cancellationToken)
    {
        var sent = 0;
        var progress = state.Progress;
        var dirty = false;
        for (var conflicts = 0; conflicts < MaxConcurrencyRetries; state.Progress = progress, state.Dirty = dirty)
        {
            var now = time.GetUtcNow();
            if (progress.Pending is not null)
            {
                var claimEnds = progress.PendingAt.GetValueOrDefault() + options.ClaimTimeout;
                if (claimEnds > now)
                {
                    // Someone is sending that position right now; come back when their claim has run out.
                    return await RequeueAsync(work, progress, dirty, claimEnds - now, sent, cancellationToken);
                }

                progress = progress with { Pending = null, PendingAt = null, Uncertain = progress.Uncertain + 1, Attempts = 0 };
                dirty = true;
            }

            if (progress.Position >= progress.Items.Count)
            {
                if (!dirty || await SaveAsync(progress, cancellationToken) is not null)
                {
                    return new NoticeBatchReport(NoticeBatchState.Done, sent, null);
                }

                progress = await ReloadAsync(work, ++conflicts, cancellationToken);
                dirty = false;
                continue;
            }

            var position = progress.Position;
            var item = progress.Items[position];
            if (!users.TryGetValue(item.UserId, out var user) || !user.Active || string.IsNullOrEmpty(user.Email))
            {
                progress = progress with { Position = position + 1, Skipped = progress.Skipped + 1, Attempts = 0 };
                dirty = true;
                continue;
            }

            var wait = await limiter.AcquireAsync(cancellationToken);
            if (wait > TimeSpan.Zero)
            {
                return await RequeueAsync(work, progress, dirty, wait, sent, cancellationToken);
            }

            var claim = progress with { Position = position + 1, Pending = position, PendingAt = time.GetUtcNow() };
            if (await SaveAsync(claim, cancellationToken) is not { } claimed)
            {
                progress = await ReloadAsync(work, ++conflicts, cancellationToken);
                dirty = false;
                continue;
            }

            progress = claimed;
            state.Progress = progress;
            state.Dirty = false;
            try
            {
                // Not cancellable: once handed to the provider, the result must be known and recorded.
                await email.SendAsync(emails.Notice(item.Type, run, user, $"{run.RunId}.{user.UserId}"), CancellationToken.None);
            }
            catch (DeliveryException ex)
            {
                if (ex.RetryAfter is { } retryAfter)
                {
                    limiter.PauseUntil(time.GetUtcNow() + retryAfter);
                }

                var attempts = progress.Attempts + 1;
                if (attempts >= noticeOptions.MaxAttempts)
                {
                    progress = progress with { Pending = null, PendingAt = null, Failed = progress.Failed + 1, Attempts = 0 };
                    dirty = true;
                    continue;
                }

                // Not accepted by the provider, so the position goes back to be sent again later.
                var released = progress with { Position = position, Pending = null, PendingAt = null, Attempts = attempts };
                var delay = ex.RetryAfter ?? TimeSpan.FromTicks(noticeOptions.RetryDelay.Ticks * (1L << Math.Min(attempts - 1, 10)));
                return await RequeueAsync(work, released, true, delay, sent, cancellationToken);
            }

            // Recorded with the next claim (or at the end): one write per notice, not two.
            progress = progress with { Pending = null, PendingAt = null, Sent = progress.Sent + 1, Attempts = 0 };
            dirty = true;
            sent++;
        }

        throw new InvalidOperationException("The notice progress row is too contended; the message will be retried.");
    }

    private sealed class SendState(NoticeProgress progress)
    {
        public NoticeProgress Progress { get; set; } = progress;

        public bool Dirty { get; set; }
    }

    private async Task<NoticeProgress> LoadOrCreateAsync(NoticeWork work, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxConcurrencyRetries; attempt++)
        {
            if (await runs.GetNoticeProgressAsync(work.TenantId, work.RunId, work.Batch, cancellationToken) is { } existing)
            {
                return existing;
            }

            var fresh = new NoticeProgress { TenantId = work.TenantId, RunId = work.RunId, Batch = work.Batch, Items = work.Items };
            if (await runs.TrySaveNoticeProgressAsync(fresh, cancellationToken) is { } version)
            {
                return fresh with { Version = version };
            }
        }

        throw new InvalidOperationException("The notice progress row could not be created.");
    }

    private async Task<NoticeProgress> ReloadAsync(NoticeWork work, int attempt, CancellationToken cancellationToken)
    {
        await RunStoreExtensions.BackOffAsync(attempt, cancellationToken);
        return await LoadOrCreateAsync(work, cancellationToken);
    }

    private async Task<NoticeProgress?> SaveAsync(NoticeProgress progress, CancellationToken cancellationToken) =>
        await runs.TrySaveNoticeProgressAsync(progress, cancellationToken) is { } version ? progress with { Version = version } : null;

    private async Task<NoticeBatchReport> RequeueAsync(NoticeWork work, NoticeProgress progress, bool dirty, TimeSpan delay, int sent,
        CancellationToken cancellationToken)
    {
        // Progress is saved first; if that loses a race, the requeued message simply re-reads whatever won.
        if (dirty)
        {
            await SaveAsync(progress, cancellationToken);
        }

        await queue.EnqueueNoticesAsync(work, delay, cancellationToken);
        return new NoticeBatchReport(NoticeBatchState.Requeued, sent, delay);
    }
}
