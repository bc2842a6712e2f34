using System.Xml.Linq;

namespace Harness.Xmpp.Disco;

/// <summary>
/// What one disco node (the entity itself or a named node of it) says about itself: identities (each with names per
/// language), features, XEP-0128 extension forms and items. The disco#info feature is always listed and cannot be
/// removed. Registering something twice, or removing something that is not there, is an error (a bug in the caller),
/// as is removing the last identity. <see cref="InfoChanged"/> fires after identities, features or forms change.
/// Thread-safe. The getters are virtual so that a subclass can answer per request (or deviate on purpose).
/// </summary>
public class Node
{
    /// <summary>The feature every disco#info responder lists (XEP-0030 §3.1).</summary>
    public const string DiscoInfoFeature = DiscoCodec.InfoNamespaceName;

    private readonly Lock _gate = new();
    private readonly List<IdentityEntry> _identities = [];
    private readonly List<string> _features = [];
    private readonly List<DataForm> _forms = [];
    private readonly List<DiscoItem> _items = [];

    /// <summary>Raised after identities, features or forms changed (not items: they do not take part in caps).</summary>
    public event EventHandler? InfoChanged;

    /// <summary>Registers an identity with an optional name without language.</summary>
    /// <exception cref="InvalidOperationException">An identity with this category and type is already registered.</exception>
    public void RegisterIdentity(string category, string type, string? name = null) =>
        RegisterIdentity(category, type, name is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [string.Empty] = name });

    /// <summary>
    /// Registers an identity with names per language: the key is the <c>xml:lang</c> (empty for a name without
    /// language). No names gives one identity without name.
    /// </summary>
    /// <exception cref="InvalidOperationException">An identity with this category and type is already registered.</exception>
    public void RegisterIdentity(string category, string type, IReadOnlyDictionary<string, string> namesByLang)
    {
        ArgumentException.ThrowIfNullOrEmpty(category);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(namesByLang);
        lock (_gate)
        {
            if (FindIdentity(category, type) >= 0)
            {
                throw new InvalidOperationException($"The identity {category}/{type} is already registered.");
            }

            _identities.Add(new IdentityEntry(category, type, Copy(namesByLang)));
        }

        OnInfoChanged();
    }

    /// <summary>Replaces the names of a registered identity.</summary>
    /// <exception cref="KeyNotFoundException">No identity with this category and type is registered.</exception>
    public void SetIdentityNames(string category, string type, IReadOnlyDictionary<string, string> namesByLang)
    {
        ArgumentNullException.ThrowIfNull(namesByLang);
        lock (_gate)
        {
            var index = FindIdentity(category, type);
            if (index < 0)
            {
                throw new KeyNotFoundException($"The identity {category}/{type} is not registered.");
            }

            _identities[index] = new IdentityEntry(category, type, Copy(namesByLang));
        }

        OnInfoChanged();
    }

    /// <summary>Removes an identity.</summary>
    /// <exception cref="KeyNotFoundException">No identity with this category and type is registered.</exception>
    /// <exception cref="InvalidOperationException">It is the last identity: a node always has one.</exception>
    public void UnregisterIdentity(string category, string type)
    {
        lock (_gate)
        {
            var index = FindIdentity(category, type);
            if (index < 0)
            {
                throw new KeyNotFoundException($"The identity {category}/{type} is not registered.");
            }

            if (_identities.Count == 1)
            {
                throw new InvalidOperationException("The last identity of a node cannot be removed.");
            }

            _identities.RemoveAt(index);
        }

        OnInfoChanged();
    }

    /// <summary>Registers a feature.</summary>
    /// <exception cref="InvalidOperationException">The feature is already registered (the disco#info feature always is).</exception>
    public void RegisterFeature(string feature)
    {
        ArgumentException.ThrowIfNullOrEmpty(feature);
        lock (_gate)
        {
            if (feature == DiscoInfoFeature || _features.Contains(feature, StringComparer.Ordinal))
            {
                throw new InvalidOperationException($"The feature '{feature}' is already registered.");
            }

            _features.Add(feature);
        }

        OnInfoChanged();
    }

    /// <summary>Removes a feature.</summary>
    /// <exception cref="InvalidOperationException">The feature is the disco#info feature, which is always present.</exception>
    /// <exception cref="KeyNotFoundException">The feature is not registered.</exception>
    public void UnregisterFeature(string feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (feature == DiscoInfoFeature)
        {
            throw new InvalidOperationException("The disco#info feature is always present and cannot be removed.");
        }

        lock (_gate)
        {
            if (!_features.Remove(feature))
            {
                throw new KeyNotFoundException($"The feature '{feature}' is not registered.");
            }
        }

        OnInfoChanged();
    }

    /// <summary>True when the feature is listed (the disco#info feature always is).</summary>
    public bool HasFeature(string feature)
    {
        if (feature == DiscoInfoFeature)
        {
            return true;
        }

        lock (_gate)
        {
            return _features.Contains(feature, StringComparer.Ordinal);
        }
    }

    /// <summary>Adds a XEP-0128 extension form; it must have a FORM_TYPE, unique on this node.</summary>
    /// <exception cref="ArgumentException">The form has no FORM_TYPE value.</exception>
    /// <exception cref="InvalidOperationException">A form with the same FORM_TYPE is already registered.</exception>
    public void RegisterForm(DataForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var formType = form.FormType ?? throw new ArgumentException("An extension form needs a FORM_TYPE value.", nameof(form));
        lock (_gate)
        {
            if (_forms.Exists(f => f.FormType == formType))
            {
                throw new InvalidOperationException($"A form of type '{formType}' is already registered.");
            }

            _forms.Add(form);
        }

        OnInfoChanged();
    }

    /// <summary>Removes the extension form with this FORM_TYPE.</summary>
    /// <exception cref="KeyNotFoundException">No such form is registered.</exception>
    public void UnregisterForm(string formType)
    {
        lock (_gate)
        {
            if (_forms.RemoveAll(f => f.FormType == formType) == 0)
            {
                throw new KeyNotFoundException($"No form of type '{formType}' is registered.");
            }
        }

        OnInfoChanged();
    }

    /// <summary>Adds an item (disco#items).</summary>
    public void AddItem(DiscoItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_gate)
        {
            _items.Add(item);
        }
    }

    /// <summary>Removes an item; false when it was not there.</summary>
    public bool RemoveItem(DiscoItem item)
    {
        lock (_gate)
        {
            return _items.Remove(item);
        }
    }

    /// <summary>The identities, one per (identity, language) pair; <paramref name="request"/> is the iq asking, or null.</summary>
    public virtual IReadOnlyList<Identity> GetIdentities(XElement? request = null)
    {
        lock (_gate)
        {
            var result = new List<Identity>(_identities.Count);
            foreach (var entry in _identities)
            {
                if (entry.Names.Count == 0)
                {
                    result.Add(new Identity(entry.Category, entry.Type));
                    continue;
                }

                foreach (var (lang, name) in entry.Names)
                {
                    result.Add(new Identity(entry.Category, entry.Type, name, lang.Length == 0 ? null : lang));
                }
            }

            return result;
        }
    }

    /// <summary>The features, the disco#info feature first.</summary>
    public virtual IReadOnlyList<string> GetFeatures(XElement? request = null)
    {
        lock (_gate)
        {
            var result = new List<string>(_features.Count + 1) { DiscoInfoFeature };
            result.AddRange(_features);
            return result;
        }
    }

    /// <summary>The XEP-0128 extension forms.</summary>
    public virtual IReadOnlyList<DataForm> GetForms(XElement? request = null)
    {
        lock (_gate)
        {
            return [.. _forms];
        }
    }

    /// <summary>The items.</summary>
    public virtual IReadOnlyList<DiscoItem> GetItems(XElement? request = null)
    {
        lock (_gate)
        {
            return [.. _items];
        }
    }

    /// <summary>The disco#info answer of this node (with <paramref name="node"/> as its node attribute).</summary>
    public DiscoInfo ToDiscoInfo(XElement? request = null, string? node = null) =>
        new(GetIdentities(request), GetFeatures(request), GetForms(request), node);

    /// <summary>Raises <see cref="InfoChanged"/>.</summary>
    protected void OnInfoChanged() => InfoChanged?.Invoke(this, EventArgs.Empty);

    /// <summary>Copies state from another node (used by <see cref="StaticNode.Clone(Node)"/>).</summary>
    private protected void CopyFrom(Node other)
    {
        var identities = other.GetIdentities();
        var features = other.GetFeatures();
        var forms = other.GetForms();
        var items = other.GetItems();
        lock (_gate)
        {
            foreach (var identity in identities)
            {
                var index = FindIdentity(identity.Category, identity.Type);
                if (index < 0)
                {
                    _identities.Add(new IdentityEntry(identity.Category, identity.Type, []));
                    index = _identities.Count - 1;
                }

                if (identity.Name is not null || identity.Lang is not null)
                {
                    _identities[index].Names[identity.Lang ?? string.Empty] = identity.Name ?? string.Empty;
                }
            }

            foreach (var feature in features)
            {
                if (feature != DiscoInfoFeature && !_features.Contains(feature, StringComparer.Ordinal))
                {
                    _features.Add(feature);
                }
            }

            _forms.AddRange(forms);
            _items.AddRange(items);
        }
    }

    private int FindIdentity(string category, string type) =>
        _identities.FindIndex(e => e.Category == category && e.Type == type);

    private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string> names)
    {
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (lang, name) in names)
        {
            ArgumentNullException.ThrowIfNull(lang, nameof(names));
            ArgumentNullException.ThrowIfNull(name, nameof(names));
            copy[lang] = name;
        }

        return copy;
    }

    private sealed record IdentityEntry(string Category, string Type, Dictionary<string, string> Names);
}

/// <summary>
/// A node whose contents were copied from another at one moment (<see cref="Clone(Node)"/>): what the caps nodes
/// <c>NODE#VER</c> answer, so that an old ver keeps answering with the info it was computed from.
/// </summary>
public sealed class StaticNode : Node
{
    /// <summary>A snapshot of <paramref name="node"/>: its identities, features, forms and items now.</summary>
    public static StaticNode Clone(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var copy = new StaticNode();
        copy.CopyFrom(node);
        return copy;
    }
}

/// <summary>
/// A feature a service owns on a <see cref="Node"/> (like <c>aioxmpp.disco.register_feature</c>): enable and disable it
/// as the service's state changes; disposing disables it for good.
/// </summary>
public sealed class RegisteredFeature : IDisposable
{
    private readonly Node _node;
    private readonly Lock _gate = new();
    private bool _enabled;
    private bool _disposed;

    /// <summary>Creates the handle; registers the feature now when <paramref name="enabled"/>.</summary>
    /// <exception cref="InvalidOperationException">Enabled, and the feature is already registered by someone else.</exception>
    public RegisteredFeature(Node node, string feature, bool enabled = true)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentException.ThrowIfNullOrEmpty(feature);
        _node = node;
        Feature = feature;
        if (enabled)
        {
            Enable();
        }
    }

    /// <summary>The feature var.</summary>
    public string Feature { get; }

    /// <summary>True while the feature is registered through this handle.</summary>
    public bool IsEnabled
    {
        get
        {
            lock (_gate)
            {
                return _enabled;
            }
        }
    }

    /// <summary>Registers the feature (nothing when already enabled).</summary>
    public void Enable()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_enabled)
            {
                return;
            }

            _node.RegisterFeature(Feature);
            _enabled = true;
        }
    }

    /// <summary>Unregisters the feature (nothing when already disabled).</summary>
    public void Disable()
    {
        lock (_gate)
        {
            if (!_enabled)
            {
                return;
            }

            _node.UnregisterFeature(Feature);
            _enabled = false;
        }
    }

    /// <summary>Disables the feature; the handle cannot be enabled again.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Disable();
            _disposed = true;
        }
    }
}
