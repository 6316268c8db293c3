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
        var stored = RecoveryAnswers.Hash("rex the dog");

        Assert.StartsWith($"pbkdf2-sha512${RecoveryAnswers.Iterations}$", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("rex", stored, StringComparison.OrdinalIgnoreCase);
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
