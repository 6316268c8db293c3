using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;

namespace TwoFactorFunctions.Core.Enrolment;

/// <summary>What a run does to one user: the outcome, the user row to write (if any) and the notice to send (if any).</summary>
public sealed record UserDecision(string UserId, UserOutcome Outcome, DirectoryUser? Write, NoticeType? Notice);

/// <summary>
/// The per-user rules of every run kind, as a pure function of the run and the user as read. Deciding again on a
/// redelivered batch gives the same answer: a user this run already changed carries the run's id
/// (<see cref="DirectoryUser.LastRunId"/>) and is recognised as done rather than "unchanged".
/// </summary>
public static class EnrolmentRules
{
    public static UserDecision Decide(EnrolmentRun run, DirectoryUser user, DateTimeOffset now)
    {
        if (!user.Active)
        {
            return new(user.UserId, UserOutcome.Skipped, null, null);
        }

        var doneByThisRun = user.LastRunId == run.RunId;
        var reachable = SignInRules.DestinationFor(run.Channel, user) is not null;
        return run.Kind switch
        {
            RunKind.Enrol => Enrol(run, user, now, doneByThisRun, reachable),
            RunKind.Disable => Disable(run, user, doneByThisRun),
            RunKind.ChannelChange => ChannelChange(run, user, reachable),
            RunKind.OptInInvite => OptInInvite(run, user, reachable),
            _ => new(user.UserId, UserOutcome.Failed, null, null),
        };
    }

    private static UserDecision Enrol(EnrolmentRun run, DirectoryUser user, DateTimeOffset now, bool doneByThisRun, bool reachable)
    {
        if (!reachable)
        {
            return new(user.UserId, UserOutcome.NotExists, null, null);
        }

        if (user.TwoFactorEnabled)
        {
            return new(user.UserId, doneByThisRun ? UserOutcome.Successful : UserOutcome.Unchanged, null, NoticeType.Enrolled);
        }

        // A new stamp voids the user's remembered devices: their 2FA settings changed.
        var enrolled = user with { TwoFactorEnabled = true, EnrolledAt = now, LastRunId = run.RunId, SecurityStamp = Ids.NewId() };
        return new(user.UserId, UserOutcome.Successful, enrolled, NoticeType.Enrolled);
    }

    private static UserDecision Disable(EnrolmentRun run, DirectoryUser user, bool doneByThisRun)
    {
        if (user.TwoFactorEnabled)
        {
            // EnrolledAt stays: it tells when the user was last enrolled.
            var cleared = user with { TwoFactorEnabled = false, LastRunId = run.RunId, SecurityStamp = Ids.NewId() };
            return new(user.UserId, UserOutcome.Successful, cleared, NoticeType.TurnedOff);
        }

        // Under RequiredForAll every active user was challenged, enrolled by a run or not.
        var hadTwoFactor = doneByThisRun || (run.WasEnabled && run.PreviousMode == TwoFactorMode.RequiredForAll);
        return hadTwoFactor
            ? new(user.UserId, UserOutcome.Successful, null, NoticeType.TurnedOff)
            : new(user.UserId, UserOutcome.Unchanged, null, null);
    }

    private static UserDecision ChannelChange(EnrolmentRun run, DirectoryUser user, bool reachable)
    {
        var hasTwoFactor = user.TwoFactorEnabled || run.Mode == TwoFactorMode.RequiredForAll;
        if (!hasTwoFactor)
        {
            return new(user.UserId, UserOutcome.Unchanged, null, null);
        }

        // Nothing to write: the user's VerifiedChannel now differs from the tenant's, which is what makes the next
        // sign-in a re-verification on the new channel (ChallengeService records the new channel once it succeeds).
        return reachable
            ? new(user.UserId, UserOutcome.Successful, null, NoticeType.ChannelChanged)
            : new(user.UserId, UserOutcome.NotExists, null, null);
    }

    private static UserDecision OptInInvite(EnrolmentRun run, DirectoryUser user, bool reachable)
    {
        if (user.TwoFactorEnabled)
        {
            var channelMoved = run.WasEnabled && run.PreviousChannel != run.Channel && reachable;
            return new(user.UserId, UserOutcome.Unchanged, null, channelMoved ? NoticeType.ChannelChanged : null);
        }

        return reachable
            ? new(user.UserId, UserOutcome.Successful, null, NoticeType.OptInInvite)
            : new(user.UserId, UserOutcome.NotExists, null, null);
    }
}
