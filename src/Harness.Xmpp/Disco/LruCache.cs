namespace Harness.Xmpp.Disco;

/// <summary>A size-bounded map that evicts the least recently used entry. Not thread-safe: callers lock.</summary>
internal sealed class LruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _map;
    private readonly LinkedList<(TKey Key, TValue Value)> _order = new();
    private int _capacity;

    public LruCache(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
        _map = new Dictionary<TKey, LinkedListNode<(TKey, TValue)>>(comparer);
    }

    public int Count => _map.Count;

    public int Capacity
    {
        get => _capacity;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _capacity = value;
            Trim();
        }
    }

    public IEnumerable<TValue> Values => _order.Select(e => e.Value);

    public bool TryGetValue(TKey key, out TValue value)
    {
        if (_map.TryGetValue(key, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            value = node.Value.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public bool ContainsKey(TKey key) => _map.ContainsKey(key);

    public void Set(TKey key, TValue value)
    {
        if (_map.TryGetValue(key, out var node))
        {
            _order.Remove(node);
            node.Value = (key, value);
            _order.AddFirst(node);
            return;
        }

        _map[key] = _order.AddFirst((key, value));
        Trim();
    }

    public bool Remove(TKey key)
    {
        if (!_map.Remove(key, out var node))
        {
            return false;
        }

        _order.Remove(node);
        return true;
    }

    /// <summary>Removes the entry only while it still holds <paramref name="value"/>.</summary>
    public bool RemoveIf(TKey key, TValue value)
    {
        if (_map.TryGetValue(key, out var node) && EqualityComparer<TValue>.Default.Equals(node.Value.Value, value))
        {
            _map.Remove(key);
            _order.Remove(node);
            return true;
        }

        return false;
    }

    public void Clear()
    {
        _map.Clear();
        _order.Clear();
    }

    private void Trim()
    {
        while (_map.Count > _capacity && _order.Last is { } last)
        {
            _map.Remove(last.Value.Key);
            _order.RemoveLast();
        }
    }
}
