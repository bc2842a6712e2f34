using System.Xml.Linq;

namespace Harness.Xmpp.Core;

/// <summary>
/// A stanza error (RFC 6120 §8.3): an error iq received in answer to a request, or thrown by an iq handler to
/// make the channel answer with one.
/// </summary>
public class XmppStanzaException : Exception
{
    /// <summary>The stanza-error namespace.</summary>
    public static readonly XNamespace StanzasNamespace = "urn:ietf:params:xml:ns:xmpp-stanzas";

    /// <summary>Creates the exception.</summary>
    /// <param name="type">The error type: <c>auth</c>, <c>cancel</c>, <c>continue</c>, <c>modify</c> or <c>wait</c>.</param>
    /// <param name="condition">The defined condition, e.g. <c>item-not-found</c>, <c>service-unavailable</c>.</param>
    /// <param name="text">Optional human-readable text.</param>
    /// <param name="stanza">The error stanza received, when there is one.</param>
    public XmppStanzaException(string type, string condition, string? text = null, XElement? stanza = null)
        : base($"XMPP stanza error {type}/{condition}" + (text is null ? string.Empty : ": " + text))
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(condition);
        ErrorType = type;
        Condition = condition;
        Text = text;
        Stanza = stanza;
    }

    /// <summary>Creates the exception with a default message (a generic <c>cancel/undefined-condition</c>).</summary>
    public XmppStanzaException()
        : this("cancel", "undefined-condition")
    {
    }

    /// <summary>Creates the exception with a message (a generic <c>cancel/undefined-condition</c>).</summary>
    public XmppStanzaException(string message)
        : this("cancel", "undefined-condition", message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public XmppStanzaException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorType = "cancel";
        Condition = "undefined-condition";
        Text = message;
    }

    /// <summary>The error type attribute.</summary>
    public string ErrorType { get; }

    /// <summary>The defined condition element's local name.</summary>
    public string Condition { get; }

    /// <summary>The text element, if any.</summary>
    public string? Text { get; }

    /// <summary>The error stanza received, when there is one.</summary>
    public XElement? Stanza { get; }
}

/// <summary>The stream closed (stream error, end of stream, connection lost) while a request waited.</summary>
public class XmppStreamClosedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public XmppStreamClosedException()
        : base("The XMPP stream is closed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public XmppStreamClosedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public XmppStreamClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
