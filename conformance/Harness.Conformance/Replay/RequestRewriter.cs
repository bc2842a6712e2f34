using System.Text;
using Harness.WsDiscovery.Messages;

namespace Harness.Conformance.Replay;

/// <summary>Gives a captured request a new MessageID, keeping its bytes when it can.</summary>
internal static class RequestRewriter
{
    /// <summary>
    /// The request with <paramref name="messageId"/> in place of its own: the captured bytes with the MessageID text
    /// replaced when it occurs exactly once and the result reads back as the same kind with the new id; else the parsed
    /// request written by <see cref="WsdMessageWriter"/>; null when neither works.
    /// </summary>
    public static (byte[] Payload, ReplayRequestEncoding Encoding)? Rewrite(ReadOnlySpan<byte> original, WsdMessage message, string messageId, bool preserveBytes, WsdReadOptions readOptions)
    {
        if (preserveBytes && message.Header.MessageId is { Length: > 0 } oldId)
        {
            var old = Encoding.UTF8.GetBytes(oldId);
            var first = original.IndexOf(old);
            if (first >= 0 && original[(first + old.Length)..].IndexOf(old) < 0)
            {
                var fresh = Encoding.UTF8.GetBytes(messageId);
                var bytes = new byte[original.Length - old.Length + fresh.Length];
                original[..first].CopyTo(bytes);
                fresh.CopyTo(bytes.AsSpan(first));
                original[(first + old.Length)..].CopyTo(bytes.AsSpan(first + fresh.Length));
                var check = WsdMessageReader.Read(bytes, readOptions).Message;
                if (check is not null && check.GetType() == message.GetType() && string.Equals(check.Header.MessageId, messageId, StringComparison.Ordinal))
                {
                    return (bytes, ReplayRequestEncoding.OriginalBytes);
                }
            }
        }

        try
        {
            return (WsdMessageWriter.Write(message with { Header = message.Header with { MessageId = messageId } }), ReplayRequestEncoding.Rewritten);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
