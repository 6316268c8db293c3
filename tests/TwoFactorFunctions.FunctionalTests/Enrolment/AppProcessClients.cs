namespace TwoFactorFunctions.FunctionalTests.Enrolment;

/// <summary>The functional tests call the app process with the dev function key their settings configure.</summary>
public static class AppProcessClients
{
    public static HttpClient Client(this AppProcess app) => app.Client(EnrolmentKit.DevFunctionKey);
}
