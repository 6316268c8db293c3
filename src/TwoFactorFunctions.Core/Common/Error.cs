using System.Diagnostics.CodeAnalysis;

namespace TwoFactorFunctions.Core.Common;

/// <summary>What kind of failure an error is; the HTTP layer maps each kind to one status code.</summary>
public enum ErrorKind
{
    Invalid,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Gone,
    Locked,
    TooManyRequests,
    Unavailable,
}

/// <summary>
/// A domain failure with a stable, documented <see cref="Code"/> that callers can switch on.
/// The <see cref="Detail"/> is for humans and may change; the code may not.
/// </summary>
public sealed record DomainError(ErrorKind Kind, string Code, string Detail)
{
    public TimeSpan? RetryAfter { get; init; }

    public IReadOnlyDictionary<string, object?> Extensions { get; init; } = new Dictionary<string, object?>();

    public DomainError With(string key, object? value) =>
        this with { Extensions = new Dictionary<string, object?>(Extensions) { [key] = value } };
}

/// <summary>Either a value or an <see cref="DomainError"/>; services return this instead of throwing for expected failures.</summary>
public readonly struct Result<T>
{
    private Result(T? value, DomainError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public DomainError? Error { get; }

    /// <summary>Tells the compiler which of the two is set, so callers need no <c>!</c> after checking.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
#pragma warning disable CS8775 // The constructors keep the invariant: a value exactly when there is no error.
    public bool IsSuccess => Error is null;
#pragma warning restore CS8775

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(DomainError error) => new(default, error);
}
