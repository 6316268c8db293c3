using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.FunctionalTests.Infrastructure;
using TwoFactorFunctions.FunctionalTests.Support;
using TwoFactorFunctions.Infrastructure.Storage;

namespace TwoFactorFunctions.FunctionalTests.Directories;

[Collection(ServicesGroup.Name)]
public sealed class DirectoryTests(TestServices services) : IAsyncLifetime, IDisposable
{
    private readonly TwoFactorAppFactory _app = new(services, "tffdir");
    private PortalApi _portal = null!;
    private string _tenant = "";

    public async Task InitializeAsync()
    {
        _portal = new PortalApi(_app);
        _tenant = PortalApi.NewTenantId("dir");
        await _portal.CreateTenantAsync(_tenant, twoFactorOn: false);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ImportUsers_TenThousandInOneStreamedRequest_AllStored()
    {
        const int count = 10_000;
        var content = new StreamContent(new UserStream(count, i => i % 1000 == 999 ? $$"""{"userId":"bad/{{i}}","displayName":"Bad","email":"x@example.test","role":"User","active":true}""" : null));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await _portal.Http.PostAsync($"/api/tenants/{_tenant}/user-imports", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(count, report.GetProperty("received").GetInt64());
        Assert.Equal(count - 10, report.GetProperty("imported").GetInt64());
        Assert.Equal(10, report.GetProperty("rejected").GetInt64());
        Assert.Equal("invalid_id", report.GetProperty("issues")[0].GetProperty("code").GetString());
        Assert.Equal(999, report.GetProperty("issues")[0].GetProperty("index").GetInt64());

        var storage = _app.Services.GetRequiredService<TableStorage>();
        var stored = 0;
        await foreach (var row in storage.Accounts.QueryAsync<TableEntity>(AccountRows.Profiles(_tenant), select: ["RowKey"]))
        {
            stored += AccountRows.IsProfile(row.RowKey) ? 1 : 0;
        }

        Assert.Equal(count - 10, stored);
        var user = await (await _portal.Http.GetAsync($"/api/tenants/{_tenant}/users/u05000")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("+61412005000", user.GetProperty("phone").GetString());
    }

    [Fact]
    public async Task UpsertUser_InvalidPhone_400AndNothingStored()
    {
        var response = await _portal.Http.PutAsJsonAsync($"/api/tenants/{_tenant}/users/u1", new { displayName = "U", email = "u1@example.test", phone = "+1555", role = "User", active = true });

        await PortalApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_phone");
        await PortalApi.AssertProblemAsync(await _portal.Http.GetAsync($"/api/tenants/{_tenant}/users/u1"), HttpStatusCode.NotFound, "user_not_found");
    }

    [Fact]
    public async Task UpsertUser_NationalNumber_StoredAsE164AndContactsCanBeRemoved()
    {
        await _portal.Http.PutAsJsonAsync($"/api/tenants/{_tenant}/users/u1", new { displayName = "U", email = "u1@example.test", phone = "0412 345 678", role = "User", active = true });
        var withPhone = await (await _portal.Http.GetAsync($"/api/tenants/{_tenant}/users/u1")).Content.ReadFromJsonAsync<JsonElement>();
        await _portal.Http.PutAsJsonAsync($"/api/tenants/{_tenant}/users/u1", new { displayName = "U", email = "u1@example.test", role = "User", active = true });
        var withoutPhone = await (await _portal.Http.GetAsync($"/api/tenants/{_tenant}/users/u1")).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("+61412345678", withPhone.GetProperty("phone").GetString());
        Assert.Equal(JsonValueKind.Null, withoutPhone.GetProperty("phone").ValueKind);
    }

    [Fact]
    public async Task DeleteUser_Existing_GoneAfterwards()
    {
        await _portal.CreateUserAsync(_tenant, "u1");

        Assert.Equal(HttpStatusCode.NoContent, (await _portal.Http.DeleteAsync($"/api/tenants/{_tenant}/users/u1")).StatusCode);

        await PortalApi.AssertProblemAsync(await _portal.Http.GetAsync($"/api/tenants/{_tenant}/users/u1"), HttpStatusCode.NotFound, "user_not_found");
        await PortalApi.AssertProblemAsync(await _portal.Http.DeleteAsync($"/api/tenants/{_tenant}/users/u1"), HttpStatusCode.NotFound, "user_not_found");
    }

    [Fact]
    public async Task UpsertUser_UnknownTenant_404()
    {
        var response = await _portal.Http.PutAsJsonAsync($"/api/tenants/nobody-{Guid.NewGuid():N}/users/u1", new { displayName = "U", email = "u1@example.test", role = "User", active = true });

        await PortalApi.AssertProblemAsync(response, HttpStatusCode.NotFound, "tenant_not_found");
    }

    [Fact]
    public async Task UpsertUser_OversizedBody_413()
    {
        var huge = new StringContent($$"""{"displayName":"{{new string('x', 100_000)}}"}""", Encoding.UTF8, "application/json");

        var response = await _portal.Http.PutAsync($"/api/tenants/{_tenant}/users/u1", huge);

        await PortalApi.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "body_too_large");
    }

    /// <summary>Writes a JSON array of users as it is read, so the request body never exists in memory whole.</summary>
    private sealed class UserStream(int count, Func<int, string?> overrideEntry) : Stream
    {
        private readonly MemoryStream _chunk = new();
        private int _next = -1;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int length)
        {
            while (_chunk.Position == _chunk.Length)
            {
                if (_next > count)
                {
                    return 0;
                }

                _chunk.SetLength(0);
                var text = _next == -1 ? "[" : _next == count ? "]" : (_next > 0 ? "," : "") + Entry(_next);
                _chunk.Write(Encoding.UTF8.GetBytes(text));
                _chunk.Position = 0;
                _next++;
            }

            return _chunk.Read(buffer, offset, length);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int length) => throw new NotSupportedException();

        private string Entry(int i) => overrideEntry(i)
            ?? $$"""{"userId":"u{{i:D5}}","displayName":"User {{i}}","email":"u{{i}}@example.test","phone":"+614120{{i:D5}}","role":"User","active":true}""";
    }
}
