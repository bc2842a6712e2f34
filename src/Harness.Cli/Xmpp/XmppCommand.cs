using System.CommandLine;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml.Linq;
using Harness.Xmpp.Core;

namespace Harness.Cli.Xmpp;

/// <summary><c>harness xmpp</c>: XEP-0030 service discovery and XEP-0115 / XEP-0390 entity capabilities.</summary>
internal static class XmppCommand
{
    public static Command Create() => new("xmpp", "XMPP: service discovery (disco#info, disco#items) and entity capabilities")
    {
        DiscoCommand.Create(),
        CapsCommand.Create(),
    };
}

/// <summary>The login options of the XMPP commands and the connection they make.</summary>
internal sealed class XmppLoginOptions
{
    public Option<string?> Server { get; } = new("--server") { Description = "The server's c2s endpoint, HOST:PORT (port 5222 when left out)" };

    public Option<string?> User { get; } = new("--user", "-u") { Description = "The account: user@domain, or user (domain from --domain)" };

    public Option<string?> Password { get; } = new("--password", "-p") { Description = "The account's password" };

    public Option<string?> Domain { get; } = new("--domain") { Description = "The XMPP domain when --user has none (default: localhost)" };

    public Option<string> Tls { get; } = new("--tls")
    {
        Description = "STARTTLS: auto (only when the server requires it), require, or off",
        DefaultValueFactory = _ => "auto",
    };

    public Option<bool> AcceptAnyCertificate { get; } = new("--accept-any-certificate")
    {
        Description = "Accept the server's certificate whatever it is (self-signed test servers); always so on loopback",
    };

    public Option<double> Timeout { get; } = new("--timeout") { Description = "Seconds to wait for each answer", DefaultValueFactory = _ => 10 };

    public IEnumerable<Option> All => [Server, User, Password, Domain, Tls, AcceptAnyCertificate, Timeout];

    /// <summary>True when the login options are given at all.</summary>
    public bool Given(ParseResult parse) => parse.GetValue(Server) is not null;

    public TimeSpan WaitTime(ParseResult parse)
    {
        var seconds = parse.GetValue(Timeout);
        if (seconds is <= 0 or > 3600)
        {
            throw new ArgumentException("--timeout takes a number of seconds in (0, 3600].");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Builds the client options from the command line, with clear errors for what is missing.</summary>
    public XmppClientOptions Build(ParseResult parse)
    {
        var server = parse.GetValue(Server) ?? throw new ArgumentException("--server HOST:PORT is required.");
        var user = parse.GetValue(User) ?? throw new ArgumentException("--user is required.");
        var password = parse.GetValue(Password) ?? throw new ArgumentException("--password is required.");
        var (host, port) = ParseServer(server);
        var domain = parse.GetValue(Domain) ?? "localhost";
        var at = user.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            domain = user[(at + 1)..];
            user = user[..at];
        }

        var loopback = IPAddress.TryParse(host, out var address) ? IPAddress.IsLoopback(address) : host == "localhost";
        var tls = parse.GetValue(Tls)?.ToLowerInvariant() switch
        {
            "auto" => XmppTlsMode.WhenRequired,
            "require" or "required" => XmppTlsMode.Required,
            "off" or "never" => XmppTlsMode.Never,
            var other => throw new ArgumentException($"--tls {other}: use auto, require or off."),
        };
        return new XmppClientOptions
        {
            Domain = domain,
            Host = host,
            Port = port,
            User = user,
            Password = password,
            Resource = "harness-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Tls = tls,
            AllowPlainWithoutTls = loopback,
            CertificateValidation = loopback || parse.GetValue(AcceptAnyCertificate) ? XmppClientOptions.AcceptAnyCertificate : null,
            NegotiationTimeout = WaitTime(parse) * 3,
        }.Validate();
    }

    /// <summary>Connects and sends an initial presence (so that the server sends us the presence of others).</summary>
    public static async Task<XmppClientConnection> ConnectAsync(XmppClientOptions options, CancellationToken cancellationToken)
    {
        var connection = await XmppClientConnection.ConnectAsync(options, cancellationToken: cancellationToken);
        return connection;
    }

    public static Task SendPresenceAsync(XmppClientConnection connection, CancellationToken cancellationToken) =>
        connection.SendAsync(new XElement(XmppNamespaces.Client + "presence"), cancellationToken).AsTask();

    private static (string Host, int Port) ParseServer(string text)
    {
        text = text.Trim();
        var colons = text.Count(c => c == ':');
        if (text.StartsWith('[') && IPEndPoint.TryParse(text, out var endPoint))
        {
            return (endPoint.Address.ToString(), endPoint.Port == 0 ? 5222 : endPoint.Port);
        }

        if (colons == 1)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && int.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
            {
                return (text[..colon], port);
            }
        }
        else if (colons == 0 && text.Length > 0)
        {
            return (text, 5222);
        }
        else if (IPAddress.TryParse(text, out var bare))
        {
            return (bare.ToString(), 5222);
        }

        throw new ArgumentException($"--server '{text}' is not HOST:PORT (e.g. 127.0.0.1:5222).");
    }
}

/// <summary>JSON settings and terminal-safe strings of the XMPP commands.</summary>
internal static class XmppCliOutput
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A peer-supplied string made safe for a terminal: control characters become '?'.</summary>
    public static string Clean(string? value)
    {
        if (value is null)
        {
            return "-";
        }

        return string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }

    public static string Quote(string? value) => value is null ? "-" : "\"" + Clean(value) + "\"";
}
