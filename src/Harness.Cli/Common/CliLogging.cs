using Microsoft.Extensions.Logging;

namespace Harness.Cli.Common;

/// <summary>Console logging to standard error at the level the user chose.</summary>
internal static class CliLogging
{
    public static readonly string[] Levels = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "TRACE", "NONE"];

    public static LogLevel Parse(string? level) => (level ?? "WARNING").ToUpperInvariant() switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "INFO" or "INFORMATION" => LogLevel.Information,
        "WARNING" or "WARN" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "CRITICAL" => LogLevel.Critical,
        "NONE" => LogLevel.None,
        _ => throw new ArgumentException($"Unknown log level '{level}'; use one of {string.Join(", ", Levels)}."),
    };

    public static ILoggerFactory Create(string? level) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(Parse(level))
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        })
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
}
