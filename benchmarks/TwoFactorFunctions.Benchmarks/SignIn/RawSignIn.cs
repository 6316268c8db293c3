using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.Benchmarks.SignIn;

/// <summary>
/// The fewest storage requests one challenge + verify can make in the storage layout of issue 22, driven directly on
/// Azurite: the app's rows, entity shapes and conditional writes, without the app. What the app is compared against.
/// </summary>
/// <remarks>
/// One table, the app's <c>Accounts</c>, partitioned by tenant: the profile row <c>{userId}</c>, its guard <c>{userId}!g</c>
/// and challenges <c>{userId}!c!{token}</c> sort together ('!' below every id character), so one range query reads a
/// user's sign-in rows and one entity-group transaction writes them; audit rows <c>$a!…</c> share the partition, so
/// they join that transaction. The expiry index is sharded (<c>{yyyyMMddHH}-{0..f}</c>) so no partition takes every
/// tenant's writes. The tenant row stays in its own table: cached by the issuer, read fresh by the verifier.
/// <para>
/// The raw side writes a tenant of its own into the app's own tables, not tables of its own: Azurite filters every row
/// of a table for any query, and what that costs depends on how the table's rows came to be (measured: a copy of the
/// app's table, same rows, answered the same range query in 4 ms of Azurite CPU where the original took 10 ms). In
/// tables of its own the raw side measured Azurite's history, not the app's work; in the same tables both sides pay
/// the same scan.
/// </para>
/// </remarks>
internal sealed class RawSignIn : IDisposable
{
    /// <summary>What one challenge + verify does in storage, one entry per request: the raw side's request count is its length.</summary>
    public static readonly string[] Operations =
    [
        "create: range query of the user's rows (profile, guard, open challenges; the tenant row is cached, no request)",
        "create: upsert the expiry index entry (sharded partition yyyyMMddHH-{0..f})",
        "create: transaction [guard insert, or replace If-Match; challenge insert; audit insert]",
        "verify: range query of the user's rows (profile, guard, challenge)",
        "verify: point read of the tenant (fresh; in parallel with the range query)",
        "verify: transaction [guard replace If-Match; challenge replace If-Match; audit insert]",
    ];

    // A tenant of its own in the app's tables: both sides query the same tables (see the remarks).
    private readonly string Tenant = "raw-" + Guid.NewGuid().ToString("N")[..8];

    private static long _sequence = long.MaxValue;

    private readonly ServiceProvider _meters = BenchmarkTables.Meters();
    private readonly TableClient _tenants;
    private readonly TableClient _accounts;
    private readonly TableClient _expiry;

    public RawSignIn(string connectionString, string tablePrefix)
    {
        // Counted by the app's own policy too, so the check below holds the list above to what is really sent.
        Counter = new StorageRequestCounter(_meters.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var options = new TableClientOptions();
        options.AddPolicy(Counter, HttpPipelinePosition.PerRetry);
        var service = new TableServiceClient(connectionString, options);
        _tenants = service.GetTableClient(tablePrefix + "Tenants");
        _accounts = service.GetTableClient(tablePrefix + "Accounts");
        _expiry = service.GetTableClient(tablePrefix + "Expiry");
    }

    public StorageRequestCounter Counter { get; }

    /// <summary>The tenant as the issuer holds it in its per-instance cache.</summary>
    private TableEntity? CachedTenant { get; set; }

    public async Task SeedAsync(int users)
    {
        foreach (var table in new[] { _tenants, _accounts, _expiry })
        {
            await table.CreateIfNotExistsAsync();
        }

        await _tenants.UpsertEntityAsync(new TableEntity(Tenant, "") { ["TwoFactorEnabled"] = true, ["Channel"] = "Email", ["CodeLifetimeMinutes"] = 5 });
        CachedTenant = (await _tenants.GetEntityAsync<TableEntity>(Tenant, "")).Value;
        foreach (var chunk in Enumerable.Range(0, users).Chunk(100))
        {
            await _accounts.SubmitTransactionAsync(chunk.Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(Tenant, User(i))
                {
                    ["DisplayName"] = $"User {i}", ["Email"] = $"{User(i)}@bench.example", ["Phone"] = "", ["Role"] = "User", ["Active"] = true,
                })));
        }
    }

    /// <summary>Issues a challenge for user <paramref name="i"/>; returns its row key for <see cref="VerifyAsync"/>.</summary>
    public async Task<string> CreateAsync(int i)
    {
        var user = User(i);
        var now = DateTimeOffset.UtcNow;
        var tenant = CachedTenant ?? throw new InvalidOperationException("Seed first.");

        var rows = await UserRowsAsync(user);
        if (!rows.TryGetValue(user, out var profile) || profile.GetBoolean("Active") != true)
        {
            throw new InvalidOperationException($"{user} is not an active user.");
        }

        rows.TryGetValue(user + "!g", out var guard);
        var challengeKey = $"{user}!c!{Token(16)}";
        var expiresAt = now.AddMinutes(tenant.GetInt32("CodeLifetimeMinutes") ?? 5);

        // Indexed before the challenge exists, as the app does: a crash in between leaves an entry with nothing to delete.
        var purgeAt = now.AddHours(1);
        await _expiry.UpsertEntityAsync(new TableEntity(
            $"{purgeAt.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture)}-{Random.Shared.Next(16):x}",
            $"{purgeAt.UtcTicks:D19}|c|{Tenant}|{challengeKey}"), TableUpdateMode.Replace);

        var guardRow = Guard(user, failedCount: 0, issuedCount: (guard?.GetInt32("IssuedCount") ?? 0) + 1, issueWindowStart: guard?.GetDateTimeOffset("IssueWindowStart") ?? now);
        await _accounts.SubmitTransactionAsync(
        [
            guard is null
                ? new TableTransactionAction(TableTransactionActionType.Add, guardRow)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, guardRow, guard.ETag),
            new TableTransactionAction(TableTransactionActionType.Add, Challenge(challengeKey, user, profile.GetString("Email")!, now, expiresAt)),
            new TableTransactionAction(TableTransactionActionType.Add, Audit(now, "ChallengeSent", user, null,
                $"Code 1 for SignIn challenge {challengeKey} sent by Email.")),
        ]);
        return challengeKey;
    }

    /// <summary>Verifies the challenge <paramref name="challengeKey"/> of user <paramref name="i"/> as answered correctly.</summary>
    public async Task VerifyAsync(int i, string challengeKey)
    {
        var user = User(i);
        var now = DateTimeOffset.UtcNow;

        // The sign-in is re-checked as it is now: the user's rows and the tenant's settings, read together.
        var rowsRead = UserRowsAsync(user);
        var tenantRead = _tenants.GetEntityAsync<TableEntity>(Tenant, "");
        await Task.WhenAll(rowsRead, tenantRead);
        var rows = await rowsRead;
        if ((await tenantRead).Value.GetBoolean("TwoFactorEnabled") != true || !rows.TryGetValue(challengeKey, out var challenge)
            || !rows.TryGetValue(user + "!g", out var guard) || challenge.GetString("Status") != "Pending")
        {
            throw new InvalidOperationException($"The challenge of {user} is not answerable.");
        }

        challenge["Status"] = "Verified";
        challenge["VerifiedAt"] = now;
        challenge["VerifiedFactor"] = "Code";
        challenge["CodeHash"] = null;
        var cleared = Guard(user, failedCount: 0, guard.GetInt32("IssuedCount") ?? 0, guard.GetDateTimeOffset("IssueWindowStart"));
        await _accounts.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, cleared, guard.ETag),
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, challenge, challenge.ETag),
            new TableTransactionAction(TableTransactionActionType.Add, Audit(now, "VerifySucceeded", user, user,
                $"Challenge {challengeKey} verified by Code.")),
        ]);
    }

    public void Dispose() => _meters.Dispose();

    private static string User(int i) => $"u{i:D5}";

    /// <summary>One request: every row of the user (<c>{userId}</c> up to, not including, <c>{userId}"</c>), by row key.</summary>
    private async Task<Dictionary<string, TableEntity>> UserRowsAsync(string user)
    {
        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Tenant} and RowKey ge {user} and RowKey lt {user + "\""}");
        await foreach (var row in _accounts.QueryAsync<TableEntity>(filter))
        {
            rows[row.RowKey] = row;
        }

        return rows;
    }

    private TableEntity Guard(string user, int failedCount, int issuedCount, DateTimeOffset? issueWindowStart) => new(Tenant, user + "!g")
    {
        ["FailedCount"] = failedCount,
        ["FailureWindowStart"] = null,
        ["LockedUntil"] = null,
        ["IssuedCount"] = issuedCount,
        ["IssueWindowStart"] = issueWindowStart,
    };

    /// <summary>Every property the app's challenge row has, with the values of an emailed sign-in code.</summary>
    private TableEntity Challenge(string key, string user, string email, DateTimeOffset now, DateTimeOffset expiresAt) => new(Tenant, key)
    {
        ["UserId"] = user, ["Purpose"] = "SignIn", ["Channel"] = "Email", ["Destination"] = email, ["Status"] = "Pending",
        ["CodeHash"] = RandomNumberGenerator.GetBytes(32), ["CodeVersion"] = 1, ["Sends"] = 1, ["FailedAttempts"] = 0,
        ["CreatedAt"] = now, ["ExpiresAt"] = expiresAt, ["LastSentAt"] = now, ["VerifiedAt"] = null, ["ConsumedAt"] = null,
        ["VerifiedFactor"] = null, ["RequiredActions"] = null, ["BrowserTokenHash"] = null, ["Factors"] = "Code",
        ["PreferredFactor"] = "Code", ["PasskeyOptions"] = null,
    };

    /// <summary>Newest first in a plain query, as the app keys them: inverted ticks, a descending sequence, a random tail.</summary>
    private TableEntity Audit(DateTimeOffset at, string type, string user, string? actor, string detail)
    {
        var inverted = (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
        var sequence = Interlocked.Decrement(ref _sequence).ToString("D19", CultureInfo.InvariantCulture);
        return new TableEntity(Tenant, $"$a!{inverted}-{sequence}-{Token(6)}")
        {
            ["Type"] = type, ["At"] = at, ["UserId"] = user, ["ActorId"] = actor, ["Detail"] = detail,
        };
    }

    private static string Token(int bytes) => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}
