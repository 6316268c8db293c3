namespace TwoFactorFunctions.Core; internal static class Placeholder { }
