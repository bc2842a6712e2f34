using System.Buffers.Text;
using System.Text;
using Harness.Core.Diagnostics;

namespace Harness.Ssdp.Messages;

/// <summary>
/// Reads one SSDP datagram (M-SEARCH, search response, NOTIFY) into a record plus the deviations found. Lenient: it
/// understands what real devices send (any header case, no space or extra spaces around the colon, bare LF line ends,
/// duplicate headers, a missing final empty line, <c>max-age = 1800</c> and other CACHE-CONTROL variants, MiniUPnPd's
/// <c>lOCATION:</c>) and reports each as a <see cref="Violation"/> with a rule id from <see cref="SsdpRuleIds"/>.
/// Never throws on a peer's bytes. The hot path parses from the span without regular expressions: known header
/// names are matched in place, well-known values are interned, and a clean message costs only its record and
/// its distinct strings.
/// </summary>
public static class SsdpMessageReader
{
    private const int MaxIntegerDigits = 32;

    private static readonly IReadOnlyList<Violation> None = [];

    private enum Header
    {
        Host,
        Man,
        Mx,
        St,
        UserAgent,
        CpFriendlyName,
        CpUuid,
        TcpPort,
        CacheControl,
        Date,
        Ext,
        Location,
        Server,
        Usn,
        BootId,
        ConfigId,
        SearchPort,
        Nt,
        Nts,
        NextBootId,
        ContentLength,
        Count,
    }

    /// <summary>Reads a message from the bytes of one datagram.</summary>
    /// <param name="bytes">The raw bytes, exactly as received.</param>
    /// <param name="options">Mode and limits; null for <see cref="SsdpReadOptions.Default"/>.</param>
    public static SsdpReadResult Read(ReadOnlySpan<byte> bytes, SsdpReadOptions? options = null)
    {
        options ??= SsdpReadOptions.Default;
        Span<int> starts = stackalloc int[(int)Header.Count];
        Span<int> lengths = stackalloc int[(int)Header.Count];
        starts.Fill(-1);
        var parser = new Parser(bytes, options, starts, lengths);
        var message = parser.Parse();
        var violations = parser.Violations is { } list ? (IReadOnlyList<Violation>)list : None;
        if (message is null)
        {
            return new SsdpReadResult(SsdpReadStatus.Invalid, null, violations);
        }

        if (options.Mode == ReadMode.Strict && parser.HasError)
        {
            return new SsdpReadResult(SsdpReadStatus.Invalid, null, violations);
        }

        return new SsdpReadResult(SsdpReadStatus.Done, message, violations);
    }

    /// <summary>
    /// Parses a CACHE-CONTROL value leniently: the max-age directive in any case, with spaces around '=', quoted, or
    /// among other directives (<c>no-cache="Ext", max-age = 5000</c>). Pure; allocates nothing.
    /// </summary>
    /// <param name="value">The header value.</param>
    /// <param name="maxAge">The max-age in seconds (clamped to <see cref="int.MaxValue"/>), or null when there is none.</param>
    /// <param name="flags">The deviations from the strict form <c>max-age=N</c>.</param>
    /// <returns>True when a max-age with an integer value was found.</returns>
    public static bool TryParseCacheControl(ReadOnlySpan<byte> value, out int? maxAge, out SsdpCacheControlFlags flags)
    {
        maxAge = null;
        flags = SsdpCacheControlFlags.None;
        var rest = value;
        while (true)
        {
            var comma = IndexOfUnquoted(rest, (byte)',');
            var directive = Trim(comma < 0 ? rest : rest[..comma]);
            if (!directive.IsEmpty)
            {
                var eq = directive.IndexOf((byte)'=');
                var name = eq < 0 ? directive : directive[..eq];
                var trimmedName = Trim(name);
                if (Ascii.EqualsIgnoreCase(trimmedName, "max-age"u8))
                {
                    if (maxAge is not null || (flags & SsdpCacheControlFlags.InvalidValue) != 0)
                    {
                        flags |= SsdpCacheControlFlags.Repeated;
                    }

                    if (!trimmedName.SequenceEqual("max-age"u8))
                    {
                        flags |= SsdpCacheControlFlags.NameCase;
                    }

                    if (eq < 0)
                    {
                        flags |= SsdpCacheControlFlags.InvalidValue;
                    }
                    else
                    {
                        var raw = directive[(eq + 1)..];
                        if (name.Length != trimmedName.Length || (raw.Length > 0 && IsOws(raw[0])))
                        {
                            flags |= SsdpCacheControlFlags.SpacesAroundEquals;
                        }

                        var number = Trim(raw);
                        if (number.Length >= 2 && number[0] == '"' && number[^1] == '"')
                        {
                            flags |= SsdpCacheControlFlags.Quoted;
                            number = number[1..^1];
                        }

                        if (maxAge is null && TryParseDecimal(number, out var seconds))
                        {
                            maxAge = (int)Math.Min(seconds, int.MaxValue);
                        }
                        else if (maxAge is null)
                        {
                            flags |= SsdpCacheControlFlags.InvalidValue;
                        }
                    }
                }
                else
                {
                    flags |= SsdpCacheControlFlags.OtherDirectives;
                }
            }

            if (comma < 0)
            {
                break;
            }

            rest = rest[(comma + 1)..];
        }

        if (maxAge is null && (flags & SsdpCacheControlFlags.InvalidValue) == 0)
        {
            flags |= SsdpCacheControlFlags.NoMaxAge;
        }

        return maxAge is not null;
    }

    /// <summary>Parses a decimal of digits only (leading zeros ignored), up to 32 digits; false on anything else or overflow of <see cref="long"/>.</summary>
    internal static bool TryParseDecimal(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > MaxIntegerDigits)
        {
            return false;
        }

        foreach (var b in text)
        {
            var digit = b - (byte)'0';
            if ((uint)digit > 9)
            {
                return false;
            }

            if (value > (long.MaxValue - digit) / 10)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    private static bool IsOws(byte b) => b is (byte)' ' or (byte)'\t';

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> span)
    {
        var start = 0;
        while (start < span.Length && IsOws(span[start]))
        {
            start++;
        }

        var end = span.Length;
        while (end > start && IsOws(span[end - 1]))
        {
            end--;
        }

        return span[start..end];
    }

    private static int IndexOfUnquoted(ReadOnlySpan<byte> span, byte target)
    {
        var quoted = false;
        for (var i = 0; i < span.Length; i++)
        {
            var b = span[i];
            if (b == '"')
            {
                quoted = !quoted;
            }
            else if (b == target && !quoted)
            {
                return i;
            }
        }

        return -1;
    }

    private static Header Identify(ReadOnlySpan<byte> name, out bool canonical)
    {
        canonical = false;
        ReadOnlySpan<byte> upper;
        Header header;
        switch (name.Length)
        {
            case 2:
                if (Ascii.EqualsIgnoreCase(name, "MX"u8)) { upper = "MX"u8; header = Header.Mx; break; }
                if (Ascii.EqualsIgnoreCase(name, "ST"u8)) { upper = "ST"u8; header = Header.St; break; }
                if (Ascii.EqualsIgnoreCase(name, "NT"u8)) { upper = "NT"u8; header = Header.Nt; break; }
                return Header.Count;
            case 3:
                if (Ascii.EqualsIgnoreCase(name, "MAN"u8)) { upper = "MAN"u8; header = Header.Man; break; }
                if (Ascii.EqualsIgnoreCase(name, "EXT"u8)) { upper = "EXT"u8; header = Header.Ext; break; }
                if (Ascii.EqualsIgnoreCase(name, "USN"u8)) { upper = "USN"u8; header = Header.Usn; break; }
                if (Ascii.EqualsIgnoreCase(name, "NTS"u8)) { upper = "NTS"u8; header = Header.Nts; break; }
                return Header.Count;
            case 4:
                if (Ascii.EqualsIgnoreCase(name, "HOST"u8)) { upper = "HOST"u8; header = Header.Host; break; }
                if (Ascii.EqualsIgnoreCase(name, "DATE"u8)) { upper = "DATE"u8; header = Header.Date; break; }
                return Header.Count;
            case 6:
                if (Ascii.EqualsIgnoreCase(name, "SERVER"u8)) { upper = "SERVER"u8; header = Header.Server; break; }
                return Header.Count;
            case 8:
                if (Ascii.EqualsIgnoreCase(name, "LOCATION"u8)) { upper = "LOCATION"u8; header = Header.Location; break; }
                return Header.Count;
            case 10:
                if (Ascii.EqualsIgnoreCase(name, "USER-AGENT"u8)) { upper = "USER-AGENT"u8; header = Header.UserAgent; break; }
                return Header.Count;
            case 13:
                if (Ascii.EqualsIgnoreCase(name, "CACHE-CONTROL"u8)) { upper = "CACHE-CONTROL"u8; header = Header.CacheControl; break; }
                if (Ascii.EqualsIgnoreCase(name, "CPFN.UPNP.ORG"u8)) { upper = "CPFN.UPNP.ORG"u8; header = Header.CpFriendlyName; break; }
                return Header.Count;
            case 14:
                if (Ascii.EqualsIgnoreCase(name, "CONTENT-LENGTH"u8)) { upper = "CONTENT-LENGTH"u8; header = Header.ContentLength; break; }
                return Header.Count;
            case 15:
                if (Ascii.EqualsIgnoreCase(name, "BOOTID.UPNP.ORG"u8)) { upper = "BOOTID.UPNP.ORG"u8; header = Header.BootId; break; }
                if (Ascii.EqualsIgnoreCase(name, "CPUUID.UPNP.ORG"u8)) { upper = "CPUUID.UPNP.ORG"u8; header = Header.CpUuid; break; }
                return Header.Count;
            case 16:
                if (Ascii.EqualsIgnoreCase(name, "TCPPORT.UPNP.ORG"u8)) { upper = "TCPPORT.UPNP.ORG"u8; header = Header.TcpPort; break; }
                return Header.Count;
            case 17:
                if (Ascii.EqualsIgnoreCase(name, "CONFIGID.UPNP.ORG"u8)) { upper = "CONFIGID.UPNP.ORG"u8; header = Header.ConfigId; break; }
                return Header.Count;
            case 19:
                if (Ascii.EqualsIgnoreCase(name, "SEARCHPORT.UPNP.ORG"u8)) { upper = "SEARCHPORT.UPNP.ORG"u8; header = Header.SearchPort; break; }
                if (Ascii.EqualsIgnoreCase(name, "NEXTBOOTID.UPNP.ORG"u8)) { upper = "NEXTBOOTID.UPNP.ORG"u8; header = Header.NextBootId; break; }
                return Header.Count;
            default:
                return Header.Count;
        }

        canonical = name.SequenceEqual(upper);
        return header;
    }

    private static string CanonicalName(Header header) => header switch
    {
        Header.Host => "HOST",
        Header.Man => "MAN",
        Header.Mx => "MX",
        Header.St => "ST",
        Header.UserAgent => "USER-AGENT",
        Header.CpFriendlyName => "CPFN.UPNP.ORG",
        Header.CpUuid => "CPUUID.UPNP.ORG",
        Header.TcpPort => "TCPPORT.UPNP.ORG",
        Header.CacheControl => "CACHE-CONTROL",
        Header.Date => "DATE",
        Header.Ext => "EXT",
        Header.Location => "LOCATION",
        Header.Server => "SERVER",
        Header.Usn => "USN",
        Header.BootId => "BOOTID.UPNP.ORG",
        Header.ConfigId => "CONFIGID.UPNP.ORG",
        Header.SearchPort => "SEARCHPORT.UPNP.ORG",
        Header.Nt => "NT",
        Header.Nts => "NTS",
        Header.NextBootId => "NEXTBOOTID.UPNP.ORG",
        Header.ContentLength => "CONTENT-LENGTH",
        _ => "?",
    };

    /// <summary>Well-known values returned without allocating.</summary>
    private static string? Intern(ReadOnlySpan<byte> value) => value.Length switch
    {
        0 => string.Empty,
        1 when value[0] == '*' => "*",
        2 when value.SequenceEqual("OK"u8) => "OK",
        8 when value.SequenceEqual("HTTP/1.1"u8) => "HTTP/1.1",
        8 when value.SequenceEqual("ssdp:all"u8) => SsdpTarget.AllValue,
        10 when value.SequenceEqual("ssdp:alive"u8) => SsdpNotify.AliveNts,
        11 when value.SequenceEqual("ssdp:byebye"u8) => SsdpNotify.ByeByeNts,
        11 when value.SequenceEqual("ssdp:update"u8) => SsdpNotify.UpdateNts,
        14 when value.SequenceEqual("[FF02::C]:1900"u8) => "[FF02::C]:1900",
        14 when value.SequenceEqual("[FF05::C]:1900"u8) => "[FF05::C]:1900",
        15 when value.SequenceEqual("upnp:rootdevice"u8) => SsdpTarget.RootDeviceValue,
        15 when value.SequenceEqual("\"ssdp:discover\""u8) => SsdpSearchRequest.DiscoverMan,
        20 when value.SequenceEqual("239.255.255.250:1900"u8) => SsdpMessage.IPv4MulticastHost,
        _ => null,
    };

    private static bool IsMulticastHost(ReadOnlySpan<byte> host) =>
        host.StartsWith("239.255.255.250"u8)
        || (host.Length > 4 && host[0] == '[' && Ascii.EqualsIgnoreCase(host[1..4], "FF0"u8));

    private ref struct Parser
    {
        private readonly ReadOnlySpan<byte> _bytes;
        private readonly SsdpReadOptions _options;
        private readonly Span<int> _starts;
        private readonly Span<int> _lengths;
        private SsdpMessageKind _kind;
        private List<SsdpHeader>? _extras;
        private string? _nonCanonicalNames;
        private int _nonCanonicalCount;
        private bool _reportedNoSpace;
        private bool _reportedBareLf;
        private bool _reportedNonAscii;
        private bool _reportedDuplicate;

        public Parser(ReadOnlySpan<byte> bytes, SsdpReadOptions options, Span<int> starts, Span<int> lengths)
        {
            _bytes = bytes;
            _options = options;
            _starts = starts;
            _lengths = lengths;
        }

        public List<Violation>? Violations { get; private set; }

        public bool HasError { get; private set; }

        public SsdpMessage? Parse()
        {
            var bytes = _bytes;
            if (bytes.IsEmpty)
            {
                Add(SsdpRuleIds.NotSsdp, "The datagram is empty.", ViolationSeverity.Error);
                return null;
            }

            if (bytes.Length > _options.MaxBytes)
            {
                Add(SsdpRuleIds.TooLarge, $"The message is {bytes.Length} bytes; the reader accepts at most {_options.MaxBytes}.", ViolationSeverity.Error);
                return null;
            }

            // RFC 9112 §2.2: a recipient should ignore empty lines before the start line.
            var pos = 0;
            while (pos < bytes.Length && bytes[pos] is (byte)'\r' or (byte)'\n')
            {
                pos++;
            }

            if (pos > 0)
            {
                Add(SsdpRuleIds.HttpGrammar, $"{pos} bytes of empty lines precede the start line.", ViolationSeverity.Warning, "byte 0");
            }

            var lineEnd = NextLine(bytes, pos, out var next, out var terminated);
            var startLine = bytes[pos..lineEnd];
            if (!ParseStartLine(startLine, out var first, out var second, out var third))
            {
                return null;
            }

            var endedWithEmptyLine = false;
            var headerCount = 0;
            pos = next;
            while (terminated && pos < bytes.Length)
            {
                var lineStart = pos;
                lineEnd = NextLine(bytes, pos, out next, out terminated);
                var line = bytes[lineStart..lineEnd];
                pos = next;
                if (line.IsEmpty)
                {
                    endedWithEmptyLine = terminated;
                    if (!terminated)
                    {
                        break;
                    }

                    CheckBody(bytes[pos..], pos);
                    break;
                }

                if (++headerCount > _options.MaxHeaders)
                {
                    Add(SsdpRuleIds.TooLarge, $"More than {_options.MaxHeaders} header lines; the rest are ignored.", ViolationSeverity.Error, $"byte {lineStart}");
                    endedWithEmptyLine = true;
                    break;
                }

                ReadHeaderLine(line, lineStart);
            }

            if (!endedWithEmptyLine)
            {
                var rule = _kind switch
                {
                    SsdpMessageKind.Search => SsdpRuleIds.SearchHeaders,
                    SsdpMessageKind.Notify => SsdpRuleIds.NotifyHeaders,
                    _ => SsdpRuleIds.ResponseStatusLine,
                };
                Add(rule, "The headers do not end with an empty line (CRLF CRLF).", ViolationSeverity.Error, $"byte {bytes.Length}");
            }

            if (_nonCanonicalCount > 0 && _options.ReportStyle)
            {
                var more = _nonCanonicalCount > 1 ? $" (and {_nonCanonicalCount - 1} more)" : string.Empty;
                Add(SsdpRuleIds.HttpGrammar, $"Header name {_nonCanonicalNames}{more} is not in the upper case the UDA uses; names are case-insensitive.", ViolationSeverity.Info, _nonCanonicalNames);
            }

            return _kind switch
            {
                SsdpMessageKind.Search => BuildSearch(first, second, third),
                SsdpMessageKind.SearchResponse => BuildResponse(first, second, third),
                _ => BuildNotify(first, second, third),
            };
        }

        private static int NextLine(ReadOnlySpan<byte> bytes, int pos, out int next, out bool terminated)
        {
            var lf = bytes[pos..].IndexOf((byte)'\n');
            if (lf < 0)
            {
                next = bytes.Length;
                terminated = false;
                var end = bytes.Length;
                return end > pos && bytes[end - 1] == '\r' ? end - 1 : end;
            }

            var lineEnd = pos + lf;
            next = lineEnd + 1;
            terminated = true;
            return lineEnd > pos && bytes[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        }

        private void CheckLineEnd(int lineEnd)
        {
            // lineEnd is where the line's content stops; a CR there means CRLF.
            if (!_reportedBareLf && lineEnd < _bytes.Length && _bytes[lineEnd] == '\n')
            {
                _reportedBareLf = true;
                Add(SsdpRuleIds.HttpGrammar, "A line ends with a bare LF instead of CRLF.", ViolationSeverity.Error, $"byte {lineEnd}");
            }
        }

        private bool ParseStartLine(ReadOnlySpan<byte> line, out Range first, out Range second, out Range third)
        {
            first = second = third = default;
            var offset = (int)(Offsets.Of(_bytes, line));
            CheckLineEnd(offset + line.Length);
            var sp1 = line.IndexOf((byte)' ');
            var sp2 = sp1 < 0 ? -1 : line[(sp1 + 1)..].IndexOf((byte)' ');
            if (sp2 >= 0)
            {
                sp2 += sp1 + 1;
            }

            if (line.StartsWith("HTTP/"u8))
            {
                _kind = SsdpMessageKind.SearchResponse;
                if (sp1 < 0)
                {
                    Add(SsdpRuleIds.NotSsdp, "The status line has no status code.", ViolationSeverity.Error, "byte 0");
                    return false;
                }

                var codeEnd = sp2 < 0 ? line.Length : sp2;
                var code = line[(sp1 + 1)..codeEnd];
                if (code.Length != 3 || !TryParseDecimal(code, out _))
                {
                    Add(SsdpRuleIds.NotSsdp, "The status line has no three-digit status code.", ViolationSeverity.Error, "byte 0");
                    return false;
                }

                first = new Range(offset, offset + sp1);
                second = new Range(offset + sp1 + 1, offset + codeEnd);
                third = sp2 < 0 ? new Range(offset + line.Length, offset + line.Length) : new Range(offset + sp2 + 1, offset + line.Length);
                if (!line.SequenceEqual("HTTP/1.1 200 OK"u8))
                {
                    Add(SsdpRuleIds.ResponseStatusLine, $"The status line is '{Text(line)}'; a search response is 'HTTP/1.1 200 OK'.", ViolationSeverity.Error, "byte 0");
                }

                return true;
            }

            if (sp1 > 0 && Ascii.EqualsIgnoreCase(line[..sp1], "M-SEARCH"u8))
            {
                _kind = SsdpMessageKind.Search;
            }
            else if (sp1 > 0 && Ascii.EqualsIgnoreCase(line[..sp1], "NOTIFY"u8))
            {
                _kind = SsdpMessageKind.Notify;
            }
            else
            {
                var shown = line.Length > 40 ? line[..40] : line;
                Add(SsdpRuleIds.NotSsdp, $"The start line '{Text(shown)}' is neither M-SEARCH, NOTIFY nor an HTTP status line.", ViolationSeverity.Error, "byte 0");
                return false;
            }

            first = new Range(offset, offset + sp1);
            if (sp2 < 0)
            {
                second = new Range(offset + sp1 + 1, offset + line.Length);
                third = new Range(offset + line.Length, offset + line.Length);
            }
            else
            {
                second = new Range(offset + sp1 + 1, offset + sp2);
                third = new Range(offset + sp2 + 1, offset + line.Length);
            }

            var exact = _kind == SsdpMessageKind.Search ? "M-SEARCH * HTTP/1.1"u8 : "NOTIFY * HTTP/1.1"u8;
            if (!line.SequenceEqual(exact))
            {
                var rule = _kind == SsdpMessageKind.Search ? SsdpRuleIds.SearchRequestLine : SsdpRuleIds.NotifyHeaders;
                Add(rule, $"The request line is '{Text(line)}'; it must be exactly '{Encoding.ASCII.GetString(exact)}'.", ViolationSeverity.Error, "byte 0");
            }

            return true;
        }

        private void ReadHeaderLine(ReadOnlySpan<byte> line, int lineStart)
        {
            CheckLineEnd(lineStart + line.Length);
            if (IsOws(line[0]))
            {
                Add(SsdpRuleIds.HttpGrammar, "A header line starts with whitespace (obsolete line folding); it is ignored.", ViolationSeverity.Error, $"byte {lineStart}");
                return;
            }

            var colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                var shown = line.Length > 40 ? line[..40] : line;
                Add(SsdpRuleIds.HttpGrammar, $"The line '{Text(shown)}' has no colon; it is ignored.", ViolationSeverity.Error, $"byte {lineStart}");
                return;
            }

            var name = line[..colon];
            if (name.Length > 0 && IsOws(name[^1]))
            {
                name = Trim(name);
                Add(SsdpRuleIds.HttpGrammar, $"Whitespace between the header name '{Text(name)}' and the colon (RFC 9112 §5.1 forbids it).", ViolationSeverity.Error, $"byte {lineStart}");
            }

            if (name.IsEmpty || !IsToken(name))
            {
                var shown = line.Length > 40 ? line[..40] : line;
                Add(SsdpRuleIds.HttpGrammar, $"The line '{Text(shown)}' has no valid header name; it is ignored.", ViolationSeverity.Error, $"byte {lineStart}");
                return;
            }

            var rawValue = line[(colon + 1)..];
            var value = Trim(rawValue);
            var valueStart = lineStart + colon + 1 + (value.IsEmpty ? 0 : (int)Offsets.Of(rawValue, value));
            if (!value.IsEmpty && !IsOws(rawValue[0]) && !_reportedNoSpace && _options.ReportStyle)
            {
                _reportedNoSpace = true;
                Add(SsdpRuleIds.HttpGrammar, $"No space after the colon of {Text(name)} (allowed by HTTP; the UDA's examples have one).", ViolationSeverity.Info, Text(name));
            }

            var header = Identify(name, out var canonical);
            if (header == Header.Count)
            {
                _extras ??= new List<SsdpHeader>(4);
                _extras.Add(new SsdpHeader(Text(name), ValueText(value, name)));
                return;
            }

            if (!canonical)
            {
                if (_nonCanonicalCount++ == 0)
                {
                    _nonCanonicalNames = Text(name);
                }
            }

            var index = (int)header;
            if (_starts[index] >= 0)
            {
                if (!_reportedDuplicate)
                {
                    _reportedDuplicate = true;
                    var same = _bytes.Slice(_starts[index], _lengths[index]).SequenceEqual(value) ? "with the same value" : "with a different value";
                    Add(SsdpRuleIds.HttpGrammar, $"{CanonicalName(header)} appears more than once ({same}); the first is used.", ViolationSeverity.Warning, CanonicalName(header));
                }

                return;
            }

            _starts[index] = valueStart;
            _lengths[index] = value.Length;
        }

        private static bool IsToken(ReadOnlySpan<byte> name)
        {
            foreach (var b in name)
            {
                if (b <= 0x20 || b >= 0x7F || b is (byte)'"' or (byte)'(' or (byte)')' or (byte)',' or (byte)'/' or (byte)':' or (byte)';'
                    or (byte)'<' or (byte)'=' or (byte)'>' or (byte)'?' or (byte)'@' or (byte)'[' or (byte)'\\' or (byte)']' or (byte)'{' or (byte)'}')
                {
                    return false;
                }
            }

            return true;
        }

        private void CheckBody(ReadOnlySpan<byte> rest, int offset)
        {
            if (rest.IndexOfAnyExcept("\r\n\0 \t"u8) >= 0)
            {
                var rule = _kind == SsdpMessageKind.SearchResponse ? SsdpRuleIds.ResponseStatusLine : SsdpRuleIds.HttpGrammar;
                Add(rule, $"{rest.Length} bytes follow the empty line that ends the headers; SSDP messages have no body.", ViolationSeverity.Warning, $"byte {offset}");
            }
        }

        private readonly bool Has(Header header) => _starts[(int)header] >= 0;

        private readonly ReadOnlySpan<byte> Raw(Header header) =>
            _starts[(int)header] >= 0 ? _bytes.Slice(_starts[(int)header], _lengths[(int)header]) : default;

        private string? Get(Header header) => Has(header) ? ValueText(Raw(header), default) : null;

        private string ValueText(ReadOnlySpan<byte> value, ReadOnlySpan<byte> name)
        {
            if (Intern(value) is { } interned)
            {
                return interned;
            }

            if (value.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0)
            {
                return AsciiCache.Get(value);
            }

            if (value.IndexOfAnyInRange((byte)0x00, (byte)0x08) >= 0 || value.IndexOfAnyInRange((byte)0x0A, (byte)0x1F) >= 0 || value.Contains((byte)0x7F))
            {
                Add(SsdpRuleIds.HttpGrammar, "A header value holds control characters.", ViolationSeverity.Error, name.IsEmpty ? null : Text(name));
            }
            else if (!_reportedNonAscii && !Ascii.IsValid(value))
            {
                _reportedNonAscii = true;
                Add(SsdpRuleIds.HttpGrammar, "A header value holds non-ASCII bytes; it is read as UTF-8.", ViolationSeverity.Warning, name.IsEmpty ? null : Text(name));
            }

            return Encoding.UTF8.GetString(value);
        }

        private static string Text(ReadOnlySpan<byte> bytes) =>
            Ascii.IsValid(bytes) ? Encoding.ASCII.GetString(bytes) : Encoding.UTF8.GetString(bytes);

        private string Slice(Range range) => Intern(_bytes[range]) ?? Text(_bytes[range]);

        private int? Integer(Header header, string rule, long min, long max, ViolationSeverity severity, string what)
        {
            if (!Has(header))
            {
                return null;
            }

            var raw = Raw(header);
            if (!TryParseDecimal(raw, out var value))
            {
                Add(rule, $"{CanonicalName(header)} '{ValueText(raw, default)}' is not a decimal integer{what}.", ViolationSeverity.Error, CanonicalName(header));
                return null;
            }

            if (value < min || value > max)
            {
                Add(rule, $"{CanonicalName(header)} {value} is outside {min}..{max}{what}.", severity, CanonicalName(header));
                if (severity == ViolationSeverity.Error || value > int.MaxValue)
                {
                    return value > int.MaxValue ? null : (int)value;
                }
            }

            return (int)value;
        }

        private int? MaxAge(bool required, string presenceRule)
        {
            if (!Has(Header.CacheControl))
            {
                if (required)
                {
                    Add(presenceRule, "CACHE-CONTROL is missing.", ViolationSeverity.Error, "CACHE-CONTROL");
                }

                return null;
            }

            TryParseCacheControl(Raw(Header.CacheControl), out var maxAge, out var flags);
            const string Where = "CACHE-CONTROL";
            if ((flags & SsdpCacheControlFlags.NoMaxAge) != 0)
            {
                Add(SsdpRuleIds.CacheControl, $"CACHE-CONTROL '{Get(Header.CacheControl)}' has no max-age directive.", ViolationSeverity.Error, Where);
            }

            if ((flags & SsdpCacheControlFlags.InvalidValue) != 0)
            {
                Add(SsdpRuleIds.CacheControl, $"CACHE-CONTROL '{Get(Header.CacheControl)}' has a max-age that is not an integer.", ViolationSeverity.Error, Where);
            }

            if ((flags & SsdpCacheControlFlags.SpacesAroundEquals) != 0)
            {
                Add(SsdpRuleIds.CacheControl, $"CACHE-CONTROL '{Get(Header.CacheControl)}' has spaces around '=' (the UDA 1.0 template style; the UCTT rejects it).", ViolationSeverity.Error, Where);
            }

            if ((flags & SsdpCacheControlFlags.OtherDirectives) != 0)
            {
                Add(SsdpRuleIds.CacheControl, $"CACHE-CONTROL '{Get(Header.CacheControl)}' carries directives other than max-age, which must not be sent.", ViolationSeverity.Error, Where);
            }

            if ((flags & SsdpCacheControlFlags.Quoted) != 0)
            {
                Add(SsdpRuleIds.CacheControl, "The max-age value is quoted.", ViolationSeverity.Warning, Where);
            }

            if ((flags & SsdpCacheControlFlags.Repeated) != 0)
            {
                Add(SsdpRuleIds.CacheControl, "max-age appears more than once; the first is used.", ViolationSeverity.Warning, Where);
            }

            if (maxAge is { } seconds && seconds < 1800)
            {
                Add(SsdpRuleIds.CacheControl, $"max-age is {seconds} s; the UDA recommends at least 1800.", ViolationSeverity.Warning, Where);
            }

            return maxAge;
        }

        private void RequireNonEmpty(Header header, string rule)
        {
            if (!Has(header))
            {
                Add(rule, $"{CanonicalName(header)} is missing.", ViolationSeverity.Error, CanonicalName(header));
            }
            else if (Raw(header).IsEmpty)
            {
                Add(rule, $"{CanonicalName(header)} is empty.", ViolationSeverity.Error, CanonicalName(header));
            }
        }

        /// <summary>The UPnP version token of SERVER or USER-AGENT as 10·major+minor (10, 11, 20), or 0.</summary>
        private readonly int UpnpVersion(Header header)
        {
            var raw = Raw(header);
            while (true)
            {
                var at = raw.IndexOf("UPnP/"u8);
                if (at < 0)
                {
                    return 0;
                }

                if (raw.Length >= at + 8 && raw[at + 6] == '.')
                {
                    var major = raw[at + 5] - '0';
                    var minor = raw[at + 7] - '0';
                    if ((uint)major <= 9 && (uint)minor <= 9)
                    {
                        return (major * 10) + minor;
                    }
                }

                raw = raw[(at + 5)..];
            }
        }

        private void CheckServer(string rule)
        {
            if (!Has(Header.Server))
            {
                Add(rule, "SERVER is missing.", ViolationSeverity.Error, "SERVER");
                return;
            }

            var raw = Raw(Header.Server);
            var version = UpnpVersion(Header.Server);
            if (version is not (10 or 11 or 20))
            {
                Add(SsdpRuleIds.Server, $"SERVER '{Get(Header.Server)}' has no UPnP/1.0, UPnP/1.1 or UPnP/2.0 token.", ViolationSeverity.Error, "SERVER");
            }
            else if (raw.Contains((byte)',') || raw.Count((byte)' ') < 2 || raw.IndexOf((byte)'/') > raw.IndexOf((byte)' '))
            {
                Add(SsdpRuleIds.Server, $"SERVER '{Get(Header.Server)}' is not of the form 'OS/version UPnP/x.y product/version'.", ViolationSeverity.Warning, "SERVER");
            }
        }

        private void CheckLocation(string rule)
        {
            var raw = Raw(Header.Location);
            if (!Has(Header.Location))
            {
                Add(rule, "LOCATION is missing.", ViolationSeverity.Error, "LOCATION");
            }
            else if (!raw.StartsWith("http://"u8) && !Ascii.EqualsIgnoreCase(raw.Length >= 7 ? raw[..7] : raw, "http://"u8))
            {
                Add(SsdpRuleIds.Location, $"LOCATION '{Get(Header.Location)}' is not an absolute http URL.", ViolationSeverity.Error, "LOCATION");
            }
        }

        private void CheckUsn(string target, string usn, string targetHeader, bool response)
        {
            var parsed = SsdpUsn.Parse(usn);
            if (usn.Length == 0)
            {
                return;
            }

            if (!parsed.HasUuidPrefix)
            {
                var why = usn.StartsWith("uuid:uuid:", StringComparison.OrdinalIgnoreCase) ? " (the prefix is doubled)"
                    : usn.StartsWith("uuid:", StringComparison.OrdinalIgnoreCase) ? " (the prefix is not lower case)"
                    : string.Empty;
                Add(SsdpRuleIds.UsnForm, $"USN '{usn}' does not start with 'uuid:'{why}.", ViolationSeverity.Error, "USN");
            }
            else if (parsed.Udn.StartsWith("uuid:uuid:", StringComparison.OrdinalIgnoreCase))
            {
                Add(SsdpRuleIds.UsnForm, $"USN '{usn}' doubles the 'uuid:' prefix.", ViolationSeverity.Error, "USN");
            }

            if (target.Length == 0)
            {
                return;
            }

            var parsedTarget = SsdpTarget.Parse(target);
            if (response && parsedTarget.Kind == SsdpTargetKind.All)
            {
                Add(SsdpRuleIds.UsnForm, "ST is 'ssdp:all'; a response carries the NT of the matching advertisement instead.", ViolationSeverity.Error, "ST");
            }
            else if (!parsed.Agrees(parsedTarget))
            {
                Add(SsdpRuleIds.UsnForm, $"USN '{usn}' does not go with {targetHeader} '{target}' (uuid:X with uuid:X, else uuid:X::{targetHeader}).", ViolationSeverity.Error, "USN");
            }
        }

        private void CheckVersionHeaders(int upnpVersion)
        {
            if (upnpVersion < 11)
            {
                return;
            }

            if (!Has(Header.BootId))
            {
                Add(SsdpRuleIds.BootId, "BOOTID.UPNP.ORG is missing (required from UPnP/1.1).", ViolationSeverity.Error, "BOOTID.UPNP.ORG");
            }

            if (!Has(Header.ConfigId))
            {
                Add(SsdpRuleIds.ConfigId, "CONFIGID.UPNP.ORG is missing (required from UPnP/1.1).", ViolationSeverity.Error, "CONFIGID.UPNP.ORG");
            }
        }

        private SsdpSearchRequest BuildSearch(Range method, Range target, Range version)
        {
            var host = Get(Header.Host);
            RequireNonEmpty(Header.Host, SsdpRuleIds.SearchHeaders);
            var man = Get(Header.Man);
            if (man is null)
            {
                Add(SsdpRuleIds.SearchMan, "MAN is missing.", ViolationSeverity.Error, "MAN");
            }
            else if (!string.Equals(man, SsdpSearchRequest.DiscoverMan, StringComparison.Ordinal))
            {
                Add(SsdpRuleIds.SearchMan, $"MAN is '{man}'; it must be the quoted string \"ssdp:discover\".", ViolationSeverity.Error, "MAN");
            }

            var st = Get(Header.St) ?? string.Empty;
            RequireNonEmpty(Header.St, SsdpRuleIds.SearchHeaders);
            int? mx = null;
            if (Has(Header.Mx))
            {
                var raw = Raw(Header.Mx);
                if (!TryParseDecimal(raw, out var seconds) || seconds < 1)
                {
                    Add(SsdpRuleIds.SearchMxValue, $"MX '{ValueText(raw, default)}' is not an integer of at least 1.", ViolationSeverity.Error, "MX");
                }
                else
                {
                    mx = (int)Math.Min(seconds, int.MaxValue);
                    if (seconds > 5)
                    {
                        Add(SsdpRuleIds.SearchMxRange, $"MX is {seconds}; UDA 1.1 limits it to 5 (devices treat more as 5).", ViolationSeverity.Warning, "MX");
                    }
                }
            }
            else if (host is not null && IsMulticastHost(Raw(Header.Host)))
            {
                Add(SsdpRuleIds.SearchMxMissing, "A multicast M-SEARCH has no MX.", ViolationSeverity.Error, "MX");
            }

            var tcpPort = Integer(Header.TcpPort, SsdpRuleIds.SearchUda20Headers, 1, 65535, ViolationSeverity.Error, string.Empty);
            if (Has(Header.UserAgent) && UpnpVersion(Header.UserAgent) >= 20 && !Has(Header.CpFriendlyName) && host is not null && IsMulticastHost(Raw(Header.Host)))
            {
                Add(SsdpRuleIds.SearchUda20Headers, "A UPnP/2.0 multicast M-SEARCH has no CPFN.UPNP.ORG.", ViolationSeverity.Error, "CPFN.UPNP.ORG");
            }

            _ = method;
            return new SsdpSearchRequest
            {
                RequestTarget = Slice(target),
                HttpVersion = Slice(version),
                Host = host,
                Man = man,
                Mx = mx,
                SearchTarget = st,
                UserAgent = Get(Header.UserAgent),
                CpFriendlyName = Get(Header.CpFriendlyName),
                CpUuid = Get(Header.CpUuid),
                TcpPort = tcpPort,
                ExtraHeaders = (IReadOnlyList<SsdpHeader>?)_extras ?? [],
            };
        }

        private SsdpSearchResponse BuildResponse(Range version, Range code, Range reason)
        {
            TryParseDecimal(_bytes[code], out var status);
            var maxAge = MaxAge(required: true, SsdpRuleIds.CacheControl);
            DateTimeOffset? date = null;
            if (Has(Header.Date))
            {
                if (Utf8Parser.TryParse(Raw(Header.Date), out DateTimeOffset parsed, out var consumed, 'R') && consumed == Raw(Header.Date).Length)
                {
                    date = parsed;
                }
                else
                {
                    Add(SsdpRuleIds.Date, $"DATE '{Get(Header.Date)}' is not an RFC 1123 date.", ViolationSeverity.Warning, "DATE");
                }
            }

            if (!Has(Header.Ext))
            {
                Add(SsdpRuleIds.Ext, "EXT is missing (it confirms that MAN was understood).", ViolationSeverity.Error, "EXT");
            }
            else if (!Raw(Header.Ext).IsEmpty)
            {
                Add(SsdpRuleIds.Ext, $"EXT has a value '{Get(Header.Ext)}'; it is sent empty.", ViolationSeverity.Warning, "EXT");
            }

            CheckLocation(SsdpRuleIds.Location);
            CheckServer(SsdpRuleIds.Server);
            var st = Get(Header.St) ?? string.Empty;
            RequireNonEmpty(Header.St, SsdpRuleIds.UsnForm);
            var usn = Get(Header.Usn) ?? string.Empty;
            RequireNonEmpty(Header.Usn, SsdpRuleIds.UsnForm);
            CheckUsn(st, usn, "ST", response: true);
            var bootId = Integer(Header.BootId, SsdpRuleIds.BootId, 0, int.MaxValue, ViolationSeverity.Error, string.Empty);
            var configId = Integer(Header.ConfigId, SsdpRuleIds.ConfigId, 0, 16_777_215, ViolationSeverity.Warning, " (values above 16,777,215 are reserved)");
            var searchPort = Integer(Header.SearchPort, SsdpRuleIds.SearchPort, 49152, 65535, ViolationSeverity.Warning, string.Empty);
            CheckVersionHeaders(UpnpVersion(Header.Server));
            return new SsdpSearchResponse
            {
                HttpVersion = Slice(version),
                StatusCode = (int)status,
                ReasonPhrase = Slice(reason),
                MaxAge = maxAge,
                Date = date,
                Ext = Has(Header.Ext),
                Location = Get(Header.Location),
                Server = Get(Header.Server),
                SearchTarget = st,
                Usn = usn,
                BootId = bootId,
                ConfigId = configId,
                SearchPort = searchPort,
                ExtraHeaders = (IReadOnlyList<SsdpHeader>?)_extras ?? [],
            };
        }

        private SsdpNotify BuildNotify(Range method, Range target, Range version)
        {
            _ = method;
            RequireNonEmpty(Header.Host, SsdpRuleIds.NotifyHeaders);
            var nt = Get(Header.Nt) ?? string.Empty;
            RequireNonEmpty(Header.Nt, SsdpRuleIds.NotifyHeaders);
            var nts = Get(Header.Nts) ?? string.Empty;
            var usn = Get(Header.Usn) ?? string.Empty;
            RequireNonEmpty(Header.Usn, SsdpRuleIds.NotifyHeaders);
            CheckUsn(nt, usn, "NT", response: false);
            int? maxAge = null;
            var bootId = Integer(Header.BootId, SsdpRuleIds.BootId, 0, int.MaxValue, ViolationSeverity.Error, string.Empty);
            var configId = Integer(Header.ConfigId, SsdpRuleIds.ConfigId, 0, 16_777_215, ViolationSeverity.Warning, " (values above 16,777,215 are reserved)");
            var nextBootId = Integer(Header.NextBootId, SsdpRuleIds.UpdateHeaders, 0, int.MaxValue, ViolationSeverity.Error, string.Empty);
            var searchPort = Integer(Header.SearchPort, SsdpRuleIds.SearchPort, 49152, 65535, ViolationSeverity.Warning, string.Empty);
            switch (nts)
            {
                case SsdpNotify.AliveNts:
                    maxAge = MaxAge(required: true, SsdpRuleIds.NotifyHeaders);
                    CheckLocation(SsdpRuleIds.NotifyHeaders);
                    CheckServer(SsdpRuleIds.NotifyHeaders);
                    CheckVersionHeaders(UpnpVersion(Header.Server));
                    break;
                case SsdpNotify.ByeByeNts:
                    if (Has(Header.CacheControl))
                    {
                        maxAge = MaxAge(required: false, SsdpRuleIds.ByeByeHeaders);
                    }

                    break;
                case SsdpNotify.UpdateNts:
                    CheckLocation(SsdpRuleIds.UpdateHeaders);
                    if (!Has(Header.NextBootId))
                    {
                        Add(SsdpRuleIds.UpdateHeaders, "NEXTBOOTID.UPNP.ORG is missing from an ssdp:update.", ViolationSeverity.Error, "NEXTBOOTID.UPNP.ORG");
                    }

                    if (!Has(Header.BootId))
                    {
                        Add(SsdpRuleIds.UpdateHeaders, "BOOTID.UPNP.ORG is missing from an ssdp:update.", ViolationSeverity.Error, "BOOTID.UPNP.ORG");
                    }

                    if (Has(Header.CacheControl))
                    {
                        maxAge = MaxAge(required: false, SsdpRuleIds.UpdateHeaders);
                    }

                    break;
                case "":
                    Add(SsdpRuleIds.NotifyHeaders, Has(Header.Nts) ? "NTS is empty." : "NTS is missing.", ViolationSeverity.Error, "NTS");
                    break;
                default:
                    Add(SsdpRuleIds.NotifyHeaders, $"NTS '{nts}' is none of ssdp:alive, ssdp:byebye, ssdp:update.", ViolationSeverity.Error, "NTS");
                    break;
            }

            return new SsdpNotify
            {
                RequestTarget = Slice(target),
                HttpVersion = Slice(version),
                Host = Get(Header.Host),
                NotificationType = nt,
                Nts = nts,
                Usn = usn,
                Location = Get(Header.Location),
                MaxAge = maxAge,
                Server = Get(Header.Server),
                BootId = bootId,
                ConfigId = configId,
                NextBootId = nextBootId,
                SearchPort = searchPort,
                ExtraHeaders = (IReadOnlyList<SsdpHeader>?)_extras ?? [],
            };
        }

        private void Add(string rule, string message, ViolationSeverity severity, string? location = null)
        {
            Violations ??= new List<Violation>(4);
            Violations.Add(new Violation(rule, message, severity, location));
            if (severity == ViolationSeverity.Error)
            {
                HasError = true;
            }
        }
    }

    /// <summary>
    /// A small per-thread cache of recent header values (direct-mapped, 256 entries): the same device repeats its
    /// LOCATION, SERVER, ST and USN in every message, so a stream of them costs no new strings.
    /// </summary>
    private sealed class AsciiCache
    {
        private const int Size = 256;
        private const int MaxLength = 512;

        [ThreadStatic]
        private static AsciiCache? t_cache;

        private readonly byte[]?[] _keys = new byte[Size][];
        private readonly string?[] _values = new string[Size];

        public static string Get(ReadOnlySpan<byte> ascii)
        {
            if (ascii.Length > MaxLength || ascii.Length < 4)
            {
                return Encoding.ASCII.GetString(ascii);
            }

            var cache = t_cache ??= new AsciiCache();
            var slot = Slot(ascii);
            var key = cache._keys[slot];
            if (key is not null && ascii.SequenceEqual(key))
            {
                return cache._values[slot]!;
            }

            var value = Encoding.ASCII.GetString(ascii);
            cache._keys[slot] = ascii.ToArray();
            cache._values[slot] = value;
            return value;
        }

        private static int Slot(ReadOnlySpan<byte> bytes)
        {
            ulong a, b, c;
            if (bytes.Length >= 8)
            {
                a = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
                b = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[^8..]);
                c = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice((bytes.Length - 8) / 2, 8));
            }
            else
            {
                a = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes);
                b = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[^4..]);
                c = 0;
            }

            var h = ((a * 0x9E3779B97F4A7C15UL) ^ (b * 0xC2B2AE3D27D4EB4FUL) ^ (c * 0x165667B19E3779F9UL)) + (ulong)bytes.Length;
            return (int)((h ^ (h >> 29) ^ (h >> 47)) & (Size - 1));
        }
    }

    private static class Offsets
    {
        /// <summary>The offset of <paramref name="inner"/> within <paramref name="outer"/> (inner is a slice of outer).</summary>
        public static nint Of(ReadOnlySpan<byte> outer, ReadOnlySpan<byte> inner) =>
            System.Runtime.CompilerServices.Unsafe.ByteOffset(
                ref System.Runtime.InteropServices.MemoryMarshal.GetReference(outer),
                ref System.Runtime.InteropServices.MemoryMarshal.GetReference(inner));
    }
}

/// <summary>How a CACHE-CONTROL value deviates from the strict form <c>max-age=N</c> (UDA 1.1 §1.2.2, checklist SSDP-RESP-002).</summary>
[Flags]
public enum SsdpCacheControlFlags
{
    /// <summary>Exactly <c>max-age=N</c>.</summary>
    None = 0,

    /// <summary>Whitespace around '=' (<c>max-age = 1800</c>).</summary>
    SpacesAroundEquals = 1,

    /// <summary>Directives other than max-age (<c>public</c>, <c>no-cache="Ext"</c>).</summary>
    OtherDirectives = 2,

    /// <summary>No max-age directive at all.</summary>
    NoMaxAge = 4,

    /// <summary>max-age without an integer value.</summary>
    InvalidValue = 8,

    /// <summary>The value is quoted (<c>max-age="1800"</c>).</summary>
    Quoted = 16,

    /// <summary>The directive name is not lower case (<c>MAX-AGE</c>).</summary>
    NameCase = 32,

    /// <summary>max-age appears more than once.</summary>
    Repeated = 64,
}
