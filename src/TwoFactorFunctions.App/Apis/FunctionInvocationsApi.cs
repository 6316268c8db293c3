using Microsoft.AspNetCore.Mvc;
using TwoFactorFunctions.App.Functions;
using TwoFactorFunctions.App.Hosting;
using TwoFactorFunctions.App.Http;
using TwoFactorFunctions.Infrastructure.Queues;

namespace TwoFactorFunctions.App.Apis;

/// <summary>
/// The custom-handler invocation endpoints: the Functions host POSTs each non-HTTP trigger to <c>/{FunctionName}</c>.
/// Only registered functions get a route. Under the host they take no key (the host calls on loopback, where the
/// handler alone listens, and sends none); standalone they need a function key like any other endpoint, so a queue
/// message or a cleanup can be pushed by hand but not by anyone.
/// </summary>
public static class FunctionInvocationsApi
{
    public const string QueueTrigger = "queueTrigger";
    public const string TimerTrigger = "timerTrigger";

    /// <summary>A queue message is at most 64 KiB; JSON escaping and metadata can grow it, so allow well above that.</summary>
    public const long InvocationBodyLimit = 1024 * 1024;

    public static WebApplication MapFunctionInvocations(this WebApplication app)
    {
        var underHost = CustomHandlerHosting.IsUnderFunctionsHost(app.Configuration);

        string[] queueFunctions;
        using (var scope = app.Services.CreateScope())
        {
            queueFunctions = scope.ServiceProvider.GetServices<IQueueHandler>().Select(h => h.FunctionName).Distinct(StringComparer.Ordinal).ToArray();
        }

        foreach (var name in queueFunctions)
        {
            Configure(app.MapPost("/" + name,
                (HttpContext context, IEnumerable<IQueueHandler> handlers, ILoggerFactory loggers, CancellationToken cancellationToken) =>
                    QueueFunction.HandleAsync(name, context, handlers, loggers, cancellationToken)), name, QueueTrigger, underHost);
        }

        Configure(app.MapPost("/" + nameof(CleanupExpired), CleanupExpired.HandleAsync), nameof(CleanupExpired), TimerTrigger, underHost);
        return app;
    }

    private static void Configure(RouteHandlerBuilder endpoint, string functionName, string trigger, bool underHost)
    {
        endpoint
            .WithMetadata(new FunctionInvocationMetadata(functionName, trigger), new RequestSizeLimitAttribute(InvocationBodyLimit))
            .WithTags("Function invocations")
            .ExcludeFromDescription();
        if (underHost)
        {
            endpoint.AllowAnonymous();
        }
    }
}
