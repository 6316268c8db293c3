using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace TwoFactorFunctions.Api.Http;

/// <summary>
/// Refuses bodies over the endpoint's limit before anything reads them. Kestrel enforces the same limit on chunked
/// bodies as they stream; this also covers hosts that do not (the test server, proxies that buffer).
/// </summary>
public sealed class RequestSizeLimits(RequestDelegate next)
{
    /// <summary>Every JSON body of this API is a few hundred bytes; the bulk import opts out explicitly.</summary>
    public const long DefaultLimit = 64 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? DefaultLimit;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        if (limit is { } max && context.Request.ContentLength > max)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await TypedResults.Problem(
                detail: $"The request body is larger than this endpoint accepts ({max} bytes).",
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Body too large",
                type: ApiProblem.TypePrefix + "body_too_large",
                extensions: new Dictionary<string, object?> { ["code"] = "body_too_large" }).ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
