using System.Text.Json;
using TwoFactorFunctions.Infrastructure.Communication;

namespace TwoFactorFunctions.UnitTests.Communication;

public class AcsCallEventTests
{
    [Fact]
    public void Parse_CloudEventArray_ReadsTypeConnectionAndContext()
    {
        using var doc = JsonDocument.Parse("""
            [{"id":"1","source":"calling/callConnections/cc-1","type":"Microsoft.Communication.CallConnected",
              "data":{"callConnectionId":"cc-1","serverCallId":"s","correlationId":"c","operationContext":"0123456789abcdef0123456789abcdef"},
              "time":"2026-03-04T05:06:07Z","specversion":"1.0","datacontenttype":"application/json","subject":"calling/callConnections/cc-1"},
             {"id":"2","type":"Microsoft.Communication.PlayCompleted","data":{"callConnectionId":"cc-1","resultInformation":{"code":200}}}]
            """);

        var events = AcsCallEvent.Parse(doc.RootElement);

        Assert.Equal(2, events.Count);
        Assert.Equal(new AcsCallEvent("CallConnected", "cc-1", "0123456789abcdef0123456789abcdef"), events[0]);
        Assert.Equal(new AcsCallEvent("PlayCompleted", "cc-1", null), events[1]);
    }

    [Fact]
    public void Parse_EventWithoutType_ThrowsJsonException()
    {
        using var doc = JsonDocument.Parse("""[{"data":{}}]""");

        Assert.Throws<JsonException>(() => AcsCallEvent.Parse(doc.RootElement));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF", false)]
    [InlineData("../../etc", false)]
    [InlineData("", false)]
    public void PendingCallStore_IsValidId_OnlyOurHexIds(string id, bool valid)
    {
        Assert.Equal(valid, PendingCallStore.IsValidId(id));
    }
}
