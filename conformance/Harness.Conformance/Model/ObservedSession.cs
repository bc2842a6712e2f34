using System.Collections.Concurrent;
using Harness.Core.Recording;

namespace Harness.Conformance.Model;

/// <summary>
/// What the rules judge: the traffic records of a session (live, from a <see cref="TrafficRecorder"/>, or read from
/// a capture), the devices found in it, and a cache of parsed forms so that each protocol plugin parses a record
/// at most once per parsed type. Thread-safe.
/// </summary>
public sealed class ObservedSession
{
    private readonly TrafficRecorder? _recorder;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<(long Sequence, Type Type), object?> _parsed = new();
    private readonly Dictionary<string, IReadOnlyList<TrafficRecord>> _byDevice = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Device> _devices;
    private readonly DateTimeOffset? _startedAt;
    private readonly DateTimeOffset? _endedAt;
    private readonly long _droppedFixed;
    private IReadOnlyList<TrafficRecord> _records;
    private Dictionary<long, TrafficRecord>? _bySequence;
    private long _seenVersion;
    private long _version;

    /// <summary>Creates a session over a fixed list of records (e.g. read from a capture).</summary>
    /// <param name="records">The records; kept in <see cref="TrafficRecord.Sequence"/> order.</param>
    /// <param name="devices">The devices under test; ids must be unique.</param>
    /// <param name="source">Where the records come from, e.g. <c>capture: front-door.pcapng</c>.</param>
    /// <param name="startedAt">When observation started; the first record's time when null.</param>
    /// <param name="endedAt">When observation ended; the last record's time when null.</param>
    /// <param name="recordsDropped">How many records were lost (recorder full, capture truncated).</param>
    public ObservedSession(
        IEnumerable<TrafficRecord> records,
        IEnumerable<Device> devices,
        string source,
        DateTimeOffset? startedAt = null,
        DateTimeOffset? endedAt = null,
        long recordsDropped = 0)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentOutOfRangeException.ThrowIfNegative(recordsDropped);
        _records = [.. records.OrderBy(r => r.Sequence)];
        _devices = IndexDevices(devices);
        Devices = [.. _devices.Values.OrderBy(d => d.Id, StringComparer.Ordinal)];
        Source = source;
        _startedAt = startedAt;
        _endedAt = endedAt;
        _droppedFixed = recordsDropped;
    }

    private ObservedSession(TrafficRecorder recorder, IEnumerable<Device> devices, string source, DateTimeOffset? startedAt)
    {
        _recorder = recorder;
        _records = recorder.Snapshot();
        _devices = IndexDevices(devices);
        Devices = [.. _devices.Values.OrderBy(d => d.Id, StringComparer.Ordinal)];
        Source = source;
        _startedAt = startedAt;
        recorder.Recorded += _ => Interlocked.Increment(ref _version);
    }

    /// <summary>
    /// Creates a live session over a recorder: <see cref="Records"/> follows what the recorder has, so the replies an
    /// active rule provokes (recorded by the target into the same recorder) are visible to it and to the report.
    /// </summary>
    public static ObservedSession Live(TrafficRecorder recorder, IEnumerable<Device> devices, string source = "live", DateTimeOffset? startedAt = null)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentException.ThrowIfNullOrEmpty(source);
        return new ObservedSession(recorder, devices, source, startedAt);
    }

    /// <summary>Where the records come from (e.g. <c>live</c>, <c>capture: file.pcapng</c>).</summary>
    public string Source { get; }

    /// <summary>True when the session follows a live recorder.</summary>
    public bool IsLive => _recorder is not null;

    /// <summary>The devices under test, ordered by id.</summary>
    public IReadOnlyList<Device> Devices { get; }

    /// <summary>The records, in sequence order. For a live session, a snapshot refreshed when the recorder grew.</summary>
    public IReadOnlyList<TrafficRecord> Records
    {
        get
        {
            if (_recorder is null)
            {
                return _records;
            }

            lock (_gate)
            {
                var version = Interlocked.Read(ref _version);
                if (version != _seenVersion)
                {
                    _records = _recorder.Snapshot();
                    _bySequence = null;
                    _byDevice.Clear();
                    _seenVersion = version;
                }

                return _records;
            }
        }
    }

    /// <summary>When observation started: as given, else the first record's time, else null.</summary>
    public DateTimeOffset? StartedAt => _startedAt ?? (Records.Count > 0 ? Records[0].Timestamp : null);

    /// <summary>When observation ended: as given, else the last record's time, else null.</summary>
    public DateTimeOffset? EndedAt => _endedAt ?? (Records.Count > 0 ? Records[^1].Timestamp : null);

    /// <summary>How many records were lost, so that a report can say the evidence is incomplete.</summary>
    public long RecordsDropped => _recorder?.Dropped ?? _droppedFixed;

    /// <summary>The device with this id, or null.</summary>
    public Device? FindDevice(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _devices.GetValueOrDefault(id);
    }

    /// <summary>The record with this sequence number, or null when it is not (or no longer) in the session.</summary>
    public TrafficRecord? FindRecord(long sequence)
    {
        var records = Records;
        lock (_gate)
        {
            if (!ReferenceEquals(records, _records))
            {
                return records.FirstOrDefault(r => r.Sequence == sequence);
            }

            _bySequence ??= BuildIndex(records);
            return _bySequence.GetValueOrDefault(sequence);
        }
    }

    /// <summary>
    /// The records sent by or to one of the device's <see cref="Device.Addresses"/>, in order. Attribution by
    /// address only: where several devices share an address (simulators on loopback), a protocol plugin narrows
    /// further by what the messages say (endpoint reference, USN, JID).
    /// </summary>
    public IReadOnlyList<TrafficRecord> RecordsInvolving(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var records = Records;
        lock (_gate)
        {
            if (!ReferenceEquals(records, _records))
            {
                // The live recorder grew between the two reads: answer from the snapshot taken, without caching.
                return [.. records.Where(r => device.IsAt(r.Source) || device.IsAt(r.Destination))];
            }

            if (!_byDevice.TryGetValue(device.Id, out var involving))
            {
                involving = [.. records.Where(r => device.IsAt(r.Source) || device.IsAt(r.Destination))];
                _byDevice[device.Id] = involving;
            }

            return involving;
        }
    }

    /// <summary>
    /// The parsed form of a record, parsed once per record and result type: the first call runs
    /// <paramref name="parser"/>, later calls for the same record and <typeparamref name="T"/> return its result.
    /// Parsers are pure functions of the record (codecs), so a second run under contention is harmless.
    /// </summary>
    public T GetParsed<T>(TrafficRecord record, Func<TrafficRecord, T> parser)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(parser);
        return (T)_parsed.GetOrAdd((record.Sequence, typeof(T)), static (_, state) => state.parser(state.record), (record, parser))!;
    }

    private static Dictionary<long, TrafficRecord> BuildIndex(IReadOnlyList<TrafficRecord> records)
    {
        var index = new Dictionary<long, TrafficRecord>(records.Count);
        foreach (var record in records)
        {
            index.TryAdd(record.Sequence, record);
        }

        return index;
    }

    private static Dictionary<string, Device> IndexDevices(IEnumerable<Device> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var index = new Dictionary<string, Device>(StringComparer.Ordinal);
        foreach (var device in devices)
        {
            ArgumentNullException.ThrowIfNull(device, nameof(devices));
            if (!index.TryAdd(device.Id, device))
            {
                throw new ArgumentException($"Two devices have the id '{device.Id}'.", nameof(devices));
            }
        }

        return index;
    }
}
