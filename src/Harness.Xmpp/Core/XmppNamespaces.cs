using System.Xml.Linq;

namespace Harness.Xmpp.Core;

/// <summary>The XML namespaces of the XMPP core (RFC 6120) and the component protocol (XEP-0114).</summary>
public static class XmppNamespaces
{
    /// <summary><c>http://etherx.jabber.org/streams</c>: the stream element, features and stream errors.</summary>
    public static readonly XNamespace Streams = "http://etherx.jabber.org/streams";

    /// <summary><c>urn:ietf:params:xml:ns:xmpp-streams</c>: stream error conditions.</summary>
    public static readonly XNamespace StreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";

    /// <summary><c>urn:ietf:params:xml:ns:xmpp-stanzas</c>: stanza error conditions.</summary>
    public static readonly XNamespace Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";

    /// <summary><c>jabber:client</c>: the content namespace of client streams.</summary>
    public static readonly XNamespace Client = "jabber:client";

    /// <summary><c>jabber:server</c>: the content namespace of server-to-server streams.</summary>
    public static readonly XNamespace Server = "jabber:server";

    /// <summary><c>jabber:component:accept</c>: the content namespace of XEP-0114 component streams.</summary>
    public static readonly XNamespace ComponentAccept = "jabber:component:accept";

    /// <summary><c>urn:ietf:params:xml:ns:xmpp-tls</c>: STARTTLS.</summary>
    public static readonly XNamespace Tls = "urn:ietf:params:xml:ns:xmpp-tls";

    /// <summary><c>urn:ietf:params:xml:ns:xmpp-sasl</c>: SASL.</summary>
    public static readonly XNamespace Sasl = "urn:ietf:params:xml:ns:xmpp-sasl";

    /// <summary><c>urn:ietf:params:xml:ns:xmpp-bind</c>: resource binding.</summary>
    public static readonly XNamespace Bind = "urn:ietf:params:xml:ns:xmpp-bind";

    /// <summary><c>urn:ietf:params:xml:ns:xmpp-session</c>: the legacy session establishment (RFC 3921).</summary>
    public static readonly XNamespace Session = "urn:ietf:params:xml:ns:xmpp-session";

    /// <summary>True for the namespaces that carry stanzas (client, server, component).</summary>
    public static bool IsContentNamespace(XNamespace ns) => ns == Client || ns == Server || ns == ComponentAccept;
}
