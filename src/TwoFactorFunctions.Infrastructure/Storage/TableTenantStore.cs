using Azure.Data.Tables;
using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Storage;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>Tenants: PartitionKey = tenant id, RowKey = "" (one row per tenant, point reads only).</summary>
public sealed class TableTenantStore(TableStorage storage) : ITenantStore
{
    private const string Row = "";

    public async Task<Tenant?> GetAsync(string tenantId, CancellationToken cancellationToken) =>
        await TableStorage.GetOrNullAsync(storage.Tenants, tenantId, Row, cancellationToken) is { } e ? FromEntity(e) : null;

    public async Task UpsertProfileAsync(TenantProfile profile, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(profile.TenantId, Row)
        {
            [nameof(Tenant.DisplayName)] = profile.DisplayName,
            [nameof(Tenant.DefaultRegion)] = profile.DefaultRegion,
            [nameof(Tenant.AllowedCallingCodes)] = string.Join(',', profile.AllowedCallingCodes),
            [nameof(Tenant.SmsDailyBudget)] = profile.SmsDailyBudget,
            [nameof(Tenant.VoiceDailyBudget)] = profile.VoiceDailyBudget,
            [nameof(Tenant.VoiceOnlyAfterSms)] = profile.VoiceOnlyAfterSms,
        };
        await storage.Tenants.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    public Task<bool> TryReplaceAsync(Tenant tenant, CancellationToken cancellationToken) =>
        TableStorage.TryWriteAsync(storage.Tenants, ToEntity(tenant), tenant.Version, cancellationToken);

    internal static Tenant FromEntity(TableEntity e) => new()
    {
        TenantId = e.PartitionKey,
        DisplayName = e.GetString(nameof(Tenant.DisplayName)) ?? "",
        DefaultRegion = e.GetString(nameof(Tenant.DefaultRegion)) ?? "US",
        TwoFactorEnabled = e.GetBoolean(nameof(Tenant.TwoFactorEnabled)) ?? false,
        Mode = TableStorage.Enum(e, nameof(Tenant.Mode), TwoFactorMode.RequiredForAll),
        Channel = TableStorage.Enum(e, nameof(Tenant.Channel), Channel.Email),
        CodeLifetimeMinutes = e.GetInt32(nameof(Tenant.CodeLifetimeMinutes)) ?? 5,
        DeviceTrustDays = e.GetInt32(nameof(Tenant.DeviceTrustDays)) ?? 15,
        SkipFirstSignIn = e.GetBoolean(nameof(Tenant.SkipFirstSignIn)) ?? false,
        TrustEpoch = e.GetInt32(nameof(Tenant.TrustEpoch)) ?? 0,
        AllowedCallingCodes = ParseCodes(e.GetString(nameof(Tenant.AllowedCallingCodes))),
        SmsDailyBudget = e.GetInt32(nameof(Tenant.SmsDailyBudget)) ?? 1000,
        VoiceDailyBudget = e.GetInt32(nameof(Tenant.VoiceDailyBudget)) ?? 200,
        VoiceOnlyAfterSms = e.GetBoolean(nameof(Tenant.VoiceOnlyAfterSms)) ?? false,
        ActiveRunId = e.GetString(nameof(Tenant.ActiveRunId)),
        LastRunId = e.GetString(nameof(Tenant.LastRunId)),
        UpdatedAt = e.GetDateTimeOffset(nameof(Tenant.UpdatedAt)),
        PasswordPolicy = TableStorage.FromJson(e, nameof(Tenant.PasswordPolicy), PasswordPolicy.Default),
        RecoveryQuestions = TableStorage.FromJson<RecoveryQuestion[]>(e, nameof(Tenant.RecoveryQuestions), []),
        TermsVersion = e.GetInt32(nameof(Tenant.TermsVersion)) ?? 0,
        TermsUrl = e.GetString(nameof(Tenant.TermsUrl)),
        TermsPublishedAt = e.GetDateTimeOffset(nameof(Tenant.TermsPublishedAt)),
        FactorPolicy = TableStorage.FromJson(e, nameof(Tenant.FactorPolicy), Core.Factors.FactorPolicy.Default),
        Version = e.ETag.ToString(),
    };

    private static int[] ParseCodes(string? value) =>
        string.IsNullOrEmpty(value) ? [] : value.Split(',').Select(c => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    internal static TableEntity ToEntity(Tenant t) => new(t.TenantId, Row)
    {
        [nameof(Tenant.DisplayName)] = t.DisplayName,
        [nameof(Tenant.DefaultRegion)] = t.DefaultRegion,
        [nameof(Tenant.TwoFactorEnabled)] = t.TwoFactorEnabled,
        [nameof(Tenant.Mode)] = t.Mode.ToString(),
        [nameof(Tenant.Channel)] = t.Channel.ToString(),
        [nameof(Tenant.CodeLifetimeMinutes)] = t.CodeLifetimeMinutes,
        [nameof(Tenant.DeviceTrustDays)] = t.DeviceTrustDays,
        [nameof(Tenant.SkipFirstSignIn)] = t.SkipFirstSignIn,
        [nameof(Tenant.TrustEpoch)] = t.TrustEpoch,
        [nameof(Tenant.AllowedCallingCodes)] = string.Join(',', t.AllowedCallingCodes),
        [nameof(Tenant.SmsDailyBudget)] = t.SmsDailyBudget,
        [nameof(Tenant.VoiceDailyBudget)] = t.VoiceDailyBudget,
        [nameof(Tenant.VoiceOnlyAfterSms)] = t.VoiceOnlyAfterSms,
        [nameof(Tenant.ActiveRunId)] = t.ActiveRunId,
        [nameof(Tenant.LastRunId)] = t.LastRunId,
        [nameof(Tenant.UpdatedAt)] = t.UpdatedAt,
        [nameof(Tenant.PasswordPolicy)] = TableStorage.ToJson(t.PasswordPolicy),
        [nameof(Tenant.RecoveryQuestions)] = t.RecoveryQuestions.Count == 0 ? null : TableStorage.ToJson(t.RecoveryQuestions),
        [nameof(Tenant.TermsVersion)] = t.TermsVersion,
        [nameof(Tenant.TermsUrl)] = t.TermsUrl,
        [nameof(Tenant.TermsPublishedAt)] = t.TermsPublishedAt,
        [nameof(Tenant.FactorPolicy)] = TableStorage.ToJson(t.FactorPolicy),
    };
}
