using System.Text;
using System.Xml;
using Harness.WsDiscovery.Messages;

namespace Harness.Conformance.Wsd;

/// <summary>
/// The stimuli that our own writer would never produce: Probes in other prefix and default-namespace forms
/// (WSD-ONV-008, after the ONVIF test specification's namespace-handling cases), and hostile datagrams (WSD-UDP-001).
/// Device-supplied values are escaped.
/// </summary>
internal static class WsdForms
{
    /// <summary>A Probe with prefixes SOAP-ENV, wsa5, wsdd and a Types QName under <paramref name="typePrefix"/>.</summary>
    public static byte[] OddPrefixProbe(WsdProtocol protocol, string messageId, WsdQName type, string typePrefix) =>
        Utf8(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + $"<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"{Attr(WsdProtocol.SoapEnvelopeNamespace)}\" xmlns:wsa5=\"{Attr(protocol.AddressingNamespace)}\" xmlns:wsdd=\"{Attr(protocol.DiscoveryNamespace)}\">"
            + "<SOAP-ENV:Header>"
            + $"<wsa5:MessageID>{Text(messageId)}</wsa5:MessageID>"
            + $"<wsa5:To SOAP-ENV:mustUnderstand=\"true\">{Text(protocol.MulticastTo)}</wsa5:To>"
            + $"<wsa5:Action SOAP-ENV:mustUnderstand=\"true\">{Text(protocol.ProbeAction)}</wsa5:Action>"
            + "</SOAP-ENV:Header><SOAP-ENV:Body>"
            + $"<wsdd:Probe><wsdd:Types xmlns:{typePrefix}=\"{Attr(type.Namespace)}\">{typePrefix}:{Text(type.LocalName)}</wsdd:Types></wsdd:Probe>"
            + "</SOAP-ENV:Body></SOAP-ENV:Envelope>");

    /// <summary>A Probe written with default namespaces throughout (no prefixes on the envelope, header or body).</summary>
    public static byte[] DefaultNamespaceProbe(WsdProtocol protocol, string messageId, WsdQName type) =>
        Utf8(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + $"<Envelope xmlns=\"{Attr(WsdProtocol.SoapEnvelopeNamespace)}\"><Header>"
            + $"<MessageID xmlns=\"{Attr(protocol.AddressingNamespace)}\">{Text(messageId)}</MessageID>"
            + $"<To xmlns=\"{Attr(protocol.AddressingNamespace)}\">{Text(protocol.MulticastTo)}</To>"
            + $"<Action xmlns=\"{Attr(protocol.AddressingNamespace)}\">{Text(protocol.ProbeAction)}</Action>"
            + "</Header><Body>"
            + $"<Probe xmlns=\"{Attr(protocol.DiscoveryNamespace)}\"><Types xmlns:t=\"{Attr(type.Namespace)}\">t:{Text(type.LocalName)}</Types></Probe>"
            + "</Body></Envelope>");

    /// <summary>A Probe whose Types QName has no prefix and resolves through a default namespace declared on d:Types.</summary>
    public static byte[] DefaultNamespaceTypeProbe(WsdProtocol protocol, string messageId, WsdQName type) =>
        Utf8(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + $"<s:Envelope xmlns:s=\"{Attr(WsdProtocol.SoapEnvelopeNamespace)}\" xmlns:a=\"{Attr(protocol.AddressingNamespace)}\" xmlns:d=\"{Attr(protocol.DiscoveryNamespace)}\">"
            + $"<s:Header><a:MessageID>{Text(messageId)}</a:MessageID><a:To>{Text(protocol.MulticastTo)}</a:To><a:Action>{Text(protocol.ProbeAction)}</a:Action></s:Header>"
            + $"<s:Body><d:Probe><d:Types xmlns=\"{Attr(type.Namespace)}\">{Text(type.LocalName)}</d:Types></d:Probe></s:Body></s:Envelope>");

    /// <summary>A truncated envelope: not well-formed.</summary>
    public static byte[] Malformed(WsdProtocol protocol) =>
        Utf8(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + $"<soap:Envelope xmlns:soap=\"{Attr(WsdProtocol.SoapEnvelopeNamespace)}\" xmlns:wsa=\"{Attr(protocol.AddressingNamespace)}\">"
            + "<soap:Header><wsa:Action>" + Text(protocol.ProbeAction) + "</wsa:Action><wsa:MessageID>urn:uuid:");

    /// <summary>An internal-entity expansion bomb (a DTD): must be refused, never expanded.</summary>
    public static byte[] EntityBomb() =>
        Utf8(
            "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
            + "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
            + "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
            + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
            + "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
            + "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">]>"
            + "<lolz>&lol5;</lolz>");

    /// <summary>
    /// A well-formed Probe padded with white space to <paramref name="size"/> octets (beyond DPWS's 32,767 and within one
    /// IPv4 datagram); it asks for a type no device has, so nobody answers it.
    /// </summary>
    public static byte[] Oversize(WsdProtocol protocol, string messageId, int size)
    {
        var head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + $"<s:Envelope xmlns:s=\"{Attr(WsdProtocol.SoapEnvelopeNamespace)}\" xmlns:a=\"{Attr(protocol.AddressingNamespace)}\" xmlns:d=\"{Attr(protocol.DiscoveryNamespace)}\" xmlns:x=\"urn:harness:oversize\">"
            + $"<s:Header><a:MessageID>{Text(messageId)}</a:MessageID><a:To>{Text(protocol.MulticastTo)}</a:To><a:Action>{Text(protocol.ProbeAction)}</a:Action></s:Header>"
            + "<s:Body><d:Probe><d:Types>x:Nothing";
        const string Tail = "</d:Types></d:Probe></s:Body></s:Envelope>";
        var padding = Math.Max(0, size - Encoding.UTF8.GetByteCount(head) - Tail.Length);
        return Utf8(head + new string(' ', padding) + Tail);
    }

    /// <summary>True when <paramref name="name"/> can be written as an XML local name or prefix.</summary>
    public static bool IsNcName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 256)
        {
            return false;
        }

        try
        {
            XmlConvert.VerifyNCName(name);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    /// <summary>A lower-case prefix of letters from <paramref name="random"/>, e.g. <c>hqzkw</c>.</summary>
    public static string RandomPrefix(Random random)
    {
        var chars = new char[6];
        chars[0] = 'h';
        for (var i = 1; i < chars.Length; i++)
        {
#pragma warning disable CA5394 // Test stimuli, not security.
            chars[i] = (char)('a' + random.Next(26));
#pragma warning restore CA5394
        }

        var prefix = new string(chars);
        return prefix is "hsoap" or "hwsa" ? "hxyzab" : prefix;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(string value) =>
        value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Attr(string value) =>
        Text(value).Replace("\"", "&quot;", StringComparison.Ordinal);
}
