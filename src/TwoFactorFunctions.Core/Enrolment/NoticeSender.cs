using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Enrolment;

public enum NoticeBatchState
{
    /// <summary>Every recipient of the batch has been dealt with.</summary>
    Done,

    /// <summary>Not finished: call again after <see cref="NoticeBatchReport.RetryAfter"/> (quota, provider back-off, or another sender mid-send).</summary>
    RetryLater,

    /// <summary>A newer settings change made these notices stale, or the run is gone.</summary>
    Dropped,
}

public sealed record NoticeBatchReport(NoticeBatchState State, int Sent, TimeSpan? RetryAfter);

/// <summary>
/// Sends the notices of one batch at the provider's pace: at least once per (run, user), a repeat carrying the same
/// idempotency id so the receiver drops it.
/// </summary>
/// <remarks>
/// <para>Recipients are taken in order from the batch's <see cref="NoticeProgress"/> row. Before a notice goes out its
/// position is claimed by a conditional write on that row, so two live deliveries of the same notices (a redelivered
/// batch, two processes) never both send to one user: the loser of the write re-reads and moves on.</para>
/// <para>A sender that dies between its claim and recording the result leaves the position "pending": it may or may not
/// have been sent. After <see cref="EnrolmentOptions.ClaimTimeout"/> the position is claimed again and <b>sent again</b>
/// (counted in <see cref="NoticeProgress.Resent"/>), with the same Message-Id / Operation-Id (<c>{runId}.{userId}</c>)
/// and the first claim's time as its first-sent time, so providers and mail clients that de-duplicate drop the copy.
/// Nothing is lost: a security notice that never arrives is a silent gap, a duplicate is at worst a repeat the receiver
/// can recognise. Only sends in flight at the crash can repeat (at most one per batch being sent).</para>
/// <para>Every claim counts as an attempt of its position; after <see cref="NoticeOptions.MaxAttempts"/> (refusals and
/// crashes together) the position counts as failed, so a recipient whose send keeps killing the sender cannot hold
/// the batch for ever. A provider failure releases the claim (the message was not accepted) and the call returns
/// <see cref="NoticeBatchState.RetryLater"/> with the provider's Retry-After, or a back-off: the orchestration waits on a
/// durable timer and calls again, so no activity sleeps through a long back-off.</para>
/// </remarks>
public sealed class NoticeSender(
    IEnrolmentRunStore runs,
    IEnrolmentDirectory directory,
    ITenantStore tenants,
    IEmailSender email,
    EnrolmentEmails emails,
    NoticeRateLimiter limiter,
    NoticeOptions noticeOptions,
    EnrolmentOptions options,
    TimeProvider time)
{

    public async Task<NoticeBatchReport> SendAsync(NoticeWork work, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(work.TenantId, work.RunId, cancellationToken);
        var tenant = await tenants.GetAsync(work.TenantId, cancellationToken);
        if (run is null || tenant?.LastRunId != run.RunId)
        {
            return new NoticeBatchReport(NoticeBatchState.Dropped, 0, null);
        }

        // No row: the batch had nobody to notify.
        if (await runs.GetNoticeProgressAsync(work.TenantId, work.RunId, work.Batch, cancellationToken) is not { } progress || progress.IsDone)
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
            // Shutting down: record what was sent, so a graceful stop resends nothing.
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
        for (var conflicts = 0; conflicts < Optimistic.MaxAttempts; state.Progress = progress, state.Dirty = dirty)
        {
            var now = time.GetUtcNow();
            int position;
            var resend = false;
            if (progress.Pending is { } pending)
            {
                var claimEnds = progress.PendingAt.GetValueOrDefault() + options.ClaimTimeout;
                if (claimEnds > now)
                {
                    // Someone is sending that position right now; come back when their claim has run out.
                    return await RetryLaterAsync(work, progress, dirty, claimEnds - now, sent, cancellationToken);
                }

                if (progress.AttemptsFor == pending && progress.Attempts >= noticeOptions.MaxAttempts)
                {
                    // Claimed that often and never settled: the send itself is what stops the sender. Failed, not looped.
                    progress = progress with { Pending = null, PendingAt = null, Failed = progress.Failed + 1 };
                    dirty = true;
                    continue;
                }

                // Its sender stopped mid-send: maybe sent, maybe not. Sent again, as the same message.
                position = pending;
                resend = true;
            }
            else if (progress.Position >= progress.Items.Count)
            {
                if (!dirty || await SaveAsync(progress, cancellationToken) is not null)
                {
                    return new NoticeBatchReport(NoticeBatchState.Done, sent, null);
                }

                progress = await ReloadAsync(work, ++conflicts, cancellationToken);
                dirty = false;
                continue;
            }
            else
            {
                position = progress.Position;
            }

            var item = progress.Items[position];
            if (!users.TryGetValue(item.UserId, out var user) || !user.Active || string.IsNullOrEmpty(user.Email))
            {
                progress = resend
                    ? progress with { Pending = null, PendingAt = null, Skipped = progress.Skipped + 1 }
                    : progress with { Position = position + 1, Skipped = progress.Skipped + 1 };
                dirty = true;
                continue;
            }

            var wait = await limiter.AcquireAsync(cancellationToken);
            if (wait > TimeSpan.Zero)
            {
                return await RetryLaterAsync(work, progress, dirty, wait, sent, cancellationToken);
            }

            if (await ClaimAsync(progress, position, resend, cancellationToken) is not { } claimed)
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
                // Not cancellable: once handed to the provider, the result must be known and recorded. The id and the
                // first-sent time are the position's, not this attempt's, so a resend is the same message.
                var message = emails.Notice(item.Type, run, user, $"{run.RunId}.{user.UserId}") with { FirstAttemptAt = progress.FirstAttemptAt };
                await email.SendAsync(message, CancellationToken.None);
            }
            catch (DeliveryException ex)
            {
                if (ex.RetryAfter is { } retryAfter)
                {
                    limiter.PauseUntil(time.GetUtcNow() + retryAfter);
                }

                if (progress.Attempts >= noticeOptions.MaxAttempts)
                {
                    progress = progress with { Pending = null, PendingAt = null, Failed = progress.Failed + 1 };
                    dirty = true;
                    continue;
                }

                // Not accepted by the provider, so the position goes back to be sent again later.
                var released = progress with { Position = position, Pending = null, PendingAt = null };
                var delay = ex.RetryAfter ?? TimeSpan.FromTicks(noticeOptions.RetryDelay.Ticks * (1L << Math.Min(progress.Attempts - 1, 10)));
                return await RetryLaterAsync(work, released, true, delay, sent, cancellationToken);
            }

            // Recorded with the next claim (or at the end): one write per notice, not two.
            progress = progress with { Pending = null, PendingAt = null, Sent = progress.Sent + 1 };
            dirty = true;
            sent++;
        }

        throw new InvalidOperationException("The notice progress row is too contended; the step will be retried.");
    }

    /// <summary>Claims <paramref name="position"/> (conditional write); null when another sender's write came first.</summary>
    private async Task<NoticeProgress?> ClaimAsync(NoticeProgress progress, int position, bool resend, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var again = progress.AttemptsFor == position;
        var claim = progress with
        {
            Position = resend ? progress.Position : position + 1,
            Pending = position,
            PendingAt = now,
            AttemptsFor = position,
            Attempts = (again ? progress.Attempts : 0) + 1,
            FirstAttemptAt = again ? progress.FirstAttemptAt ?? now : now,
            Resent = progress.Resent + (resend ? 1 : 0),
        };
        return await SaveAsync(claim, cancellationToken);
    }

    private sealed class SendState(NoticeProgress progress)
    {
        public NoticeProgress Progress { get; set; } = progress;

        public bool Dirty { get; set; }
    }

    private async Task<NoticeProgress> ReloadAsync(NoticeWork work, int attempt, CancellationToken cancellationToken)
    {
        await Optimistic.BackOffAsync(attempt, cancellationToken);
        return await runs.GetNoticeProgressAsync(work.TenantId, work.RunId, work.Batch, cancellationToken)
               ?? throw new InvalidOperationException("The notice progress row vanished while its batch was being sent.");
    }

    private async Task<NoticeProgress?> SaveAsync(NoticeProgress progress, CancellationToken cancellationToken) =>
        await runs.TrySaveNoticeProgressAsync(progress, cancellationToken) is { } version ? progress with { Version = version } : null;

    private async Task<NoticeBatchReport> RetryLaterAsync(NoticeWork work, NoticeProgress progress, bool dirty, TimeSpan delay, int sent,
        CancellationToken cancellationToken)
    {
        // If this save loses a race, the next call simply re-reads whatever won.
        if (dirty)
        {
            await SaveAsync(progress, cancellationToken);
        }

        return new NoticeBatchReport(NoticeBatchState.RetryLater, sent, delay);
    }
}
