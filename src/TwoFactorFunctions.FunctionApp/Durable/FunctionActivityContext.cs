using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace TwoFactorFunctions.FunctionApp.Durable;

/// <summary>What a class-based activity sees of its invocation under the Functions host (the source generator is not used).</summary>
public sealed class FunctionActivityContext(string name, FunctionContext context) : TaskActivityContext
{
    public override TaskName Name { get; } = name;

    public override string InstanceId { get; } =
        context.BindingContext.BindingData.TryGetValue("instanceId", out var id) ? id?.ToString() ?? "" : "";
}
