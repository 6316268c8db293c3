using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.Core.Enrolment;

namespace TwoFactorFunctions.Api.Hosting;

/// <summary>
/// The API's middleware and endpoints built as one request delegate, for a host that receives requests its own way:
/// an HTTP function of the isolated worker hands its request here, so it runs the very handler, key check and
/// problem details the standalone host runs, routed by the same table.
/// </summary>
public sealed class ApiPipeline
{
    private readonly RequestDelegate _pipeline;

    /// <summary>
    /// Registers the pipeline, and the diagnostic source ASP.NET's routing middleware needs where no web host made
    /// one (the worker's own web host, when present, keeps its instance).
    /// </summary>
    public static IServiceCollection Register(IServiceCollection services)
    {
        services.TryAddSingleton(new DiagnosticListener("Microsoft.AspNetCore"));
        services.TryAddSingleton<DiagnosticSource>(sp => sp.GetRequiredService<DiagnosticListener>());
        services.AddSingleton<ApiPipeline>();
        return services;
    }

    public ApiPipeline(IServiceProvider services)
    {
        var app = new ApplicationBuilder(services);
        app.UseTwoFactorApi();
        _pipeline = app.Build();
    }

    /// <summary>The function's answer: runs the request through the API (setting the invocation's engine first, if any).</summary>
    public IResult Dispatch(IEnrolmentEngine? engine = null) => new Dispatched(_pipeline, engine);

    private sealed class Dispatched(RequestDelegate pipeline, IEnrolmentEngine? engine) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            // The worker routed the request to the function already; the API routes it again by its own table.
            httpContext.SetEndpoint(null);
            httpContext.Request.RouteValues.Clear();
            if (engine is not null)
            {
                httpContext.SetEnrolmentEngine(engine);
            }

            return pipeline(httpContext);
        }
    }
}
