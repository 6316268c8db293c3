using TwoFactorFunctions.Core.Actions;

namespace TwoFactorFunctions.UnitTests.Actions;

public class RecoveryAnswersTests
{
    [Theory]
    [InlineData("  Rex  the\tDOG ", "rex the dog")]
    [InlineData("ÉCOLE  Saint\u00A0Jean", "école saint jean")]
    public void Normalise_CaseAndSpaces_Folded(string answer, string expected)
    {
        Assert.Equal(expected, RecoveryAnswers.Normalise(answer).Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  a ")]
    [InlineData("rex\u0007")]
    public void Normalise_TooShortOrControlCharacters_InvalidFormat(string answer)
    {
        Assert.Equal("invalid_recovery_answer_format", RecoveryAnswers.Normalise(answer).Error?.Code);
    }

    [Fact]
    public void Normalise_TooLong_InvalidFormat()
    {
        Assert.Equal("invalid_recovery_answer_format", RecoveryAnswers.Normalise(new string('x', 101)).Error?.Code);
    }

    [Fact]
    public void Hash_SameAnswerTwice_DifferentSaltsBothMatch()
    {
        var first = RecoveryAnswers.Hash("rex the dog");
        var second = RecoveryAnswers.Hash("rex the dog");

        Assert.NotEqual(first, second);
        Assert.True(RecoveryAnswers.Matches(first, "rex the dog"));
        Assert.True(RecoveryAnswers.Matches(second, "rex the dog"));
        Assert.False(RecoveryAnswers.Matches(first, "rex the cat"));
    }

    [Fact]
    public void Hash_StoredForm_NamesSchemeAndIterationsNeverTheAnswer()
    {
        const string answer = "rex the dog";
        var stored = RecoveryAnswers.Hash(answer);

        // Not a search for "rex" in the base64 text: three random base64 characters spell it now and then (CI saw one).
        // The answer is neither in the text nor in any of the decoded parts.
        Assert.StartsWith($"pbkdf2-sha512${RecoveryAnswers.Iterations}$", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(answer, stored, StringComparison.OrdinalIgnoreCase);
        var answerBytes = System.Text.Encoding.UTF8.GetBytes(answer);
        Assert.All(stored.Split('$')[2..], part => Assert.True(Convert.FromBase64String(part).AsSpan().IndexOf(answerBytes) < 0));
        Assert.True(RecoveryAnswers.Iterations >= 210_000);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha1$1$AA==$AA==")]
    [InlineData("pbkdf2-sha512$x$AA==$AA==")]
    [InlineData("pbkdf2-sha512$1$not base64$AA==")]
    public void Matches_MalformedStoredValue_False(string? stored)
    {
        Assert.False(RecoveryAnswers.Matches(stored, "rex the dog"));
    }
}
