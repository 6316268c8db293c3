using Microsoft.Extensions.DependencyInjection;
using TwoFactorFunctions.Core.Enrolment;
using TwoFactorFunctions.Core.Messaging;
using TwoFactorFunctions.FunctionalTests.Infrastructure;

namespace TwoFactorFunctions.FunctionalTests.Enrolment;

/// <summary>
/// Notices are sent at least once: a send whose sender stops before recording the result is sent again after the
/// claim runs out, as the same message; one that keeps stopping the sender is counted failed and reported to the admin.
/// The app's own process, the Durable Task engine on real Azurite, real SMTP into MailDev. The "death" is an exception
/// escaping the send (the step fails before it records anything, as a killed process would); the SIGKILL itself is
/// <see cref="EnrolmentProcessTests"/>.
/// </summary>
[Collection(ServicesGroup.Name)]
public sealed class NoticeResendTests(TestServices services)
{
    private const string Tenant = "acme";
    private const string Admin = "admin";
    private const int Users = 30;

    private static readonly Dictionary<string, string?> FastClaims = new()
    {
        ["Enrolment:ClaimTimeout"] = "00:00:02",
        ["Notices:MaxAttempts"] = "2",
    };

    [Fact]
    public async Task Notices_SenderDiesAfterHandingOneOver_ResentAfterTheClaimWithTheSameMessageIdAndDateNothingLost()
    {
        DyingSender? dying = null;
        await using var app = new EnrolmentAppFactory(services, FastClaims, s => Decorate(s, inner => dying = new DyingSender(inner, "u000005", handsOverFirst: true, deaths: 1)));
        using var client = app.Api();
        await EnrolmentKit.SeedAsync(app.Tables, Tenant, EnrolmentKit.Company(Users, app.MailDomain));

        var runId = await client.StartRunAsync(Tenant, Admin, new { enabled = true });
        var status = await client.WaitForRunAsync(Tenant, Admin, runId, TimeSpan.FromSeconds(90));

        Assert.Equal(RunStatus.Completed, status.RuntimeStatus);
        var notices = status.CustomStatus.Notices!;
        Assert.Equal((Users, 0L, 0L, 1L, 0L), (notices.Sent, notices.Skipped, notices.Failed, notices.Resent, notices.Pending));
        Assert.Equal(1, dying!.Deaths);
        Assert.Null(status.Output!.NoticeReportSentAt);

        var mail = await NoticesAsync(app);
        Assert.Equal(Users, mail.Select(e => e.To[0].Address).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var victim = mail.Where(e => e.To[0].Address == EnrolmentKit.Address("u000005", app.MailDomain)).ToList();
        Assert.Equal(2, victim.Count);
        Assert.StartsWith($"{runId}.u000005@", victim[0].MessageId, StringComparison.Ordinal);
        Assert.Equal(victim[0].MessageId, victim[1].MessageId);
        Assert.Equal(victim[0].DateHeader, victim[1].DateHeader);
        Assert.All(mail.Where(e => !victim.Contains(e)).GroupBy(e => e.To[0].Address), g => Assert.Single(g));
    }

    [Fact]
    public async Task Notices_SendKeepsKillingTheSender_FailedAfterMaxAttemptsTheRunCompletesAndTheAdminIsTold()
    {
        await using var app = new EnrolmentAppFactory(services, FastClaims, s => Decorate(s, inner => new DyingSender(inner, "u000007", handsOverFirst: false, deaths: int.MaxValue)));
        using var client = app.Api();
        await EnrolmentKit.SeedAsync(app.Tables, Tenant, EnrolmentKit.Company(Users, app.MailDomain));

        var runId = await client.StartRunAsync(Tenant, Admin, new { enabled = true });
        var status = await client.WaitForRunAsync(Tenant, Admin, runId, TimeSpan.FromSeconds(90));

        // Two claims (Notices:MaxAttempts), the second a resend; then failed, and the batch goes on.
        Assert.Equal(RunStatus.Completed, status.RuntimeStatus);
        var notices = status.CustomStatus.Notices!;
        Assert.Equal((Users - 1L, 0L, 1L, 1L, 0L), (notices.Sent, notices.Skipped, notices.Failed, notices.Resent, notices.Pending));
        Assert.Equal(status.CustomStatus.NoticesQueued, notices.Sent + notices.Skipped + notices.Failed + notices.Pending);
        Assert.NotNull(status.Output!.NoticeReportSentAt);

        var mail = await EnrolmentKit.MailToDomainAsync(services.Mail, app.MailDomain);
        Assert.DoesNotContain(mail, e => e.To[0].Address == EnrolmentKit.Address("u000007", app.MailDomain));
        var report = Assert.Single(mail, e => e.Subject.Contains("notices not delivered", StringComparison.Ordinal));
        Assert.Equal(EnrolmentKit.Address(Admin, app.MailDomain), report.To[0].Address);
        Assert.Contains("Not delivered: 1", report.Text, StringComparison.Ordinal);
        Assert.Contains($"Notices sent: {Users - 1}", report.Text, StringComparison.Ordinal);
        Assert.StartsWith($"{runId}.notices@", report.MessageId, StringComparison.Ordinal);
        Assert.Single(mail, e => e.Subject.EndsWith("two-factor authentication enrolment", StringComparison.Ordinal));
    }

    private async Task<List<MailDevEmail>> NoticesAsync(EnrolmentAppFactory app) =>
        (await EnrolmentKit.MailToDomainAsync(services.Mail, app.MailDomain)).Where(e => e.Subject.Contains("is now on", StringComparison.Ordinal)).ToList();

    /// <summary>Puts <paramref name="wrap"/> around the app's own email sender (SMTP, metered), so real mail still flows.</summary>
    private static void Decorate(IServiceCollection services, Func<IEmailSender, IEmailSender> wrap)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IEmailSender));
        services.Remove(registered);
        services.AddSingleton(sp => wrap((IEmailSender)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!))));
    }

    /// <summary>
    /// Stands in for a sender process that dies while sending to one user: the step stops with an exception before it can
    /// record the result, leaving the claim as a killed process leaves it. With <c>handsOverFirst</c> the message reached
    /// the SMTP server before the death (the case a resend duplicates).
    /// </summary>
    private sealed class DyingSender(IEmailSender inner, string userId, bool handsOverFirst, int deaths) : IEmailSender
    {
        private int _deaths;

        public int Deaths => Math.Min(Volatile.Read(ref _deaths), deaths);

        public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            if (message.To.StartsWith(userId + "@", StringComparison.Ordinal) && Interlocked.Increment(ref _deaths) <= deaths)
            {
                if (handsOverFirst)
                {
                    await inner.SendAsync(message, cancellationToken);
                }

                throw new InvalidOperationException("The sender died mid-send.");
            }

            await inner.SendAsync(message, cancellationToken);
        }
    }
}
