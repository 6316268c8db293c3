using TwoFactorFunctions.Core.Enrolment;

namespace TwoFactorFunctions.Api.Http;

/// <summary>
/// Which engine runs a request's enrolment orchestrations. Standalone it is a service (the Durable Task Framework's
/// client); under the Functions host it exists per invocation (the function's <c>[DurableClient]</c> binding), so the
/// function sets it on the request as a feature before the handler runs.
/// </summary>
public static class EnrolmentEngineFeature
{
    public static void SetEnrolmentEngine(this HttpContext context, IEnrolmentEngine engine)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Features.Set(engine);
    }

    public static IEnrolmentEngine EnrolmentEngine(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<IEnrolmentEngine>() ?? context.RequestServices.GetRequiredService<IEnrolmentEngine>();
    }
}
