using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Storage;
using TwoFactorFunctions.FunctionalTests.Infrastructure;

namespace TwoFactorFunctions.FunctionalTests.Support;

/// <summary>What the portal's server does, as HTTP calls; plus reading codes out of the real emails.</summary>
public sealed partial class PortalApi(TwoFactorAppFactory factory)
{
    private readonly HttpClient http = factory.CreatePortalClient();
    private readonly MailDevClient mail = factory.Infra.Mail;

    public HttpClient Http => http;

    public static string NewTenantId(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 33)];

    public async Task CreateTenantAsync(string tenantId, bool twoFactorOn = true)
    {
        var response = await http.PutAsJsonAsync($"/api/tenants/{tenantId}", new { displayName = "Acme " + tenantId, defaultRegion = "AU" });
        response.EnsureSuccessStatusCode();
        if (twoFactorOn)
        {
            await SetPolicyAsync(tenantId, t => t with { TwoFactorEnabled = true });
        }
    }

    public async Task<string> CreateUserAsync(string tenantId, string userId, string? email = null, string? phone = null, string role = "User", bool active = true,
        bool temporaryPassword = false)
    {
        email ??= $"{userId}.{tenantId}@example.test".ToLowerInvariant();
        var response = await http.PutAsJsonAsync($"/api/tenants/{tenantId}/users/{userId}", new { displayName = $"User {userId}", email, phone, role, active, temporaryPassword });
        response.EnsureSuccessStatusCode();
        return email;
    }

    /// <summary>Changes the tenant's stored policy directly (test set-up; the settings API has its own tests).</summary>
    public async Task SetPolicyAsync(string tenantId, Func<Tenant, Tenant> change)
    {
        var store = factory.Services.GetRequiredService<ITenantStore>();
        var tenant = await store.GetAsync(tenantId, CancellationToken.None) ?? throw new InvalidOperationException("No tenant " + tenantId);
        Assert.True(await store.TryReplaceAsync(change(tenant), CancellationToken.None));
    }

    public Task<HttpResponseMessage> CreateChallengeAsync(string tenantId, string userId, string? deviceToken = null, string send = "auto") =>
        http.PostAsJsonAsync($"/api/tenants/{tenantId}/challenges", new { userId, deviceToken, send });

    public async Task<string> CreateChallengeIdAsync(string tenantId, string userId)
    {
        var response = await CreateChallengeAsync(tenantId, userId);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("challenge").GetProperty("challengeId").GetString()!;
    }

    public async Task<HttpResponseMessage> VerifyAsync(string tenantId, string challengeId, string code, bool rememberDevice = false)
    {
        var response = await http.PostAsJsonAsync($"/api/tenants/{tenantId}/challenges/{challengeId}/verify", new { code, rememberDevice });
        if (rememberDevice && response.IsSuccessStatusCode)
        {
            // Re-wrapped so the caller can still read the body after the token is noted here.
            var text = await response.Content.ReadAsStringAsync();
            response.Content = new StringContent(text, System.Text.Encoding.UTF8, "application/json");
            var token = JsonDocument.Parse(text).RootElement.GetProperty("deviceToken");
            if (token.ValueKind == JsonValueKind.String)
            {
                SecretScan.Saw(token.GetString());
                SecretScan.Saw(token.GetString()!.Split('.')[1]);
            }
        }

        return response;
    }

    public Task<HttpResponseMessage> ResendAsync(string tenantId, string challengeId) =>
        http.PostAsync($"/api/tenants/{tenantId}/challenges/{challengeId}/send", null);

    /// <summary>The portal's password-policy check; the password and any receipt are noted for the log scan.</summary>
    public async Task<HttpResponseMessage> CheckPasswordAsync(string tenantId, string userId, string password)
    {
        SecretScan.SawPasswordOrAnswer(password);
        var response = await http.PostAsJsonAsync($"/api/tenants/{tenantId}/users/{userId}/password-checks", new { password });
        var text = await response.Content.ReadAsStringAsync();
        response.Content = new StringContent(text, System.Text.Encoding.UTF8, response.Content.Headers.ContentType?.MediaType ?? "application/json");
        if (response.IsSuccessStatusCode && JsonDocument.Parse(text).RootElement.TryGetProperty("receipt", out var receipt) && receipt.ValueKind == JsonValueKind.String)
        {
            SecretScan.Saw(receipt.GetString());
        }

        return response;
    }

    /// <summary>Checks a password that must pass, and returns its receipt.</summary>
    public async Task<string> PasswordReceiptAsync(string tenantId, string userId, string password)
    {
        var response = await CheckPasswordAsync(tenantId, userId, password);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("accepted").GetBoolean(), body.ToString());
        return body.GetProperty("receipt").GetString()!;
    }

    public Task<HttpResponseMessage> CompletePasswordChangeAsync(string tenantId, string userId, string receipt) =>
        http.PostAsJsonAsync($"/api/tenants/{tenantId}/users/{userId}/password-changes", new { receipt });

    public Task<HttpResponseMessage> SetRecoveryQuestionAsync(string tenantId, string userId, string questionId, string answer)
    {
        SecretScan.SawPasswordOrAnswer(answer);
        return http.PutAsJsonAsync($"/api/tenants/{tenantId}/users/{userId}/recovery-question", new { questionId, answer });
    }

    public Task<HttpResponseMessage> CheckRecoveryAnswerAsync(string tenantId, string userId, string answer)
    {
        SecretScan.SawPasswordOrAnswer(answer);
        return http.PostAsJsonAsync($"/api/tenants/{tenantId}/users/{userId}/recovery-answer-checks", new { answer });
    }

    public Task<HttpResponseMessage> AcceptTermsAsync(string tenantId, string userId, int version) =>
        http.PostAsJsonAsync($"/api/tenants/{tenantId}/users/{userId}/terms-acceptances", new { version });

    public async Task<int> PublishTermsAsync(string tenantId, string url = "https://portal.example/terms")
    {
        var response = await http.PostAsJsonAsync($"/api/tenants/{tenantId}/terms", new { url });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32();
    }

    /// <summary>The tenant's two-factor settings changed by <paramref name="adminId"/> (PUT …/two-factor).</summary>
    public Task<HttpResponseMessage> UpdateSettingsAsync(string tenantId, string adminId, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/tenants/{tenantId}/two-factor") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Actor-Id", adminId);
        return http.SendAsync(request);
    }

    /// <summary>The types of the tenant's last 100 audit events, newest first, as <paramref name="adminId"/> reads them.</summary>
    public async Task<List<string>> AuditTypesAsync(string tenantId, string adminId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/tenants/{tenantId}/audit?pageSize=100");
        request.Headers.Add("X-Actor-Id", adminId);
        var page = await (await http.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        return page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()!).ToList();
    }

    /// <summary>The sign-in decision as JSON (status code checked by the caller through <c>required</c>).</summary>
    public async Task<JsonElement> SignInAsync(string tenantId, string userId)
    {
        var response = await CreateChallengeAsync(tenantId, userId);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static string[] Actions(JsonElement element, string property = "requiredActions") =>
        element.GetProperty(property).EnumerateArray().Select(a => a.GetString()!).ToArray();

    /// <summary>Waits for the n-th code email to <paramref name="email"/> and reads the code out of its text.</summary>
    public async Task<string> ReadCodeAsync(string email, int nth = 1)
    {
        var messages = await mail.WaitForEmailsAsync(email, nth, TimeSpan.FromSeconds(15));
        var text = messages[nth - 1].Text ?? "";
        var code = SixDigits().Match(text) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No code in the email: " + text);
        SecretScan.Saw(code);
        return code;
    }

    /// <summary>Messages <paramref name="tenantId"/> sent to a phone, from the Development outbox, newest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> OutboxAsync(string tenantId, string phone) =>
        (await http.GetFromJsonAsync<JsonElement>($"/api/tenants/{tenantId}/dev/outbox/{Uri.EscapeDataString(phone)}")).EnumerateArray().ToList();

    /// <summary>The code in the tenant's newest outbox message to <paramref name="phone"/>; voice calls read it digit by digit.</summary>
    public async Task<string> ReadPhoneCodeAsync(string tenantId, string phone)
    {
        var newest = (await OutboxAsync(tenantId, phone))[0].GetProperty("text").GetString()!;
        var digits = new string(SpokenCode().Match(newest).Value.Where(char.IsAsciiDigit).ToArray());
        var code = digits.Length >= 6 ? digits[..6] : throw new InvalidOperationException("No code in: " + newest);
        SecretScan.Saw(code);
        return code;
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    [GeneratedRegex(@"\d(?:[ ,]*\d){5}")]
    private static partial Regex SpokenCode();

    [GeneratedRegex(@"\b(\d{6})\b")]
    private static partial Regex SixDigits();
}
