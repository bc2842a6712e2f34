using System.Globalization;
using System.Net;
using System.Text;
using Harness.Core.Recording;

namespace Harness.Conformance.Dpws;

/// <summary>
/// One HTTP message read from the traffic: a whole <see cref="TrafficTransport.Http"/> record, or a message put back
/// together from the <see cref="TrafficTransport.Tcp"/> chunks of a capture. Device-supplied: every field is untrusted.
/// </summary>
internal sealed class DpwsHttpMessage
{
    public required IReadOnlyList<TrafficRecord> Records { get; init; }

    public required bool IsRequest { get; init; }

    /// <summary>The request method (<c>POST</c>), or empty for a response.</summary>
    public string Method { get; init; } = string.Empty;

    /// <summary>The request target (path and query), or empty for a response.</summary>
    public string Target { get; init; } = string.Empty;

    /// <summary>The response status, or 0 for a request.</summary>
    public int Status { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required ReadOnlyMemory<byte> Body { get; init; }

    public TrafficRecord Record => Records[0];

    public IPEndPoint Source => Record.Source;

    public IPEndPoint Destination => Record.Destination;

    public DateTimeOffset Time => Record.Timestamp;

    public string? ContentType => Headers.TryGetValue("Content-Type", out var value) ? value : null;

    public string? Host => Headers.TryGetValue("Host", out var value) ? value : null;
}

/// <summary>
/// Reads HTTP/1.1 messages out of traffic records (pure): whole messages from HTTP records, and requests and responses
/// reassembled from the TCP chunks of each flow direction (Content-Length, chunked, or to the end of the run). Bounded:
/// heads of at most 16 KiB, bodies of at most <see cref="MaxBodyBytes"/>, flows of at most <see cref="MaxFlowBytes"/>.
/// </summary>
internal static class DpwsHttp
{
    public const int MaxHeadBytes = 16 * 1024;
    public const int MaxBodyBytes = 64 * 1024 * 1024;
    public const int MaxFlowBytes = 128 * 1024 * 1024;
    private const int MaxHeaders = 100;

    /// <summary>The HTTP messages of <paramref name="records"/>, in order of their first record.</summary>
    public static IReadOnlyList<DpwsHttpMessage> Read(IReadOnlyList<TrafficRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var messages = new List<DpwsHttpMessage>();
        var flows = new Dictionary<(IPEndPoint From, IPEndPoint To), List<TrafficRecord>>();
        foreach (var record in records)
        {
            if (record.Protocol is not (null or "dpws"))
            {
                continue;
            }

            if (record.Transport == TrafficTransport.Http)
            {
                if (ParseWhole(record) is { } message)
                {
                    messages.Add(message);
                }
            }
            else if (record.Transport == TrafficTransport.Tcp && !record.Payload.IsEmpty)
            {
                var key = (record.Source, record.Destination);
                if (!flows.TryGetValue(key, out var list))
                {
                    list = [];
                    flows.Add(key, list);
                }

                list.Add(record);
            }
        }

        foreach (var flow in flows.Values)
        {
            messages.AddRange(ParseFlow(flow));
        }

        return [.. messages.OrderBy(m => m.Record.Sequence)];
    }

    /// <summary>True when a payload starts like an HTTP request or response.</summary>
    public static bool LooksLikeHttp(ReadOnlySpan<byte> payload) =>
        payload.StartsWith("POST "u8) || payload.StartsWith("GET "u8) || payload.StartsWith("HTTP/1."u8);

    private static DpwsHttpMessage? ParseWhole(TrafficRecord record)
    {
        var payload = record.Payload;
        if (!LooksLikeHttp(payload.Span) || !TryParseHead(payload.Span, out var head, out var headLength))
        {
            return null;
        }

        return Build([record], head, payload[headLength..]);
    }

    private static IEnumerable<DpwsHttpMessage> ParseFlow(List<TrafficRecord> flow)
    {
        if (!LooksLikeHttp(flow[0].Payload.Span))
        {
            yield break;
        }

        var total = 0L;
        var starts = new List<long>(flow.Count);
        foreach (var record in flow)
        {
            starts.Add(total);
            total += record.Payload.Length;
            if (total > MaxFlowBytes)
            {
                break;
            }
        }

        var count = starts.Count;
        var bytes = new byte[(int)Math.Min(total, MaxFlowBytes)];
        for (var i = 0; i < count; i++)
        {
            var payload = flow[i].Payload.Span;
            var take = (int)Math.Min(payload.Length, bytes.Length - starts[i]);
            payload[..take].CopyTo(bytes.AsSpan((int)starts[i]));
        }

        var offset = 0;
        while (offset < bytes.Length)
        {
            var rest = bytes.AsSpan(offset);
            if (!LooksLikeHttp(rest) || !TryParseHead(rest, out var head, out var headLength))
            {
                yield break;
            }

            var bodyStart = offset + headLength;
            int consumed;
            byte[] body;
            if (head.Headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                if (!TryDechunk(bytes.AsSpan(bodyStart), out body, out consumed))
                {
                    yield break;
                }
            }
            else if (head.Headers.TryGetValue("Content-Length", out var lengthText)
                && long.TryParse(lengthText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                if (length > MaxBodyBytes || bodyStart + length > bytes.Length)
                {
                    yield break;
                }

                body = bytes.AsSpan(bodyStart, (int)length).ToArray();
                consumed = (int)length;
            }
            else if (head.IsRequest)
            {
                body = [];
                consumed = 0;
            }
            else
            {
                body = bytes.AsSpan(bodyStart, Math.Min(bytes.Length - bodyStart, MaxBodyBytes)).ToArray();
                consumed = bytes.Length - bodyStart;
            }

            var end = bodyStart + consumed;
            var involved = new List<TrafficRecord>();
            for (var i = 0; i < count; i++)
            {
                var from = starts[i];
                var to = from + flow[i].Payload.Length;
                if (to > offset && from < Math.Max(end, offset + 1))
                {
                    involved.Add(flow[i]);
                }
            }

            yield return Build(involved, head, body);
            offset = end;
        }
    }

    private static DpwsHttpMessage Build(IReadOnlyList<TrafficRecord> records, Head head, ReadOnlyMemory<byte> body) =>
        new()
        {
            Records = records,
            IsRequest = head.IsRequest,
            Method = head.Method,
            Target = head.Target,
            Status = head.Status,
            Headers = head.Headers,
            Body = body,
        };

    private static bool TryParseHead(ReadOnlySpan<byte> data, out Head head, out int headLength)
    {
        head = default;
        headLength = 0;
        var window = data[..Math.Min(data.Length, MaxHeadBytes)];
        var end = window.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return false;
        }

        headLength = end + 4;
        var text = Encoding.Latin1.GetString(window[..end]);
        var lines = text.Split("\r\n");
        var start = lines[0].Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (start.Length < 2)
        {
            return false;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).Take(MaxHeaders))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                var name = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
            }
        }

        if (start[0].StartsWith("HTTP/", StringComparison.Ordinal))
        {
            if (!int.TryParse(start[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                return false;
            }

            head = new Head(false, string.Empty, string.Empty, status, headers);
            return true;
        }

        head = new Head(true, start[0], start[1], 0, headers);
        return true;
    }

    private static bool TryDechunk(ReadOnlySpan<byte> data, out byte[] body, out int consumed)
    {
        using var output = new MemoryStream();
        var offset = 0;
        body = [];
        consumed = 0;
        while (true)
        {
            var lineEnd = data[offset..].IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return false;
            }

            var sizeText = Encoding.Latin1.GetString(data.Slice(offset, lineEnd)).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                return false;
            }

            offset += lineEnd + 2;
            if (size == 0)
            {
                // Trailers (none expected) end with an empty line.
                var trailerEnd = data[offset..].IndexOf("\r\n"u8);
                offset += trailerEnd < 0 ? data.Length - offset : trailerEnd + 2;
                body = output.ToArray();
                consumed = offset;
                return true;
            }

            if (offset + size + 2 > data.Length || output.Length + size > MaxBodyBytes)
            {
                return false;
            }

            output.Write(data.Slice(offset, size));
            offset += size + 2;
        }
    }

    private readonly record struct Head(bool IsRequest, string Method, string Target, int Status, Dictionary<string, string> Headers);
}
