using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TwoFactorFunctions.Infrastructure.Communication;

namespace TwoFactorFunctions.UnitTests.Communication;

public sealed class AcsCallbackAuthenticatorTests
{
    private const string Audience = "6d3fbd8b-1c2e-4a57-9d1f-0c5e2b7a9f10";

    // Generated once: RSA key generation is slow, and the keys are only ever read.
    private static readonly RSA AcsKey = RSA.Create(2048);
    private static readonly RSA OtherKey = RSA.Create(2048);
    private readonly RSA _acsKey = AcsKey;
    private readonly RSA _otherKey = OtherKey;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
    private readonly Keys _keys;
    private readonly AcsCallbackAuthenticator _authenticator;

    public AcsCallbackAuthenticatorTests()
    {
        _keys = new Keys(new RsaSecurityKey(_acsKey.ExportParameters(false)) { KeyId = "acs-1" });
        var options = new AcsOptions { ImmutableResourceId = Audience };
        _authenticator = new AcsCallbackAuthenticator(_keys, options, _time, NullLogger<AcsCallbackAuthenticator>.Instance);
    }

    [Fact]
    public async Task IsValidAsync_TokenFromAcs_Accepted()
    {
        Assert.True(await _authenticator.IsValidAsync("Bearer " + Token(), CancellationToken.None));
    }

    [Fact]
    public async Task IsValidAsync_NoOrNonBearerHeader_Refused()
    {
        Assert.False(await _authenticator.IsValidAsync(null, CancellationToken.None));
        Assert.False(await _authenticator.IsValidAsync("Basic dXNlcjpwYXNz", CancellationToken.None));
        Assert.False(await _authenticator.IsValidAsync("Bearer not-a-jwt", CancellationToken.None));
    }

    [Fact]
    public async Task IsValidAsync_OtherAudience_Refused()
    {
        Assert.False(await _authenticator.IsValidAsync("Bearer " + Token(audience: "another-resource"), CancellationToken.None));
    }

    [Fact]
    public async Task IsValidAsync_OtherIssuer_Refused()
    {
        Assert.False(await _authenticator.IsValidAsync("Bearer " + Token(issuer: "https://attacker.example"), CancellationToken.None));
    }

    [Fact]
    public async Task IsValidAsync_SignedByAnotherKeyWithTheSameKid_Refused()
    {
        var forged = Token(signingKey: new RsaSecurityKey(_otherKey) { KeyId = "acs-1" });

        Assert.False(await _authenticator.IsValidAsync("Bearer " + forged, CancellationToken.None));
    }

    [Fact]
    public async Task IsValidAsync_Expired_RefusedOnOurClock()
    {
        var token = Token();
        _time.Advance(TimeSpan.FromMinutes(7));

        Assert.False(await _authenticator.IsValidAsync("Bearer " + token, CancellationToken.None));
    }

    [Fact]
    public async Task IsValidAsync_NoExpiry_Refused()
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AcsOptions.DefaultCallbackIssuer,
            Audience = Audience,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_acsKey) { KeyId = "acs-1" }, SecurityAlgorithms.RsaSha256),
        });

        Assert.False(await _authenticator.IsValidAsync("Bearer " + token, CancellationToken.None));
    }

    [Fact]
    public async Task IsValidAsync_SymmetricAlgorithm_Refused()
    {
        var handler = new JsonWebTokenHandler();
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AcsOptions.DefaultCallbackIssuer,
            Audience = Audience,
            IssuedAt = _time.GetUtcNow().UtcDateTime,
            NotBefore = _time.GetUtcNow().UtcDateTime,
            Expires = _time.GetUtcNow().UtcDateTime.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), SecurityAlgorithms.HmacSha256),
        });

        Assert.False(await _authenticator.IsValidAsync("Bearer " + token, CancellationToken.None));
    }

    [Fact]
    public async Task IsValidAsync_UnknownKidAfterRotation_RefreshesKeysOnceAndAccepts()
    {
        var rotated = new RsaSecurityKey(_otherKey.ExportParameters(false)) { KeyId = "acs-2" };
        _keys.AfterRefresh = rotated;

        var valid = await _authenticator.IsValidAsync("Bearer " + Token(signingKey: new RsaSecurityKey(_otherKey) { KeyId = "acs-2" }), CancellationToken.None);

        Assert.True(valid);
        Assert.Equal(1, _keys.Refreshes);
    }

    private string Token(string? audience = null, string? issuer = null, SecurityKey? signingKey = null)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? AcsOptions.DefaultCallbackIssuer,
            Audience = audience ?? Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(signingKey ?? new RsaSecurityKey(_acsKey) { KeyId = "acs-1" }, SecurityAlgorithms.RsaSha256),
        });
    }

    private sealed class Keys(SecurityKey current) : IAcsSigningKeys
    {
        public SecurityKey? AfterRefresh { get; set; }

        public int Refreshes { get; private set; }

        public Task<IReadOnlyCollection<SecurityKey>> GetAsync(bool refresh, CancellationToken cancellationToken)
        {
            if (refresh)
            {
                Refreshes++;
                if (AfterRefresh is { } next)
                {
                    current = next;
                }
            }

            return Task.FromResult<IReadOnlyCollection<SecurityKey>>([current]);
        }
    }
}
