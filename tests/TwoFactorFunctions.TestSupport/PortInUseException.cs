namespace TwoFactorFunctions.TestSupport;

/// <summary>A port a tool was asked to listen on is taken by another process; a caller that chose it can choose again.</summary>
public sealed class PortInUseException(string message) : InvalidOperationException(message);
