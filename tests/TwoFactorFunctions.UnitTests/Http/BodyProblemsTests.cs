using System.Text.Json;
using System.Text.Json.Serialization;
using TwoFactorFunctions.Api.Http;

namespace TwoFactorFunctions.UnitTests.Http;

public class BodyProblemsTests
{
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
    };

    [Theory]
    [InlineData("""{"name":"a","count":1,"nmae":"typo"}""", "$.nmae", "is not a member")]
    [InlineData("""{"name":"a","count":1,"inner":{"value":"x","extra":1}}""", "$.inner.extra", "is not a member")]
    [InlineData("""{"count":1}""", "$.name", "is required")]
    [InlineData("""{"name":"a","count":1,"inner":{}}""", "$.inner.value", "is required")]
    [InlineData("""{"name":5,"count":1}""", "$.name", "documented type")]
    [InlineData("""{"name":null,"count":1}""", "$.name", "documented type")]
    [InlineData("""{"name":"a","count":"two"}""", "$.count", "documented type")]
    [InlineData("""{"name":"a","count":1,"kind":"Sometimes"}""", "$.kind", "documented type")]
    [InlineData("""{"name":"a","count":1,"kind":1}""", "$.kind", "documented type")]
    [InlineData("""[{"name":"a","count":1}]""", "$", "documented type")]
    [InlineData("""{"name":""", "$.name", "documented type")]
    public void Describe_RefusedBody_NamesTheMember(string json, string member, string reason)
    {
        var refused = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Sample>(json, Strict));

        var (named, detail) = BodyProblems.Describe(refused);

        Assert.Equal(member, named);
        Assert.Contains(reason, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("TwoFactorFunctions", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_NotJsonAtAll_NamesTheWholeBody()
    {
        var refused = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Sample>("not json", Strict));

        Assert.Equal("$", BodyProblems.Describe(refused).Member);
    }

    private enum Kind
    {
        Plain,
        Fancy,
    }

    private sealed record Inner([property: JsonRequired] string Value);

    private sealed record Sample([property: JsonRequired] string Name, [property: JsonRequired] int Count, Kind? Kind = null, Inner? Inner = null);
}
