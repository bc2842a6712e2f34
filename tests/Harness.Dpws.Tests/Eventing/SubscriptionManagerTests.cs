using System.Xml.Linq;
using Harness.Dpws.Eventing;
using Harness.Dpws.Soap;
using Harness.Dpws.Tests.Http;

namespace Harness.Dpws.Tests.Eventing;

public sealed class SubscriptionManagerTests
{
    private static readonly XName Ctx = XName.Get("Ctx", "urn:harness:test");

    [Fact]
    public async Task Subscribe_AcceptableDuration_EchoedUnchangedWithIdentifierInTheManagerEpr()
    {
        await using var rig = await EventingRig.StartAsync();

        var subscription = await rig.SubscribeAsync("PT10M");

        Assert.Equal("PT10M", subscription.Expires);
        Assert.Equal(rig.Service.ToString(), subscription.Manager.Address);
        Assert.StartsWith("urn:uuid:", subscription.Identifier, StringComparison.Ordinal);
        Assert.Empty(subscription.Violations);
        var live = Assert.Single(rig.Manager.Subscriptions);
        Assert.Equal(EventingRig.Start.AddMinutes(10), live.ExpiresAt);
    }

    [Theory]
    [InlineData("P1D", "PT1H")]
    [InlineData("P0Y0M0DT0H5M0S", "P0Y0M0DT0H5M0S")]
    [InlineData(null, "PT1H")]
    [InlineData("2030-01-01T00:30:00Z", "PT30M")]
    [InlineData("2030-01-02T00:00:00Z", "PT1H")]
    public async Task Subscribe_RequestedExpires_GrantedAsDurationCappedAtMax(string? requested, string granted)
    {
        await using var rig = await EventingRig.StartAsync();

        var subscription = await rig.SubscribeAsync(requested);

        Assert.Equal(granted, subscription.Expires);
    }

    public static TheoryData<string, SubscribeRequest, string, string> Refusals()
    {
        var sink = new WsaEndpointReference("http://localhost/events");
        return new TheoryData<string, SubscribeRequest, string, string>
        {
            { "mode", new SubscribeRequest { NotifyTo = sink, DeliveryMode = DpwsNamespaces.Eventing + "/DeliveryModes/Pull" }, "Sender", "DeliveryModeRequestedUnavailable" },
            { "nonsense", new SubscribeRequest { NotifyTo = sink, Expires = "banana" }, "Sender", "InvalidExpirationTime" },
            { "zero", new SubscribeRequest { NotifyTo = sink, Expires = "PT0S" }, "Sender", "InvalidExpirationTime" },
            { "negative", new SubscribeRequest { NotifyTo = sink, Expires = "-PT5M" }, "Sender", "InvalidExpirationTime" },
            { "past", new SubscribeRequest { NotifyTo = sink, Expires = "2029-12-31T23:59:59Z" }, "Sender", "InvalidExpirationTime" },
            { "xpath", new SubscribeRequest { NotifyTo = sink, Filter = new EventingFilter(DpwsActions.XPathFilterDialect, []) { Content = "/x" } }, "Sender", "FilteringRequestedUnavailable" },
            { "no action", new SubscribeRequest { NotifyTo = sink, Filter = EventingFilter.ForActions("http://example.com/nothing/Here") }, "Sender", "FilterActionNotSupported" },
            { "empty filter", new SubscribeRequest { NotifyTo = sink, Filter = EventingFilter.ForActions() }, "Sender", "FilterActionNotSupported" },
            { "not http", new SubscribeRequest { NotifyTo = new WsaEndpointReference("urn:uuid:5b5b5b5b-0000-4000-8000-00000000000f") }, "Receiver", "EventSourceUnableToProcess" },
        };
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Subscribe_Refused_EventingFaultWithRelatesToAndFaultAction(string why, SubscribeRequest request, string code, string subcode)
    {
        await using var rig = await EventingRig.StartAsync();

        var result = await rig.RawSubscribeAsync(request);

        Assert.True(result.Envelope!.IsFault, why);
        Assert.Equal(500, result.StatusCode);
        Assert.Equal(XName.Get(code, DpwsNamespaces.Soap12), result.Envelope.Fault!.Code);
        Assert.Equal(subcode, result.Envelope.Fault.Subcode!.LocalName);
        Assert.Equal(DpwsNamespaces.AddressingFaultAction, result.Envelope.Header.Action);
        Assert.Equal("urn:uuid:5b5b5b5b-0000-4000-8000-000000000001", result.Envelope.Header.RelatesTo);
        Assert.Empty(rig.Manager.Subscriptions);
    }

    [Fact]
    public async Task Subscribe_DateTimeRefusedByOption_UnsupportedExpirationType()
    {
        await using var rig = await EventingRig.StartAsync(new SubscriptionManagerOptions { AcceptDateTimeExpires = false });

        var ex = await Assert.ThrowsAsync<SoapFaultException>(() => rig.SubscribeAsync("2030-01-01T00:30:00Z"));

        Assert.Equal(EventingFaults.UnsupportedExpirationTypeName, ex.Subcode);
    }

    [Fact]
    public async Task Subscribe_FilteringNotSupportedOrFull_RefusedWithTheirFaults()
    {
        await using var noFilters = await EventingRig.StartAsync(new SubscriptionManagerOptions { FilteringSupported = false });
        await using var full = await EventingRig.StartAsync(new SubscriptionManagerOptions { MaxSubscriptions = 1 });

        var filtering = await Assert.ThrowsAsync<SoapFaultException>(() => noFilters.SubscribeAsync(actions: [EventingRig.JobStatus]));
        await full.SubscribeAsync();
        var unable = await Assert.ThrowsAsync<SoapFaultException>(() => full.SubscribeAsync());

        Assert.Equal(EventingFaults.FilteringNotSupportedName, filtering.Subcode);
        Assert.Equal(EventingFaults.EventSourceUnableToProcessName, unable.Subcode);
        Assert.Equal(SoapFault.Receiver, unable.Code);
    }

    [Fact]
    public async Task Subscribe_SpecTable4Example_TopicDialectRefusedWithSupportedDialectDetail()
    {
        await using var rig = await EventingRig.StartAsync();

        var result = await rig.RawAsync(EventingVectors.SpecSubscribe);

        Assert.Equal(EventingFaults.FilteringRequestedUnavailableName, result.Envelope!.Fault!.Subcode);
        Assert.Equal(DpwsActions.ActionFilterDialect, Assert.Single(result.Envelope.Fault.Detail).Value);
        Assert.Equal("uuid:e1886c5c-5e86-48d1-8c77-fc1c28d47180", result.Envelope.Header.RelatesTo);
        Assert.Equal("http://www.example.com/MyEvEntsink", result.Envelope.Header.To);
        Assert.Equal("2597", result.Envelope.Header.ExtraValue(XName.Get("MySubscription", "http://www.example.com/warnings")));
    }

    [Fact]
    public async Task Subscribe_PyWsdTemplates_SubscribeThenRenewByIdentifierHeader()
    {
        await using var rig = await EventingRig.StartAsync();

        var subscribed = await rig.RawAsync(EventingVectors.PyWsdSubscribe(rig.Service.ToString(), rig.Sink.Address.ToString(), EventingRig.JobStatus, "PT1H"));
        var identifier = EventingCodec.ReadSubscribeResponse(subscribed.Envelope!.BodyElement, [])!.Identifier!;
        rig.Time.Advance(TimeSpan.FromMinutes(40));
        var renewed = await rig.RawAsync(EventingVectors.PyWsdRenew(rig.Service.ToString(), identifier, "PT30M"));

        Assert.Equal(DpwsActions.SubscribeResponse, subscribed.Envelope.Header.Action);
        Assert.Equal("urn:uuid:7a1c2e44-3d5b-4f6a-8b9c-0d1e2f3a4b5c", subscribed.Envelope.Header.RelatesTo);
        Assert.Equal(DpwsActions.RenewResponse, renewed.Envelope!.Header.Action);
        Assert.Equal("urn:uuid:52b04a16-55d6-4b8f-a23c-55759d11cea6", renewed.Envelope.Header.RelatesTo);
        Assert.Equal("PT30M", EventingCodec.ReadExpires(renewed.Envelope.BodyElement, "RenewResponse", [], DpwsRuleIds.Renew));
        Assert.Equal(EventingRig.Start.AddMinutes(70), Assert.Single(rig.Manager.Subscriptions).ExpiresAt);
    }

    [Fact]
    public async Task Expiry_ExactlyOnTime_LiveOneTickBeforeGoneAtTheInstant()
    {
        await using var rig = await EventingRig.StartAsync();
        var subscription = await rig.SubscribeAsync("PT10M");

        rig.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        var lastTick = await rig.Eventing.GetStatusAsync(subscription, TestKit.Timeout());
        Assert.Equal("PT0.0000001S", lastTick.Expires);
        Assert.Empty(rig.Ended);

        rig.Time.Advance(TimeSpan.FromTicks(1));

        var ended = Assert.Single(rig.Ended);
        Assert.Equal(SubscriptionEndReason.Expired, ended.Reason);
        Assert.Empty(rig.Manager.Subscriptions);
        var status = await Assert.ThrowsAsync<SoapFaultException>(() => rig.Eventing.GetStatusAsync(subscription, TestKit.Timeout()));
        var renew = await Assert.ThrowsAsync<SoapFaultException>(() => rig.Eventing.RenewAsync(subscription, "PT10M", TestKit.Timeout()));
        Assert.Equal(XName.Get("DestinationUnreachable", DpwsNamespaces.Addressing), status.Subcode);
        Assert.Equal(EventingFaults.UnableToRenewName, renew.Subcode);
        Assert.Equal(0, (await rig.NotifyAsync(EventingRig.JobStatus)).Matched);
        Assert.Empty(rig.Sink.History);
    }

    [Fact]
    public async Task Renew_BeforeExpiry_ExtendsFromNowAndNotificationsKeepFlowing()
    {
        await using var rig = await EventingRig.StartAsync();
        var subscription = await rig.SubscribeAsync("PT10M");
        rig.Time.Advance(TimeSpan.FromMinutes(8));

        var renewed = await rig.Eventing.RenewAsync(subscription, "PT10M", TestKit.Timeout());
        rig.Time.Advance(TimeSpan.FromMinutes(5));
        var status = await rig.Eventing.GetStatusAsync(subscription, TestKit.Timeout());
        var delivered = await rig.NotifyAsync(EventingRig.JobStatus);

        Assert.Equal("PT10M", renewed.Expires);
        Assert.Equal(TimeSpan.FromMinutes(10), renewed.Duration);
        Assert.Equal("PT5M", status.Expires);
        Assert.Equal(new NotificationResult(1, 1, 0), delivered);
        Assert.Empty(rig.Ended);
    }

    [Fact]
    public async Task GetStatus_PartWayThrough_RemainingDuration()
    {
        await using var rig = await EventingRig.StartAsync();
        var subscription = await rig.SubscribeAsync("PT10M");
        rig.Time.Advance(TimeSpan.FromSeconds(150));

        var status = await rig.Eventing.GetStatusAsync(subscription, TestKit.Timeout());

        Assert.Equal("PT7M30S", status.Expires);
        Assert.Empty(status.Violations);
    }

    [Fact]
    public async Task Unsubscribe_ThenNoFurtherNotifications()
    {
        await using var rig = await EventingRig.StartAsync();
        var subscription = await rig.SubscribeAsync(endTo: true);
        Assert.Equal(1, (await rig.NotifyAsync(EventingRig.JobStatus)).Delivered);

        var violations = await rig.Eventing.UnsubscribeAsync(subscription, TestKit.Timeout());
        var after = await rig.NotifyAsync(EventingRig.JobStatus);

        Assert.Empty(violations);
        Assert.Equal(0, after.Matched);
        Assert.Single(rig.Sink.History);
        Assert.Equal(SubscriptionEndReason.Unsubscribed, Assert.Single(rig.Ended).Reason);
        await Assert.ThrowsAsync<SoapFaultException>(() => rig.Eventing.UnsubscribeAsync(subscription, TestKit.Timeout()));
    }

    [Fact]
    public async Task Notify_OnlyMatchingFilters_WithActionToAndReferenceParametersEchoed()
    {
        await using var rig = await EventingRig.StartAsync();
        await rig.SubscribeAsync(actions: [EventingRig.JobStatus], context: "exact");
        await rig.SubscribeAsync(actions: [EventingRig.Scan], context: "prefix");
        await rig.SubscribeAsync(actions: [EventingRig.Other], context: "other");
        await rig.SubscribeAsync(actions: null, context: "all");

        var result = await rig.NotifyAsync(EventingRig.JobStatus, "job 7 completed");

        Assert.Equal(new NotificationResult(3, 3, 0), result);
        var received = rig.Sink.History;
        Assert.Equal(["all", "exact", "prefix"], received.Select(n => n.Envelope.Header.ExtraValue(Ctx)).Order(StringComparer.Ordinal));
        Assert.All(received, n =>
        {
            Assert.Equal(EventingRig.JobStatus, n.Action);
            Assert.Equal(rig.Sink.Address.ToString(), n.Envelope.Header.To);
            Assert.StartsWith("urn:uuid:", n.Envelope.Header.MessageId, StringComparison.Ordinal);
            Assert.Equal("job 7 completed", n.Envelope.BodyElement!.Value);
        });
    }

    [Theory]
    [InlineData(EventingRig.Scan + "/JobStatusEvent", true)]
    [InlineData(EventingRig.Scan, true)]
    [InlineData(EventingRig.Scan + "/", true)]
    [InlineData(EventingRig.Scan + "/JobStatus", false)]
    [InlineData("http://schemas.microsoft.com/windows/2006/08/wdp/sc", false)]
    [InlineData("HTTP://SCHEMAS.MICROSOFT.COM/windows/2006/08/wdp/scan", true)]
    public void ActionMatches_SegmentWisePrefix(string filter, bool matches)
    {
        Assert.Equal(matches, SubscriptionManager.ActionMatches(filter, EventingRig.JobStatus));
    }

    [Fact]
    public async Task Subscribe_FilterThatIsAPartialSegment_FilterActionNotSupported()
    {
        await using var rig = await EventingRig.StartAsync();

        var ex = await Assert.ThrowsAsync<SoapFaultException>(() => rig.SubscribeAsync(actions: [EventingRig.Scan + "/JobStatus"]));

        Assert.Equal(EventingFaults.FilterActionNotSupportedName, ex.Subcode);
    }

    [Fact]
    public async Task DeliveryFailure_RepeatedThenSubscriptionEndToEndToWithItsReferenceParameters()
    {
        await using var rig = await EventingRig.StartAsync();
        await rig.SubscribeAsync(endTo: true, context: "x", notifyTo: rig.Broken);

        var results = new List<NotificationResult>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await rig.NotifyAsync(EventingRig.JobStatus));
        }

        Assert.Equal([new(1, 0, 1), new(1, 0, 1), new(1, 0, 1), new(0, 0, 0)], results);
        var end = Assert.Single(rig.Sink.History);
        Assert.Equal(DpwsActions.SubscriptionEnd, end.Action);
        Assert.Equal(SubscriptionEndStatus.DeliveryFailure, end.SubscriptionEnd!.Status);
        Assert.Equal("end-x", end.Envelope.Header.ExtraValue(XName.Get("EndCtx", "urn:harness:test")));
        Assert.Equal(SubscriptionEndReason.DeliveryFailure, Assert.Single(rig.Ended).Reason);
    }

    [Fact]
    public async Task Sink_ReadAllAsync_StreamsNotificationsInOrder()
    {
        await using var rig = await EventingRig.StartAsync();
        await rig.SubscribeAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestKit.Timeout());

        await rig.NotifyAsync(EventingRig.JobStatus, "first");
        await rig.NotifyAsync(EventingRig.StatusSummary, "second");
        var seen = new List<string>();
        await foreach (var notification in rig.Sink.ReadAllAsync(cancel.Token))
        {
            seen.Add(notification.Envelope.BodyElement!.Value);
            if (seen.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["first", "second"], seen);
        Assert.Single(await rig.Sink.WaitForCountAsync(EventingRig.JobStatus, 1, TestKit.Timeout()));
    }

    [Fact]
    public async Task Stop_SubscriptionEndSourceShuttingDownToEveryEndTo()
    {
        await using var rig = await EventingRig.StartAsync();
        var first = await rig.SubscribeAsync(endTo: true, context: "a");
        await rig.SubscribeAsync(endTo: true, context: "b");
        await rig.SubscribeAsync(endTo: false, context: "c");

        await rig.Manager.StopAsync(TestKit.Timeout());

        var ends = rig.Sink.History;
        Assert.Equal(2, ends.Count);
        Assert.All(ends, e => Assert.Equal(SubscriptionEndStatus.SourceShuttingDown, e.SubscriptionEnd!.Status));
        Assert.Contains(ends, e => e.SubscriptionEnd!.Identifier == first.Identifier);
        Assert.Equal(3, rig.Ended.Count(e => e.Reason == SubscriptionEndReason.SourceShuttingDown));
        var refused = await Assert.ThrowsAsync<SoapFaultException>(() => rig.SubscribeAsync());
        Assert.Equal(EventingFaults.EventSourceUnableToProcessName, refused.Subcode);
    }

    [Fact]
    public async Task Cancel_SubscriptionEndSourceCancelling()
    {
        await using var rig = await EventingRig.StartAsync();
        var subscription = await rig.SubscribeAsync(endTo: true);

        Assert.True(await rig.Manager.CancelAsync(subscription.Identifier!, "maintenance", TestKit.Timeout()));
        Assert.False(await rig.Manager.CancelAsync(subscription.Identifier!, null, TestKit.Timeout()));

        var end = Assert.Single(rig.Sink.History).SubscriptionEnd!;
        Assert.Equal((SubscriptionEndStatus.SourceCancelling, "maintenance"), (end.Status, end.Reason));
    }

    [Fact]
    public async Task OnSubscribeHook_AddsResponseChildrenOrRefuses()
    {
        var destinations = XName.Get("DestinationResponses", DpwsNamespaces.Scan);
        await using var rig = await EventingRig.StartAsync(new SubscriptionManagerOptions
        {
            OnSubscribe = (request, subscription) => request.Extensions.Count == 0
                ? throw new SoapFaultException(EventingFaults.InvalidMessage("ScanDestinations required"))
                : [new XElement(destinations, subscription.Identifier)],
        });
        var withDestinations = new SubscribeRequest { NotifyTo = new WsaEndpointReference(rig.Sink.Address.ToString()), Extensions = [new XElement(XName.Get("ScanDestinations", DpwsNamespaces.Scan))] };

        var accepted = await rig.Eventing.SubscribeAsync(rig.Service, withDestinations, TestKit.Timeout());
        var refused = await Assert.ThrowsAsync<SoapFaultException>(() => rig.SubscribeAsync());

        Assert.Equal(accepted.Identifier, Assert.Single(accepted.Extensions).Value);
        Assert.Equal(EventingFaults.InvalidMessageName, refused.Subcode);
    }
}
