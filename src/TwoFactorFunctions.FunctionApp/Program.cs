using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using TwoFactorFunctions.Api.Hosting;
using TwoFactorFunctions.FunctionApp.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddTwoFactorServices();
builder.AddFunctionAppTelemetry();
ApiPipeline.Register(builder.Services);
builder.Build().Run();
