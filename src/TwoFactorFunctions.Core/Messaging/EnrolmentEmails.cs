using System.Globalization;
using System.Text;
using TwoFactorFunctions.Core.Common;
using TwoFactorFunctions.Core.Directory;
using TwoFactorFunctions.Core.Enrolment;

namespace TwoFactorFunctions.Core.Messaging;

/// <summary>
/// The words of the messages an enrolment run sends: the per-user notices, the admin's summary and the platform
/// security alert. Every name or address that came from the portal is HTML-encoded in the HTML part.
/// </summary>
public sealed class EnrolmentEmails(MessagingOptions options)
{
    public EmailMessage Notice(NoticeType type, EnrolmentRun run, DirectoryUser user, string idempotencyKey)
    {
        var product = options.ProductName;
        var admin = run.ActorName;
        var channel = CodeMessages.ChannelName(run.Channel);
        var destination = MaskedDestination(run.Channel, user);
        var where = destination is null ? $"by {channel}" : $"by {channel} to {destination}";

        var (subject, heading, paragraphs) = type switch
        {
            NoticeType.Enrolled => (
                $"Two-factor authentication is now on for your {product} account",
                "Two-factor authentication is on",
                new[]
                {
                    $"{admin}, an administrator of your company, has turned on two-factor authentication for your {product} account.",
                    $"From now on, each time you sign in you will also enter a one-time verification code, sent {where}.",
                    $"If that contact is wrong or out of date, ask {admin} to correct it before you next sign in.",
                }),
            NoticeType.TurnedOff => (
                $"Two-factor authentication is now off for your {product} account",
                "Two-factor authentication is off",
                new[]
                {
                    $"{admin}, an administrator of your company, has turned off two-factor authentication for your {product} account.",
                    "You will no longer be asked for a verification code when you sign in, and any devices you chose to remember have been forgotten.",
                    $"If you did not expect this change, tell {admin} or {options.SupportContact} straight away.",
                }),
            NoticeType.ChannelChanged => (
                $"Your {product} verification codes are moving to {channel}",
                "Your verification codes are moving",
                new[]
                {
                    $"{admin}, an administrator of your company, has changed how {product} sends verification codes.",
                    $"From your next sign-in, codes will be sent {where}. The first code you enter there confirms the new channel; remembered devices have been forgotten, so you will be asked for a code on each of them once.",
                    $"If that contact is wrong or out of date, ask {admin} to correct it before you next sign in.",
                }),
            _ => (
                $"You can now turn on two-factor authentication for {product}",
                "Two-factor authentication is available",
                new[]
                {
                    $"{admin}, an administrator of your company, has made two-factor authentication available for your {product} account.",
                    $"Once you turn it on (My Account, User Settings), each sign-in will also ask for a one-time verification code, sent {where}.",
                    "Before you do, check that your email address and phone number are correct; phone numbers need the international format, for example +13035551212.",
                }),
        };

        var contact = string.IsNullOrEmpty(run.ActorEmail) ? admin : $"{admin} at {run.ActorEmail}";
        var questions = $"Questions? Please contact {contact} before reaching out to {product} support.";
        return Compose(user.Email!, user.DisplayName, subject, heading, Greeting(user.DisplayName), paragraphs, questions, idempotencyKey);
    }

    public EmailMessage Summary(EnrolmentRun run, string to, string? adminName, string idempotencyKey)
    {
        var product = options.ProductName;
        var c = run.Counters;
        var (subject, heading, intro, labels) = run.Kind switch
        {
            RunKind.Enrol => (
                $"{product} two-factor authentication enrolment",
                "Two-factor authentication enrolment status",
                $"Thank you for enabling two-factor authentication for all of your {product} user accounts. This is how the enrolment went.",
                ("Enrolment successful", "Enrolment unchanged / no contact / skipped", "Enrolment failed")),
            RunKind.Disable => (
                $"{product} two-factor authentication turned off",
                "Two-factor authentication is off",
                $"You turned off two-factor authentication for your company's {product} accounts. This is what changed.",
                ("Turned off", "Unchanged (did not have it) / skipped", "Failed")),
            RunKind.ChannelChange => (
                $"{product} verification channel changed",
                "Verification channel changed",
                $"Verification codes now go by {CodeMessages.ChannelName(run.Channel)}. Users with two-factor authentication will confirm the new channel at their next sign-in.",
                ("Users told about the change", "Unchanged (no 2FA) / no contact for the new channel / skipped", "Failed")),
            _ => (
                $"{product} two-factor authentication is available to your users",
                "Two-factor authentication opt-in",
                "Two-factor authentication is now available for your users to turn on. We have told each of them how.",
                ("Users invited", "Already using it / no contact / skipped", "Failed")),
        };

        var lines = new[]
        {
            Line("Total users", c.Total),
            Line(labels.Item1, c.Successful),
            $"{labels.Item2}: {c.Unchanged.ToString(CultureInfo.InvariantCulture)} / {c.NotExists.ToString(CultureInfo.InvariantCulture)} / {c.Skipped.ToString(CultureInfo.InvariantCulture)}",
            Line(labels.Item3, c.Failed),
        };

        var paragraphs = new List<string> { intro };
        paragraphs.AddRange(lines);
        if (run.NeedsAlert)
        {
            paragraphs.Add("Some users could not be processed. Our platform security team has been notified and will be in touch to resolve this.");
        }

        if (c.NotExists > 0)
        {
            paragraphs.Add($"Users counted under \"no contact\" have no {CodeMessages.ChannelName(run.Channel)} contact on file, so no code can reach them until one is added.");
        }

        if (run.NoticesQueued > 0)
        {
            paragraphs.Add($"Each affected user is now being sent an email about the change. If any of those emails cannot be delivered, you will receive a second message saying how many.");
        }

        paragraphs.Add($"If you did not make this change and believe someone else has used your account, change your password right away and contact {product} support.");
        return Compose(to, adminName, subject, heading, Greeting(adminName), paragraphs, $"Reference: run {run.RunId}.", idempotencyKey);
    }

    /// <summary>After the notices: how many users the run could not tell about the change (sent only when some failed).</summary>
    public EmailMessage NoticeReport(EnrolmentRun run, NoticeTotals notices, string to, string? adminName, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(notices);
        var product = options.ProductName;
        var missed = notices.Failed + notices.Pending;
        var paragraphs = new List<string>
        {
            $"The emails telling your users about the {product} two-factor change you made have been sent, but some could not be delivered.",
            Line("Notices sent", notices.Sent),
            Line("Not delivered", missed),
            Line("Not needed (user inactive, removed or without an email address)", notices.Skipped),
            "Users who did not get the email are still covered by the change; they will simply meet it at their next sign-in. You may want to tell them another way.",
        };
        return Compose(to, adminName, $"{product} two-factor change: {missed.ToString(CultureInfo.InvariantCulture)} user notices not delivered",
            "Some user notices were not delivered", Greeting(adminName), paragraphs, $"Reference: run {run.RunId}.", idempotencyKey);
    }

    public EmailMessage Alert(EnrolmentRun run, string to, string idempotencyKey)
    {
        var c = run.Counters;
        var paragraphs = new List<string>
        {
            $"Enrolment run {run.RunId} ({run.Kind}) of tenant {run.TenantId}, started by admin {run.ActorId}, finished with problems.",
            Line("Total users", c.Total),
            Line("Successful", c.Successful),
            $"Unchanged / no contact / skipped: {c.Unchanged.ToString(CultureInfo.InvariantCulture)} / {c.NotExists.ToString(CultureInfo.InvariantCulture)} / {c.Skipped.ToString(CultureInfo.InvariantCulture)}",
            Line("Failed", c.Failed),
        };
        if (run.PlanError is not null)
        {
            paragraphs.Add($"Planning stopped early: {run.PlanError} Users after the last planned batch were not visited.");
        }

        paragraphs.Add("The company administrator was told that the platform security team will be in touch.");
        return Compose(to, null, $"[{options.ProductName}] Enrolment failures for tenant {run.TenantId}", "Enrolment run with failures",
            "Hello,", paragraphs, $"Run {run.RunId}.", idempotencyKey);
    }

    public static string? MaskedDestination(Channel channel, DirectoryUser user) => channel switch
    {
        Channel.Email => user.Email is { } email ? Masking.Email(email) : null,
        _ => user.Phone is { } phone ? Common.PhoneNumberRules.Mask(phone) : null,
    };

    private static string Greeting(string? name) => string.IsNullOrWhiteSpace(name) ? "Hello," : $"Hello {name},";

    private static string Line(string label, long value) => $"{label}: {value.ToString(CultureInfo.InvariantCulture)}";

    private static EmailMessage Compose(string to, string? toName, string subject, string heading, string greeting,
        IEnumerable<string> paragraphs, string footer, string idempotencyKey)
    {
        var body = paragraphs.ToList();
        var text = new StringBuilder().AppendLine(greeting).AppendLine();
        foreach (var p in body)
        {
            text.AppendLine(p).AppendLine();
        }

        text.AppendLine(footer).AppendLine().AppendLine("This message was sent automatically; replies are not read.");

        var html = new StringBuilder()
            .AppendLine("<!DOCTYPE html>")
            .AppendLine("<html><body style=\"font-family:Segoe UI,Arial,sans-serif;color:#222\">")
            .AppendLine(CultureInfo.InvariantCulture, $"<h2>{CodeMessages.Enc(heading)}</h2>")
            .AppendLine(CultureInfo.InvariantCulture, $"<p>{CodeMessages.Enc(greeting)}</p>");
        foreach (var p in body)
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"<p>{CodeMessages.Enc(p)}</p>");
        }

        html.AppendLine(CultureInfo.InvariantCulture, $"<p>{CodeMessages.Enc(footer)}</p>")
            .AppendLine("<p style=\"color:#777;font-size:12px\">This message was sent automatically; replies are not read.</p>")
            .AppendLine("</body></html>");
        return new EmailMessage(to, string.IsNullOrWhiteSpace(toName) ? null : toName, subject, text.ToString(), html.ToString(), idempotencyKey);
    }
}
