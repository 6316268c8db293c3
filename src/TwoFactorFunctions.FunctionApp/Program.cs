using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using TwoFactorFunctions.Api.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddTwoFactorServices();
ApiPipeline.Register(builder.Services);
builder.Build().Run();
