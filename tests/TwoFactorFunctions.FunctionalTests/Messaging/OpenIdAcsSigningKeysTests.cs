using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;
using TwoFactorFunctions.Infrastructure.Communication;

namespace TwoFactorFunctions.FunctionalTests.Messaging;

/// <summary>The HTTP key source: an OpenID configuration document and its JWKS, served the way ACS serves them.</summary>
public sealed class OpenIdAcsSigningKeysTests : IAsyncLifetime, IAsyncDisposable
{
    private static readonly string[] Rs256 = ["RS256"];
    private WebApplication _server = null!;
    private Uri _base = null!;
    private int _jwksFetches;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        _server.MapGet("/calling/.well-known/acsopenidconfiguration", (HttpContext c) => Results.Json(new
        {
            issuer = AcsOptions.DefaultCallbackIssuer,
            jwks_uri = $"http://{c.Request.Host}/calling/keys",
            id_token_signing_alg_values_supported = Rs256,
        }));
        _server.MapGet("/calling/keys", () =>
        {
            Interlocked.Increment(ref _jwksFetches);
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(MessagingAppFactory.SigningKey.Rsa.ExportParameters(false)) { KeyId = MessagingAppFactory.SigningKey.KeyId });
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, use = "sig", kid = jwk.Kid, alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        await _server.StartAsync();
        _base = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    [Fact]
    public async Task GetAsync_OpenIdDocument_ReadsTheJwksKeys()
    {
        var keys = new OpenIdAcsSigningKeys(Options());

        var found = await keys.GetAsync(refresh: false, CancellationToken.None);

        var key = Assert.Single(found);
        Assert.Equal(MessagingAppFactory.SigningKey.KeyId, key.KeyId);
    }

    [Fact]
    public async Task Authenticator_WithHttpKeys_AcceptsAnAcsSignedToken()
    {
        var options = Options();
        var authenticator = new AcsCallbackAuthenticator(new OpenIdAcsSigningKeys(options), options, TimeProvider.System,
            NullLogger<AcsCallbackAuthenticator>.Instance);

        Assert.True(await authenticator.IsValidAsync("Bearer " + MessagingAppFactory.CallbackToken(), CancellationToken.None));
        Assert.True(await authenticator.IsValidAsync("Bearer " + MessagingAppFactory.CallbackToken(), CancellationToken.None));
        Assert.Equal(1, _jwksFetches);
    }

    private AcsOptions Options() => new()
    {
        ImmutableResourceId = MessagingAppFactory.ResourceId,
        OpenIdConfigurationUri = new Uri(_base, "/calling/.well-known/acsopenidconfiguration"),
    };
}
