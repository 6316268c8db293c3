using System.Text.Json;
using System.Text.Json.Serialization;

namespace TwoFactorFunctions.Infrastructure.Storage;

/// <summary>How the enrolment JSON columns are written: web casing, enums by name.</summary>
public static class EnrolmentJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
