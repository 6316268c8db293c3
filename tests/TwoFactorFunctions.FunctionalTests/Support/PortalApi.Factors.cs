using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using TwoFactorFunctions.Core.Factors;

namespace TwoFactorFunctions.FunctionalTests.Support;

/// <summary>Authenticator apps and recovery codes, as the portal drives them; every secret seen goes to the log scan.</summary>
public sealed partial class PortalApi
{
    /// <summary>What a user keeps after enrolling: the app's secret and the recovery codes shown once.</summary>
    public sealed record Enrolled(byte[] Secret, string OtpAuthUri, string QrCodePng, IReadOnlyList<string> RecoveryCodes);

    public Task<HttpResponseMessage> SendAsUserAsync(HttpMethod method, string tenantId, string userId, string path, string? actor, object? body)
    {
        var request = new HttpRequestMessage(method, $"/api/tenants/{tenantId}/users/{userId}/{path}")
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        if (actor is not null)
        {
            request.Headers.Add("X-Actor-Id", actor);
        }

        return http.SendAsync(request);
    }

    /// <summary>A SelfService challenge the user verified with the code emailed to them: the proof factor changes spend.</summary>
    public async Task<string> ProveSelfAsync(string tenantId, string userId, string email)
    {
        var before = await mail.CountEmailsToAsync(email);
        var start = await SendAsUserAsync(HttpMethod.Post, tenantId, userId, "two-factor/challenges", userId, null);
        Assert.True(start.StatusCode == HttpStatusCode.Created, await start.Content.ReadAsStringAsync());
        var body = await start.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("challengeId").GetString()!;
        if (!body.GetProperty("codeSent").GetBoolean())
        {
            // A user with an app is offered the code only where it may prove something (turning 2FA on): sent on request.
            var sent = await ResendAsync(tenantId, id);
            Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
        }

        var verified = await VerifyAsync(tenantId, id, await ReadNextCodeAsync(email, before));
        Assert.True(verified.StatusCode == HttpStatusCode.OK, await verified.Content.ReadAsStringAsync());
        return id;
    }

    /// <summary>A SelfService challenge the user verified with their authenticator app: the proof once an app is enrolled.</summary>
    public async Task<string> ProveSelfWithAppAsync(string tenantId, string userId, byte[] secret, int steps = 0)
    {
        var start = await SendAsUserAsync(HttpMethod.Post, tenantId, userId, "two-factor/challenges", userId, null);
        Assert.True(start.StatusCode == HttpStatusCode.Created, await start.Content.ReadAsStringAsync());
        var body = await start.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Authenticator", body.GetProperty("preferredFactor").GetString());
        Assert.False(body.GetProperty("codeSent").GetBoolean());
        var id = body.GetProperty("challengeId").GetString()!;
        var verified = await VerifyWithAsync(tenantId, id, "Authenticator", Totp(secret, steps));
        Assert.True(verified.StatusCode == HttpStatusCode.OK, await verified.Content.ReadAsStringAsync());
        return id;
    }

    /// <summary>An AdminStepUp challenge the admin verified with the code emailed to them (the admin pop-up).</summary>
    public async Task<string> StepUpAsync(string tenantId, string adminId, string adminEmail)
    {
        var before = await mail.CountEmailsToAsync(adminEmail);
        var start = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/tenants/{tenantId}/two-factor/step-up") { Headers = { { "X-Actor-Id", adminId } } });
        Assert.True(start.StatusCode == HttpStatusCode.Created, await start.Content.ReadAsStringAsync());
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challengeId").GetString()!;
        var verified = await VerifyAsync(tenantId, id, await ReadNextCodeAsync(adminEmail, before));
        Assert.True(verified.StatusCode == HttpStatusCode.OK, await verified.Content.ReadAsStringAsync());
        return id;
    }

    public Task<HttpResponseMessage> ResetAsync(string tenantId, string userId, string adminId, string? verifiedChallengeId) =>
        SendAsUserAsync(HttpMethod.Post, tenantId, userId, "two-factor/reset", adminId, verifiedChallengeId is null ? null : new { verifiedChallengeId });

    /// <summary>A contact change the way the portal runs it: the proof over the current factor, then the new contact's code.</summary>
    public async Task<HttpResponseMessage> ChangeEmailAsync(string tenantId, string userId, string currentEmail, string newEmail)
    {
        var proof = await ProveSelfAsync(tenantId, userId, currentEmail);
        var start = await SendAsUserAsync(HttpMethod.Post, tenantId, userId, "contact-changes", userId, new { email = newEmail, verifiedChallengeId = proof });
        Assert.True(start.StatusCode == HttpStatusCode.Created, await start.Content.ReadAsStringAsync());
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("challengeId").GetString()!;
        var verified = await VerifyAsync(tenantId, id, await ReadNextCodeAsync(newEmail, 0));
        Assert.True(verified.StatusCode == HttpStatusCode.OK, await verified.Content.ReadAsStringAsync());
        return await SendAsUserAsync(HttpMethod.Post, tenantId, userId, $"contact-changes/{id}/complete", userId, null);
    }

    /// <summary>The code of the first sign-in code email to arrive after <paramref name="before"/> emails to the address.</summary>
    public async Task<string> ReadNextCodeAsync(string email, int before)
    {
        for (var count = before + 1; ; count++)
        {
            var messages = await mail.WaitForEmailsAsync(email, count, TimeSpan.FromSeconds(15));
            if (messages[count - 1].Subject.EndsWith("sign-in code", StringComparison.Ordinal)
                && CodeLine().Match(messages[count - 1].Text ?? "") is { Success: true } m)
            {
                SecretScan.Saw(m.Groups[1].Value);
                return m.Groups[1].Value;
            }
        }
    }

    public async Task<HttpResponseMessage> StartEnrolmentAsync(string tenantId, string userId, string? verifiedChallengeId, string? actor = null)
    {
        var response = await SendAsUserAsync(HttpMethod.Post, tenantId, userId, "authenticator", actor ?? userId, new { verifiedChallengeId });
        var text = await response.Content.ReadAsStringAsync();
        response.Content = new StringContent(text, System.Text.Encoding.UTF8, response.Content.Headers.ContentType?.MediaType ?? "application/json");
        if (response.StatusCode == HttpStatusCode.Created)
        {
            var body = JsonDocument.Parse(text).RootElement;
            SecretScan.SawTotpSecret(body.GetProperty("secret").GetString()!, body.GetProperty("otpAuthUri").GetString());
        }

        return response;
    }

    public async Task<HttpResponseMessage> ConfirmEnrolmentAsync(string tenantId, string userId, string code)
    {
        SecretScan.Saw(code);
        var response = await SendAsUserAsync(HttpMethod.Post, tenantId, userId, "authenticator/confirm", userId, new { code });
        return await NoteRecoveryCodesAsync(response);
    }

    public async Task<HttpResponseMessage> RegenerateRecoveryCodesAsync(string tenantId, string userId, string? verifiedChallengeId) =>
        await NoteRecoveryCodesAsync(await SendAsUserAsync(HttpMethod.Post, tenantId, userId, "recovery-codes", userId, new { verifiedChallengeId }));

    /// <summary>The whole self-service enrolment at the app's current (fake) time: proof, secret from the URI, first code.</summary>
    public async Task<Enrolled> EnrolAuthenticatorAsync(string tenantId, string userId, string email)
    {
        var proof = await ProveSelfAsync(tenantId, userId, email);
        var started = await StartEnrolmentAsync(tenantId, userId, proof);
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var body = await started.Content.ReadFromJsonAsync<JsonElement>();
        var uri = body.GetProperty("otpAuthUri").GetString()!;

        // The app reads the secret out of the URI the QR code carries, as a phone would.
        var secret = SecretFromUri(uri);
        var confirmed = await ConfirmEnrolmentAsync(tenantId, userId, Totp(secret));
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        var codes = (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        return new Enrolled(secret, uri, body.GetProperty("qrCodePng").GetString()!, codes);
    }

    /// <summary>The authenticator app's code at the app's current (fake) time, plus <paramref name="steps"/> steps.</summary>
    public string Totp(byte[] secret, int steps = 0)
    {
        var code = TotpCodes.Compute(secret, factory.Time.GetUtcNow().AddSeconds(TotpCodes.StepSeconds * steps));
        SecretScan.Saw(code);
        return code;
    }

    public Task<HttpResponseMessage> VerifyWithAsync(string tenantId, string challengeId, string factor, string code, bool rememberDevice = false)
    {
        SecretScan.Saw(code);
        return http.PostAsJsonAsync($"/api/tenants/{tenantId}/challenges/{challengeId}/verify", new { code, factor, rememberDevice });
    }

    public static byte[] SecretFromUri(string otpAuthUri)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(otpAuthUri).Query);
        return OtpNet.Base32Encoding.ToBytes(query["secret"]);
    }

    private static async Task<HttpResponseMessage> NoteRecoveryCodesAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.Content = new StringContent(text, System.Text.Encoding.UTF8, response.Content.Headers.ContentType?.MediaType ?? "application/json");
        if (response.IsSuccessStatusCode && JsonDocument.Parse(text).RootElement.TryGetProperty("recoveryCodes", out var codes))
        {
            foreach (var code in codes.EnumerateArray())
            {
                SecretScan.SawRecoveryCode(code.GetString()!);
            }
        }

        return response;
    }

    [GeneratedRegex(@"^\s+(\d{6})\s*$", RegexOptions.Multiline)]
    private static partial Regex CodeLine();
}
