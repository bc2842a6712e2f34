using System.Diagnostics;
using System.Globalization;
using Harness.Simulators.Xmpp;
using Harness.Simulators.Xmpp.Server;
using Harness.Xmpp.Core;
using Harness.Xmpp.Disco;

namespace Harness.Benchmarks;

/// <summary>
/// disco#info queries answered per second over ONE loopback client connection, pipelined with a bounded window
/// (issue 6): <c>xmpp-disco-vs-prosody [queries=20000] [window=64]</c>. The same client code (XmppClientConnection +
/// DiscoClient, no cache) asks three targets behind each server:
/// <list type="bullet">
/// <item>entity: a FakeXmppEntity (client kind) logged in on a second account, asked at its full JID, so the path is
/// client → server → entity → server → client (the headline figure);</item>
/// <item>component: our DiscoServer on a XEP-0114 component connection serving the same disco#info;</item>
/// <item>domain: the server's own disco#info (answered by the server alone; the answers differ in size).</item>
/// </list>
/// Ours is MiniXmppServer on 127.0.0.1 (in this process); theirs is Debian's Prosody with its own temporary
/// configuration on free loopback ports (skipped with a message when it is not installed), with
/// <c>network_settings = { nagle = false }</c> because our client and server set TCP_NODELAY (with Prosody's default,
/// Nagle on, pipelined answers wait on delayed ACKs: pass <c>prosody-nagle</c> as third argument to measure that). Prints q/s (wall time),
/// the CPU each side used, the load average, and the ratio ours/prosody.
/// </summary>
internal static class XmppDiscoThroughputBenchmark
{
    private const string EntityUser = "entity";
    private const string QuerierUser = "bench";
    private const string ComponentDomain = "disco.localhost";
    private static readonly DiscoQueryOptions Fresh = new(RequireFresh: true, NoCache: true, Timeout: TimeSpan.FromSeconds(30));

    private enum Target
    {
        Entity,
        Component,
        Domain,
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var queries = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var window = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
        var prosodyNagle = args.Length > 2 && args[2] == "prosody-nagle";
        if (queries < 1 || window < 1 || (args.Length > 2 && !prosodyNagle))
        {
            Console.Error.WriteLine("usage: xmpp-disco-vs-prosody [queries>0] [window>0] [prosody-nagle]");
            return 2;
        }

        // Bounded in time whatever happens: every query has its own 30 s timeout, the whole run 15 minutes.
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var cancellationToken = stop.Token;
        Console.WriteLine(FormattableString.Invariant($"disco#info over one loopback c2s connection: {queries:N0} queries, {window} in flight, after {Warmup(queries):N0} warm-up; {Environment.ProcessorCount} cores"));

        var ours = await RunOursAsync(queries, window, cancellationToken);
        var prosody = ProsodyLauncher.Find("prosody");
        Dictionary<Target, Figure>? theirs = null;
        if (prosody is null || ProsodyLauncher.Find("prosodyctl") is null)
        {
            Console.WriteLine("prosody: not installed (apt-get install -y prosody); Prosody figures skipped.");
        }
        else
        {
            theirs = await RunProsodyAsync(prosody, queries, window, prosodyNagle, cancellationToken);
        }

        Console.WriteLine();
        foreach (var target in Enum.GetValues<Target>())
        {
            var line = FormattableString.Invariant($"{Describe(target),-10} ours {ours[target].PerSecond,8:N0} q/s");
            if (theirs is not null)
            {
                line += FormattableString.Invariant($", prosody {theirs[target].PerSecond,8:N0} q/s: {ours[target].PerSecond / theirs[target].PerSecond:N1}x");
            }

            Console.WriteLine(line);
        }

        var failed = ours.Values.Sum(f => f.Failures) + (theirs?.Values.Sum(f => f.Failures) ?? 0);
        Console.WriteLine(failed == 0 ? "all queries answered" : $"FAIL: {failed} queries not answered as expected");
        return failed == 0 ? 0 : 1;
    }

    private static async Task<Dictionary<Target, Figure>> RunOursAsync(int queries, int window, CancellationToken cancellationToken)
    {
        const string secret = "bench-secret";
        await using var server = await MiniXmppServer.StartAsync(
            new MiniXmppServerOptions { Domain = "localhost", Components = new Dictionary<string, string> { [ComponentDomain] = secret } },
            cancellationToken);
        server.AddUser(EntityUser, "entity-pw");
        server.AddUser(QuerierUser, "bench-pw");
        XmppClientOptions Account(string user, string password, string resource) => new()
        {
            Domain = server.Domain,
            Host = "127.0.0.1",
            Port = server.Port,
            User = user,
            Password = password,
            Resource = resource,
        };
        var component = new XmppComponentOptions { Domain = ComponentDomain, Host = "127.0.0.1", Port = server.ComponentPort, Secret = secret };
        Console.WriteLine($"ours: MiniXmppServer on 127.0.0.1:{server.Port} (components :{server.ComponentPort}), in this process");
        return await MeasureSideAsync("ours", Account(QuerierUser, "bench-pw", "bench"), Account(EntityUser, "entity-pw", "sim"), component, server.Domain, serverCpu: null, queries, window, cancellationToken);
    }

    private static async Task<Dictionary<Target, Figure>> RunProsodyAsync(string prosody, int queries, int window, bool nagle, CancellationToken cancellationToken)
    {
        var users = new Dictionary<string, string> { [EntityUser] = "entity-pw", [QuerierUser] = "bench-pw" };
        await using var launcher = await ProsodyLauncher.StartAsync(prosody, users, ComponentDomain, nagle, cancellationToken);
        XmppClientOptions Account(string user, string resource) => new()
        {
            Domain = launcher.Domain,
            Host = "127.0.0.1",
            Port = launcher.C2sPort,
            User = user,
            Password = users[user],
            Resource = resource,
            AllowPlainWithoutTls = true,
        };
        var component = new XmppComponentOptions { Domain = launcher.ComponentDomain, Host = "127.0.0.1", Port = launcher.ComponentPort, Secret = launcher.ComponentSecret };
        Console.WriteLine($"prosody: {prosody} on 127.0.0.1:{launcher.C2sPort} (components :{launcher.ComponentPort}), {(nagle ? "Nagle on (its default)" : "nagle = false (TCP_NODELAY, like ours)")}, config in {launcher.Directory}");
        try
        {
            return await MeasureSideAsync("prosody", Account(QuerierUser, "bench"), Account(EntityUser, "sim"), component, launcher.Domain, () => launcher.CpuTime, queries, window, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Console.WriteLine("prosody log (last lines):");
            Console.WriteLine(string.Join('\n', launcher.Log.Split('\n').TakeLast(30)));
            throw;
        }
    }

    // Same client code against either server: the entity on one account, a component with our DiscoServer, and the
    // querying client on another account.
    private static async Task<Dictionary<Target, Figure>> MeasureSideAsync(
        string side,
        XmppClientOptions querier,
        XmppClientOptions entityAccount,
        XmppComponentOptions componentOptions,
        string domain,
        Func<TimeSpan>? serverCpu,
        int queries,
        int window,
        CancellationToken cancellationToken)
    {
        await using var entity = await FakeXmppEntity.ConnectAsync(entityAccount, new FakeXmppEntityOptions { Kind = XmppEntityKind.Client, Seed = 1, Index = 0 }, cancellationToken);
        var served = entity.ServedRootInfo;
        await using var component = await XmppComponentConnection.ConnectAsync(componentOptions, cancellationToken: cancellationToken);
        using var componentDisco = new DiscoServer(component, NodeOf(served));
        await using var client = await XmppClientConnection.ConnectAsync(querier, cancellationToken: cancellationToken);
        using var disco = new DiscoClient(client);

        var figures = new Dictionary<Target, Figure>();
        foreach (var target in Enum.GetValues<Target>())
        {
            var (jid, check) = target switch
            {
                Target.Entity => (entity.Jid, (Func<DiscoInfo, bool>)(i => i.Features.Count == served.Features.Count)),
                Target.Component => (Jid.Parse(componentOptions.Domain), i => i.Features.Count == served.Features.Count),
                _ => (Jid.Parse(domain), i => i.Identities.Any(identity => identity.Category == "server")),
            };
            var figure = await MeasureAsync(disco, jid, check, serverCpu, queries, window, cancellationToken);
            figures[target] = figure;
            var serverPart = serverCpu is null ? string.Empty : FormattableString.Invariant($", prosody used {figure.ServerCpu.TotalSeconds:0.00} s CPU ({queries / figure.ServerCpu.TotalSeconds:N0} q per prosody CPU-s)");
            Console.WriteLine(FormattableString.Invariant(
                $"{side,-8} {Describe(target),-10} {figure.PerSecond,8:N0} q/s  ({queries:N0} in {figure.Elapsed.TotalSeconds:0.00} s; this process used {figure.OwnCpu.TotalSeconds:0.00} s CPU{serverPart}; {figure.Failures} failed; load {figure.LoadBefore} -> {figure.LoadAfter})"));
        }

        return figures;
    }

    private static async Task<Figure> MeasureAsync(DiscoClient disco, Jid jid, Func<DiscoInfo, bool> check, Func<TimeSpan>? serverCpu, int queries, int window, CancellationToken cancellationToken)
    {
        await RunQueriesAsync(disco, jid, check, Warmup(queries), window, cancellationToken);
        var loadBefore = LoadAverage();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var ownStart = self.TotalProcessorTime;
        var serverStart = serverCpu?.Invoke() ?? TimeSpan.Zero;
        var watch = Stopwatch.StartNew();
        var failures = await RunQueriesAsync(disco, jid, check, queries, window, cancellationToken);
        var elapsed = watch.Elapsed;
        self.Refresh();
        var serverUsed = (serverCpu?.Invoke() ?? TimeSpan.Zero) - serverStart;
        return new Figure(queries / elapsed.TotalSeconds, elapsed, self.TotalProcessorTime - ownStart, serverUsed, failures, loadBefore, LoadAverage());
    }

    // `window` workers each keep one query in flight until `count` have been sent: at most `window` outstanding.
    private static async Task<int> RunQueriesAsync(DiscoClient disco, Jid jid, Func<DiscoInfo, bool> check, int count, int window, CancellationToken cancellationToken)
    {
        var next = -1;
        var failures = 0;
        string? firstFailure = null;
        async Task WorkerAsync()
        {
            while (Interlocked.Increment(ref next) < count)
            {
                try
                {
                    var info = await disco.QueryInfoAsync(jid, null, Fresh, cancellationToken);
                    if (!check(info))
                    {
                        Interlocked.Increment(ref failures);
                        Interlocked.CompareExchange(ref firstFailure, $"unexpected answer ({info.Identities.Count} identities, {info.Features.Count} features)", null);
                    }
                }
                catch (Exception ex) when (ex is XmppStanzaException or TimeoutException)
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, ex.Message, null);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(window, count)).Select(_ => Task.Run(WorkerAsync, cancellationToken)));
        if (firstFailure is not null)
        {
            Console.WriteLine($"  {jid}: {failures} failed; first: {firstFailure}");
        }

        return failures;
    }

    private static Node NodeOf(DiscoInfo info)
    {
        var node = new Node();
        foreach (var group in info.Identities.GroupBy(i => (i.Category, i.Type)))
        {
            var names = group.Where(i => i.Name is not null).GroupBy(i => i.Lang ?? string.Empty).ToDictionary(g => g.Key, g => g.First().Name!);
            node.RegisterIdentity(group.Key.Category, group.Key.Type, names);
        }

        foreach (var feature in info.Features.Distinct(StringComparer.Ordinal).Where(f => f != Node.DiscoInfoFeature))
        {
            node.RegisterFeature(feature);
        }

        foreach (var form in info.Forms)
        {
            node.RegisterForm(form);
        }

        return node;
    }

    private static int Warmup(int queries) => Math.Clamp(queries / 10, 1, 2_000);

    private static string Describe(Target target) => target switch
    {
        Target.Entity => "entity",
        Target.Component => "component",
        _ => "domain",
    };

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private sealed record Figure(double PerSecond, TimeSpan Elapsed, TimeSpan OwnCpu, TimeSpan ServerCpu, int Failures, string LoadBefore, string LoadAfter);
}
