using Microsoft.AspNetCore.Http.HttpResults;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Actions;

namespace TwoFactorFunctions.Api.Handlers;

/// <summary>
/// PUT <see cref="RequiredActionsApi.Routes.SignInPolicy"/> — the portal's operator sets the password policy (omitted rules take the
/// defaults), the recovery questions, or both; what is not given stays.
/// </summary>
public static class UpdateSignInPolicy
{
    public sealed record PasswordPolicyBody(int? MinLength, int? MaxLength, bool? RequireLowercase, bool? RequireUppercase, bool? RequireDigit,
        bool? RequireSymbol, bool? DisallowUserNameParts, bool? DisallowCommon)
    {
        public PasswordPolicy ToPolicy()
        {
            var d = PasswordPolicy.Default;
            return new PasswordPolicy
            {
                MinLength = MinLength ?? d.MinLength,
                MaxLength = MaxLength ?? d.MaxLength,
                RequireLowercase = RequireLowercase ?? d.RequireLowercase,
                RequireUppercase = RequireUppercase ?? d.RequireUppercase,
                RequireDigit = RequireDigit ?? d.RequireDigit,
                RequireSymbol = RequireSymbol ?? d.RequireSymbol,
                DisallowUserNameParts = DisallowUserNameParts ?? d.DisallowUserNameParts,
                DisallowCommon = DisallowCommon ?? d.DisallowCommon,
            };
        }
    }

    public sealed record QuestionBody(string? Id, string? Text);

    public sealed record Body(PasswordPolicyBody? PasswordPolicy, QuestionBody[]? RecoveryQuestions);

    public static async Task<Results<Ok<SignInPolicy>, ProblemHttpResult>> HandleAsync(
        string tenantId, Body body, SignInPolicyService policies, HttpContext context, CancellationToken cancellationToken)
    {
        var questions = body.RecoveryQuestions?.Select(q => new RecoveryQuestion(q?.Id ?? "", q?.Text?.Trim() ?? "")).ToArray();
        var result = await policies.UpdateAsync(tenantId, body.PasswordPolicy?.ToPolicy(), questions, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblem.From(result.Error, context);
    }
}
