using System.Net.Sockets;
using Azure;
using Azure.Data.Tables;
using MailKit.Security;
using MimeKit;
using SmtpClient = MailKit.Net.Smtp.SmtpClient;

namespace TwoFactorFunctions.FunctionalTests.Infrastructure;

/// <summary>Proves the real services behind the functional tests start, answer and restart.</summary>
[Collection(ServicesGroup.Name)]
public sealed class InfrastructureTests(TestServices services)
{
    private static readonly TimeSpan mailTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task UpsertEntity_OnFixtureAzurite_ReadsBackSameValues()
    {
        var table = await CreateTableAsync(services.Azurite);
        var stored = new TableEntity("partition", "row") { ["Marker"] = UniqueMarker() };

        await table.UpsertEntityAsync(stored);
        var read = await table.GetEntityAsync<TableEntity>("partition", "row");

        Assert.Equal(stored["Marker"], read.Value["Marker"]);
    }

    [Fact]
    public async Task SendMail_ToFixtureMailDev_ArrivesWithSentMarker()
    {
        var to = UniqueAddress();
        var marker = UniqueMarker();
        var message = new MimeMessage
        {
            Subject = $"Infrastructure check {marker}",
            Body = new BodyBuilder { TextBody = $"text {marker}", HtmlBody = $"<p>html {marker}</p>" }.ToMessageBody(),
        };
        message.From.Add(new MailboxAddress("Sender", "sender@example.test"));
        message.To.Add(new MailboxAddress("Recipient", to));

        await SendAsync(services.MailDev, message);
        var received = await services.Mail.WaitForEmailAsync(to, e => e.Subject.Contains(marker, StringComparison.Ordinal), mailTimeout);

        Assert.Contains(marker, received.Text, StringComparison.Ordinal);
        Assert.Contains(marker, received.Html, StringComparison.Ordinal);
        Assert.Equal("sender@example.test", received.From.Address);
        Assert.Equal(new MailDevAddress(to, "Recipient"), Assert.Single(received.To));
        Assert.Equal(1, await services.Mail.CountEmailsToAsync(to));
    }

    [Fact]
    public async Task WaitForEmail_NothingSentToAddress_ThrowsTimeout()
    {
        var to = UniqueAddress();

        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => services.Mail.WaitForEmailAsync(to, predicate: null, TimeSpan.FromMilliseconds(500)));

        Assert.Contains(to, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopThenStart_InMemoryAzurite_AnswersAgainOnSamePortsWithoutData()
    {
        // A private instance: restarting the in-memory fixture instance would wipe data other tests rely on.
        using var azurite = await AzuriteProcess.StartNewAsync();
        var endpoint = azurite.TableEndpoint;
        var table = await CreateTableAsync(azurite);

        azurite.Stop();
        Assert.False(azurite.IsRunning);
        Assert.False(await AcceptsConnectionsAsync(azurite.TablePort));

        await azurite.StartAsync();

        Assert.Equal(endpoint, azurite.TableEndpoint);
        var tables = new TableServiceClient(azurite.ConnectionString).QueryAsync(t => t.Name == table.Name);
        Assert.Empty(await tables.ToListAsync());
    }

    [Fact]
    public async Task StopThenStart_AzuriteKeepingData_ServesDataWrittenBeforeStop()
    {
        using var azurite = await AzuriteProcess.StartNewAsync(keepDataAcrossRestarts: true);
        var table = await CreateTableAsync(azurite);
        await table.UpsertEntityAsync(new TableEntity("partition", "row") { ["Marker"] = "before outage" });

        azurite.Stop();
        await azurite.StartAsync();

        var read = await table.GetEntityAsync<TableEntity>("partition", "row");
        Assert.Equal("before outage", read.Value["Marker"]);
    }

    [Fact]
    public async Task Dispose_RunningAzurite_ReleasesItsPorts()
    {
        var azurite = await AzuriteProcess.StartNewAsync();
        int[] ports = [azurite.BlobPort, azurite.QueuePort, azurite.TablePort];

        azurite.Dispose();

        foreach (var port in ports)
        {
            Assert.False(await AcceptsConnectionsAsync(port), $"port {port} still accepts connections");
        }
    }

    [Fact]
    public async Task Start_AzuriteOnPortZero_ReportsThreeDistinctPortsThatAnswer()
    {
        using var azurite = await AzuriteProcess.StartNewAsync();
        int[] ports = [azurite.BlobPort, azurite.QueuePort, azurite.TablePort];

        Assert.Equal(3, ports.Distinct().Count());
        foreach (var port in ports)
        {
            Assert.True(await AcceptsConnectionsAsync(port), $"port {port} does not accept connections");
        }

        // The table endpoint is the one Azurite reported for the table service, not just any of the three.
        await CreateTableAsync(azurite);
    }

    [Fact]
    public async Task Start_MailDevPortTaken_RetriesOnOtherPorts()
    {
        // What loses the race on a busy machine: a port chosen as free is someone else's by the time MailDev starts.
        // (Taken after the check before the start, MailDev itself exits with EADDRINUSE, which ends the same way.)
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        var offered = new List<(int Smtp, int Web)>();
        using var mailDev = await MailDevProcess.StartNewAsync(new MailDevProcess(() =>
        {
            var free = FreePorts();
            offered.Add(offered.Count == 0 ? (taken, free.Web) : free);
            return offered[^1];
        }));

        Assert.Equal(2, offered.Count);
        Assert.Equal(offered[1], (mailDev.SmtpPort, mailDev.WebPort));
        Assert.True(await AcceptsConnectionsAsync(mailDev.SmtpPort));
        Assert.Empty(await mailDev.Client.GetAllAsync());
    }

    [Fact]
    public async Task Start_MailDevPortAlwaysTaken_GivesUpWithPortInUse()
    {
        // A listening squatter: the check before each start already sees it, so no MailDev is started in vain.
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        var attempts = 0;

        await Assert.ThrowsAsync<PortInUseException>(() => MailDevProcess.StartNewAsync(new MailDevProcess(() =>
        {
            attempts++;
            return (taken, FreePorts().Web);
        })));

        Assert.Equal(5, attempts);
    }

    private static (int Smtp, int Web) FreePorts()
    {
        using var a = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        using var b = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        a.Start();
        b.Start();
        return (((System.Net.IPEndPoint)a.LocalEndpoint).Port, ((System.Net.IPEndPoint)b.LocalEndpoint).Port);
    }

    private static async Task<TableClient> CreateTableAsync(AzuriteProcess azurite)
    {
        // Table names must start with a letter and be alphanumeric.
        var table = new TableClient(azurite.ConnectionString, "infra" + Guid.NewGuid().ToString("N"));
        await table.CreateAsync();
        return table;
    }

    private static async Task SendAsync(MailDevProcess mailDev, MimeMessage message)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(MailDevProcess.Host, mailDev.SmtpPort, SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(quit: true);
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(AzuriteProcess.Host, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string UniqueMarker() => Guid.NewGuid().ToString("N");

    private static string UniqueAddress() => $"{UniqueMarker()}@example.test";
}

file static class AsyncPageableExtensions
{
    public static async Task<List<T>> ToListAsync<T>(this AsyncPageable<T> pages)
        where T : notnull
    {
        var items = new List<T>();
        await foreach (var item in pages)
        {
            items.Add(item);
        }

        return items;
    }
}
