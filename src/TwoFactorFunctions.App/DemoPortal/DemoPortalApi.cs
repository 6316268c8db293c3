using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.FileProviders;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.App.Hosting;
using TwoFactorFunctions.Core.Actions;
using TwoFactorFunctions.Core.Challenges;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Storage;
using TwoFactorFunctions.Infrastructure.Communication;

namespace TwoFactorFunctions.App.DemoPortal;

/// <summary>
/// Development only: the server side of a portal built on this API, for the demo company. It checks the (shared demo)
/// password as a portal checks its own, asks the challenge service for the second factor, hands the browser the
/// challenge's token (never a function key), and after a verified code issues the access token of its identity provider.
/// </summary>
public static class DemoPortalApi
{
    private static readonly string[] DemoUsers = [DemoSeeder.AdminId, "user001", "user002", "user003", "user004", "user005"];

    public sealed record SignInBody(string? UserId, string? Password, string? DeviceToken, bool SendAutomatically = true);

    public sealed record SessionBody(string? ChallengeId, string? ChallengeToken);

    /// <summary>The phone is shown so the page can link to the dev outbox, where text and call codes are read.</summary>
    public sealed record PortalUser(string UserId, string DisplayName, string Role, string TenantId, string? Email, string? Phone)
    {
        public static PortalUser From(DirectoryUser user) => new(user.UserId, user.DisplayName, user.Role.ToString(), user.TenantId, user.Email, user.Phone);
    }

    public sealed record SignInAnswer(bool SignedIn, string? AccessToken, PortalUser? User, NotRequiredReason? Reason,
        ChallengeView? Challenge, string? ChallengeToken, IReadOnlyList<RequiredAction> RequiredActions);

    public sealed record SessionAnswer(string AccessToken, PortalUser User);

    public sealed record PortalConfig(string ApiBase, string TenantId, string DemoPassword, string MailDevUrl, IReadOnlyList<PortalUser> Users);

    /// <summary>Static pages under <c>/demo</c> (with a strict content security policy) and the portal's endpoints.</summary>
    public static WebApplication UseDemoPortal(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<DemoPortalOptions>();
        if (!options.Enabled)
        {
            return app;
        }

        // The pages ship in wwwroot (the run command's content root is the project); a host started from a build folder
        // without them still serves the portal's endpoints and the issuer.
        if (app.Environment.WebRootPath is { } webRoot && Directory.Exists(Path.Combine(webRoot, "demo")))
        {
            UseDemoPages(app, options, new PhysicalFileProvider(Path.Combine(webRoot, "demo")));
        }

        DevIdentityProvider.Map(app).WithMetadata(new DemoPortalEndpoint());
        var portal = app.MapGroup("/demo").AllowAnonymous().ExcludeFromDescription().WithMetadata(new DemoPortalEndpoint(), new ReportsOwnReadiness());
        portal.MapGet("/config.json", ConfigAsync);
        portal.MapPost("/api/sign-in", SignInAsync);
        portal.MapPost("/api/session", SessionAsync);
        portal.MapGet("/api/outbox/{userId}", OutboxAsync);
        return app;
    }

    private static void UseDemoPages(WebApplication app, DemoPortalOptions options, PhysicalFileProvider files)
    {
        var connect = string.IsNullOrEmpty(options.ApiBase) ? "'self'" : $"'self' {options.ApiBase}";
        app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = "/demo", FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = "/demo",
            FileProvider = files,
            OnPrepareResponse = c =>
            {
                c.Context.Response.Headers.ContentSecurityPolicy = $"default-src 'self'; connect-src {connect}; img-src 'self' data:; frame-ancestors 'none'";
                c.Context.Response.Headers.XContentTypeOptions = "nosniff";
            },
        });
    }

    private static async Task<Ok<PortalConfig>> ConfigAsync(DemoPortalOptions options, IUserStore users, CancellationToken cancellationToken)
    {
        var list = new List<PortalUser>();
        foreach (var id in DemoUsers)
        {
            if (await users.GetAsync(DemoSeeder.TenantId, id, cancellationToken) is { Active: true } user)
            {
                list.Add(PortalUser.From(user));
            }
        }

        return TypedResults.Ok(new PortalConfig(options.ApiBase, DemoSeeder.TenantId, options.Password, options.MailDevUrl, list));
    }

    private static async Task<Results<Ok<SignInAnswer>, ProblemHttpResult>> SignInAsync(SignInBody body, DemoPortalOptions options,
        IUserStore users, SignInService signIn, DevIdentityProvider idp, HttpContext context, CancellationToken cancellationToken)
    {
        var invalid = new DomainError(ErrorKind.Unauthorized, "invalid_credentials", "The user name or password is not correct.");
        var passwordOk = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(body.Password ?? ""), Encoding.UTF8.GetBytes(options.Password));
        if (!passwordOk || !Ids.IsValid(body.UserId)
            || await users.GetAsync(DemoSeeder.TenantId, body.UserId!, cancellationToken) is not { Active: true } user)
        {
            return ApiProblem.From(invalid, context);
        }

        var decided = await signIn.CreateSignInChallengeAsync(
            new SignInChallengeRequest(DemoSeeder.TenantId, user.UserId, body.DeviceToken, body.SendAutomatically), cancellationToken);
        if (!decided.IsSuccess)
        {
            return ApiProblem.From(decided.Error, context);
        }

        var decision = decided.Value;
        var portalUser = PortalUser.From(user);
        return decision.Challenge is { } challenge
            ? TypedResults.Ok(new SignInAnswer(false, null, portalUser, null, challenge, decision.BrowserToken, decision.RequiredActions))
            : TypedResults.Ok(new SignInAnswer(true, idp.IssueAccessToken(user.TenantId, user.UserId, user.DisplayName), portalUser,
                decision.NotRequiredReason, null, null, decision.RequiredActions));
    }

    private static async Task<Results<Ok<SessionAnswer>, ProblemHttpResult>> SessionAsync(SessionBody body, IChallengeStore store,
        ChallengeService challenges, IUserStore users, DevIdentityProvider idp, HttpContext context, CancellationToken cancellationToken)
    {
        var refused = new DomainError(ErrorKind.Unauthorized, "sign_in_not_verified", "Verify the code of this sign-in first.");
        if (!ChallengeIds.IsValid(body.ChallengeId)
            || await store.GetAsync(DemoSeeder.TenantId, body.ChallengeId!, cancellationToken) is not { } challenge
            || !BrowserTokens.Matches(challenge, body.ChallengeToken))
        {
            return ApiProblem.From(refused, context);
        }

        // Spent once: a verified sign-in opens one session, and only soon after the code was verified.
        var spent = await challenges.ConsumeVerifiedAsync(DemoSeeder.TenantId, challenge.ChallengeId, challenge.UserId, ChallengePurpose.SignIn, cancellationToken);
        if (!spent.IsSuccess || await users.GetAsync(DemoSeeder.TenantId, challenge.UserId, cancellationToken) is not { } user)
        {
            return ApiProblem.From(refused, context);
        }

        return TypedResults.Ok(new SessionAnswer(idp.IssueAccessToken(user.TenantId, user.UserId, user.DisplayName),
            PortalUser.From(user)));
    }

    /// <summary>
    /// The dev outbox of a demo user's phone, read by the portal's server: the API's outbox endpoint wants the function
    /// key, which a browser never holds. Like the test mailbox, it is open to whoever opens the demo.
    /// </summary>
    private static async Task<Results<Ok<IReadOnlyList<DevOutboxMessage>>, ProblemHttpResult>> OutboxAsync(string userId, IUserStore users,
        [FromServices] DevOutboxSender? outbox, HttpContext context, CancellationToken cancellationToken)
    {
        var noPhone = new DomainError(ErrorKind.NotFound, "no_outbox", "That user has no phone whose messages the dev outbox keeps.");
        if (outbox is null || !Ids.IsValid(userId)
            || await users.GetAsync(DemoSeeder.TenantId, userId, cancellationToken) is not { Phone: { } phone })
        {
            return ApiProblem.From(noPhone, context);
        }

        // The demo tenant's messages only: the same number may get codes from other tenants of this deployment.
        return TypedResults.Ok(await outbox.ListAsync(DemoSeeder.TenantId, phone, cancellationToken));
    }
}

/// <summary>Endpoint metadata: the demo portal's own endpoints (standalone host, Development only), not the API's.</summary>
public sealed class DemoPortalEndpoint;
