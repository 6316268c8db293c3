using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.Core.Security;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionalTests.SignIn;

/// <summary>
/// Seed A's new user: temporary password, then the password change to the policy, the recovery question and the terms
/// of use, with the first sign-in not challenged and every later one challenged. Real Azurite and MailDev.
/// </summary>
[Collection(ServicesGroup.Name)]
public sealed class RequiredActionsTests(TestServices services) : IAsyncLifetime, IDisposable
{
    private const string GoodPassword = "Kettle-Lantern-93";
    private const string Answer = "Pinewood  Primary";

    private readonly TwoFactorAppFactory _app = new(services, "tffactions");
    private PortalApi _portal = null!;
    private string _tenant = "";

    public async Task InitializeAsync()
    {
        _portal = new PortalApi(_app);
        _tenant = PortalApi.NewTenantId();
        await _portal.CreateTenantAsync(_tenant);
        await _portal.SetPolicyAsync(_tenant, t => t with { SkipFirstSignIn = true });
        await _portal.CreateUserAsync(_tenant, "admin", role: "Admin");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task NewUser_SeedAFullPath_PasswordQuestionTermsThenFirstSignInFreeAndSecondChallenged()
    {
        var terms = await _portal.PublishTermsAsync(_tenant);
        var email = await _portal.CreateUserAsync(_tenant, "mary.hopkins", temporaryPassword: true);

        // The portal checked the temporary password: no code (first sign-in), but three actions in order.
        var first = await _portal.SignInAsync(_tenant, "mary.hopkins");
        Assert.False(first.GetProperty("required").GetBoolean());
        Assert.Equal("FirstSignIn", first.GetProperty("reason").GetString());
        Assert.Equal(["UpdatePassword", "SetRecoveryQuestion", "AcceptTerms"], PortalApi.Actions(first));
        Assert.False(first.GetProperty("complete").GetBoolean());

        // Skipping ahead is refused, and changes nothing.
        await PortalApi.AssertProblemAsync(await _portal.SetRecoveryQuestionAsync(_tenant, "mary.hopkins", "first-pet", Answer),
            HttpStatusCode.Conflict, "required_action_out_of_order");
        await PortalApi.AssertProblemAsync(await _portal.AcceptTermsAsync(_tenant, "mary.hopkins", terms), HttpStatusCode.Conflict, "required_action_out_of_order");
        await PortalApi.AssertProblemAsync(await _portal.CompletePasswordChangeAsync(_tenant, "mary.hopkins", "made-up-receipt"),
            HttpStatusCode.Forbidden, "password_check_required");

        // The policy refuses each rule with its own code, and gives no receipt.
        (string Password, string Code)[] refused =
        [
            ("Ab1defg", "password_too_short"),
            ("Ab1" + new string('q', 62), "password_too_long"),
            ("lantern-kettle-93", "password_missing_uppercase"),
            ("LANTERN-KETTLE-93", "password_missing_lowercase"),
            ("Lantern-Kettle-Moss", "password_missing_digit"),
            ("Hopkins-Lantern-93", "password_contains_user_name"),
            ("Password123", "password_too_common"),
        ];
        foreach (var (password, code) in refused)
        {
            var check = await (await _portal.CheckPasswordAsync(_tenant, "mary.hopkins", password)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.False(check.GetProperty("accepted").GetBoolean());
            Assert.Equal([code], check.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("code").GetString()));
            Assert.Equal(JsonValueKind.Null, check.GetProperty("receipt").ValueKind);
        }

        var receipt = await _portal.PasswordReceiptAsync(_tenant, "mary.hopkins", GoodPassword);
        var changed = await _portal.CompletePasswordChangeAsync(_tenant, "mary.hopkins", receipt);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(["SetRecoveryQuestion", "AcceptTerms"], PortalApi.Actions(await changed.Content.ReadFromJsonAsync<JsonElement>(), "pending"));
        await PortalApi.AssertProblemAsync(await _portal.CompletePasswordChangeAsync(_tenant, "mary.hopkins", receipt), HttpStatusCode.Forbidden, "password_check_required");

        await PortalApi.AssertProblemAsync(await _portal.AcceptTermsAsync(_tenant, "mary.hopkins", terms), HttpStatusCode.Conflict, "required_action_out_of_order");
        await PortalApi.AssertProblemAsync(await _portal.SetRecoveryQuestionAsync(_tenant, "mary.hopkins", "not-a-question", Answer),
            HttpStatusCode.BadRequest, "invalid_recovery_question");
        var question = await _portal.SetRecoveryQuestionAsync(_tenant, "mary.hopkins", "first-school", Answer);
        Assert.Equal(HttpStatusCode.OK, question.StatusCode);
        Assert.Equal(["AcceptTerms"], PortalApi.Actions(await question.Content.ReadFromJsonAsync<JsonElement>(), "pending"));

        var accepted = await _portal.AcceptTermsAsync(_tenant, "mary.hopkins", terms);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var status = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(PortalApi.Actions(status, "pending"));
        Assert.Equal(terms, status.GetProperty("acceptedTermsVersion").GetInt32());
        Assert.Equal("first-school", status.GetProperty("recoveryQuestionId").GetString());

        // Every later sign-in is challenged, and nothing is left to do besides the code.
        var second = await _portal.CreateChallengeAsync(_tenant, "mary.hopkins");
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var decision = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(PortalApi.Actions(decision));
        Assert.False(decision.GetProperty("complete").GetBoolean());
        var verified = await _portal.VerifyAsync(_tenant, decision.GetProperty("challenge").GetProperty("challengeId").GetString()!, await _portal.ReadCodeAsync(email));
        Assert.True((await verified.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("complete").GetBoolean());

        // The answer is normalised (case, spaces) for the recovery flow, and stored only as a PBKDF2 hash.
        Assert.Equal(HttpStatusCode.OK, (await _portal.CheckRecoveryAnswerAsync(_tenant, "mary.hopkins", " pinewood primary ")).StatusCode);
        var row = await StoredUserAsync("mary.hopkins");
        Assert.StartsWith("pbkdf2-sha512$", row.GetString("RecoveryAnswerHash"), StringComparison.Ordinal);
        Assert.DoesNotContain(row, p => p.Value is string text && (text.Contains("inewood", StringComparison.OrdinalIgnoreCase) || text.Contains(GoodPassword, StringComparison.Ordinal)));

        // This app's own logs, at once (the run-wide scan also covers them): no password, receipt or answer, in any form.
        Assert.DoesNotContain(_app.Logs.Lines, l => l.Contains(GoodPassword, StringComparison.Ordinal) || l.Contains(receipt, StringComparison.Ordinal)
            || l.Contains("pinewood", StringComparison.OrdinalIgnoreCase) || l.Contains("Hopkins-Lantern", StringComparison.Ordinal));

        var audited = await AuditTypesAsync("mary.hopkins");
        Assert.Contains(AuditEventType.RequiredActionsSet, audited);
        Assert.Contains(AuditEventType.PasswordChanged, audited);
        Assert.Contains(AuditEventType.RecoveryQuestionSet, audited);
        Assert.Contains(AuditEventType.TermsAccepted, audited);
    }

    [Fact]
    public async Task CheckRecoveryAnswer_WrongAnswers_CountedInTheAccountLockoutWithCodes()
    {
        await ReadyUserAsync("u1");

        // The recovery screen shows the question the user picked (never the answer).
        var shown = await _portal.Http.GetFromJsonAsync<JsonElement>($"/api/tenants/{_tenant}/users/u1/recovery-question");
        Assert.Equal("first-school", shown.GetProperty("questionId").GetString());
        Assert.Equal("What was the name of the first school you went to?", shown.GetProperty("text").GetString());
        await _portal.CreateUserAsync(_tenant, "u2");
        await PortalApi.AssertProblemAsync(await _portal.CheckRecoveryAnswerAsync(_tenant, "u2", Answer), HttpStatusCode.NotFound, "recovery_question_not_set");

        var wrong = await _portal.CheckRecoveryAnswerAsync(_tenant, "u1", "Oakridge High");
        await PortalApi.AssertProblemAsync(wrong, HttpStatusCode.BadRequest, "invalid_recovery_answer");
        Assert.Equal(9, (await PortalApi.ProblemAsync(wrong)).GetProperty("triesLeft").GetInt32());

        // Too short to be an answer: refused without costing an attempt.
        await PortalApi.AssertProblemAsync(await _portal.CheckRecoveryAnswerAsync(_tenant, "u1", "x"), HttpStatusCode.BadRequest, "invalid_recovery_answer_format");

        for (var i = 0; i < 8; i++)
        {
            await PortalApi.AssertProblemAsync(await _portal.CheckRecoveryAnswerAsync(_tenant, "u1", $"Wrong school {i}"), HttpStatusCode.BadRequest, "invalid_recovery_answer");
        }

        // The tenth failure of the account is a wrong code: the same counter, so the account locks.
        await _portal.SetPolicyAsync(_tenant, t => t with { SkipFirstSignIn = false });
        var email = $"u1.{_tenant}@example.test".ToLowerInvariant();
        var challenge = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        var code = await _portal.ReadCodeAsync(email);
        var wrongCode = code == "000000" ? "111111" : "000000";
        await PortalApi.AssertProblemAsync(await _portal.VerifyAsync(_tenant, challenge, wrongCode), (HttpStatusCode)423, "account_locked");

        // Locked: even the right answer is refused, and so is a new sign-in challenge.
        await PortalApi.AssertProblemAsync(await _portal.CheckRecoveryAnswerAsync(_tenant, "u1", Answer), (HttpStatusCode)423, "account_locked");
        await PortalApi.AssertProblemAsync(await _portal.CreateChallengeAsync(_tenant, "u1"), (HttpStatusCode)423, "account_locked");
        Assert.Contains(AuditEventType.RecoveryAnswerFailed, await AuditTypesAsync("u1"));

        _app.Time.Advance(TimeSpan.FromMinutes(16));
        var right = await _portal.CheckRecoveryAnswerAsync(_tenant, "u1", Answer);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.True((await right.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("matched").GetBoolean());
    }

    [Fact]
    public async Task CompletePasswordChange_TwentyParallelWithOneReceipt_OneEffect()
    {
        await _portal.CreateUserAsync(_tenant, "u1", temporaryPassword: true);
        var receipt = await _portal.PasswordReceiptAsync(_tenant, "u1", GoodPassword);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _portal.CompletePasswordChangeAsync(_tenant, "u1", receipt)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Single(await AuditTypesAsync("u1"), t => t == AuditEventType.PasswordChanged);
    }

    [Fact]
    public async Task SetRecoveryQuestion_TwentyParallelDifferentAnswers_OneEffectAndItsAnswerStored()
    {
        await _portal.CreateUserAsync(_tenant, "u1", temporaryPassword: true);
        Assert.Equal(HttpStatusCode.OK, (await _portal.CompletePasswordChangeAsync(_tenant, "u1", await _portal.PasswordReceiptAsync(_tenant, "u1", GoodPassword))).StatusCode);
        var answers = Enumerable.Range(0, 20).Select(i => $"Parallel school {i:D2}").ToArray();

        var responses = await Task.WhenAll(answers.Select(a => _portal.SetRecoveryQuestionAsync(_tenant, "u1", "first-school", a)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var response in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await PortalApi.AssertProblemAsync(response, HttpStatusCode.Conflict, "required_action_not_pending");
        }

        var stored = (await StoredUserAsync("u1")).GetString("RecoveryAnswerHash");
        var winner = Array.IndexOf(responses, responses.Single(r => r.StatusCode == HttpStatusCode.OK));
        Assert.True(Core.Actions.RecoveryAnswers.Matches(stored, Core.Actions.RecoveryAnswers.Normalise(answers[winner]).Value!));
        Assert.Single(await AuditTypesAsync("u1"), t => t == AuditEventType.RecoveryQuestionSet);
    }

    [Fact]
    public async Task AcceptTerms_TwentyParallel_OneEffect()
    {
        var terms = await _portal.PublishTermsAsync(_tenant);
        await _portal.CreateUserAsync(_tenant, "u1");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _portal.AcceptTermsAsync(_tenant, "u1", terms)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var response in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await PortalApi.AssertProblemAsync(response, HttpStatusCode.Conflict, "required_action_not_pending");
        }

        Assert.Single(await AuditTypesAsync("u1"), t => t == AuditEventType.TermsAccepted);
    }

    [Fact]
    public async Task PublishTerms_NewVersion_EveryUserAcceptsAgainAtNextSignIn()
    {
        var v1 = await _portal.PublishTermsAsync(_tenant, "https://portal.example/terms/v1");
        await _portal.CreateUserAsync(_tenant, "u1");
        await _portal.CreateUserAsync(_tenant, "u2");
        Assert.Equal(HttpStatusCode.OK, (await _portal.AcceptTermsAsync(_tenant, "u1", v1)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _portal.AcceptTermsAsync(_tenant, "u2", v1)).StatusCode);
        Assert.Empty(PortalApi.Actions(await _portal.SignInAsync(_tenant, "u1")));

        var v2 = await _portal.PublishTermsAsync(_tenant, "https://portal.example/terms/v2");

        Assert.Equal(v1 + 1, v2);
        Assert.Equal(["AcceptTerms"], PortalApi.Actions(await _portal.SignInAsync(_tenant, "u1")));
        Assert.Equal(["AcceptTerms"], PortalApi.Actions(await _portal.SignInAsync(_tenant, "u2")));
        var outdated = await _portal.AcceptTermsAsync(_tenant, "u1", v1);
        await PortalApi.AssertProblemAsync(outdated, HttpStatusCode.Conflict, "terms_version_outdated");
        Assert.Equal(v2, (await PortalApi.ProblemAsync(outdated)).GetProperty("currentVersion").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await _portal.AcceptTermsAsync(_tenant, "u1", v2)).StatusCode);
        Assert.Empty(PortalApi.Actions(await _portal.SignInAsync(_tenant, "u1")));

        var policy = await _portal.Http.GetFromJsonAsync<JsonElement>($"/api/tenants/{_tenant}/sign-in-policy");
        Assert.Equal(v2, policy.GetProperty("terms").GetProperty("version").GetInt32());
        Assert.Equal("https://portal.example/terms/v2", policy.GetProperty("terms").GetProperty("url").GetString());
        Assert.Contains(AuditEventType.TermsPublished, await AuditTypesAsync(null));
    }

    [Fact]
    public async Task ForceRequiredActions_AdminForcesPasswordAndTerms_UserAndAdminSeeThemUserCannotForce()
    {
        var terms = await _portal.PublishTermsAsync(_tenant);
        await _portal.CreateUserAsync(_tenant, "u1");
        Assert.Equal(HttpStatusCode.OK, (await _portal.AcceptTermsAsync(_tenant, "u1", terms)).StatusCode);

        var byUser = await Send(HttpMethod.Post, "u1", "u1", new { actions = new[] { "UpdatePassword" } });
        await PortalApi.AssertProblemAsync(byUser, HttpStatusCode.Forbidden, "admin_required");

        var forced = await Send(HttpMethod.Post, "u1", "admin", new { actions = new[] { "AcceptTerms", "UpdatePassword" } });
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        Assert.Equal(["UpdatePassword", "AcceptTerms"], PortalApi.Actions(await forced.Content.ReadFromJsonAsync<JsonElement>(), "pending"));

        foreach (var actor in new[] { "u1", "admin" })
        {
            var view = await (await Send(HttpMethod.Get, "u1", actor)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(["UpdatePassword", "AcceptTerms"], PortalApi.Actions(view, "pending"));
            Assert.Equal("UpdatePassword", view.GetProperty("next").GetString());
        }

        await _portal.CreateUserAsync(_tenant, "u2");
        await PortalApi.AssertProblemAsync(await Send(HttpMethod.Get, "u1", "u2"), HttpStatusCode.Forbidden, "actor_forbidden");
        Assert.Equal(["UpdatePassword", "AcceptTerms"], PortalApi.Actions(await _portal.SignInAsync(_tenant, "u1")));

        // A challenged sign-in: the code first, and its verify answers the actions still to run.
        var challenge = await _portal.CreateChallengeIdAsync(_tenant, "u1");
        var verified = await _portal.VerifyAsync(_tenant, challenge, await _portal.ReadCodeAsync($"u1.{_tenant}@example.test".ToLowerInvariant()));
        var outcome = await verified.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["UpdatePassword", "AcceptTerms"], PortalApi.Actions(outcome));
        Assert.False(outcome.GetProperty("complete").GetBoolean());
    }

    [Fact]
    public async Task ImportUsers_TemporaryPasswordFlag_ThoseUsersHavePasswordAndQuestionPending()
    {
        var users = new object[]
        {
            new { userId = "new1", displayName = "New One", email = "new1@example.test", role = "User", active = true, temporaryPassword = true },
            new { userId = "old1", displayName = "Old One", email = "old1@example.test", role = "User", active = true },
        };
        var import = await _portal.Http.PostAsJsonAsync($"/api/tenants/{_tenant}/user-imports", users);
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);

        Assert.Equal(["UpdatePassword", "SetRecoveryQuestion"], PortalApi.Actions(await _portal.SignInAsync(_tenant, "new1")));
        Assert.Empty(PortalApi.Actions(await _portal.SignInAsync(_tenant, "old1")));

        // A later profile sync without the flag leaves the pending actions alone.
        await _portal.CreateUserAsync(_tenant, "new1");
        Assert.Equal(["UpdatePassword", "SetRecoveryQuestion"], PortalApi.Actions((await (await Send(HttpMethod.Get, "new1", "admin")).Content.ReadFromJsonAsync<JsonElement>()), "pending"));
    }

    [Fact]
    public async Task UpdateSignInPolicy_OwnQuestionsAndStricterPolicy_AppliedToChecksAndQuestions()
    {
        var update = await _portal.Http.PutAsJsonAsync($"/api/tenants/{_tenant}/sign-in-policy", new
        {
            passwordPolicy = new { minLength = 12, requireSymbol = true },
            recoveryQuestions = new[] { new { id = "depot", text = "Which depot did you first order from?" } },
        });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        await _portal.CreateUserAsync(_tenant, "u1", temporaryPassword: true);

        var check = await (await _portal.CheckPasswordAsync(_tenant, "u1", "Kettle93Moss")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["password_missing_symbol"], check.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await _portal.CompletePasswordChangeAsync(_tenant, "u1", await _portal.PasswordReceiptAsync(_tenant, "u1", GoodPassword))).StatusCode);
        await PortalApi.AssertProblemAsync(await _portal.SetRecoveryQuestionAsync(_tenant, "u1", "first-pet", Answer), HttpStatusCode.BadRequest, "invalid_recovery_question");
        Assert.Equal(HttpStatusCode.OK, (await _portal.SetRecoveryQuestionAsync(_tenant, "u1", "depot", Answer)).StatusCode);

        var weak = await _portal.Http.PutAsJsonAsync($"/api/tenants/{_tenant}/sign-in-policy", new { passwordPolicy = new { minLength = 6 } });
        await PortalApi.AssertProblemAsync(weak, HttpStatusCode.BadRequest, "invalid_password_policy");
    }

    [Fact]
    public async Task RequiredActionEndpoints_BadInput_400WithStableCodeAndNothingChanged()
    {
        await _portal.CreateUserAsync(_tenant, "u1", temporaryPassword: true);
        var tenantBefore = (await _app.Services.GetRequiredService<TableStorage>().Tenants.GetEntityAsync<TableEntity>(_tenant, "")).Value.ETag;
        var userBefore = (await StoredUserAsync("u1")).ETag;
        var users = $"/api/tenants/{_tenant}/users/u1";

        (Func<Task<HttpResponseMessage>> Call, string Code)[] cases =
        [
            (() => _portal.Http.PostAsJsonAsync($"{users}/password-checks", new { }), "invalid_body"),
            (() => _portal.Http.PostAsJsonAsync($"{users}/password-checks", new { password = new string('A', 1025) }), "invalid_request"),
            (() => _portal.Http.PostAsJsonAsync($"{users}/password-changes", new { }), "invalid_body"),
            (() => _portal.Http.PutAsJsonAsync($"{users}/recovery-question", new { questionId = "first-pet" }), "invalid_body"),
            (() => _portal.Http.PutAsJsonAsync($"{users}/recovery-question", new { questionId = "first-pet", answer = "ok\u0000no" }), "invalid_recovery_answer_format"),
            (() => _portal.Http.PutAsJsonAsync($"{users}/recovery-question", new { questionId = "first-pet", answer = new string('z', 101) }), "invalid_recovery_answer_format"),
            (() => _portal.Http.PostAsJsonAsync($"{users}/recovery-answer-checks", new { }), "invalid_body"),
            (() => _portal.Http.PostAsJsonAsync($"{users}/terms-acceptances", new { }), "invalid_body"),
            (() => _portal.Http.PostAsJsonAsync($"/api/tenants/{_tenant}/terms", new { url = "javascript:alert(1)" }), "invalid_terms_url"),
            (() => _portal.Http.PostAsJsonAsync($"/api/tenants/{_tenant}/terms", new { url = "/relative/terms" }), "invalid_terms_url"),
            (() => _portal.Http.PutAsJsonAsync($"/api/tenants/{_tenant}/sign-in-policy", new { }), "invalid_request"),
            (() => _portal.Http.PutAsJsonAsync($"/api/tenants/{_tenant}/sign-in-policy", new { passwordPolicy = new { maxLength = 300 } }), "invalid_password_policy"),
            (() => _portal.Http.PutAsJsonAsync($"/api/tenants/{_tenant}/sign-in-policy", new { recoveryQuestions = Array.Empty<object>() }), "invalid_recovery_questions"),
            (() => _portal.Http.PutAsJsonAsync($"/api/tenants/{_tenant}/sign-in-policy",
                new { recoveryQuestions = new[] { new { id = "q1", text = "A?" }, new { id = "q1", text = "B?" } } }), "invalid_recovery_questions"),
            (() => _portal.Http.PutAsJsonAsync($"/api/tenants/{_tenant}/sign-in-policy",
                new { recoveryQuestions = new[] { new { id = "q/1", text = "A?" } } }), "invalid_recovery_questions"),
        ];
        foreach (var (call, code) in cases)
        {
            await PortalApi.AssertProblemAsync(await call(), HttpStatusCode.BadRequest, code);
        }

        Assert.Equal(userBefore, (await StoredUserAsync("u1")).ETag);
        Assert.Equal(tenantBefore, (await _app.Services.GetRequiredService<TableStorage>().Tenants.GetEntityAsync<TableEntity>(_tenant, "")).Value.ETag);
    }

    /// <summary>A user who has been through the first sign-in: password changed and the recovery question set.</summary>
    private async Task ReadyUserAsync(string userId)
    {
        await _portal.CreateUserAsync(_tenant, userId, temporaryPassword: true);
        Assert.Equal(HttpStatusCode.OK, (await _portal.CompletePasswordChangeAsync(_tenant, userId, await _portal.PasswordReceiptAsync(_tenant, userId, GoodPassword))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _portal.SetRecoveryQuestionAsync(_tenant, userId, "first-school", Answer)).StatusCode);
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string userId, string actor, object? body = null)
    {
        var request = new HttpRequestMessage(method, $"/api/tenants/{_tenant}/users/{userId}/required-actions");
        request.Headers.Add("X-Actor-Id", actor);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return _portal.Http.SendAsync(request);
    }

    private async Task<TableEntity> StoredUserAsync(string userId) =>
        (await _app.Services.GetRequiredService<TableStorage>().Accounts.GetEntityAsync<TableEntity>(_tenant, userId)).Value;

    private async Task<List<AuditEventType>> AuditTypesAsync(string? userId)
    {
        var page = await _app.Services.GetRequiredService<IAuditLog>().ListAsync(_tenant, null, 500, CancellationToken.None);
        return page.Items.Where(e => userId is null || e.UserId == userId).Select(e => e.Type).ToList();
    }
}
