using System.Net;
using System.Text;
using Harness.Core.Transport;
using Harness.Ssdp.Engine;
using Harness.Ssdp.Messages;

namespace Harness.Ssdp.Tests.Engine;

/// <summary>
/// Seeded hostile input for the SSDP receive loops: random bytes, truncated and bit-flipped messages, header bombs,
/// oversize datagrams, NULs and invalid UTF-8, absurd numbers, floods of valid-looking alives, byebyes and searches
/// for random USNs from random senders. Nothing our writer would produce on purpose.
/// </summary>
internal static class HostileSsdp
{
    public static IEnumerable<byte[]> Generate(int seed, int count)
    {
        var random = new Random(seed);
        var valid = new[]
        {
            Encoding.ASCII.GetBytes(Messages.SsdpVectors.UdaSearch),
            Encoding.ASCII.GetBytes(Messages.SsdpVectors.UdaResponse),
            Encoding.ASCII.GetBytes(Messages.SsdpVectors.UdaAlive),
            Encoding.ASCII.GetBytes(Messages.SsdpVectors.UdaUpdate),
            Encoding.ASCII.GetBytes(Messages.SsdpVectors.WindowsPnrp),
        };
        for (var i = 0; i < count; i++)
        {
            var usn = $"uuid:{Guid.NewGuid()}";
            yield return (i % 20) switch
            {
                0 => RandomBytes(random, random.Next(0, 1500)),
                1 => Truncate(random, valid[random.Next(valid.Length)]),
                2 => Flip(random, valid[random.Next(valid.Length)]),
                3 => Utf8(Scene.Search(random.Next(4) == 0 ? "ssdp:all" : "urn:schemas-upnp-org:device:Random" + random.Next(100) + ":1", mx: random.Next(1, 6).ToString(System.Globalization.CultureInfo.InvariantCulture))),
                4 => Utf8(Messages.SsdpVectors.UdaResponse.Replace("uuid:4d696e69-444c-164e-9d41-b827eb96c6c2", usn, StringComparison.Ordinal)),
                5 => Utf8(Messages.SsdpVectors.UdaAlive.Replace("uuid:4d696e69-444c-164e-9d41-b827eb96c6c2", usn, StringComparison.Ordinal).Replace("max-age=1800", "max-age=" + random.Next(0, 100_000), StringComparison.Ordinal)),
                6 => Utf8(Messages.SsdpVectors.UdaByeBye.Replace("uuid:4d696e69-444c-164e-9d41-b827eb96c6c2", usn, StringComparison.Ordinal)),
                7 => Utf8(Messages.SsdpVectors.UdaUpdate.Replace("1740830401", random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)),
                8 => Utf8("NOTIFY * HTTP/1.1\r\n" + string.Concat(Enumerable.Range(0, 300).Select(n => $"X-{n}: {n}\r\n")) + "\r\n"),
                9 => i % 60 == 9 ? Utf8(Messages.SsdpVectors.UdaResponse.Replace("EXT:", "X: " + new string('x', 17_000) + "\r\nEXT:", StringComparison.Ordinal)) : [],
                10 => Utf8(Messages.SsdpVectors.UdaAlive.Replace("Harness/1.0", "Har\0\u0001\u007Fness", StringComparison.Ordinal)),
                11 => [.. Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nSERVER: "), 0xC3, 0x28, 0xA0, 0xA1, 0xF0, 0x28, 0x8C, 0xBC, .. Encoding.ASCII.GetBytes("\r\nUSN: " + usn + "\r\nST: " + usn + "\r\n\r\n")],
                12 => Utf8(Messages.SsdpVectors.UdaAlive.Replace("max-age=1800", random.Next(4) switch { 0 => "max-age=99999999999999999999999", 1 => "max-age=-1", 2 => "max-age=", _ => "\"max-age=\"\"\"," }, StringComparison.Ordinal)),
                13 => Utf8(Scene.Search("ssdp:all", mx: random.Next(3) switch { 0 => "-1", 1 => "abc", _ => "99999999999999999999" })),
                14 => Utf8(random.Next(3) switch { 0 => "M-SEARCH", 1 => "NOTIFY", _ => "HTTP/1.1 200" }),
                15 => Utf8(Messages.SsdpVectors.UdaAlive.Replace("\r\n", random.Next(2) == 0 ? "\n" : "\r", StringComparison.Ordinal)),
                16 => [],
                17 => Utf8("HTTP/1.1 200 OK\r\n" + new string('A', 10_000) + "\r\n\r\n"),
                18 => Utf8("NOTIFY * HTTP/1.1\r\n::::::\r\n:\r\n : \r\nNT:\r\nUSN:\r\nNTS:\r\n\r\n"),
                _ => Utf8(Messages.SsdpVectors.UdaResponse.Replace("urn:schemas-upnp-org:device:MediaServer:1", "urn:x:" + new string(':', random.Next(0, 50)), StringComparison.Ordinal)),
            };
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Truncate(Random random, byte[] valid) => valid[..random.Next(0, valid.Length)];

    private static byte[] Flip(Random random, byte[] valid)
    {
        var copy = (byte[])valid.Clone();
        for (var i = 0; i < 1 + random.Next(8); i++)
        {
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
        }

        return copy;
    }
}

/// <summary>
/// Acceptance: 100,000 random and mutated datagrams on port 1900 crash or stall neither the advertiser nor the control
/// point (DESIGN.md principle 6), and afterwards each still does its job.
/// </summary>
public class HostileInputTests
{
    private const int HostileCount = 100_000;
    private const int Batch = 5_000;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private static async Task FloodAsync(IDatagramTransport attacker, IEnumerable<byte[]> datagrams, IPEndPoint unicast, Func<long> handled)
    {
        var sent = 0L;
        var baseline = handled();
        foreach (var datagram in datagrams)
        {
            await attacker.SendAsync(datagram, sent % 2 == 0 ? Scene.Group : unicast, CancellationToken.None);
            if (++sent % Batch == 0)
            {
                // Keep the queues short: let the engine catch up (bounded in real time) before the next batch.
                var deadline = DateTime.UtcNow + Patience;
                while (handled() - baseline < sent && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(5);
                }
            }
        }
    }

    [Fact]
    public async Task Advertiser_HundredThousandHostileDatagrams_StillAnswersValidSearch()
    {
        var clock = new TestClock();
        var network = new InMemoryNetwork(clock) { ReceiveQueueCapacity = 2 * Batch };
        var advertiser = new SsdpAdvertiser(Scene.Listener(network, Scene.DeviceHost), new SsdpAdvertiserOptions { InitialDelay = TimeSpan.FromDays(1), Seed = 21 }, clock);
        await using var _ = advertiser;
        await advertiser.PublishAsync(Scene.Published(), CancellationToken.None);
        await using var attacker = new Peer(Scene.Ephemeral(network, Scene.PeerHost));
        var target = new IPEndPoint(Scene.DeviceHost, SsdpMulticast.Port);

        await FloodAsync(attacker.Transport, HostileSsdp.Generate(seed: 1, HostileCount), target, () => advertiser.DatagramsReceived);
        clock.Advance(TimeSpan.FromSeconds(6));
        // A search no flooded datagram made (the root UUID with an upper-case prefix), answered at once.
        var marker = "UUID:" + Scene.Udn(1)[5..];
        await using var checker = new Peer(Scene.Ephemeral(network, Scene.PeerHost));
        await checker.SendAsync(Scene.Search(marker, mx: null, host: "127.0.0.2:1900"), target);
        await checker.Received.WaitAsync(items => items.Any(r => r.Datagram.Source.Equals(target) && r.Message is SsdpSearchResponse s && s.SearchTarget == marker && s.Usn == Scene.Udn(1)), Patience);

        Assert.Equal(HostileCount + 1, advertiser.DatagramsReceived);
        Assert.True(advertiser.MalformedDatagrams > HostileCount / 10, $"{advertiser.MalformedDatagrams} malformed");
        Assert.True(advertiser.SearchesAnswered > 0);
        Assert.Equal(0, advertiser.HandlerFaults);
    }

    [Fact]
    public async Task ControlPoint_HundredThousandHostileDatagrams_StillTracksValidDevice()
    {
        var clock = new TestClock();
        var network = new InMemoryNetwork(clock) { ReceiveQueueCapacity = 2 * Batch };
        var controlPoint = new SsdpControlPoint(
            Scene.Ephemeral(network, Scene.PeerHost),
            Scene.Listener(network, Scene.PeerHost),
            new SsdpControlPointOptions { MaxDevices = 2_000 },
            clock);
        await using var _ = controlPoint;
        var added = new Collector<SsdpDeviceEventArgs>();
        controlPoint.DeviceAdded += (_, e) => added.Add(e);
        await using var attacker = new Peer(Scene.Ephemeral(network, Scene.DeviceHost));

        await FloodAsync(attacker.Transport, HostileSsdp.Generate(seed: 2, HostileCount), controlPoint.SearchTransports[0].LocalEndPoint, () => controlPoint.DatagramsReceived);
        for (var i = 0; i < 26; i++)
        {
            // Past the longest max-age (clamped to a day): every flooded entry has expired.
            clock.Advance(TimeSpan.FromHours(1));
        }

        var valid = new SsdpNotify
        {
            NotificationType = "upnp:rootdevice",
            Usn = Scene.Udn(77) + "::upnp:rootdevice",
            MaxAge = 1800,
            Location = "http://127.0.0.2/valid.xml",
            Server = "Linux/6 UPnP/1.1 Test/1",
            BootId = 1,
            ConfigId = 1,
        };
        await attacker.SendAsync(valid, Scene.Group);
        await added.WaitAsync(items => items.Any(e => e.Device.Usn == valid.Usn), Patience);

        Assert.Equal(HostileCount + 1, controlPoint.DatagramsReceived);
        Assert.True(controlPoint.MalformedDatagrams > HostileCount / 10, $"{controlPoint.MalformedDatagrams} malformed");
        Assert.True(controlPoint.Devices.Count <= 2_000);
        Assert.Equal(0, controlPoint.HandlerFaults);
    }
}
