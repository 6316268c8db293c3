using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Core.Directory;

/// <summary>
/// What the portal's operator sets for a company: name, region, and the SMS/voice cost limits. The company's own admins
/// change the 2FA policy elsewhere; these commercial limits are not theirs to raise.
/// </summary>
public sealed record TenantProfile(string TenantId, string DisplayName, string DefaultRegion, IReadOnlyList<int> AllowedCallingCodes,
    int SmsDailyBudget, int VoiceDailyBudget, bool VoiceOnlyAfterSms)
{
    public const int MaxBudget = 1_000_000;

    public static Result<TenantProfile> Create(string tenantId, string? displayName, string? defaultRegion, IReadOnlyList<int>? allowedCallingCodes,
        int? smsDailyBudget, int? voiceDailyBudget, bool? voiceOnlyAfterSms)
    {
        if (Ids.Validate(tenantId, "tenantId") is { } invalid)
        {
            return invalid;
        }

        var region = string.IsNullOrWhiteSpace(defaultRegion) ? "US" : defaultRegion.Trim().ToUpperInvariant();
        if (!PhoneNumberRules.IsKnownRegion(region))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_region", "defaultRegion must be an ISO 3166 alpha-2 region such as AU or US.");
        }

        var name = displayName?.Trim() ?? "";
        if (name.Length > UserProfile.MaxDisplayNameLength || name.Any(char.IsControl))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_display_name", "displayName is too long or has control characters.");
        }

        var codes = allowedCallingCodes ?? [];
        if (codes.Count > 50 || codes.Any(c => !PhoneNumberRules.IsKnownCallingCode(c)))
        {
            return new DomainError(ErrorKind.Invalid, "invalid_calling_code", "allowedCallingCodes must list country calling codes such as 1 or 61.");
        }

        if (smsDailyBudget is < 0 or > MaxBudget || voiceDailyBudget is < 0 or > MaxBudget)
        {
            return new DomainError(ErrorKind.Invalid, "invalid_budget", $"Daily budgets must be between 0 and {MaxBudget}.");
        }

        return new TenantProfile(tenantId, name, region, codes.Distinct().ToArray(), smsDailyBudget ?? 1000, voiceDailyBudget ?? 200, voiceOnlyAfterSms ?? false);
    }
}
