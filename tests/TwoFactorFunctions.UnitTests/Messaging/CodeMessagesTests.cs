using TwoFactorFunctions.Core.Messaging;

namespace TwoFactorFunctions.UnitTests.Messaging;

public class CodeMessagesTests
{
    private readonly CodeMessages _messages = new(new MessagingOptions { ProductName = "Acme Portal", SupportContact = "help@acme.example" });

    [Fact]
    public void Email_Code_InBothBodiesWithLifetimeProductAndContact()
    {
        var email = _messages.Email("mary@example.com", "Mary", "702401", 5, "key");

        Assert.Contains("702401", email.PlainText);
        Assert.Contains("702401", email.Html);
        Assert.Contains("5 minutes", email.PlainText);
        Assert.Contains("Acme Portal", email.Subject);
        Assert.Contains("help@acme.example", email.PlainText);
        Assert.DoesNotContain("702401", email.Subject);
    }

    [Fact]
    public void Email_NameWithMarkup_IsHtmlEncoded()
    {
        var email = _messages.Email("x@example.com", "<script>alert(1)</script>", "123456", 5, "key");

        Assert.DoesNotContain("<script>", email.Html);
        Assert.Contains("&lt;script&gt;", email.Html);
    }

    [Fact]
    public void Voice_Code_ReadsDigitsSeparatelyTwice()
    {
        var voice = _messages.Voice("t-unit", "+13035551212", "702401", "key");

        var spokenDigits = "7, 0, 2, 4, 0, 1";
        Assert.Equal(2, voice.SpokenText.Split(spokenDigits).Length - 1);
    }
}
