using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Harness.Core.Diagnostics;

namespace Harness.Dpws.Soap;

/// <summary>One MIME part of a multipart/related (MTOM/XOP) package.</summary>
/// <param name="Headers">The part's headers, keyed case-insensitively.</param>
/// <param name="Content">The part's content (decoded when it was sent base64).</param>
public sealed record MtomPart(IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Content)
{
    /// <summary>The Content-ID without angle brackets, or null.</summary>
    public string? ContentId => Headers.TryGetValue("Content-ID", out var id) ? MtomReader.NormalizeContentId(id) : null;

    /// <summary>The Content-Type header value, or null.</summary>
    public string? ContentType => Headers.TryGetValue("Content-Type", out var type) ? type : null;
}

/// <summary>A read MTOM/XOP package: the root part (the SOAP envelope) and the attachments it refers to.</summary>
public sealed class MtomPackage
{
    /// <summary>A package of a root part and attachments.</summary>
    public MtomPackage(MtomPart root, IReadOnlyList<MtomPart> attachments)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(attachments);
        Root = root;
        Attachments = attachments;
    }

    /// <summary>The root part (<c>application/xop+xml</c>, the envelope).</summary>
    public MtomPart Root { get; }

    /// <summary>The other parts, in order.</summary>
    public IReadOnlyList<MtomPart> Attachments { get; }

    /// <summary>
    /// The part a reference names: <c>cid:…</c> (percent-decoded, RFC 2392), <c>&lt;…&gt;</c> or a bare Content-ID;
    /// compared case-sensitively first, then case-insensitively (devices differ); null when absent.
    /// </summary>
    public MtomPart? Find(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var raw = XmlValues.Trim(reference);
        if (raw.StartsWith("cid:", StringComparison.OrdinalIgnoreCase))
        {
            raw = raw[4..];
        }

        var decoded = Uri.UnescapeDataString(raw);
        var id = MtomReader.NormalizeContentId(decoded);
        var rawId = MtomReader.NormalizeContentId(raw);
        return Attachments.FirstOrDefault(p => p.ContentId == id || p.ContentId == rawId)
            ?? Attachments.FirstOrDefault(p => string.Equals(p.ContentId, id, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>The outcome of <see cref="MtomReader.Read"/>.</summary>
/// <param name="Package">The package, or null when it could not be read.</param>
/// <param name="Violations">Deviations found.</param>
/// <param name="Error">Why nothing could be read, or null.</param>
public sealed record MtomReadResult(MtomPackage? Package, IReadOnlyList<Violation> Violations, string? Error = null)
{
    /// <summary>True when <see cref="Package"/> is set.</summary>
    public bool Success => Package is not null;
}

/// <summary>Bounds for <see cref="MtomReader"/>.</summary>
/// <param name="MaxParts">Most parts accepted (default 64).</param>
/// <param name="MaxHeaderBytes">Largest header block of one part (default 16 KiB).</param>
public sealed record MtomReadOptions(int MaxParts = 64, int MaxHeaderBytes = 16 * 1024)
{
    /// <summary>The defaults.</summary>
    public static MtomReadOptions Default { get; } = new();
}

/// <summary>
/// Reads a multipart/related MTOM/XOP package from a whole (size-bounded) body. Lenient where devices deviate and
/// reports it: LF-only line breaks, a missing closing delimiter, a missing <c>start</c> parameter (first part is the
/// root), lower-case header names, Content-IDs without angle brackets, base64 parts. Never throws on a peer's input.
/// </summary>
public static class MtomReader
{
    /// <summary>True when the Content-Type is multipart/related (an MTOM/XOP or SwA package).</summary>
    public static bool IsMultipart(MediaType contentType)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        return contentType.Is("multipart/related");
    }

    /// <summary>Reads the package in <paramref name="body"/> whose Content-Type header is <paramref name="contentType"/>.</summary>
    public static MtomReadResult Read(ReadOnlyMemory<byte> body, MediaType contentType, MtomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        options ??= MtomReadOptions.Default;
        var violations = new List<Violation>();
        if (!contentType.Is("multipart/related"))
        {
            return Fail($"The Content-Type is '{contentType.Value}', not multipart/related.");
        }

        var boundary = contentType["boundary"];
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
        {
            return Fail("The multipart Content-Type has no usable boundary parameter.");
        }

        if (!string.Equals(contentType["type"], "application/xop+xml", StringComparison.OrdinalIgnoreCase))
        {
            violations.Add(new Violation(DpwsRuleIds.Mtom, $"The multipart type parameter is '{contentType["type"]}', not application/xop+xml (MTOM).", ViolationSeverity.Warning, "Content-Type"));
        }

        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var span = body.Span;
        var position = FindDelimiter(span, 0, delimiter, allowAtStart: true, out _);
        if (position < 0)
        {
            return Fail("The body holds no multipart delimiter.");
        }

        if (position > 0)
        {
            violations.Add(new Violation(DpwsRuleIds.Mtom, $"{position} bytes of preamble precede the first delimiter.", ViolationSeverity.Info, "offset 0"));
        }

        var parts = new List<MtomPart>();
        var reportedLf = false;
        while (true)
        {
            var after = position + delimiter.Length;
            if (after + 1 < span.Length && span[after] == '-' && span[after + 1] == '-')
            {
                break;
            }

            while (after < span.Length && (span[after] == ' ' || span[after] == '\t'))
            {
                after++;
            }

            if (after < span.Length && span[after] == '\r')
            {
                after++;
            }

            if (after < span.Length && span[after] == '\n')
            {
                after++;
            }

            if (parts.Count >= options.MaxParts)
            {
                return Fail($"The package has more than {options.MaxParts} parts.");
            }

            var headerEnd = FindHeaderEnd(span, after, options.MaxHeaderBytes, out var bodyStart);
            if (headerEnd < 0)
            {
                return Fail($"Part {parts.Count + 1} has no end of headers within {options.MaxHeaderBytes} bytes.");
            }

            var headers = ParseHeaders(span[after..headerEnd]);
            var next = FindDelimiter(span, bodyStart, delimiter, allowAtStart: false, out var nextLfOnly);
            int contentEnd;
            if (next < 0)
            {
                violations.Add(new Violation(DpwsRuleIds.Mtom, "The package has no closing delimiter; the last part runs to the end of the body.", ViolationSeverity.Error, $"offset {span.Length}"));
                contentEnd = span.Length;
            }
            else
            {
                contentEnd = next - (nextLfOnly ? 1 : 2);
                if (contentEnd < bodyStart)
                {
                    contentEnd = bodyStart;
                }

                if (nextLfOnly && !reportedLf)
                {
                    reportedLf = true;
                    violations.Add(new Violation(DpwsRuleIds.Mtom, "A delimiter is preceded by LF instead of CRLF.", ViolationSeverity.Warning, $"offset {next}"));
                }
            }

            var content = body[bodyStart..contentEnd];
            if (headers.TryGetValue("Content-Transfer-Encoding", out var encoding))
            {
                content = Decode(content, encoding.Trim(), parts.Count, violations);
            }

            parts.Add(new MtomPart(headers, content));
            if (next < 0)
            {
                break;
            }

            position = next;
        }

        if (parts.Count == 0)
        {
            return Fail("The package holds no parts.");
        }

        var rootIndex = 0;
        if (contentType["start"] is { } start)
        {
            var id = NormalizeContentId(start);
            rootIndex = parts.FindIndex(p => p.ContentId == id);
            if (rootIndex < 0)
            {
                violations.Add(new Violation(DpwsRuleIds.Mtom, $"No part has the start Content-ID '{start}'; the first part is taken as the root.", ViolationSeverity.Error, "Content-Type"));
                rootIndex = 0;
            }
        }
        else
        {
            violations.Add(new Violation(DpwsRuleIds.Mtom, "The multipart Content-Type has no start parameter; the first part is taken as the root.", ViolationSeverity.Info, "Content-Type"));
        }

        var root = parts[rootIndex];
        var rootType = MediaType.Parse(root.ContentType);
        if (!rootType.Is("application/xop+xml"))
        {
            violations.Add(new Violation(DpwsRuleIds.Mtom, $"The root part is '{rootType.Value}', not application/xop+xml.", ViolationSeverity.Warning, "root part"));
        }
        else if (rootType["type"] is { } inner && !MediaType.Parse(inner).Is("application/soap+xml"))
        {
            violations.Add(new Violation(DpwsRuleIds.Mtom, $"The root part's type parameter is '{inner}', not application/soap+xml.", ViolationSeverity.Warning, "root part"));
        }

        var attachments = parts.Where((_, i) => i != rootIndex).ToList();
        return new MtomReadResult(new MtomPackage(root, attachments), violations);

        MtomReadResult Fail(string message)
        {
            violations.Add(new Violation(DpwsRuleIds.Mtom, message, ViolationSeverity.Error));
            return new MtomReadResult(null, violations, message);
        }
    }

    /// <summary>A Content-ID or <c>start</c> value without surrounding whitespace and angle brackets.</summary>
    public static string NormalizeContentId(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var id = value.Trim();
        if (id.Length >= 2 && id[0] == '<' && id[^1] == '>')
        {
            id = id[1..^1];
        }

        return id;
    }

    private static int FindDelimiter(ReadOnlySpan<byte> span, int from, byte[] delimiter, bool allowAtStart, out bool lfOnly)
    {
        lfOnly = false;
        var i = from;
        while (i <= span.Length - delimiter.Length)
        {
            var found = span[i..].IndexOf(delimiter);
            if (found < 0)
            {
                return -1;
            }

            var at = i + found;
            if (allowAtStart && at == 0)
            {
                return at;
            }

            if (at >= 1 && span[at - 1] == '\n')
            {
                lfOnly = at < 2 || span[at - 2] != '\r';
                return at;
            }

            i = at + 1;
        }

        return -1;
    }

    private static int FindHeaderEnd(ReadOnlySpan<byte> span, int from, int maxBytes, out int bodyStart)
    {
        bodyStart = -1;
        var limit = Math.Min(span.Length, from + maxBytes);
        if (from < span.Length && span[from] == '\r' && from + 1 < span.Length && span[from + 1] == '\n')
        {
            bodyStart = from + 2;
            return from;
        }

        if (from < span.Length && span[from] == '\n')
        {
            bodyStart = from + 1;
            return from;
        }

        for (var i = from; i < limit; i++)
        {
            if (span[i] != '\n')
            {
                continue;
            }

            if (i + 1 < span.Length && span[i + 1] == '\n')
            {
                bodyStart = i + 2;
                return i;
            }

            if (i + 2 < span.Length && span[i + 1] == '\r' && span[i + 2] == '\n')
            {
                bodyStart = i + 3;
                return i;
            }
        }

        return -1;
    }

    private static Dictionary<string, string> ParseHeaders(ReadOnlySpan<byte> block)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = Encoding.Latin1.GetString(block);
        string? lastName = null;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if ((line[0] == ' ' || line[0] == '\t') && lastName is not null)
            {
                headers[lastName] = headers[lastName] + " " + line.Trim();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            if (headers.TryAdd(name, line[(colon + 1)..].Trim()))
            {
                lastName = name;
            }
        }

        return headers;
    }

    private static ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> content, string encoding, int index, List<Violation> violations)
    {
        if (encoding.Equals("binary", StringComparison.OrdinalIgnoreCase)
            || encoding.Equals("8bit", StringComparison.OrdinalIgnoreCase)
            || encoding.Equals("7bit", StringComparison.OrdinalIgnoreCase))
        {
            return content;
        }

        if (encoding.Equals("base64", StringComparison.OrdinalIgnoreCase))
        {
            violations.Add(new Violation(DpwsRuleIds.Mtom, $"Part {index + 1} is base64-encoded; MTOM sends binary.", ViolationSeverity.Info, $"part {index + 1}"));
            try
            {
                return Convert.FromBase64String(Encoding.ASCII.GetString(content.Span));
            }
            catch (FormatException)
            {
                violations.Add(new Violation(DpwsRuleIds.Mtom, $"Part {index + 1} is not valid base64; kept as sent.", ViolationSeverity.Error, $"part {index + 1}"));
                return content;
            }
        }

        violations.Add(new Violation(DpwsRuleIds.Mtom, $"Part {index + 1} has the unsupported Content-Transfer-Encoding '{encoding}'; kept as sent.", ViolationSeverity.Error, $"part {index + 1}"));
        return content;
    }
}

/// <summary>An attachment to send in an MTOM package.</summary>
/// <param name="ContentId">The Content-ID without angle brackets (e.g. <c>image1@harness</c>); referenced as <c>cid:…</c>.</param>
/// <param name="ContentType">The part's media type (e.g. <c>image/png</c>).</param>
public sealed record MtomAttachment(string ContentId, string ContentType)
{
    /// <summary>The content, when it is in memory.</summary>
    public ReadOnlyMemory<byte> Content { get; init; }

    /// <summary>
    /// A producer that writes the content to the output stream (streaming: large images need not sit in memory);
    /// used instead of <see cref="Content"/> when set. It must not write the boundary.
    /// </summary>
    public Func<Stream, CancellationToken, ValueTask>? WriteContentAsync { get; init; }
}

/// <summary>
/// Writes MTOM/XOP multipart/related packages: the root part (the envelope, <c>application/xop+xml</c>) then each
/// attachment, binary, with CRLF line breaks. Deterministic for a given boundary; streaming-friendly (parts are
/// written one after the other straight to the output).
/// </summary>
public static class MtomWriter
{
    /// <summary>The Content-ID of the root part this writer uses unless told otherwise.</summary>
    public const string DefaultRootContentId = "root.envelope@harness";

    /// <summary>A boundary from a seeded generator: <c>MIMEBoundary_</c> plus 32 hex digits.</summary>
    public static string NewBoundary(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return "MIMEBoundary_" + Convert.ToHexStringLower(bytes);
    }

    /// <summary>The HTTP Content-Type of a package: <c>multipart/related; type="application/xop+xml"; boundary=…; start=…; start-info="application/soap+xml"</c>.</summary>
    public static string ContentType(string boundary, string rootContentId = DefaultRootContentId)
    {
        ArgumentException.ThrowIfNullOrEmpty(boundary);
        ArgumentException.ThrowIfNullOrEmpty(rootContentId);
        return $"multipart/related; type=\"application/xop+xml\"; boundary=\"{boundary}\"; start=\"<{rootContentId}>\"; start-info=\"application/soap+xml\"";
    }

    /// <summary>An <c>xop:Include</c> element referring to <paramref name="contentId"/>.</summary>
    public static XElement Include(string contentId)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentId);
        return new XElement(XName.Get("Include", DpwsNamespaces.Xop), new XAttribute("href", "cid:" + contentId));
    }

    /// <summary>The whole package as bytes (attachments must hold their content in memory).</summary>
    public static byte[] Write(string boundary, ReadOnlyMemory<byte> envelope, IReadOnlyList<MtomAttachment> attachments, string rootContentId = DefaultRootContentId)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        using var stream = new MemoryStream();
        var header = Validate(boundary, envelope, attachments, rootContentId, requireMemory: true);
        stream.Write(header);
        stream.Write(envelope.Span);
        foreach (var attachment in attachments)
        {
            stream.Write(PartHeader(boundary, attachment.ContentId, attachment.ContentType));
            stream.Write(attachment.Content.Span);
        }

        stream.Write(Encoding.ASCII.GetBytes("\r\n--" + boundary + "--\r\n"));
        return stream.ToArray();
    }

    /// <summary>Writes the package to <paramref name="output"/>, part by part (attachment producers stream their content).</summary>
    public static async Task WriteAsync(Stream output, string boundary, ReadOnlyMemory<byte> envelope, IReadOnlyList<MtomAttachment> attachments, string rootContentId = DefaultRootContentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(attachments);
        var header = Validate(boundary, envelope, attachments, rootContentId, requireMemory: false);
        await output.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(envelope, cancellationToken).ConfigureAwait(false);
        foreach (var attachment in attachments)
        {
            await output.WriteAsync(PartHeader(boundary, attachment.ContentId, attachment.ContentType), cancellationToken).ConfigureAwait(false);
            if (attachment.WriteContentAsync is { } producer)
            {
                await producer(output, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await output.WriteAsync(attachment.Content, cancellationToken).ConfigureAwait(false);
            }
        }

        await output.WriteAsync(Encoding.ASCII.GetBytes("\r\n--" + boundary + "--\r\n"), cancellationToken).ConfigureAwait(false);
    }

    private static byte[] Validate(string boundary, ReadOnlyMemory<byte> envelope, IReadOnlyList<MtomAttachment> attachments, string rootContentId, bool requireMemory)
    {
        ArgumentException.ThrowIfNullOrEmpty(boundary);
        ArgumentException.ThrowIfNullOrEmpty(rootContentId);
        if (boundary.Length > 70 || boundary.Any(c => c is < ' ' or > '~' or '"'))
        {
            throw new ArgumentException("The boundary must be 1 to 70 printable ASCII characters without quotes (RFC 2046).", nameof(boundary));
        }

        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        if (envelope.Span.IndexOf(delimiter) >= 0)
        {
            throw new ArgumentException("The envelope contains the boundary.", nameof(boundary));
        }

        foreach (var attachment in attachments)
        {
            ArgumentNullException.ThrowIfNull(attachment);
            ArgumentException.ThrowIfNullOrEmpty(attachment.ContentId);
            ArgumentException.ThrowIfNullOrEmpty(attachment.ContentType);
            if (attachment.ContentId.Any(c => c is < ' ' or > '~' or '<' or '>'))
            {
                throw new ArgumentException($"The Content-ID '{attachment.ContentId}' must be printable ASCII without angle brackets.", nameof(attachments));
            }

            if (attachment.WriteContentAsync is null && attachment.Content.Span.IndexOf(delimiter) >= 0)
            {
                throw new ArgumentException($"Attachment {attachment.ContentId} contains the boundary.", nameof(attachments));
            }

            if (requireMemory && attachment.WriteContentAsync is not null)
            {
                throw new ArgumentException("Streaming attachments need WriteAsync.", nameof(attachments));
            }
        }

        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"--{boundary}\r\nContent-Type: application/xop+xml; charset=utf-8; type=\"application/soap+xml\"\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <{rootContentId}>\r\n\r\n");
        return Encoding.ASCII.GetBytes(text);
    }

    private static byte[] PartHeader(string boundary, string contentId, string contentType) =>
        Encoding.ASCII.GetBytes($"\r\n--{boundary}\r\nContent-Type: {contentType}\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <{contentId}>\r\n\r\n");
}

/// <summary>Reads binary content an element carries: an <c>xop:Include</c> into an MTOM package, or inline base64.</summary>
public static class XopContent
{
    /// <summary>
    /// The bytes <paramref name="element"/> carries: through its <c>xop:Include href="cid:…"</c> child from
    /// <paramref name="package"/>, or as base64 text; null (with a violation) when neither resolves.
    /// </summary>
    public static ReadOnlyMemory<byte>? Read(XElement element, MtomPackage? package, ICollection<Violation> violations)
    {
        ArgumentNullException.ThrowIfNull(element);
        ArgumentNullException.ThrowIfNull(violations);
        var include = element.Element(XName.Get("Include", DpwsNamespaces.Xop));
        if (include is not null)
        {
            var href = (string?)include.Attribute("href");
            if (string.IsNullOrWhiteSpace(href))
            {
                violations.Add(new Violation(DpwsRuleIds.Mtom, "xop:Include has no href.", ViolationSeverity.Error, SoapReader.Path(include)));
                return null;
            }

            if (package?.Find(href) is { } part)
            {
                return part.Content;
            }

            violations.Add(new Violation(DpwsRuleIds.Mtom, $"xop:Include refers to '{href}', which is not a part of the package.", ViolationSeverity.Error, SoapReader.Path(include)));
            return null;
        }

        var text = XmlValues.Trim(element.Value);
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            violations.Add(new Violation(DpwsRuleIds.Mtom, $"{element.Name.LocalName} holds neither an xop:Include nor base64 content.", ViolationSeverity.Error, SoapReader.Path(element)));
            return null;
        }
    }
}
