using System.Xml.Linq;
using Harness.Xmpp.Core;

namespace Harness.Simulators.Xmpp;

/// <summary>
/// A decorator of a stanza channel that makes an entity deviate on the wire as its quirk says: outgoing presence is
/// rewritten, iq handlers' results and errors are rewritten, some requests are refused before their handler runs.
/// Everything else passes through unchanged.
/// </summary>
internal sealed class QuirkChannel(IXmppStanzaChannel inner, XmppQuirkPlan plan, Func<FakeXmppEntity?> entity) : StanzaChannelDecorator(inner)
{
    public override ValueTask SendAsync(XElement stanza, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        if (plan.Presence is { } rewrite && stanza.Name.LocalName == "presence" && entity() is { } owner)
        {
            stanza = new XElement(stanza);
            rewrite(stanza, owner);
        }

        return Inner.SendAsync(stanza, cancellationToken);
    }

    public override IDisposable RegisterIqHandler(string type, XName payload, Func<XElement, CancellationToken, ValueTask<XElement?>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (plan.Result is null && plan.Error is null && plan.Refuse is null)
        {
            return Inner.RegisterIqHandler(type, payload, handler);
        }

        return Inner.RegisterIqHandler(type, payload, async (iq, cancellationToken) =>
        {
            if (plan.Refuse is not null && entity() is { } owner && plan.Refuse(iq, owner) is { } refusal)
            {
                throw refusal;
            }

            XElement? result;
            try
            {
                result = await handler(iq, cancellationToken).ConfigureAwait(false);
            }
            catch (XmppStanzaException error) when (plan.Error is not null)
            {
                throw plan.Error(iq, error);
            }

            return plan.Result is null ? result : plan.Result(iq, result is null ? null : new XElement(result));
        });
    }
}
