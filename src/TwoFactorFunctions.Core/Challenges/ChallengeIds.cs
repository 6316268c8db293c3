using System.Diagnostics.CodeAnalysis;
using TwoFactorFunctions.Core.Common;

namespace TwoFactorFunctions.Core.Challenges;

/// <summary>
/// A challenge id is <c>{random}.{userId}</c>: 128 random bits, so it cannot be guessed or enumerated, followed by the
/// user it was issued to. Naming the user lets a verify read the user's profile, account guard and challenge with one
/// query (they are stored side by side), instead of reading the challenge first to learn whose it is. The user id is
/// not a secret: whoever holds the challenge id is the portal or the browser signing that user in.
/// </summary>
public static class ChallengeIds
{
    private const int TokenLength = 22;

    /// <summary>The longest challenge id: the token, the dot and the longest user id.</summary>
    public const int MaxLength = TokenLength + 1 + Ids.MaxLength;

    public static string New(string userId) => $"{Ids.NewId()}.{userId}";

    /// <summary>Could be a challenge id (the characters and length of a table key); whether it names a user is <see cref="TryGetUserId"/>'s answer.</summary>
    public static bool IsValid([NotNullWhen(true)] string? challengeId) =>
        challengeId is { Length: > 0 and <= MaxLength }
        && (challengeId.Length <= Ids.MaxLength
            ? Ids.IsValid(challengeId)
            : Ids.IsValid(challengeId[..(TokenLength + 1)]) && Ids.IsValid(challengeId[(TokenLength + 1)..]));

    public static DomainError? Validate(string? challengeId, string name) => IsValid(challengeId)
        ? null
        : new DomainError(ErrorKind.Invalid, "invalid_id",
            $"'{name}' must be 1-{MaxLength} characters of letters, digits and - _ . @ + ~.");

    /// <summary>The user a challenge id was issued to; false for an id this service never issued (it is then not found).</summary>
    public static bool TryGetUserId(string challengeId, [NotNullWhen(true)] out string? userId)
    {
        userId = challengeId.Length > TokenLength + 1 && challengeId[TokenLength] == '.' && Ids.IsValid(challengeId[(TokenLength + 1)..])
            ? challengeId[(TokenLength + 1)..]
            : null;
        return userId is not null;
    }
}
