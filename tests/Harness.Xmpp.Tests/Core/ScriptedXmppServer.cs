using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Harness.Xmpp.Tests.Core;

/// <summary>
/// A scripted peer on 127.0.0.1 for client tests that need a server misbehaving in ways no real one would: it waits
/// for text from the client, then writes raw bytes. Everything the client sent is kept in <see cref="Received"/>.
/// </summary>
internal sealed partial class ScriptedXmppServer : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly StringBuilder _received = new();
    private readonly byte[] _buffer = new byte[8192];
    private TcpClient? _client;
    private NetworkStream? _stream;

    public ScriptedXmppServer()
    {
        _listener.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Received => _received.ToString();

    public const string Header = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='scripted' version='1.0'>";

    public async Task AcceptAsync()
    {
        _client = await _listener.AcceptTcpClientAsync().WaitAsync(Wait);
        _stream = _client.GetStream();
    }

    /// <summary>Reads until the client has sent <paramref name="text"/> (counting from <paramref name="after"/> characters in).</summary>
    public async Task<string> WaitForAsync(string text, int after = 0)
    {
        using var cts = new CancellationTokenSource(Wait);
        while (_received.ToString().IndexOf(text, after, StringComparison.Ordinal) < 0)
        {
            var n = await _stream!.ReadAsync(_buffer, cts.Token);
            if (n == 0)
            {
                throw new EndOfStreamException($"The client closed before sending '{text}'. Received: {_received}");
            }

            _received.Append(Encoding.UTF8.GetString(_buffer, 0, n));
        }

        return _received.ToString();
    }

    /// <summary>Reads until the client closes the connection.</summary>
    public async Task<string> ReadToEndAsync()
    {
        using var cts = new CancellationTokenSource(Wait);
        try
        {
            int n;
            while ((n = await _stream!.ReadAsync(_buffer, cts.Token)) > 0)
            {
                _received.Append(Encoding.UTF8.GetString(_buffer, 0, n));
            }
        }
        catch (IOException)
        {
            // Reset by the client: as good as closed.
        }

        return _received.ToString();
    }

    public async Task SendAsync(string text) => await _stream!.WriteAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _stream!.WriteAsync(bytes);

    /// <summary>Plays a server through PLAIN and bind, so the client ends up connected as alice@localhost/r.</summary>
    public async Task NegotiatePlainAsync()
    {
        await AcceptAsync();
        await WaitForAsync(">");
        await SendAsync(Header + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>");
        var text = await WaitForAsync("</auth>");
        await SendAsync("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
        text = await WaitForAsync(">", text.Length);
        await SendAsync(Header + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>");
        var at = text.Length;
        text = await WaitForAsync("</iq>", at);
        var id = IqId().Match(text, at).Groups[1].Value;
        await SendAsync($"<iq type='result' id='{id}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@localhost/r</jid></bind></iq>");
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        _listener.Stop();
        await Task.CompletedTask;
    }

    [GeneratedRegex("<iq[^>]*id=[\"']([^\"']+)[\"']")]
    private static partial Regex IqId();
}
