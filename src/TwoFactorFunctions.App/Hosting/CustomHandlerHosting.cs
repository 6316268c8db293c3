namespace TwoFactorFunctions.App.Hosting;

public static class CustomHandlerHosting
{
    /// <summary>Set by the Functions host when it starts this server as its custom handler.</summary>
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static bool IsUnderFunctionsHost(IConfiguration configuration) => !string.IsNullOrEmpty(configuration[PortVariable]);

    /// <summary>Under the Functions host, listen where it says, on loopback only; standalone, the usual --urls apply.</summary>
    public static WebApplicationBuilder AddCustomHandlerHosting(this WebApplicationBuilder builder)
    {
        if (int.TryParse(builder.Configuration[PortVariable], out var port))
        {
            builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        }

        return builder;
    }
}
