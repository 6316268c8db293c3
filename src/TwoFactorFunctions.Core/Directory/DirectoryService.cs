using System.Runtime.CompilerServices;
using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Core.Directory;

/// <summary>One user as the portal sends it; every field is checked by <see cref="UserProfile.Create"/>.</summary>
public sealed record UserInput(string? UserId, string? DisplayName, string? Email, string? Phone, string? Role, bool? Active, bool? TemporaryPassword = null);

public sealed record TenantProfileInput(string TenantId, string? DisplayName, string? DefaultRegion, IReadOnlyList<int>? AllowedCallingCodes,
    int? SmsDailyBudget, int? VoiceDailyBudget, bool? VoiceOnlyAfterSms);

public sealed record ImportIssue(long Index, string? UserId, string Code, string Detail);

public sealed record ImportReport(long Received, long Imported, long Rejected, IReadOnlyList<ImportIssue> Issues);

/// <summary>Keeps tenants and users in sync with the portal.</summary>
public sealed class DirectoryService(ITenantStore tenants, IUserStore users, IAccountGuardStore guards, IDeviceTrustStore trusts,
    IAuditLog audit, TimeProvider time, IUserFactorStore factors, Factors.FactorNotifier notifier, Messaging.AccountNotices notices)
{
    /// <summary>Entity-group transactions hold at most 100 entities.</summary>
    public const int ImportBatchSize = 100;

    private const int ImportParallelism = 4;
    private const int MaxReportedIssues = 100;

    /// <summary>
    /// Creates the company or replaces its profile. A setting the input leaves out keeps its stored value (a new company
    /// gets the default): only the members that define the company are required, and none is ever reset by omission.
    /// </summary>
    public async Task<Result<Tenant>> UpsertTenantAsync(TenantProfileInput input, CancellationToken cancellationToken)
    {
        var stored = await tenants.GetAsync(input.TenantId, cancellationToken);
        var profile = TenantProfile.Create(input.TenantId, input.DisplayName, input.DefaultRegion ?? stored?.DefaultRegion,
            input.AllowedCallingCodes ?? stored?.AllowedCallingCodes, input.SmsDailyBudget ?? stored?.SmsDailyBudget,
            input.VoiceDailyBudget ?? stored?.VoiceDailyBudget, input.VoiceOnlyAfterSms ?? stored?.VoiceOnlyAfterSms);
        if (!profile.IsSuccess)
        {
            return profile.Error;
        }

        await tenants.UpsertProfileAsync(profile.Value, cancellationToken);
        return (await tenants.GetAsync(input.TenantId, cancellationToken))!;
    }

    public async Task<Result<Tenant>> GetTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        return await tenants.GetAsync(tenantId, cancellationToken) is { } tenant ? tenant : Errors.TenantNotFound;
    }

    public async Task<Result<DirectoryUser>> UpsertUserAsync(string tenantId, UserInput input, CancellationToken cancellationToken)
    {
        var tenant = await GetTenantAsync(tenantId, cancellationToken);
        if (!tenant.IsSuccess)
        {
            return tenant.Error;
        }

        var profile = ToProfile(input, tenant.Value.DefaultRegion);
        if (!profile.IsSuccess)
        {
            return profile.Error;
        }

        var before = await users.GetAsync(tenantId, profile.Value.UserId, cancellationToken);
        await users.UpsertProfileAsync(tenantId, profile.Value, cancellationToken);
        if (profile.Value.TemporaryPassword)
        {
            await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.RequiredActionsSet, time.GetUtcNow(), profile.Value.UserId, null,
                "Temporary password: the next sign-in must change it and set a recovery question."), cancellationToken);
        }

        return before is not null && ContactsChanged(before, profile.Value) is { } changed
            ? await RecordContactChangeAsync(before, changed, cancellationToken)
            : (await users.GetAsync(tenantId, profile.Value.UserId, cancellationToken))!;
    }

    private static string? ContactsChanged(DirectoryUser before, UserProfile after)
    {
        var email = before.Email is not null && !string.Equals(before.Email, after.Email, StringComparison.OrdinalIgnoreCase);
        var phone = before.Phone is not null && before.Phone != after.Phone;
        return email && phone ? "email address and phone number" : email ? "email address" : phone ? "phone number" : null;
    }

    /// <summary>
    /// The portal's directory changed a contact codes go to: like a self-service change, the replaced one hears of it and
    /// of every change for the grace period, and remembered devices are forgotten (a new stamp).
    /// </summary>
    private async Task<DirectoryUser> RecordContactChangeAsync(DirectoryUser before, string changed, CancellationToken cancellationToken)
    {
        var graceEnds = time.GetUtcNow() + DirectoryUser.ContactGrace;
        var updated = await users.UpdateAsync(before.TenantId, before.UserId, u => u with
        {
            PreviousEmail = before.Email is { } oldEmail && !string.Equals(oldEmail, u.Email, StringComparison.OrdinalIgnoreCase) ? oldEmail : u.PreviousEmail,
            PreviousEmailUntil = before.Email is { } e && !string.Equals(e, u.Email, StringComparison.OrdinalIgnoreCase) ? graceEnds : u.PreviousEmailUntil,
            PreviousPhone = before.Phone is { } oldPhone && oldPhone != u.Phone ? oldPhone : u.PreviousPhone,
            PreviousPhoneUntil = before.Phone is { } p && p != u.Phone ? graceEnds : u.PreviousPhoneUntil,
            SecurityStamp = Ids.NewId(),
        }, cancellationToken);
        var user = updated.Value ?? before;
        await audit.RecordAsync(new AuditEvent(before.TenantId, AuditEventType.ContactChanged, time.GetUtcNow(), before.UserId, null,
            $"The {changed} was changed by the portal's directory; the previous one is told of changes for {DirectoryUser.ContactGrace.Days} days."), cancellationToken);
        await notifier.NotifyAsync(user, notices.ContactChanged(changed), $"{user.SecurityStamp}.directory-contact", cancellationToken);
        return user;
    }

    public async Task<Result<DirectoryUser>> GetUserAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        return await users.GetAsync(tenantId, userId, cancellationToken) is { } user ? user : Errors.UserNotFound;
    }

    /// <summary>Removes the user and everything kept for them (counters, trusted devices, authenticator, recovery codes).</summary>
    public async Task<DomainError?> DeleteUserAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        if (!await users.DeleteAsync(tenantId, userId, cancellationToken))
        {
            return Errors.UserNotFound;
        }

        await trusts.DeleteAllAsync(tenantId, userId, cancellationToken);
        await guards.DeleteAsync(tenantId, userId, cancellationToken);
        await factors.DeleteAsync(tenantId, userId, cancellationToken);
        return null;
    }

    /// <summary>
    /// Streams users into the directory in 100-user transactions, a few in flight at once. Memory stays flat however
    /// long the stream is; invalid entries are reported by position and skipped, valid ones are written.
    /// </summary>
    public async Task<Result<ImportReport>> ImportAsync(string tenantId, IAsyncEnumerable<UserInput?> inputs, CancellationToken cancellationToken)
    {
        var tenant = await GetTenantAsync(tenantId, cancellationToken);
        if (!tenant.IsSuccess)
        {
            return tenant.Error;
        }

        long received = 0, imported = 0, rejected = 0, temporary = 0;
        var issues = new List<ImportIssue>();
        var inFlight = new List<Task>();
        var batch = new List<UserProfile>(ImportBatchSize);
        var batchIds = new HashSet<string>(StringComparer.Ordinal);

        await foreach (var input in inputs.WithCancellation(cancellationToken))
        {
            var index = received++;
            var profile = input is null
                ? new DomainError(ErrorKind.Invalid, "invalid_user", "The entry is null.")
                : ToProfile(input, tenant.Value.DefaultRegion);
            if (!profile.IsSuccess)
            {
                rejected++;
                if (issues.Count < MaxReportedIssues)
                {
                    issues.Add(new ImportIssue(index, input?.UserId, profile.Error.Code, profile.Error.Detail));
                }

                continue;
            }

            // A transaction may name an entity once: a repeated id starts a new batch so the later entry wins.
            if (batch.Count == ImportBatchSize || !batchIds.Add(profile.Value.UserId))
            {
                imported += batch.Count;
                await FlushAsync(tenantId, batch, inFlight, cancellationToken);
                batch = new List<UserProfile>(ImportBatchSize);
                batchIds.Clear();
                batchIds.Add(profile.Value.UserId);
            }

            batch.Add(profile.Value);
            temporary += profile.Value.TemporaryPassword ? 1 : 0;
        }

        imported += batch.Count;
        await FlushAsync(tenantId, batch, inFlight, cancellationToken);
        await Task.WhenAll(inFlight);
        if (temporary > 0)
        {
            // One event per import, not per user: an import of 10,000 new users would otherwise flood the tenant's log.
            await audit.RecordAsync(new AuditEvent(tenantId, AuditEventType.RequiredActionsSet, time.GetUtcNow(), null, null,
                $"{temporary} imported users have a temporary password: their next sign-in must change it and set a recovery question."), cancellationToken);
        }

        return new ImportReport(received, imported, rejected, issues);
    }

    /// <summary>Reads a tenant's users page by page (for admin screens).</summary>
    public async IAsyncEnumerable<DirectoryUser> EnumerateUsersAsync(string tenantId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? continuation = null;
        do
        {
            var page = await users.ListAsync(tenantId, continuation, 1000, cancellationToken);
            foreach (var user in page.Items)
            {
                yield return user;
            }

            continuation = page.ContinuationToken;
        }
        while (continuation is not null);
    }

    private async Task FlushAsync(string tenantId, List<UserProfile> batch, List<Task> inFlight, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        if (inFlight.Count >= ImportParallelism)
        {
            var done = await Task.WhenAny(inFlight);
            inFlight.Remove(done);
            await done;
        }

        inFlight.Add(users.UpsertProfilesAsync(tenantId, batch, cancellationToken));
    }

    private static Result<UserProfile> ToProfile(UserInput input, string defaultRegion)
    {
        UserRole role;
        if (string.IsNullOrEmpty(input.Role))
        {
            role = UserRole.User;
        }
        else if (!Enum.TryParse(input.Role, ignoreCase: true, out role) || !Enum.IsDefined(role) || char.IsDigit(input.Role[0]))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_role", "role must be Admin or User.");
        }

        var profile = UserProfile.Create(input.UserId, input.DisplayName, input.Email, input.Phone, role, input.Active ?? true, defaultRegion);
        if (profile.IsSuccess && profile.Value.Email is null && profile.Value.Phone is null)
        {
            // A user with neither could never be sent a code: refused rather than stored as a user locked out by 2FA.
            return new DomainError(ErrorKind.Invalid, "contact_required", "A user needs an email address or a phone number to receive sign-in codes.");
        }

        return profile.IsSuccess && input.TemporaryPassword == true ? profile.Value with { TemporaryPassword = true } : profile;
    }
}
