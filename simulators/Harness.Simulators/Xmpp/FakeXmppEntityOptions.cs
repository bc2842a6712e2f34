using Harness.Simulators.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harness.Simulators.Xmpp;

/// <summary>What a simulated XMPP entity is.</summary>
public enum XmppEntityKind
{
    /// <summary>A desktop client (client/pc): typical client features, ad-hoc commands, software info, caps in presence.</summary>
    Client,

    /// <summary>A pubsub service (pubsub/service) with a nested node tree (collections and leaves with items).</summary>
    PubsubService,

    /// <summary>A multi-user chat service (conference/text) whose items are its rooms, each answering disco itself.</summary>
    MucService,

    /// <summary>A generic component (component/generic) with a hierarchy of nodes (hierarchy/branch and hierarchy/leaf).</summary>
    Component,
}

/// <summary>Options of a <see cref="FakeXmppEntity"/>.</summary>
public sealed record FakeXmppEntityOptions
{
    /// <summary>What the entity is.</summary>
    public XmppEntityKind Kind { get; init; } = XmppEntityKind.Client;

    /// <summary>The fleet's seed: with <see cref="Index"/> it decides the identity and the disco contents.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The entity's number in its fleet (0-based).</summary>
    public int Index { get; init; }

    /// <summary>Who the entity says it is; derived from <see cref="Seed"/> and <see cref="Index"/> when null.</summary>
    public DeviceIdentity? Identity { get; init; }

    /// <summary>The name of an <see cref="XmppQuirks"/> quirk, or null for a conforming entity.</summary>
    public string? Quirk { get; init; }

    /// <summary>The clock (iq timeouts of the connection made by <see cref="FakeXmppEntity.ConnectAsync"/>).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the entity and its connection log.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Throws when an option is unusable; returns this.</summary>
    public FakeXmppEntityOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Index);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(LoggerFactory);
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown entity kind.");
        }

        if (Quirk is not null && XmppQuirks.Find(Quirk) is null)
        {
            throw new ArgumentException($"Unknown XMPP quirk '{Quirk}'. Known: {string.Join(", ", XmppQuirks.All.Select(q => q.Name))}.", nameof(Quirk));
        }

        return this;
    }
}
