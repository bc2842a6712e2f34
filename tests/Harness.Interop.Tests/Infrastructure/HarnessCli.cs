using System.Text.Json;

namespace Harness.Interop.Tests.Infrastructure;

/// <summary>Runs the real <c>harness</c> command (the built Harness.Cli next to the tests) as a separate process.</summary>
internal static class HarnessCli
{
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "harness.dll");

    public static string Dotnet { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
        ? host
        : Peers.Find("dotnet") ?? "dotnet";

    /// <summary>Arguments that run harness with <paramref name="arguments"/>.</summary>
    public static string[] Arguments(params string[] arguments) => [DllPath, .. arguments];

    public static RunningProcess Start(params string[] arguments) => RunningProcess.Start(Dotnet, Arguments(arguments));

    public static Task<ProcessResult> RunAsync(TimeSpan timeout, params string[] arguments) =>
        RunningProcess.RunAsync(Dotnet, Arguments(arguments), timeout);

    /// <summary>Runs harness inside a network namespace (ip netns exec).</summary>
    public static RunningProcess StartIn(string ns, params string[] arguments) =>
        RunningProcess.Start("ip", NetworkNamespacePair.Exec(ns, Dotnet, Arguments(arguments)));

    public static Task<ProcessResult> RunInAsync(string ns, TimeSpan timeout, params string[] arguments) =>
        RunningProcess.RunAsync("ip", NetworkNamespacePair.Exec(ns, Dotnet, Arguments(arguments)), timeout);

    /// <summary>The endpoint addresses in <c>harness wsd discover --json</c> output, with their types and XAddrs.</summary>
    public static IReadOnlyList<(string Endpoint, string[] Types, string[] Scopes, string[] XAddrs)> ParseDiscoverJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => (
            e.GetProperty("endpointAddress").GetString()!,
            e.GetProperty("types").EnumerateArray().Select(t => "{" + t.GetProperty("namespace").GetString() + "}" + t.GetProperty("localName").GetString()).ToArray(),
            e.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).ToArray(),
            e.GetProperty("xAddrs").EnumerateArray().Select(s => s.GetString()!).ToArray()))];
    }

    /// <summary>A UDP port for a test's private discovery "network" on loopback, so tests never meet each other.</summary>
    public static int PrivatePort()
    {
        using var probe = new System.Net.Sockets.UdpClient(0);
        return ((System.Net.IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
