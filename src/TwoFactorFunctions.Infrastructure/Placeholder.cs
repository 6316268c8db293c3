namespace TwoFactorFunctions.Infrastructure; internal static class Placeholder { }
