using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Harness.Interop.Tests.Infrastructure;
using Harness.Ssdp.Description;
using Harness.Ssdp.Engine;

namespace Harness.Interop.Tests.Ssdp;

/// <summary>
/// The real <c>harness ssdp</c> processes against in-process SSDP engines on loopback, each test on a private SSDP port
/// (multicast 239.255.255.250 with the loopback interface chosen).
/// </summary>
public sealed partial class SsdpCliTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SearchJson_InProcessAdvertiser_ListsEveryPairOnceThenASummary()
    {
        var port = HarnessCli.PrivatePort();
        var description = SsdpTestDevices.MediaServer();
        await using var http = await UpnpDescriptionServer.StartAsync();
        var location = http.Publish("/device.xml", description);
        await using var advertiser = await StartAdvertiserAsync(port, description, location);

        var run = await HarnessCli.RunAsync(Timeout, "ssdp", "search", "--json", "--interface", "lo", "--port", Text(port), "--mx", "1", "--time", "2.5");
        Assert.True(run.ExitCode == 0, run.ToString());
        var (answers, summary) = SsdpJson.ParseSearch(run.StandardOutput);
        var usns = SsdpTestDevices.Usns(description);
        Assert.Equal(usns.Order(StringComparer.Ordinal), answers.Select(a => a.Usn).Order(StringComparer.Ordinal));
        Assert.All(answers, a =>
        {
            Assert.Equal(location.ToString(), a.Location);
            Assert.Equal(1800, a.MaxAge);
            Assert.Equal(advertiser.BootIdOf(description.Device.Udn), a.BootId);
            Assert.Equal(7, a.ConfigId);
            Assert.True(a.Ext);
            Assert.DoesNotContain(a.Violations, v => v.Severity is "Error" or "Warning");
            Assert.InRange(a.At, 0, 2.5);
        });
        Assert.Equal((8, 2, 1, 1), (summary.Answers, summary.Devices, summary.Roots, summary.Locations));
        Assert.InRange(summary.Seconds, 2.0, 10.0);
    }

    [Fact]
    public async Task Search_RedirectedOutput_AppendsOneLinePerAnswerThenTheSummary()
    {
        var port = HarnessCli.PrivatePort();
        var description = SsdpTestDevices.MediaServer();
        await using var http = await UpnpDescriptionServer.StartAsync();
        var location = http.Publish("/device.xml", description);
        await using var advertiser = await StartAdvertiserAsync(port, description, location);

        var run = await HarnessCli.RunAsync(
            Timeout, "ssdp", "search", "--port", Text(port), "--mx", "1", "--time", "2", "--st", "urn:schemas-upnp-org:device:MediaRenderer:1");
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("M-SEARCH ST urn:schemas-upnp-org:device:MediaRenderer:1 MX 1 to 239.255.255.250:" + Text(port), lines[0], StringComparison.Ordinal);

        // Only the embedded renderer answers a search for its type (SSDP-MSEARCH-011); no escape sequences when redirected.
        var answer = Assert.Single(lines, l => l.StartsWith('+'));
        Assert.Contains($"USN={description.Device.Devices[0].Udn}::urn:schemas-upnp-org:device:MediaRenderer:1", answer, StringComparison.Ordinal);
        Assert.Contains($"LOCATION={location}", answer, StringComparison.Ordinal);
        Assert.Contains("max-age=1800", answer, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("1 answer(s) from 1 device(s) (0 root) at 1 location(s)", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', run.StandardOutput);
    }

    [Fact]
    public async Task Describe_ServedDescription_PrintsTheTreeAndExitsZero()
    {
        var description = SsdpTestDevices.MediaServer("Harness Tree");
        await using var http = await UpnpDescriptionServer.StartAsync();
        var location = http.Publish("/device.xml", description);

        var run = await HarnessCli.RunAsync(Timeout, "ssdp", "describe", location.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());
        var text = run.StandardOutput;
        Assert.Contains("Fetch         Ok: HTTP/1.1 200, text/xml; charset=\"utf-8\"", text, StringComparison.Ordinal);
        Assert.Contains("specVersion   1.1, configId 7", text, StringComparison.Ordinal);
        Assert.Contains("Root device Harness Tree", text, StringComparison.Ordinal);
        Assert.Contains("  UDN           " + description.Device.Udn, text, StringComparison.Ordinal);
        Assert.Contains("  icon          image/png 48x48x24 /icons/sm.png -> " + new Uri(location, "/icons/sm.png"), text, StringComparison.Ordinal);
        Assert.Contains("  service       urn:schemas-upnp-org:service:ContentDirectory:1", text, StringComparison.Ordinal);
        Assert.Contains("    Embedded device Harness Tree renderer", text, StringComparison.Ordinal);
        Assert.Contains("      service       urn:schemas-upnp-org:service:RenderingControl:1", text, StringComparison.Ordinal);
        Assert.Contains("        eventSubURL (none)", text, StringComparison.Ordinal);
        Assert.Contains("0 error(s), 0 warning(s)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_DescriptionWithoutUdn_ExitsOneWithTheFinding()
    {
        var good = Encoding.UTF8.GetString(UpnpDescriptionWriter.Write(SsdpTestDevices.MediaServer()));
        var broken = UdnElement().Replace(good, string.Empty, 1);
        await using var http = await UpnpDescriptionServer.StartAsync();
        var location = http.Map("/broken.xml", new UpnpHttpResource(Encoding.UTF8.GetBytes(broken)));

        var run = await HarnessCli.RunAsync(Timeout, "ssdp", "describe", location.ToString(), "--json");
        Assert.True(run.ExitCode == 1, run.ToString());
        using var document = System.Text.Json.JsonDocument.Parse(run.StandardOutput);
        Assert.Contains(
            document.RootElement.GetProperty("violations").EnumerateArray(),
            v => v.GetProperty("ruleId").GetString() is "DESC-XML-005" or "DESC-XML-007" && v.GetProperty("severity").GetString() == "Error");
    }

    [Fact]
    public async Task Describe_HtmlPageInsteadOfXml_ExitsOneAndSaysWhy()
    {
        await using var http = await UpnpDescriptionServer.StartAsync();
        var location = http.Map("/rootDesc.xml", new UpnpHttpResource("<html><body>status=ok</body></html>"u8.ToArray()) { ContentType = "text/html" });

        var run = await HarnessCli.RunAsync(Timeout, "ssdp", "describe", location.ToString());
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("DESC-HTTP-002", run.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"[1-9]\d* error\(s\)", run.StandardOutput);
    }

    [Fact]
    public async Task Describe_NotAUrl_ExitsTwo()
    {
        var run = await HarnessCli.RunAsync(Timeout, "ssdp", "describe", "not a url");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not an absolute http URL", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdvertiseAndSearch_SeparateProcesses_FindEachOtherAndByeByeOnStop()
    {
        var port = HarnessCli.PrivatePort();
        var description = SsdpTestDevices.MediaServer("Harness Advertised");
        var file = SsdpTestDevices.WriteToTempFile(description);
        var usns = SsdpTestDevices.Usns(description);

        // An in-process control point hears the NOTIFYs on the private port: the alive sets, then the byebyes.
        var group = new IPEndPoint(SsdpMulticast.IPv4Group, port);
        await using var listener = new SsdpControlPoint(
            SsdpTransports.BindSearcher(AddressFamily.InterNetwork, "lo"),
            SsdpTransports.BindListener(AddressFamily.InterNetwork, "lo", port),
            new SsdpControlPointOptions { MulticastEndPoints = [group] });
        var added = new WaitingSet(usns);
        var byebye = new WaitingSet(usns);
        listener.DeviceAdded += (_, e) => added.Saw(e.Device.Usn);
        listener.DeviceRemoved += (_, e) =>
        {
            if (e.Change == SsdpDeviceChange.ByeBye)
            {
                byebye.Saw(e.Device.Usn);
            }
        };

        await using var advertiser = HarnessCli.Start("ssdp", "advertise", "--description", file, "--port", Text(port), "--max-age", "300");
        Assert.True(await advertiser.WaitForOutputAsync("Ctrl-C to stop", Timeout), advertiser.StandardOutput + advertiser.StandardError);
        Assert.Contains("8 (NT, USN) pairs (3 + 2×1 + 3)", advertiser.StandardOutput, StringComparison.Ordinal);
        var location = LocationLine().Match(advertiser.StandardOutput).Groups[1].Value;
        Assert.True(await added.WaitAsync(Timeout), "alive missing for: " + added.Missing);

        var run = await HarnessCli.RunAsync(Timeout, "ssdp", "search", "--json", "--port", Text(port), "--mx", "1", "--time", "2.5");
        var (answers, _) = SsdpJson.ParseSearch(run.StandardOutput);
        Assert.Equal(usns.Order(StringComparer.Ordinal), answers.Select(a => a.Usn).Order(StringComparer.Ordinal));
        Assert.All(answers, a => Assert.Equal((location, 300, 7), (a.Location!, a.MaxAge!.Value, a.ConfigId!.Value)));

        // SERVER carries the UPnP version of the description's specVersion (SSDP-RESP-006).
        Assert.All(answers, a => Assert.Matches(@"^\S+/\S+ UPnP/1\.1 Harness/1\.0$", a.Server));

        // The served file is the description as given.
        var described = await HarnessCli.RunAsync(Timeout, "ssdp", "describe", location);
        Assert.True(described.ExitCode == 0, described.ToString());
        Assert.Contains("Root device Harness Advertised", described.StandardOutput, StringComparison.Ordinal);

        var stopped = await advertiser.StopAsync(Timeout);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Contains($"Withdrawn {description.Device.Udn}: 8 byebye sent", stopped.StandardOutput, StringComparison.Ordinal);
        Assert.True(await byebye.WaitAsync(Timeout), "byebye missing for: " + byebye.Missing);
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    private static async Task<SsdpAdvertiser> StartAdvertiserAsync(int port, UpnpDescription description, Uri location)
    {
        var advertiser = new SsdpAdvertiser(
            SsdpTransports.BindListener(AddressFamily.InterNetwork, "lo", port),
            new SsdpAdvertiserOptions { MulticastEndPoints = [new IPEndPoint(SsdpMulticast.IPv4Group, port)], Seed = port });
        await advertiser.PublishAsync(new SsdpPublishedDevice { Device = description.Device, Location = location.ToString(), ConfigId = description.ConfigId }, CancellationToken.None);
        return advertiser;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"<UDN>[^<]*</UDN>")]
    private static partial Regex UdnElement();

    [GeneratedRegex(@"LOCATION (\S+),")]
    private static partial Regex LocationLine();

    /// <summary>Completes when every expected USN has been seen.</summary>
    private sealed class WaitingSet(IEnumerable<string> expected)
    {
        private readonly HashSet<string> _missing = new(expected, StringComparer.Ordinal);
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();

        public string Missing
        {
            get
            {
                lock (_gate)
                {
                    return string.Join(", ", _missing);
                }
            }
        }

        public void Saw(string usn)
        {
            lock (_gate)
            {
                if (_missing.Remove(usn) && _missing.Count == 0)
                {
                    _done.TrySetResult();
                }
            }
        }

        public async Task<bool> WaitAsync(TimeSpan timeout) => await Task.WhenAny(_done.Task, Task.Delay(timeout)) == _done.Task;
    }
}
