namespace Harness.Dpws.Tests.Eventing;

/// <summary>WS-Eventing messages from the specification and from public clients.</summary>
internal static class EventingVectors
{
    /// <summary>
    /// WS-Eventing (W3C Member Submission, August 2004) Table 4, the example Subscribe, as quoted in the WSO2 Carbon
    /// eventing tests (<c>SubscribeCommandBuilderTest</c>, "http://www.w3.org/Submission/WS-Eventing/#Table8"), with
    /// the year 2034 they use so the example is not in the past. EndTo and NotifyTo carry 2004/08 ReferenceProperties;
    /// the filter dialect is the spec's example topic dialect; Expires is a dateTime.
    /// </summary>
    public const string SpecSubscribe = """
<s12:Envelope
    xmlns:s12="http://www.w3.org/2003/05/soap-envelope"
    xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
    xmlns:wse="http://schemas.xmlsoap.org/ws/2004/08/eventing"
    xmlns:ew="http://www.example.com/warnings" >
  <s12:Header>
    <wsa:Action>
      http://schemas.xmlsoap.org/ws/2004/08/eventing/Subscribe
    </wsa:Action>
    <wsa:MessageID>
      uuid:e1886c5c-5e86-48d1-8c77-fc1c28d47180
    </wsa:MessageID>
    <wsa:ReplyTo>
     <wsa:Address>http://www.example.com/MyEvEntsink</wsa:Address>
     <wsa:ReferenceProperties>
       <ew:MySubscription>2597</ew:MySubscription>
     </wsa:ReferenceProperties>
    </wsa:ReplyTo>
    <wsa:To>http://www.example.org/oceanwatch/EventSource</wsa:To>
  </s12:Header>
  <s12:Body>
    <wse:Subscribe>
      <wse:EndTo>
        <wsa:Address>
          http://www.example.com/MyEventSink
        </wsa:Address>
        <wsa:ReferenceProperties>
          <ew:MySubscription>2597</ew:MySubscription>
        </wsa:ReferenceProperties>
      </wse:EndTo>
      <wse:Delivery>
        <wse:NotifyTo>
          <wsa:Address>
            http://www.other.example.com/OnStormWarning
          </wsa:Address>
          <wsa:ReferenceProperties>
            <ew:MySubscription>2597</ew:MySubscription>
          </wsa:ReferenceProperties>
        </wse:NotifyTo>
      </wse:Delivery>
      <wse:Expires>2034-06-26T21:07:00.000-08:00</wse:Expires>
      <wse:Filter xmlns:ow="http://www.example.org/oceanwatch"
          Dialect="http://www.example.org/topicFilter" >
        weather.storms
      </wse:Filter>
    </wse:Subscribe>
  </s12:Body>
</s12:Envelope>
""";

    /// <summary>
    /// WS-Eventing (August 2004) Table 5, the example SubscribeResponse, as quoted in the WSO2 eventing
    /// <c>ResponseMessageBuilder</c> comment: the SubscriptionManager EPR carries <c>wse:Identifier</c> as a reference
    /// parameter; the reply echoes the ReplyTo reference property as a header.
    /// </summary>
    public const string SpecSubscribeResponse = """
<s12:Envelope
    xmlns:s12="http://www.w3.org/2003/05/soap-envelope"
    xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
    xmlns:wse="http://schemas.xmlsoap.org/ws/2004/08/eventing"
    xmlns:ew="http://www.example.com/warnings"
    xmlns:ow="http://www.example.org/oceanwatch" >
  <s12:Header>
    <wsa:Action>
http://schemas.xmlsoap.org/ws/2004/08/eventing/SubscribeResponse
    </wsa:Action>
    <wsa:RelatesTo>
      uuid:e1886c5c-5e86-48d1-8c77-fc1c28d47180
    </wsa:RelatesTo>
    <wsa:To>http://www.example.com/MyEventSink</wsa:To>
    <ew:MySubscription>2597</ew:MySubscription>
  </s12:Header>
  <s12:Body>
    <wse:SubscribeResponse>
      <wse:SubscriptionManager>
        <wsa:Address>
          http://www.example.org/oceanwatch/SubscriptionManager
        </wsa:Address>
        <wsa:ReferenceParameters>
          <wse:Identifier>
            uuid:22e8a584-0d18-4228-b2a8-3716fa2097fa
          </wse:Identifier>
        </wsa:ReferenceParameters>
      </wse:SubscriptionManager>
      <wse:Expires>2004-07-01T00:00:00.000-00:00</wse:Expires>
    </wse:SubscribeResponse>
  </s12:Body>
</s12:Envelope>
""";

    /// <summary>
    /// roncapat/WSD-python (PyWSD) <c>templates/ws-eventing__subscribe.xml</c> with its placeholders filled the way
    /// <c>wsd_subscribe</c> fills them: the DPWS Action dialect, one event URI, a duration.
    /// </summary>
    public static string PyWsdSubscribe(string to, string notifyTo, string eventUri, string expires) => $"""
<soap:Envelope
        xmlns:soap="http://www.w3.org/2003/05/soap-envelope"
        xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
        xmlns:wse="http://schemas.xmlsoap.org/ws/2004/08/eventing"
>
    <soap:Header>
        <wsa:From>
            <wsa:Address>urn:uuid:6c3f5d0e-1b8a-4d49-a3c1-0f9b2e7d4a55</wsa:Address>
        </wsa:From>
        <wsa:To>{to}</wsa:To>
        <wsa:Action>http://schemas.xmlsoap.org/ws/2004/08/eventing/Subscribe</wsa:Action>
        <wsa:MessageID>urn:uuid:7a1c2e44-3d5b-4f6a-8b9c-0d1e2f3a4b5c</wsa:MessageID>
        <wsa:ReplyTo>
            <wsa:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:Address>
        </wsa:ReplyTo>
    </soap:Header>
    <soap:Body>
        <wse:Subscribe>
            <wse:Delivery>
                <wse:NotifyTo>
                    <wsa:Address>{notifyTo}</wsa:Address>
                </wse:NotifyTo>
            </wse:Delivery>
            <wse:Filter Dialect="http://schemas.xmlsoap.org/ws/2006/02/devprof/Action">{eventUri}</wse:Filter>
            <wse:Expires>{expires}</wse:Expires>
        </wse:Subscribe>
    </soap:Body>
</soap:Envelope>
""";

    /// <summary>
    /// roncapat/WSD-python <c>templates/ws-eventing__renew.xml</c> (its MessageID is fixed in the template) with the
    /// identifier placed in the header as <c>wse:Identifier</c>.
    /// </summary>
    public static string PyWsdRenew(string to, string identifier, string expires) => $"""
<soap:Envelope
        xmlns:soap="http://www.w3.org/2003/05/soap-envelope"
        xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
        xmlns:wse="http://schemas.xmlsoap.org/ws/2004/08/eventing"
>
    <soap:Header>
        <wsa:From>
            <wsa:Address>urn:uuid:6c3f5d0e-1b8a-4d49-a3c1-0f9b2e7d4a55</wsa:Address>
        </wsa:From>
        <wsa:To>{to}</wsa:To>
        <wsa:Action>http://schemas.xmlsoap.org/ws/2004/08/eventing/Renew</wsa:Action>
        <wsa:MessageID>urn:uuid:52b04a16-55d6-4b8f-a23c-55759d11cea6</wsa:MessageID>
        <wsa:ReplyTo>
            <wsa:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:Address>
        </wsa:ReplyTo>
        <wse:Identifier>{identifier}</wse:Identifier>
    </soap:Header>
    <soap:Body>
        <wse:Renew>
            <wse:Expires>{expires}</wse:Expires>
        </wse:Renew>
    </soap:Body>
</soap:Envelope>
""";
}
