using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Harness.Ssdp.Messages;

/// <summary>How header names are spelled on the wire.</summary>
public enum SsdpHeaderCase
{
    /// <summary>As the UDA writes them: <c>CACHE-CONTROL</c>, <c>BOOTID.UPNP.ORG</c>.</summary>
    Upper,

    /// <summary><c>Cache-Control</c>, <c>Bootid.Upnp.Org</c> (CyberLink, LG TVs).</summary>
    Title,

    /// <summary><c>cache-control</c> (some Python stacks).</summary>
    Lower,
}

/// <summary>
/// How <see cref="SsdpMessageWriter"/> lays out a message. The default is the strict UDA form; the other settings
/// exist so that simulated devices can imitate the deviations real devices send (header case, spacing, line ends).
/// </summary>
public sealed record SsdpWriteOptions
{
    /// <summary>The strict UDA form: upper-case names, one space after the colon, CRLF, a final empty line.</summary>
    public static SsdpWriteOptions Default { get; } = new();

    /// <summary>How header names are spelled (default upper case).</summary>
    public SsdpHeaderCase HeaderCase { get; init; } = SsdpHeaderCase.Upper;

    /// <summary>Whether a space follows each colon (default true; minidlna sends none).</summary>
    public bool SpaceAfterColon { get; init; } = true;

    /// <summary>Whether lines end with CRLF (default) or a bare LF.</summary>
    public bool BareLineFeed { get; init; }

    /// <summary>Whether the empty line that ends the headers is written (default true).</summary>
    public bool FinalEmptyLine { get; init; } = true;
}

/// <summary>
/// Writes SSDP messages. Deterministic: the same record and options give the same bytes. Known headers come in a
/// fixed order (the order of the UDA's message templates), present ones only, then <see cref="SsdpMessage.ExtraHeaders"/>
/// in their order. Values holding CR or LF are refused (<see cref="ArgumentException"/>): the writer never produces
/// a message that reads back differently.
/// </summary>
public static class SsdpMessageWriter
{
    /// <summary>Writes a message to a new array.</summary>
    public static byte[] Write(SsdpMessage message, SsdpWriteOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(message, buffer, options);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a message to a buffer writer and returns the number of bytes written.</summary>
    public static int Write(SsdpMessage message, IBufferWriter<byte> output, SsdpWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        var writer = new Writer(output, options ?? SsdpWriteOptions.Default);
        switch (message)
        {
            case SsdpSearchRequest search:
                WriteSearch(ref writer, search);
                break;
            case SsdpSearchResponse response:
                WriteResponse(ref writer, response);
                break;
            case SsdpNotify notify:
                WriteNotify(ref writer, notify);
                break;
            default:
                throw new ArgumentException($"Unknown message type {message.GetType().Name}.", nameof(message));
        }

        foreach (var header in message.ExtraHeaders)
        {
            writer.RawHeader(header.Name, header.Value);
        }

        writer.End();
        return writer.Written;
    }

    private static void WriteSearch(ref Writer w, SsdpSearchRequest m)
    {
        w.StartLine("M-SEARCH", m.RequestTarget, m.HttpVersion);
        w.Header("HOST", m.Host);
        w.Header("MAN", m.Man);
        w.Header("MX", m.Mx);
        w.Header("ST", m.SearchTarget);
        w.Header("USER-AGENT", m.UserAgent);
        w.Header("CPFN.UPNP.ORG", m.CpFriendlyName);
        w.Header("CPUUID.UPNP.ORG", m.CpUuid);
        w.Header("TCPPORT.UPNP.ORG", m.TcpPort);
    }

    private static void WriteResponse(ref Writer w, SsdpSearchResponse m)
    {
        w.StartLine(m.HttpVersion, m.StatusCode.ToString(CultureInfo.InvariantCulture), m.ReasonPhrase);
        WriteMaxAge(ref w, m.MaxAge);
        if (m.Date is { } date)
        {
            Span<byte> text = stackalloc byte[32];
            Utf8Formatter.TryFormat(date, text, out var length, 'R');
            w.Header("DATE", Encoding.ASCII.GetString(text[..length]));
        }

        if (m.Ext)
        {
            w.Header("EXT", string.Empty);
        }

        w.Header("LOCATION", m.Location);
        w.Header("SERVER", m.Server);
        w.Header("ST", m.SearchTarget);
        w.Header("USN", m.Usn);
        w.Header("BOOTID.UPNP.ORG", m.BootId);
        w.Header("CONFIGID.UPNP.ORG", m.ConfigId);
        w.Header("SEARCHPORT.UPNP.ORG", m.SearchPort);
    }

    private static void WriteNotify(ref Writer w, SsdpNotify m)
    {
        w.StartLine("NOTIFY", m.RequestTarget, m.HttpVersion);
        w.Header("HOST", m.Host);
        WriteMaxAge(ref w, m.MaxAge);
        w.Header("LOCATION", m.Location);
        w.Header("NT", m.NotificationType);
        w.Header("NTS", m.Nts);
        w.Header("SERVER", m.Server);
        w.Header("USN", m.Usn);
        w.Header("BOOTID.UPNP.ORG", m.BootId);
        w.Header("CONFIGID.UPNP.ORG", m.ConfigId);
        w.Header("NEXTBOOTID.UPNP.ORG", m.NextBootId);
        w.Header("SEARCHPORT.UPNP.ORG", m.SearchPort);
    }

    private static void WriteMaxAge(ref Writer w, int? maxAge)
    {
        if (maxAge is { } seconds)
        {
            w.Header("CACHE-CONTROL", "max-age=" + seconds.ToString(CultureInfo.InvariantCulture));
        }
    }

    private ref struct Writer
    {
        private readonly IBufferWriter<byte> _output;
        private readonly SsdpWriteOptions _options;

        public Writer(IBufferWriter<byte> output, SsdpWriteOptions options)
        {
            _output = output;
            _options = options;
        }

        public int Written { get; private set; }

        public void StartLine(string a, string b, string c)
        {
            Check(a, "start line");
            Check(b, "start line");
            Check(c, "start line");
            Append(a);
            Append(" ");
            Append(b);
            Append(" ");
            Append(c);
            LineEnd();
        }

        public void Header(string name, string? value)
        {
            if (value is null)
            {
                return;
            }

            Check(value, name);
            AppendName(name);
            Append(value.Length == 0 || !_options.SpaceAfterColon ? ":" : ": ");
            Append(value);
            LineEnd();
        }

        public void Header(string name, int? value)
        {
            if (value is { } number)
            {
                Header(name, number.ToString(CultureInfo.InvariantCulture));
            }
        }

        public void RawHeader(string name, string value)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(value);
            Check(name, "header name");
            if (name.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException($"The header name '{name}' contains a colon.", nameof(name));
            }

            Check(value, name);
            Append(name);
            Append(value.Length == 0 || !_options.SpaceAfterColon ? ":" : ": ");
            Append(value);
            LineEnd();
        }

        public void End()
        {
            if (_options.FinalEmptyLine)
            {
                LineEnd();
            }
        }

        private static void Check(string value, string where)
        {
            if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new ArgumentException($"The value of {where} contains CR or LF.", nameof(value));
            }
        }

        private void AppendName(string upper)
        {
            switch (_options.HeaderCase)
            {
                case SsdpHeaderCase.Lower:
                    Append(upper.ToLowerInvariant());
                    break;
                case SsdpHeaderCase.Title:
                    Span<char> chars = stackalloc char[upper.Length];
                    var startOfWord = true;
                    for (var i = 0; i < upper.Length; i++)
                    {
                        var c = upper[i];
                        chars[i] = startOfWord ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
                        startOfWord = c is '-' or '.';
                    }

                    Append(new string(chars));
                    break;
                default:
                    Append(upper);
                    break;
            }
        }

        private void LineEnd() => Append(_options.BareLineFeed ? "\n" : "\r\n");

        private void Append(string text)
        {
            var max = Encoding.UTF8.GetMaxByteCount(text.Length);
            var span = _output.GetSpan(max);
            var length = Encoding.UTF8.GetBytes(text, span);
            _output.Advance(length);
            Written += length;
        }
    }
}
