using System.Text;
using System.Xml.Linq;
using Harness.Dpws.Eventing;
using Harness.Dpws.Http;
using Harness.Dpws.Soap;
using Harness.Dpws.Tests.Http;
using Microsoft.Extensions.Time.Testing;

namespace Harness.Dpws.Tests.Eventing;

/// <summary>
/// An in-memory event source with a fake clock: a hosted-service endpoint at /svc with a SubscriptionManager, a
/// notification sink at /events and a broken subscriber at /broken (answers every notification with a 500 fault),
/// all on one TestServer, plus the clients to talk to them.
/// </summary>
internal sealed class EventingRig : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public const string Scan = DpwsNamespaces.Scan;
    public const string JobStatus = Scan + "/JobStatusEvent";
    public const string StatusSummary = Scan + "/ScannerStatusSummaryEvent";
    public const string Other = "http://example.com/other/Event";

    private EventingRig(FakeTimeProvider time, DpwsHost host, NotificationSink sink, SubscriptionManager manager, SoapHttpClient notifier, SoapHttpClient client)
    {
        Time = time;
        Host = host;
        Sink = sink;
        Manager = manager;
        Notifier = notifier;
        Client = client;
        Eventing = new EventingClient(client);
    }

    public FakeTimeProvider Time { get; }

    public DpwsHost Host { get; }

    public NotificationSink Sink { get; }

    public SubscriptionManager Manager { get; }

    public SoapHttpClient Notifier { get; }

    public SoapHttpClient Client { get; }

    public EventingClient Eventing { get; }

    public Uri Service => Host.AddressOf("/svc");

    public Uri Broken => Host.AddressOf("/broken");

    public List<SubscriptionEndedEventArgs> Ended { get; } = [];

    public static async Task<EventingRig> StartAsync(SubscriptionManagerOptions? options = null)
    {
        var time = new FakeTimeProvider(Start);
        var host = await TestKit.StartInMemoryAsync();
        var sink = NotificationSink.Attach(host, "/events", timeProvider: time);
        host.MapEndpoint("/broken").OnAny((c, _) => ValueTask.FromResult(c.Fault(SoapFault.InternalError())));
        var notifier = new SoapHttpClient(new SoapHttpClientOptions { Seed = 11, UserAgent = null }, TestKit.Handler(host));
        var manager = new SubscriptionManager(options ?? new SubscriptionManagerOptions { EventActions = [JobStatus, StatusSummary, Other], Seed = 5 }, notifier, time);
        manager.MapTo(host.MapEndpoint("/svc"));
        var rig = new EventingRig(time, host, sink, manager, notifier, TestKit.Client(host));
        manager.SubscriptionEnded += (_, e) => rig.Ended.Add(e);
        return rig;
    }

    public Task<EventSubscription> SubscribeAsync(string? expires = "PT10M", IEnumerable<string>? actions = null, bool endTo = false, string? context = null, Uri? notifyTo = null) =>
        Eventing.SubscribeAsync(Service, new SubscribeRequest
        {
            NotifyTo = new WsaEndpointReference((notifyTo ?? Sink.Address).ToString()) { ReferenceParameters = context is null ? [] : [new XElement(XName.Get("Ctx", "urn:harness:test"), context)] },
            EndTo = endTo ? new WsaEndpointReference(Sink.Address.ToString()) { ReferenceParameters = [new XElement(XName.Get("EndCtx", "urn:harness:test"), "end-" + context)] } : null,
            Expires = expires,
            Filter = actions is null ? null : EventingFilter.ForActions(actions),
        }, TestKit.Timeout());

    /// <summary>Sends a Subscribe with a known MessageID and returns the raw answer (faults included).</summary>
    public Task<SoapCallResult> RawSubscribeAsync(SubscribeRequest request, string messageId = "urn:uuid:5b5b5b5b-0000-4000-8000-000000000001") =>
        Client.SendAsync(Service, SoapEnvelope.Request(DpwsActions.Subscribe, Service.ToString(), messageId, EventingCodec.WriteSubscribe(request)), null, TestKit.Timeout());

    public async Task<SoapCallResult> RawAsync(string xml) =>
        Client.Interpret(await Client.SendRawAsync(Service, Encoding.UTF8.GetBytes(xml), null, null, TestKit.Timeout()));

    public Task<NotificationResult> NotifyAsync(string action, string text = "event") =>
        Manager.NotifyAsync(action, [new XElement(XName.Get(action[(action.LastIndexOf('/') + 1)..], DpwsNamespaces.Scan), text)], TestKit.Timeout());

    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync();
        await Sink.DisposeAsync();
        Notifier.Dispose();
        Client.Dispose();
        await Host.DisposeAsync();
    }
}
