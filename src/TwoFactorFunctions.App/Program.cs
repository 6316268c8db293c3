using TwoFactorFunctions.App.Apis;
using TwoFactorFunctions.App.Hosting;
using TwoFactorFunctions.App.Http;

var builder = WebApplication.CreateBuilder(args);
builder.AddCustomHandlerHosting();
builder.AddTwoFactorServices();
builder.AddFunctionsHosting();
builder.AddEnrolment();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRouting();
app.UseMiddleware<RequestSizeLimits>();
app.UseMiddleware<FunctionKeyMiddleware>();
app.UseMiddleware<StorageReadiness>();

app.MapOpenApi().AllowAnonymous();
app.MapHealthApi();
app.MapDirectoryApi();
app.MapChallengesApi();
app.MapDevicesApi();
app.MapAccountsApi();
app.MapAuditApi();
app.MapAcsCallbacksApi();
app.MapDevOutboxApi();
app.MapTwoFactorSettingsApi();
app.MapFunctionInvocations();

app.Run();

public partial class Program;
