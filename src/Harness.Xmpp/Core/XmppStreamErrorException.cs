namespace Harness.Xmpp.Core;

/// <summary>
/// A stream error (RFC 6120 §4.9): either received from the peer (<see cref="FromPeer"/>), or detected here in the
/// peer's data, in which case the stream is closed with this condition sent to the peer.
/// </summary>
public class XmppStreamErrorException : XmppStreamClosedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="condition">The defined condition, e.g. <c>not-well-formed</c>, <c>policy-violation</c>.</param>
    /// <param name="text">Optional text.</param>
    /// <param name="fromPeer">True when the peer sent the error; false when it was detected here.</param>
    public XmppStreamErrorException(string condition, string? text, bool fromPeer)
        : base($"XMPP stream error {condition}" + (fromPeer ? " from the peer" : string.Empty) + (text is null ? string.Empty : ": " + text))
    {
        ArgumentException.ThrowIfNullOrEmpty(condition);
        Condition = condition;
        Text = text;
        FromPeer = fromPeer;
    }

    /// <summary>Creates the exception (<c>undefined-condition</c>, detected here).</summary>
    public XmppStreamErrorException()
        : this("undefined-condition", null, fromPeer: false)
    {
    }

    /// <summary>Creates the exception with a message (<c>undefined-condition</c>, detected here).</summary>
    public XmppStreamErrorException(string message)
        : this("undefined-condition", message, fromPeer: false)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception (<c>undefined-condition</c>, detected here).</summary>
    public XmppStreamErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
        Condition = "undefined-condition";
        Text = message;
    }

    /// <summary>The defined condition's element name (RFC 6120 §4.9.3).</summary>
    public string Condition { get; }

    /// <summary>The text, if any.</summary>
    public string? Text { get; }

    /// <summary>True when the peer sent this error; false when this side detected it (and sent it).</summary>
    public bool FromPeer { get; }
}

/// <summary>Stream negotiation failed (TLS, SASL, binding, component handshake): no stream was established.</summary>
public class XmppNegotiationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="condition">The condition the peer gave (SASL failure or stanza error condition), if any.</param>
    public XmppNegotiationException(string message, string? condition)
        : base(message)
    {
        Condition = condition;
    }

    /// <summary>Creates the exception.</summary>
    public XmppNegotiationException()
        : base("XMPP stream negotiation failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public XmppNegotiationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public XmppNegotiationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The condition the peer gave (e.g. <c>not-authorized</c>), or null.</summary>
    public string? Condition { get; }
}
