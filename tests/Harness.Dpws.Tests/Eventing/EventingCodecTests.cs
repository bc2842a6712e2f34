using System.Text;
using System.Xml.Linq;
using Harness.Core.Diagnostics;
using Harness.Dpws.Eventing;
using Harness.Dpws.Soap;

namespace Harness.Dpws.Tests.Eventing;

public sealed class EventingCodecTests
{
    private static readonly XName MySubscription = XName.Get("MySubscription", "http://www.example.com/warnings");

    [Fact]
    public void ReadSubscribe_SpecTable4_EndToNotifyToExpiresFilter()
    {
        var envelope = SoapReader.Read(Encoding.UTF8.GetBytes(EventingVectors.SpecSubscribe)).Envelope!;
        var violations = new List<Violation>();

        var request = EventingCodec.ReadSubscribe(envelope.BodyElement, violations, out var problem);

        Assert.Null(problem);
        Assert.Equal("http://www.example.com/MyEventSink", request!.EndTo!.Address);
        Assert.Equal("2597", request.EndTo.ReferenceValue(MySubscription));
        Assert.Equal("http://www.other.example.com/OnStormWarning", request.NotifyTo.Address);
        Assert.Equal("2597", request.NotifyTo.ReferenceValue(MySubscription));
        Assert.Null(request.DeliveryMode);
        Assert.Equal("2034-06-26T21:07:00.000-08:00", request.Expires);
        Assert.Equal("http://www.example.org/topicFilter", request.Filter!.Dialect);
        Assert.Equal("weather.storms", request.Filter.Content);
        Assert.Empty(violations);
    }

    [Fact]
    public void ReadSubscribeResponse_SpecTable5_IdentifierTrimmedAndDateTimeExpiresWarned()
    {
        var envelope = SoapReader.Read(Encoding.UTF8.GetBytes(EventingVectors.SpecSubscribeResponse)).Envelope!;
        var violations = new List<Violation>();

        var response = EventingCodec.ReadSubscribeResponse(envelope.BodyElement, violations);

        Assert.Equal("http://www.example.org/oceanwatch/SubscriptionManager", response!.SubscriptionManager.Address);
        Assert.Equal("uuid:22e8a584-0d18-4228-b2a8-3716fa2097fa", response.Identifier);
        Assert.Equal("2004-07-01T00:00:00.000-00:00", response.Expires);
        Assert.Contains(violations, v => v.RuleId == DpwsRuleIds.Expires && v.Severity == ViolationSeverity.Warning);
        Assert.Equal("2597", envelope.Header.ExtraValue(MySubscription));
    }

    [Fact]
    public void ReadSubscribe_NoNotifyTo_InvalidMessage()
    {
        var body = new XElement(XName.Get("Subscribe", DpwsNamespaces.Eventing), new XElement(XName.Get("Delivery", DpwsNamespaces.Eventing)));

        var request = EventingCodec.ReadSubscribe(body, [], out var problem);

        Assert.Null(request);
        Assert.Equal(EventingFaults.InvalidMessageName, problem!.Subcode);
    }

    [Fact]
    public void WriteThenReadSubscribe_AllFields()
    {
        var original = new SubscribeRequest
        {
            NotifyTo = new WsaEndpointReference("http://127.0.0.1:1/events") { ReferenceParameters = [new XElement(XName.Get("Ctx", "urn:t"), "c1")] },
            EndTo = new WsaEndpointReference("http://127.0.0.1:1/end"),
            DeliveryMode = DpwsActions.DeliveryModePush,
            Expires = "PT10M",
            Filter = EventingFilter.ForActions("urn:a/One", "urn:a/Two"),
            Extensions = [new XElement(XName.Get("ScanDestinations", DpwsNamespaces.Scan))],
        };

        var read = EventingCodec.ReadSubscribe(EventingCodec.WriteSubscribe(original), [], out _)!;

        Assert.Equal("http://127.0.0.1:1/events", read.NotifyTo.Address);
        Assert.Equal("c1", read.NotifyTo.ReferenceValue(XName.Get("Ctx", "urn:t")));
        Assert.Equal("http://127.0.0.1:1/end", read.EndTo!.Address);
        Assert.Equal((DpwsActions.DeliveryModePush, "PT10M"), (read.DeliveryMode, read.Expires));
        Assert.Equal(["urn:a/One", "urn:a/Two"], read.Filter!.Actions);
        Assert.Equal(XName.Get("ScanDestinations", DpwsNamespaces.Scan), Assert.Single(read.Extensions).Name);
    }

    [Fact]
    public void WriteThenReadSubscriptionEnd_StatusReasonManager()
    {
        var manager = new WsaEndpointReference("http://d/svc") { ReferenceParameters = [new XElement(EventingCodec.IdentifierName, "urn:uuid:s1")] };
        var violations = new List<Violation>();

        var read = EventingCodec.ReadSubscriptionEnd(EventingCodec.WriteSubscriptionEnd(new SubscriptionEndMessage(manager, SubscriptionEndStatus.SourceShuttingDown, "bye")), violations)!;

        Assert.Equal(("urn:uuid:s1", SubscriptionEndStatus.SourceShuttingDown, "bye"), (read.Identifier, read.Status, read.Reason));
        Assert.Empty(violations);
    }

    [Fact]
    public void ReadSubscriptionEnd_UnknownStatus_Reported()
    {
        var body = XElement.Parse($"<wse:SubscriptionEnd xmlns:wse='{DpwsNamespaces.Eventing}' xmlns:wsa='{DpwsNamespaces.Addressing}'><wse:SubscriptionManager><wsa:Address>http://d</wsa:Address></wse:SubscriptionManager><wse:Status>urn:odd</wse:Status></wse:SubscriptionEnd>");
        var violations = new List<Violation>();

        EventingCodec.ReadSubscriptionEnd(body, violations);

        Assert.Contains(violations, v => v.RuleId == DpwsRuleIds.SubscriptionEnd);
    }
}
