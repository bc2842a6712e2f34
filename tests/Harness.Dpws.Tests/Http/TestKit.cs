using System.Text;
using Harness.Dpws.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Harness.Dpws.Tests.Http;

/// <summary>Starts hosts in memory (TestServer) or on 127.0.0.1 and builds clients for them.</summary>
internal static class TestKit
{
    public const string Anonymous = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous";

    public static DpwsHostOptions InMemory(DpwsHostOptions? options = null) =>
        (options ?? new DpwsHostOptions()) with { ConfigureWebHost = b => b.UseTestServer() };

    public static async Task<DpwsHost> StartInMemoryAsync(DpwsHostOptions? options = null)
    {
        var host = new DpwsHost(InMemory(options));
        await host.StartAsync(Timeout());
        return host;
    }

    public static async Task<DpwsHost> StartLoopbackAsync(DpwsHostOptions? options = null)
    {
        var host = new DpwsHost(options ?? new DpwsHostOptions());
        await host.StartAsync(Timeout());
        return host;
    }

    public static HttpMessageHandler Handler(DpwsHost host) =>
        ((TestServer)host.Services.GetRequiredService<IServer>()).CreateHandler();

    public static SoapHttpClient Client(DpwsHost host, SoapHttpClientOptions? options = null) =>
        new(options ?? new SoapHttpClientOptions { Seed = 7 }, Handler(host));

    public static HttpClient Http(DpwsHost host) => new(Handler(host)) { BaseAddress = host.BaseAddress };

    /// <summary>A token that gives up after <paramref name="seconds"/> (a loaded 2-core machine is slow, not stuck).</summary>
    public static CancellationToken Timeout(int seconds = 20) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    public static StringContent Soap(string xml, string contentType = "application/soap+xml; charset=utf-8")
    {
        var content = new StringContent(xml, Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    /// <summary>A minimal SOAP 1.2 request with the given action (and message id).</summary>
    public static string Envelope(string action, string messageId = "urn:uuid:00000000-0000-4000-8000-000000000001", string body = "", string extraHeaders = "") =>
        $"""<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"><soap:Header><wsa:To>urn:uuid:device</wsa:To><wsa:Action>{action}</wsa:Action><wsa:MessageID>{messageId}</wsa:MessageID><wsa:ReplyTo><wsa:Address>{Anonymous}</wsa:Address></wsa:ReplyTo>{extraHeaders}</soap:Header><soap:Body>{body}</soap:Body></soap:Envelope>""";
}
