using System.Collections;
using System.ComponentModel.DataAnnotations;

namespace TwoFactorFunctions.Core.Common;

/// <summary>
/// Bounds shared by the options' <c>[Range]</c> attributes. Attribute arguments must be constants, and TimeSpan ranges
/// are written as strings, so "any positive duration" is spelled once here rather than at every property.
/// </summary>
public static class SettingRules
{
    /// <summary>The smallest positive duration a setting may take (tests run the engine with 200 ms delays).</summary>
    public const string Positive = "00:00:00.001";

    public const string Zero = "00:00:00";

    /// <summary><see cref="TimeSpan.MaxValue"/>: no upper bound.</summary>
    public const string Unbounded = "10675199.02:48:05.4775807";
}

/// <summary>
/// A base64 key of at least <see cref="MinBytes"/> bytes, or each of a list of them. Empty or absent passes: whether
/// a key is needed at all is <c>[Required]</c>'s call, so each rule has its own message.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class Base64KeyAttribute(int minBytes) : ValidationAttribute
{
    public int MinBytes { get; } = minBytes;

    public override bool IsValid(object? value) => value switch
    {
        null => true,
        string key => key.Length == 0 || DecodedLength(key) >= MinBytes,
        IEnumerable keys => keys.Cast<object?>().All(k => k is string key && DecodedLength(key) >= MinBytes),
        _ => false,
    };

    /// <summary>How many bytes the base64 value holds; null when it is not base64.</summary>
    public static int? DecodedLength(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var buffer = new byte[(value.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(value, buffer, out var written) ? written : null;
    }
}

/// <summary>
/// <c>[Range]</c> with its <c>ErrorMessage</c> kept. The options source generator swaps <c>RangeAttribute</c> for a
/// generated copy whose message is always "The field TwoFactorOptions.X must be between…" (its ErrorMessage is set
/// but never read, generator 10.0.14), which names the class, not the configuration key; a subclass is used as is.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingRangeAttribute : RangeAttribute
{
    public SettingRangeAttribute(int minimum, int maximum)
        : base(minimum, maximum)
    {
    }

    public SettingRangeAttribute(double minimum, double maximum)
        : base(minimum, maximum)
    {
    }

    public SettingRangeAttribute(Type type, string minimum, string maximum)
        : base(type, minimum, maximum)
    {
    }
}
