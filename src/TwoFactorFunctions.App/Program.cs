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
app.Run();

public partial class Program;
