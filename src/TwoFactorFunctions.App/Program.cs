using TwoFactorFunctions.Api.Apis;
using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.Api.Http;
using TwoFactorFunctions.App.DemoPortal;
using TwoFactorFunctions.App.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = RequestSizeLimits.DefaultLimit);
builder.AddTwoFactorServices();
builder.AddStandaloneHosting();

var app = builder.Build();
app.UseDemoPortal();
app.UseTwoFactorApi();

// The benchmark's request counter (off unless Diagnostics:StorageRequestCount is on); the function app does not map it.
app.MapDiagnosticsApi();
app.Run();

public partial class Program;
