using System.Globalization;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Storage;
using TwoFactorFunctions.Core.Telemetry;

namespace TwoFactorFunctions.Core.Security;

/// <summary>
/// The SMS-pumping and cost guard: every SMS or call must pass it before anything is sent. Fraudsters trigger codes to
/// premium numbers they own; limits per number, per tenant and per country make that unprofitable.
/// </summary>
public sealed class SendGuard(ISendCounterStore counters, IAuditLog audit, TwoFactorOptions options, TwoFactorTelemetry telemetry, TimeProvider time)
{
    /// <summary>Rules in order; the first that refuses wins and nothing is sent.</summary>
    public async Task<DomainError?> TryReserveAsync(Tenant tenant, string userId, Channel channel, string e164, CancellationToken cancellationToken)
    {
        if (channel == Channel.Email)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var day = now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var tenMinutes = now.UtcDateTime.AddMinutes(-(now.Minute % 10)).ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
        var endOfDay = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);

        var countryCode = PhoneNumberRules.CountryCode(e164);
        var allowed = tenant.AllowedCallingCodes.Count > 0 ? tenant.AllowedCallingCodes : [PhoneNumberRules.CountryCodeForRegion(tenant.DefaultRegion)];
        if (!allowed.Contains(countryCode))
        {
            return await BlockedAsync(tenant, userId, channel, "country_not_allowed",
                $"Codes may not be sent to +{countryCode} numbers for this company.", null, cancellationToken);
        }

        if (channel == Channel.Voice && tenant.VoiceOnlyAfterSms && await counters.GetAsync(NumberScope(e164, Channel.Sms), "d" + day, cancellationToken) == 0)
        {
            return await BlockedAsync(tenant, userId, channel, "voice_requires_sms_first",
                "A call is only placed after a text message to this number was tried today.", null, cancellationToken);
        }

        var budget = channel == Channel.Sms ? tenant.SmsDailyBudget : tenant.VoiceDailyBudget;
        if (!await counters.TryIncrementAsync($"tenant|{tenant.TenantId}|{channel}", "d" + day, budget, endOfDay, cancellationToken))
        {
            return await BlockedAsync(tenant, userId, channel, "tenant_send_budget_exhausted",
                $"The company's daily {channel} budget is used up.", endOfDay - now, cancellationToken);
        }

        if (!await counters.TryIncrementAsync(NumberScope(e164, channel), "m" + tenMinutes, options.MaxSendsPerNumberPer10Minutes, now.AddMinutes(10), cancellationToken))
        {
            return await BlockedAsync(tenant, userId, channel, "number_send_limit",
                "Too many codes were sent to this number recently.", TimeSpan.FromMinutes(10 - (now.Minute % 10)), cancellationToken);
        }

        if (!await counters.TryIncrementAsync(NumberScope(e164, channel), "d" + day, options.MaxSendsPerNumberPerDay, endOfDay, cancellationToken))
        {
            return await BlockedAsync(tenant, userId, channel, "number_send_limit",
                "Too many codes were sent to this number today.", endOfDay - now, cancellationToken);
        }

        return null;
    }

    private static string NumberScope(string e164, Channel channel) => $"number|{e164}|{channel}";

    private async Task<DomainError> BlockedAsync(Tenant tenant, string userId, Channel channel, string code, string detail, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        telemetry.SendGuardRefusal(channel, code);
        await audit.RecordAsync(new AuditEvent(tenant.TenantId, AuditEventType.SendBlocked, time.GetUtcNow(), userId, null,
            $"{channel} send blocked: {code}."), cancellationToken);
        return new DomainError(ErrorKind.TooManyRequests, code, detail) { RetryAfter = retryAfter };
    }
}
