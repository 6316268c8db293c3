using TwoFactorFunctions.Core.Enrolment;

namespace TwoFactorFunctions.Workflows.Enrolment;

/// <summary>The names and types both hosts register, and the instance id a run's orchestration gets.</summary>
public static class EnrolmentWorkflow
{
    public const string Orchestrator = nameof(EnrolmentOrchestrator);

    /// <summary>Every activity of the orchestration, registered under its class name.</summary>
    public static readonly IReadOnlyList<Type> Activities =
        [typeof(ListEnrolmentPage), typeof(ProcessEnrolmentBatch), typeof(SendEnrolmentNotices), typeof(SendEnrolmentSummary),
            typeof(SendEnrolmentNoticeReport)];

    /// <summary>
    /// Derived from the tenant and the run, so starting a run again (after a crash between the settings write and the
    /// start) finds the same instance instead of creating a second one. Ids are validated to letters, digits and
    /// <c>- _ . @ + ~</c>, so ':' cannot occur inside either part.
    /// </summary>
    public static string InstanceId(string tenantId, string runId) => $"enrolment:{tenantId}:{runId}";

    /// <summary>
    /// The orchestration's first state. The admin's name and address stay in the run row (where the emails read them):
    /// orchestration inputs end up in the task hub's history, which should hold ids and counts only.
    /// </summary>
    public static EnrolmentState Start(EnrolmentRun run, EnrolmentPlan plan) => new()
    {
        Run = run with { Version = null, ActorName = "", ActorEmail = null },
        Plan = plan,
    };
}
