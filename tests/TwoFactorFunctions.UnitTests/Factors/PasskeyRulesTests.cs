using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Factors;
using TwoFactorFunctions.Core.Factors.Passkeys;

namespace TwoFactorFunctions.UnitTests.Factors;

/// <summary>The passkey rules on rows in hand: the signature counter, names, and when a passkey may be added or removed.</summary>
public class PasskeyRulesTests
{
    [Theory]
    [InlineData(0u, 0u, CounterVerdict.Accepted)] // a synced passkey keeps no counter
    [InlineData(0u, 1u, CounterVerdict.Accepted)]
    [InlineData(5u, 6u, CounterVerdict.Accepted)]
    [InlineData(5u, 500u, CounterVerdict.Accepted)] // counters may jump: other sites share some authenticators' counter
    [InlineData(5u, 5u, CounterVerdict.Replayed)]
    [InlineData(5u, 4u, CounterVerdict.Regressed)]
    [InlineData(5u, 0u, CounterVerdict.Regressed)] // a counter that fell back to 0 is another copy of the key
    [InlineData(uint.MaxValue, 1u, CounterVerdict.Regressed)]
    public void Counter_StoredAndPresented_Verdict(uint stored, uint presented, CounterVerdict expected) =>
        Assert.Equal(expected, PasskeyRules.Counter(stored, presented));

    [Theory]
    [InlineData(null, "Passkey 3")]
    [InlineData("   ", "Passkey 3")]
    [InlineData("  Work laptop ", "Work laptop")]
    [InlineData("a\u0007b", "invalid_passkey_name")]
    [InlineData("x{65}", "invalid_passkey_name")]
    public void Name_Requested_TrimmedDefaultedOrRefused(string? requested, string expected)
    {
        requested = requested?.Replace("x{65}", new string('x', 65), StringComparison.Ordinal);

        var name = PasskeyRules.Name(requested, 3);

        Assert.Equal(expected, name.IsSuccess ? name.Value : name.Error.Code);
    }

    [Theory]
    [InlineData(true, true, 0, null)]
    [InlineData(false, true, 0, "passkey_unavailable")]
    [InlineData(true, false, 0, "factor_not_allowed")]
    [InlineData(true, true, PasskeyRules.MaxPerUser, "passkey_limit_reached")]
    public void RegistrationRefusal_DeploymentPolicyAndCount_RefusalOrNone(bool available, bool allowed, int held, string? expected)
    {
        var policy = allowed ? FactorPolicy.Default : FactorPolicy.Default with { Allowed = [Factor.Code] };
        var tenant = new Tenant { TenantId = "acme", FactorPolicy = policy };

        Assert.Equal(expected, PasskeyRules.RegistrationRefusal(tenant, Holding(held), available)?.Code);
    }

    [Theory]
    [InlineData(UserRole.Admin, true, 1, "pk0", "passkey_required_for_admins")]
    [InlineData(UserRole.Admin, true, 2, "pk0", null)]
    [InlineData(UserRole.Admin, false, 1, "pk0", null)]
    [InlineData(UserRole.User, true, 1, "pk0", null)]
    [InlineData(UserRole.User, false, 1, "nope", "passkey_not_found")]
    public void RemovalRefusal_AdminHeldToAPhishingResistantFactor_KeepsTheLastPasskey(UserRole role, bool required, int held, string passkeyId,
        string? expected)
    {
        var tenant = new Tenant { TenantId = "acme", FactorPolicy = FactorPolicy.Default with { PhishingResistantRequiredForAdmins = required } };
        var user = new DirectoryUser { TenantId = "acme", UserId = "u", Role = role };

        Assert.Equal(expected, PasskeyRules.RemovalRefusal(tenant, user, Holding(held), passkeyId)?.Code);
    }

    [Fact]
    public void Used_VerifiedAssertion_CounterBackupStateAndLastUseWrittenNothingElse()
    {
        var passkey = Holding(1).Passkeys[0];
        var now = DateTimeOffset.Parse("2026-12-02T09:00:00Z");

        var used = PasskeyRules.Used(passkey, new PasskeyAssertion(true, 7, true, null), now);

        Assert.Equal(passkey with { SignCount = 7, BackedUp = true, LastUsedAt = now }, used);
    }

    [Fact]
    public void FindByCredentialId_SameBytes_FoundOtherBytes_None()
    {
        var held = Holding(2);

        Assert.Equal("pk1", PasskeyRules.FindByCredentialId(held, [1, 1])?.PasskeyId);
        Assert.Null(PasskeyRules.FindByCredentialId(held, [1, 1, 0]));
    }

    internal static UserFactors Holding(int passkeys) => new()
    {
        TenantId = "acme",
        UserId = "u",
        PasskeyUserHandle = [9, 9, 9],
        Passkeys = [.. Enumerable.Range(0, passkeys).Select(i => new Passkey
        {
            PasskeyId = $"pk{i}",
            CredentialId = [1, (byte)i],
            PublicKey = [2, (byte)i],
            Name = $"Passkey {i + 1}",
        })],
    };
}
