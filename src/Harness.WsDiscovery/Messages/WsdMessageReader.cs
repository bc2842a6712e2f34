using System.Globalization;
using System.Text;
using Harness.Core.Diagnostics;
using Harness.Core.Xml;

namespace Harness.WsDiscovery.Messages;

/// <summary>
/// Reads one WS-Discovery SOAP-over-UDP datagram (both families) into a <see cref="WsdMessage"/> record plus the
/// deviations found. Never throws on a peer's input: DTDs are refused, sizes and depths bounded, and every
/// problem is a <see cref="Violation"/> with a rule id from <see cref="WsdRuleIds"/> and an XPath-like location.
/// </summary>
public static class WsdMessageReader
{
    /// <summary>Reads a message from the bytes of one datagram (or one HTTP body).</summary>
    /// <param name="bytes">The raw bytes, exactly as received.</param>
    /// <param name="options">Mode and limits; null for lenient reading with datagram limits.</param>
    public static WsdReadResult Read(ReadOnlySpan<byte> bytes, WsdReadOptions? options = null)
    {
        options ??= WsdReadOptions.Default;
        var limits = options.Limits ?? XmlLimits.Datagram;
        var reader = Reader.Shared;
        reader.Reset();
        var message = reader.Read(bytes, limits);
        var violations = reader.Violations;
        if (options.Mode == ReadMode.Strict && message is not null && violations.Any(v => v.Severity == ViolationSeverity.Error))
        {
            message = null;
        }

        return new WsdReadResult(message, violations);
    }

    private enum Kind
    {
        Hello,
        Bye,
        Probe,
        ProbeMatches,
        Resolve,
        ResolveMatches,
        Fault,
    }

    private sealed class Reader
    {
        private const int MaxIpv4Datagram = 65_507;

        [ThreadStatic]
        private static Reader? t_shared;

        private readonly WsdXmlDocument _doc = WsdXmlDocument.Shared;
        private readonly List<(int Start, int Length)> _tokens = new(8);
        private List<Violation>? _violations;
        private WsdProtocol _protocol = WsdProtocol.V11;
        private WsdXmlNs _discNs;
        private WsdXmlNs _wsaNs;
        private bool _reportedMixedBody;

        public static Reader Shared => t_shared ??= new Reader();

        public IReadOnlyList<Violation> Violations => (IReadOnlyList<Violation>?)_violations ?? [];

        /// <summary>Prepares the per-thread reader for the next message (the violation list is handed out, never reused).</summary>
        public void Reset()
        {
            _violations = null;
            _protocol = WsdProtocol.V11;
            _reportedMixedBody = false;
        }

        public WsdMessage? Read(ReadOnlySpan<byte> bytes, XmlLimits limits)
        {
            if (bytes.IsEmpty)
            {
                Add(WsdRuleIds.XmlWellFormed, "The datagram is empty.", ViolationSeverity.Error);
                return null;
            }

            if (bytes.Length > limits.MaxBytes)
            {
                Add(WsdRuleIds.DatagramSize, $"The message is {bytes.Length} bytes; the limit is {limits.MaxBytes} (one SOAP-over-UDP datagram).", ViolationSeverity.Error);
                return null;
            }

            if (bytes.Length > MaxIpv4Datagram)
            {
                Add(WsdRuleIds.DatagramSize, $"The message is {bytes.Length} bytes; an IPv4 UDP datagram carries at most {MaxIpv4Datagram}.", ViolationSeverity.Error);
            }

            if (!_doc.TryParse(bytes, limits))
            {
                if (_doc.Bail == WsdXmlBail.SecondRoot)
                {
                    Add(WsdRuleIds.Envelope, "The datagram holds more than one root element; SOAP-over-UDP carries exactly one envelope per datagram.", ViolationSeverity.Error);
                }

                var load = SafeXml.Load(bytes, limits);
                if (!load.Success)
                {
                    var (rule, what) = load.Error switch
                    {
                        XmlLoadError.DtdProhibited => (WsdRuleIds.XmlDtd, "The document carries a DTD, which is refused (no entity is expanded)."),
                        XmlLoadError.TooLarge => (WsdRuleIds.DatagramSize, load.Message ?? "The document is too large."),
                        XmlLoadError.TooDeep or XmlLoadError.TooManyNodes => (WsdRuleIds.XmlLimits, load.Message ?? "The document exceeds the reader's limits."),
                        _ => (WsdRuleIds.XmlWellFormed, "Not well-formed XML: " + (load.Message ?? "unreadable.")),
                    };
                    var where = load.LineNumber > 0 ? $"line {load.LineNumber}, column {load.LinePosition}" : null;
                    Add(rule, what, ViolationSeverity.Error, where);
                    return null;
                }

                var canonical = WsdXmlDocument.Reserialize(load.Document!);
                if (!_doc.TryParse(canonical, limits with { MaxBytes = int.MaxValue }))
                {
                    Add(WsdRuleIds.XmlWellFormed, "The document uses XML features this reader does not support (e.g. names outside the Basic Multilingual Plane).", ViolationSeverity.Error);
                    return null;
                }
            }

            return ReadEnvelope();
        }

        private WsdMessage? ReadEnvelope()
        {
            ReportHttpsNamespaces();
            const int root = 0;
            var rootNs = _doc.Nodes[root].Ns;
            if (!_doc.Local(root).SequenceEqual("Envelope"u8) || (rootNs != WsdXmlNs.Soap12 && rootNs != WsdXmlNs.Soap11))
            {
                Add(WsdRuleIds.Envelope, $"The root element is {QNameText(root)} in namespace '{NsText(root)}', not a SOAP 1.2 Envelope.", ViolationSeverity.Error, root);
                return null;
            }

            if (rootNs == WsdXmlNs.Soap11)
            {
                Add(WsdRuleIds.Envelope, "The envelope is SOAP 1.1 (http://schemas.xmlsoap.org/soap/envelope/); SOAP-over-UDP and WS-Discovery require SOAP 1.2.", ViolationSeverity.Error, root);
            }

            int header = -1, body = -1;
            for (var c = _doc.Nodes[root].FirstChild; c >= 0; c = _doc.Nodes[c].NextSibling)
            {
                if (_doc.Nodes[c].Ns == rootNs && _doc.Local(c).SequenceEqual("Header"u8) && body < 0)
                {
                    if (header >= 0)
                    {
                        Add(WsdRuleIds.Envelope, "The envelope has more than one Header; the first is read.", ViolationSeverity.Error, c);
                    }
                    else
                    {
                        header = c;
                    }
                }
                else if (_doc.Nodes[c].Ns == rootNs && _doc.Local(c).SequenceEqual("Body"u8))
                {
                    if (body >= 0)
                    {
                        Add(WsdRuleIds.Envelope, "The envelope has more than one Body; the first is read.", ViolationSeverity.Error, c);
                    }
                    else
                    {
                        body = c;
                    }
                }
                else
                {
                    Add(WsdRuleIds.Envelope, $"Unexpected element {QNameText(c)} in the Envelope.", ViolationSeverity.Warning, c);
                }
            }

            if (body < 0)
            {
                Add(WsdRuleIds.Envelope, "The envelope has no Body.", ViolationSeverity.Error, root);
                return null;
            }

            var content = _doc.Nodes[body].FirstChild;
            if (content < 0)
            {
                Add(WsdRuleIds.Envelope, "The Body is empty.", ViolationSeverity.Error, body);
                return null;
            }

            if (_doc.Nodes[content].NextSibling >= 0)
            {
                Add(WsdRuleIds.Envelope, "The Body has more than one child element; only the first is read.", ViolationSeverity.Warning, _doc.Nodes[content].NextSibling);
            }

            // Header blocks (either addressing family; the family check comes later).
            int to = -1, action = -1, messageId = -1, relatesTo = -1, replyTo = -1, appSequence = -1;
            var reportedForeignAddressing = false;
            if (header >= 0)
            {
                for (var c = _doc.Nodes[header].FirstChild; c >= 0; c = _doc.Nodes[c].NextSibling)
                {
                    var local = _doc.Local(c);
                    if (IsWsa(c))
                    {
                        if (local.SequenceEqual("To"u8))
                        {
                            SetOnce(ref to, c);
                        }
                        else if (local.SequenceEqual("Action"u8))
                        {
                            SetOnce(ref action, c);
                        }
                        else if (local.SequenceEqual("MessageID"u8))
                        {
                            SetOnce(ref messageId, c);
                        }
                        else if (local.SequenceEqual("RelatesTo"u8))
                        {
                            SetOnce(ref relatesTo, c);
                        }
                        else if (local.SequenceEqual("ReplyTo"u8))
                        {
                            SetOnce(ref replyTo, c);
                        }
                    }
                    else if (IsDisc(c) && local.SequenceEqual("AppSequence"u8))
                    {
                        SetOnce(ref appSequence, c);
                    }
                    else if (!reportedForeignAddressing && _doc.Nodes[c].Ns is WsdXmlNs.Other or WsdXmlNs.None
                        && (local.SequenceEqual("Action"u8) || local.SequenceEqual("MessageID"u8) || local.SequenceEqual("To"u8) || local.SequenceEqual("RelatesTo"u8) || local.SequenceEqual("ReplyTo"u8)))
                    {
                        reportedForeignAddressing = true;
                        Add(WsdRuleIds.MixedFamilies, $"The header {QNameText(c)} uses namespace '{NsText(c)}', which is neither WS-Addressing namespace of WS-Discovery; such headers are ignored.", ViolationSeverity.Error, c);
                    }
                }
            }

            if (!TryKind(content, rootNs, out var kind))
            {
                Add(WsdRuleIds.Action, $"The Body element {QNameText(content)} (namespace '{NsText(content)}') is not a WS-Discovery message.", ViolationSeverity.Error, content);
                return null;
            }

            var actionText = action >= 0 ? UriText(action, "wsa:Action", WsdRuleIds.Action) : null;
            _protocol = kind == Kind.Fault
                ? FaultFamily(actionText, content, to, action, messageId, relatesTo, replyTo)
                : _doc.Nodes[content].Ns == WsdXmlNs.Disc2005 ? WsdProtocol.V2005 : WsdProtocol.V11;
            _discNs = _protocol.Version == WsdVersion.V2005 ? WsdXmlNs.Disc2005 : WsdXmlNs.Disc11;
            _wsaNs = _protocol.Version == WsdVersion.V2005 ? WsdXmlNs.Wsa2004 : WsdXmlNs.Wsa2005;
            var other = _protocol.Version == WsdVersion.V2005 ? WsdProtocol.V11 : WsdProtocol.V2005;

            // WSD-MSG-002: every addressing header from the message's family.
            foreach (var h in (ReadOnlySpan<int>)[to, action, messageId, relatesTo, replyTo])
            {
                if (h >= 0 && _doc.Nodes[h].Ns != _wsaNs)
                {
                    Add(WsdRuleIds.MixedFamilies, $"The WS-Addressing header {QNameText(h)} uses '{NsText(h)}' but the message is {_protocol}; the families are mixed.", ViolationSeverity.Error, h);
                    break;
                }
            }

            if (appSequence >= 0 && _doc.Nodes[appSequence].Ns != _discNs)
            {
                Add(WsdRuleIds.MixedFamilies, $"d:AppSequence uses '{NsText(appSequence)}' but the message is {_protocol}; the families are mixed.", ViolationSeverity.Error, appSequence);
            }

            var kindName = KindName(kind);
            CheckAction(action, actionText, kind, kindName, header >= 0 ? header : root, other);

            string? messageIdText = null;
            if (messageId >= 0)
            {
                messageIdText = UriText(messageId, "wsa:MessageID", WsdRuleIds.AddressingHeader);
                CheckUuidForm(messageIdText, "wsa:MessageID", messageId);
            }
            else if (kind != Kind.Fault)
            {
                Add(WsdRuleIds.AddressingHeader, "wsa:MessageID is missing; every WS-Discovery message carries one.", ViolationSeverity.Error, header >= 0 ? header : root);
            }

            var relatesToText = relatesTo >= 0 ? UriText(relatesTo, "wsa:RelatesTo", WsdRuleIds.AddressingHeader) : null;
            var toText = to >= 0 ? UriText(to, "wsa:To", WsdRuleIds.AddressingHeader) : null;
            CheckTo(kind, toText, to, relatesToText, header >= 0 ? header : root, other);
            var replyToEpr = replyTo >= 0 ? ReadReplyTo(replyTo, other) : null;
            var sequence = ReadAppSequence(kind, appSequence, header >= 0 ? header : root);

            var headerRecord = new WsdHeader
            {
                Action = actionText ?? string.Empty,
                MessageId = messageIdText,
                RelatesTo = relatesToText,
                To = toText,
                ReplyTo = replyToEpr,
                AppSequence = sequence,
            };

            return kind switch
            {
                Kind.Hello => ReadEndpointData(content, requireMetadataVersion: true, requireXAddrs: false) is { } hello
                    ? new WsdHello { Protocol = _protocol, Header = headerRecord, Endpoint = hello }
                    : null,
                Kind.Bye => ReadEndpointData(content, requireMetadataVersion: false, requireXAddrs: false) is { } bye
                    ? new WsdBye { Protocol = _protocol, Header = headerRecord, Endpoint = bye }
                    : null,
                Kind.Probe => ReadProbe(content, headerRecord, other),
                Kind.ProbeMatches => ReadProbeMatches(content, headerRecord),
                Kind.Resolve => ReadResolve(content, headerRecord),
                Kind.ResolveMatches => ReadResolveMatches(content, headerRecord),
                _ => ReadFault(content, headerRecord, rootNs),
            };
        }

        private static string KindName(Kind kind) => kind switch
        {
            Kind.Hello => "Hello",
            Kind.Bye => "Bye",
            Kind.Probe => "Probe",
            Kind.ProbeMatches => "ProbeMatches",
            Kind.Resolve => "Resolve",
            Kind.ResolveMatches => "ResolveMatches",
            _ => "fault",
        };

        private string ExpectedAction(Kind kind) => kind switch
        {
            Kind.Hello => _protocol.HelloAction,
            Kind.Bye => _protocol.ByeAction,
            Kind.Probe => _protocol.ProbeAction,
            Kind.ProbeMatches => _protocol.ProbeMatchesAction,
            Kind.Resolve => _protocol.ResolveAction,
            Kind.ResolveMatches => _protocol.ResolveMatchesAction,
            _ => _protocol.FaultAction,
        };

        private bool TryKind(int content, WsdXmlNs soapNs, out Kind kind)
        {
            var local = _doc.Local(content);
            kind = Kind.Fault;
            if (_doc.Nodes[content].Ns == soapNs)
            {
                return local.SequenceEqual("Fault"u8);
            }

            if (!IsDisc(content))
            {
                return false;
            }

            if (local.SequenceEqual("Hello"u8))
            {
                kind = Kind.Hello;
            }
            else if (local.SequenceEqual("Bye"u8))
            {
                kind = Kind.Bye;
            }
            else if (local.SequenceEqual("Probe"u8))
            {
                kind = Kind.Probe;
            }
            else if (local.SequenceEqual("ProbeMatches"u8))
            {
                kind = Kind.ProbeMatches;
            }
            else if (local.SequenceEqual("Resolve"u8))
            {
                kind = Kind.Resolve;
            }
            else if (local.SequenceEqual("ResolveMatches"u8))
            {
                kind = Kind.ResolveMatches;
            }
            else
            {
                return false;
            }

            return true;
        }

        private WsdProtocol FaultFamily(string? actionText, int fault, params ReadOnlySpan<int> headers)
        {
            if (actionText is not null)
            {
                var action = actionText.StartsWith("https://", StringComparison.Ordinal) ? "http://" + actionText[8..] : actionText;
                foreach (var p in WsdProtocol.All)
                {
                    if (action.StartsWith(p.DiscoveryNamespace + "/", StringComparison.Ordinal) || action == p.AddressingNamespace + "/fault")
                    {
                        return p;
                    }
                }
            }

            foreach (var h in headers)
            {
                if (h >= 0 && _doc.Nodes[h].Ns is WsdXmlNs.Wsa2004 or WsdXmlNs.Wsa2005)
                {
                    return _doc.Nodes[h].Ns == WsdXmlNs.Wsa2004 ? WsdProtocol.V2005 : WsdProtocol.V11;
                }
            }

            for (var n = fault; n < _doc.NodeCount; n++)
            {
                if (_doc.Nodes[n].Ns is WsdXmlNs.Disc2005 or WsdXmlNs.Disc11)
                {
                    return _doc.Nodes[n].Ns == WsdXmlNs.Disc2005 ? WsdProtocol.V2005 : WsdProtocol.V11;
                }
            }

            Add(WsdRuleIds.MixedFamilies, "The fault names no WS-Discovery or WS-Addressing namespace; WS-Discovery 1.1 is assumed.", ViolationSeverity.Warning, fault);
            return WsdProtocol.V11;
        }

        private void CheckAction(int action, string? actionText, Kind kind, string kindName, int parent, WsdProtocol other)
        {
            var expected = ExpectedAction(kind);
            if (action < 0 || actionText is null)
            {
                Add(WsdRuleIds.Action, $"wsa:Action is missing; the {kindName} body requires '{expected}'.", ViolationSeverity.Error, parent);
                return;
            }

            if (actionText == expected || (kind == Kind.Fault && actionText == _protocol.AddressingNamespace + "/fault"))
            {
                return;
            }

            if (IsHttpsSpelling(actionText, expected))
            {
                Add(WsdRuleIds.Action, $"wsa:Action '{actionText}' uses https:// where the specification defines '{expected}' [Q-HTTPS-NS].", ViolationSeverity.Error, action);
            }
            else if (actionText == other.Action(kindName))
            {
                Add(WsdRuleIds.MixedFamilies, $"wsa:Action '{actionText}' belongs to {other} but the body is {_protocol}; the families are mixed.", ViolationSeverity.Error, action);
            }
            else if (kind == Kind.Fault)
            {
                Add(WsdRuleIds.Action, $"wsa:Action of a discovery fault is '{actionText}'; expected '{expected}' or '{_protocol.AddressingNamespace}/fault'.", ViolationSeverity.Warning, action);
            }
            else
            {
                Add(WsdRuleIds.Action, $"wsa:Action is '{actionText}'; the {kindName} body requires '{expected}' (exact, case-sensitive).", ViolationSeverity.Error, action);
            }
        }

        private void CheckTo(Kind kind, string? toText, int to, string? relatesToText, int parent, WsdProtocol other)
        {
            switch (kind)
            {
                case Kind.Hello or Kind.Bye or Kind.Probe or Kind.Resolve:
                    if (toText is null)
                    {
                        Add(WsdRuleIds.MulticastTo, $"wsa:To is missing; a multicast {kind} carries '{_protocol.MulticastTo}' [Q-NO-TO].", ViolationSeverity.Error, parent);
                    }
                    else if (toText == other.MulticastTo)
                    {
                        Add(WsdRuleIds.MixedFamilies, $"wsa:To '{toText}' is the {other} multicast URN but the message is {_protocol}; the families are mixed.", ViolationSeverity.Error, to);
                    }
                    else if (toText != _protocol.MulticastTo)
                    {
                        Add(WsdRuleIds.MulticastTo, $"wsa:To is '{toText}', not the multicast URN '{_protocol.MulticastTo}'; acceptable only for a directed (unicast) message.", ViolationSeverity.Warning, to);
                    }

                    break;
                case Kind.ProbeMatches or Kind.ResolveMatches:
                    if (relatesToText is null)
                    {
                        Add(WsdRuleIds.ReplyAddressing, $"wsa:RelatesTo is missing; {kind} must carry the request's MessageID.", ViolationSeverity.Error, parent);
                    }

                    if (toText is null)
                    {
                        var severity = _protocol.Version == WsdVersion.V11 ? ViolationSeverity.Error : ViolationSeverity.Warning;
                        Add(WsdRuleIds.ReplyAddressing, $"wsa:To is missing; {kind} carries '{_protocol.AnonymousAddress}' [Q-NO-TO].", severity, parent);
                    }
                    else if (toText == other.AnonymousAddress)
                    {
                        Add(WsdRuleIds.MixedFamilies, $"wsa:To '{toText}' is the {other} anonymous address but the message is {_protocol}; the families are mixed.", ViolationSeverity.Error, to);
                    }
                    else if (IsHttpsSpelling(toText, _protocol.AnonymousAddress))
                    {
                        Add(WsdRuleIds.ReplyAddressing, $"wsa:To '{toText}' uses https:// where the specification defines '{_protocol.AnonymousAddress}' [Q-HTTPS-NS].", ViolationSeverity.Error, to);
                    }
                    else if (toText != _protocol.AnonymousAddress)
                    {
                        Add(WsdRuleIds.ReplyAddressing, $"wsa:To is '{toText}', not the anonymous address '{_protocol.AnonymousAddress}'; acceptable only when the request's ReplyTo named it.", ViolationSeverity.Warning, to);
                    }

                    break;
                default:
                    if (relatesToText is null)
                    {
                        Add(WsdRuleIds.AddressingHeader, "wsa:RelatesTo is missing; a fault names the message it answers.", ViolationSeverity.Warning, parent);
                    }

                    break;
            }
        }

        private WsdEndpointReference? ReadReplyTo(int replyTo, WsdProtocol other)
        {
            var address = FirstChild(replyTo, IsWsa, "Address"u8);
            if (address < 0)
            {
                Add(WsdRuleIds.AddressingHeader, "wsa:ReplyTo has no wsa:Address.", ViolationSeverity.Error, replyTo);
                return null;
            }

            var text = UriText(address, "wsa:ReplyTo/wsa:Address", WsdRuleIds.AddressingHeader);
            if (text == other.AnonymousAddress)
            {
                Add(WsdRuleIds.MixedFamilies, $"wsa:ReplyTo names the {other} anonymous address '{text}' in a {_protocol} message [Q-CROSS-WSA].", ViolationSeverity.Warning, address);
            }

            return new WsdEndpointReference(text);
        }

        private WsdAppSequence? ReadAppSequence(Kind kind, int node, int parent)
        {
            if (node < 0)
            {
                if (kind is Kind.Hello or Kind.Bye or Kind.ProbeMatches or Kind.ResolveMatches)
                {
                    Add(WsdRuleIds.AppSequence, $"d:AppSequence is missing; {kind} must carry one.", ViolationSeverity.Error, parent);
                }

                return null;
            }

            var instance = ReadCounter(node, "InstanceId"u8, "InstanceId");
            var number = ReadCounter(node, "MessageNumber"u8, "MessageNumber");
            string? sequenceId = null;
            if (_doc.TryGetAttribute(node, "SequenceId"u8, WsdXmlNs.None, out var raw))
            {
                var trimmed = TrimXml(raw);
                sequenceId = trimmed.IsEmpty ? null : Str(trimmed);
            }

            return instance is { } i && number is { } n ? new WsdAppSequence(i, n, sequenceId) : null;
        }

        private ulong? ReadCounter(int node, ReadOnlySpan<byte> name, string display)
        {
            if (!_doc.TryGetAttribute(node, name, WsdXmlNs.None, out var raw))
            {
                Add(WsdRuleIds.AppSequence, $"d:AppSequence has no {display} attribute.", ViolationSeverity.Error, node);
                return null;
            }

            if (!TryParseUnsigned(raw, out var value))
            {
                Add(WsdRuleIds.AppSequence, $"d:AppSequence/@{display} '{Str(raw)}' is not a non-negative integer.", ViolationSeverity.Error, node);
                return null;
            }

            return value;
        }

        private WsdProbe ReadProbe(int probe, WsdHeader header, WsdProtocol other)
        {
            int types = -1, scopes = -1;
            for (var c = _doc.Nodes[probe].FirstChild; c >= 0; c = _doc.Nodes[c].NextSibling)
            {
                if (!IsDisc(c))
                {
                    continue;
                }

                CheckBodyFamily(c);
                var local = _doc.Local(c);
                if (local.SequenceEqual("Types"u8))
                {
                    SetOnceSchema(ref types, c);
                }
                else if (local.SequenceEqual("Scopes"u8))
                {
                    SetOnceSchema(ref scopes, c);
                }
            }

            string? matchBy = null;
            if (scopes >= 0 && _doc.TryGetAttribute(scopes, "MatchBy"u8, WsdXmlNs.None, out var raw))
            {
                var trimmed = TrimXml(raw);
                if (trimmed.IsEmpty)
                {
                    Add(WsdRuleIds.Schema, "d:Scopes/@MatchBy is empty; treated as absent.", ViolationSeverity.Warning, scopes);
                }
                else
                {
                    matchBy = Known(trimmed) ?? Str(trimmed);
                    if (matchBy.StartsWith(other.DiscoveryNamespace + "/", StringComparison.Ordinal))
                    {
                        Add(WsdRuleIds.MixedFamilies, $"MatchBy '{matchBy}' is a {other} rule in a {_protocol} Probe.", ViolationSeverity.Warning, scopes);
                    }
                }
            }

            return new WsdProbe
            {
                Protocol = _protocol,
                Header = header,
                Types = types >= 0 ? ReadQNames(types) : [],
                Scopes = scopes >= 0 ? ReadList(scopes) : [],
                MatchBy = matchBy,
            };
        }

        private WsdProbeMatches ReadProbeMatches(int node, WsdHeader header)
        {
            var count = 0;
            for (var c = _doc.Nodes[node].FirstChild; c >= 0; c = _doc.Nodes[c].NextSibling)
            {
                count++;
            }

            var matches = new List<WsdEndpointData>(count);
            for (var c = _doc.Nodes[node].FirstChild; c >= 0; c = _doc.Nodes[c].NextSibling)
            {
                if (IsDisc(c) && _doc.Local(c).SequenceEqual("ProbeMatch"u8))
                {
                    CheckBodyFamily(c);
                    if (ReadEndpointData(c, requireMetadataVersion: true, requireXAddrs: false) is { } match)
                    {
                        matches.Add(match);
                    }
                }
            }

            return new WsdProbeMatches { Protocol = _protocol, Header = header, Matches = matches };
        }

        private WsdResolve? ReadResolve(int node, WsdHeader header)
        {
            var epr = FirstChild(node, IsWsa, "EndpointReference"u8);
            if (epr < 0)
            {
                Add(WsdRuleIds.Schema, "d:Resolve has no wsa:EndpointReference.", ViolationSeverity.Error, node);
                return null;
            }

            return new WsdResolve { Protocol = _protocol, Header = header, Endpoint = new WsdEndpointReference(ReadEndpointReference(epr)) };
        }

        private WsdResolveMatches ReadResolveMatches(int node, WsdHeader header)
        {
            var match = -1;
            for (var c = _doc.Nodes[node].FirstChild; c >= 0; c = _doc.Nodes[c].NextSibling)
            {
                if (IsDisc(c) && _doc.Local(c).SequenceEqual("ResolveMatch"u8))
                {
                    if (match >= 0)
                    {
                        Add(WsdRuleIds.Schema, "d:ResolveMatches holds more than one d:ResolveMatch; the first is read.", ViolationSeverity.Warning, c);
                        break;
                    }

                    match = c;
                }
            }

            WsdEndpointData? data = null;
            if (match < 0)
            {
                Add(WsdRuleIds.Schema, "d:ResolveMatches has no d:ResolveMatch.", ViolationSeverity.Error, node);
            }
            else
            {
                CheckBodyFamily(match);
                data = ReadEndpointData(match, requireMetadataVersion: true, requireXAddrs: _protocol.Version == WsdVersion.V2005);
            }

            return new WsdResolveMatches { Protocol = _protocol, Header = header, Match = data };
        }

        private WsdFault ReadFault(int fault, WsdHeader header, WsdXmlNs soapNs)
        {
            WsdQName? code = null;
            WsdQName? subcode = null;
            var reason = string.Empty;
            IReadOnlyList<string> rules = [];
            if (soapNs == WsdXmlNs.Soap12)
            {
                var codeNode = FirstChild(fault, n => _doc.Nodes[n].Ns == soapNs, "Code"u8);
                if (codeNode >= 0)
                {
                    var value = FirstChild(codeNode, n => _doc.Nodes[n].Ns == soapNs, "Value"u8);
                    code = value >= 0 ? ReadSingleQName(value) : null;
                    var sub = FirstChild(codeNode, n => _doc.Nodes[n].Ns == soapNs, "Subcode"u8);
                    var subValue = sub >= 0 ? FirstChild(sub, n => _doc.Nodes[n].Ns == soapNs, "Value"u8) : -1;
                    subcode = subValue >= 0 ? ReadSingleQName(subValue) : null;
                }

                var reasonNode = FirstChild(fault, n => _doc.Nodes[n].Ns == soapNs, "Reason"u8);
                if (reasonNode >= 0)
                {
                    var chosen = -1;
                    for (var t = _doc.Nodes[reasonNode].FirstChild; t >= 0; t = _doc.Nodes[t].NextSibling)
                    {
                        if (_doc.Nodes[t].Ns != soapNs || !_doc.Local(t).SequenceEqual("Text"u8))
                        {
                            continue;
                        }

                        if (chosen < 0)
                        {
                            chosen = t;
                        }

                        if (_doc.TryGetAttribute(t, "lang"u8, WsdXmlNs.Xml, out var lang) && (Ascii.EqualsIgnoreCase(lang, "en"u8) || (lang.Length > 3 && Ascii.EqualsIgnoreCase(lang[..3], "en-"u8))))
                        {
                            chosen = t;
                            break;
                        }
                    }

                    reason = chosen >= 0 ? Str(TrimXml(_doc.Text(chosen))) : string.Empty;
                }
            }
            else
            {
                var codeNode = FirstChild(fault, n => _doc.Nodes[n].Ns == WsdXmlNs.None, "faultcode"u8);
                code = codeNode >= 0 ? ReadSingleQName(codeNode) : null;
                var reasonNode = FirstChild(fault, n => _doc.Nodes[n].Ns == WsdXmlNs.None, "faultstring"u8);
                reason = reasonNode >= 0 ? Str(TrimXml(_doc.Text(reasonNode))) : string.Empty;
            }

            for (var n = fault + 1; n < _doc.NodeCount; n++)
            {
                if (IsDisc(n) && _doc.Local(n).SequenceEqual("SupportedMatchingRules"u8))
                {
                    CheckBodyFamily(n);
                    rules = ReadList(n);
                    break;
                }
            }

            if (code is null)
            {
                Add(WsdRuleIds.Schema, "The fault has no Code/Value.", ViolationSeverity.Error, fault);
            }

            return new WsdFault
            {
                Protocol = _protocol,
                Header = header,
                Code = code ?? new WsdQName(string.Empty, string.Empty),
                Subcode = subcode,
                Reason = reason,
                SupportedMatchingRules = rules,
            };
        }

        private WsdEndpointData? ReadEndpointData(int node, bool requireMetadataVersion, bool requireXAddrs)
        {
            int epr = -1, types = -1, scopes = -1, xaddrs = -1, version = -1;
            for (var c = _doc.Nodes[node].FirstChild; c >= 0; c = _doc.Nodes[c].NextSibling)
            {
                var local = _doc.Local(c);
                if (IsWsa(c))
                {
                    if (local.SequenceEqual("EndpointReference"u8))
                    {
                        SetOnceSchema(ref epr, c);
                    }
                }
                else if (IsDisc(c))
                {
                    CheckBodyFamily(c);
                    if (local.SequenceEqual("Types"u8))
                    {
                        SetOnceSchema(ref types, c);
                    }
                    else if (local.SequenceEqual("Scopes"u8))
                    {
                        SetOnceSchema(ref scopes, c);
                    }
                    else if (local.SequenceEqual("XAddrs"u8))
                    {
                        SetOnceSchema(ref xaddrs, c);
                    }
                    else if (local.SequenceEqual("MetadataVersion"u8))
                    {
                        SetOnceSchema(ref version, c);
                    }
                }
            }

            if (epr < 0)
            {
                Add(WsdRuleIds.Schema, $"{QNameText(node)} has no wsa:EndpointReference.", ViolationSeverity.Error, node);
                return null;
            }

            var address = ReadEndpointReference(epr);
            ulong? metadataVersion = null;
            if (version >= 0)
            {
                if (TryParseUnsigned(_doc.Text(version), out var v))
                {
                    metadataVersion = v;
                }
                else
                {
                    Add(WsdRuleIds.MetadataVersion, $"d:MetadataVersion '{Str(_doc.Text(version))}' is not an unsigned integer.", ViolationSeverity.Error, version);
                }
            }
            else if (requireMetadataVersion)
            {
                Add(WsdRuleIds.MetadataVersion, $"{QNameText(node)} has no d:MetadataVersion.", ViolationSeverity.Error, node);
            }

            var xaddrList = xaddrs >= 0 ? ReadList(xaddrs) : [];
            if (requireXAddrs && xaddrList.Length == 0)
            {
                Add(WsdRuleIds.Schema, $"{QNameText(node)} has no d:XAddrs; WS-Discovery 2005 §6.2 requires them in a ResolveMatch.", ViolationSeverity.Error, node);
            }

            return new WsdEndpointData(
                new WsdEndpointReference(address),
                types >= 0 ? ReadQNames(types) : [],
                scopes >= 0 ? ReadList(scopes) : [],
                xaddrList,
                metadataVersion);
        }

        private string ReadEndpointReference(int epr)
        {
            if (_doc.Nodes[epr].Ns != _wsaNs)
            {
                Add(WsdRuleIds.MixedFamilies, $"{QNameText(epr)} uses '{NsText(epr)}' but the message is {_protocol}; the families are mixed.", ViolationSeverity.Error, epr);
            }

            var address = -1;
            for (var c = _doc.Nodes[epr].FirstChild; c >= 0; c = _doc.Nodes[c].NextSibling)
            {
                if (!IsWsa(c))
                {
                    continue;
                }

                var local = _doc.Local(c);
                if (local.SequenceEqual("Address"u8))
                {
                    if (address < 0)
                    {
                        address = c;
                    }
                }
                else if (_protocol.Version == WsdVersion.V11 && (local.SequenceEqual("ReferenceProperties"u8) || local.SequenceEqual("PortType"u8) || local.SequenceEqual("ServiceName"u8)))
                {
                    Add(WsdRuleIds.Schema, $"{QNameText(c)} is a WS-Addressing 2004/08 element that W3C WS-Addressing 1.0 does not define [Q-UUID-FORM].", ViolationSeverity.Warning, c);
                }
            }

            if (address < 0)
            {
                Add(WsdRuleIds.Schema, "wsa:EndpointReference has no wsa:Address.", ViolationSeverity.Error, epr);
                return string.Empty;
            }

            var text = UriText(address, "wsa:Address", WsdRuleIds.AddressingHeader);
            CheckUuidForm(text, "The endpoint address", address);
            return text;
        }

        private void CheckUuidForm(string value, string what, int node)
        {
            if (value.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase))
            {
                if (!Guid.TryParseExact(value.AsSpan(9), "D", out _))
                {
                    Add(WsdRuleIds.UuidForm, $"{what} '{value}' is not a valid urn:uuid (8-4-4-4-12 hexadecimal digits).", ViolationSeverity.Warning, node);
                }
            }
            else if (value.StartsWith("uuid:", StringComparison.OrdinalIgnoreCase))
            {
                var severity = _protocol.Version == WsdVersion.V2005 ? ViolationSeverity.Warning : ViolationSeverity.Error;
                Add(WsdRuleIds.UuidForm, $"{what} '{value}' uses the bare 'uuid:' form; WS-Discovery 1.1, DPWS and ONVIF require 'urn:uuid:' [Q-UUID-FORM].", severity, node);
            }
            else if (!IsAbsoluteUri(value))
            {
                Add(WsdRuleIds.UuidForm, $"{what} '{value}' is not an absolute URI.", ViolationSeverity.Error, node);
            }
            else
            {
                Add(WsdRuleIds.UuidForm, $"{what} '{value}' is not a urn:uuid: URI, which WS-Discovery recommends.", ViolationSeverity.Warning, node);
            }
        }

        private string[] ReadList(int node)
        {
            var text = _doc.Text(node);
            var count = 0;
            for (var i = 0; i < text.Length;)
            {
                while (i < text.Length && WsdXmlDocument.IsWs(text[i]))
                {
                    i++;
                }

                if (i < text.Length)
                {
                    count++;
                }

                while (i < text.Length && !WsdXmlDocument.IsWs(text[i]))
                {
                    i++;
                }
            }

            if (count == 0)
            {
                return [];
            }

            var items = new string[count];
            var k = 0;
            for (var i = 0; i < text.Length;)
            {
                while (i < text.Length && WsdXmlDocument.IsWs(text[i]))
                {
                    i++;
                }

                var start = i;
                while (i < text.Length && !WsdXmlDocument.IsWs(text[i]))
                {
                    i++;
                }

                if (i > start)
                {
                    items[k++] = Str(text[start..i]);
                }
            }

            return items;
        }

        private WsdQName[] ReadQNames(int node)
        {
            var tokens = ReadTokens(node);
            if (tokens.Count == 0)
            {
                return [];
            }

            var names = new WsdQName[tokens.Count];
            var count = 0;
            for (var i = 0; i < tokens.Count; i++)
            {
                if (ResolveQName(node, tokens[i].Start, tokens[i].Length) is { } name)
                {
                    names[count++] = name;
                }
            }

            return count == names.Length ? names : names[..count];
        }

        private WsdQName? ReadSingleQName(int node)
        {
            var tokens = ReadTokens(node);
            if (tokens.Count != 1)
            {
                Add(WsdRuleIds.QNames, $"{QNameText(node)} should hold exactly one QName.", ViolationSeverity.Error, node);
                return null;
            }

            return ResolveQName(node, tokens[0].Start, tokens[0].Length);
        }

        private List<(int Start, int Length)> ReadTokens(int node)
        {
            var text = _doc.Text(node);
            var list = _tokens;
            list.Clear();
            for (var i = 0; i < text.Length;)
            {
                while (i < text.Length && WsdXmlDocument.IsWs(text[i]))
                {
                    i++;
                }

                var start = i;
                while (i < text.Length && !WsdXmlDocument.IsWs(text[i]))
                {
                    i++;
                }

                if (i > start)
                {
                    list.Add((start, i - start));
                }
            }

            return list;
        }

        private WsdQName? ResolveQName(int node, int start, int length)
        {
            var token = _doc.Text(node).Slice(start, length);
            var colon = token.IndexOf((byte)':');
            var prefix = colon >= 0 ? token[..colon] : default;
            var local = colon >= 0 ? token[(colon + 1)..] : token;
            if (local.IsEmpty || local.IndexOf((byte)':') >= 0 || (colon >= 0 && prefix.IsEmpty))
            {
                Add(WsdRuleIds.QNames, $"'{Str(token)}' in {QNameText(node)} is not a QName.", ViolationSeverity.Error, node);
                return null;
            }

            var prefixText = colon >= 0 ? Intern(prefix) : null;
            if (!_doc.TryResolvePrefix(node, prefix, out var uri, out _))
            {
                Add(WsdRuleIds.QNames, $"The prefix '{prefixText}' of '{Str(token)}' in {QNameText(node)} is not declared in scope; kept with an empty namespace.", ViolationSeverity.Error, node);
                return WsdQName.Create(string.Empty, Str(local), prefixText);
            }

            return WsdQName.Create(uri.Length == 0 ? string.Empty : Intern(_doc.Span(uri)), Str(local), prefixText);
        }

        private void CheckBodyFamily(int node)
        {
            if (!_reportedMixedBody && _doc.Nodes[node].Ns != _discNs)
            {
                _reportedMixedBody = true;
                Add(WsdRuleIds.MixedFamilies, $"{QNameText(node)} uses '{NsText(node)}' but the message is {_protocol}; the families are mixed.", ViolationSeverity.Error, node);
            }
        }

        private void ReportHttpsNamespaces()
        {
            var reported = 0;
            for (var n = 0; n < _doc.NodeCount; n++)
            {
                ref var node = ref _doc.Nodes[n];
                if (!node.NsHttps || (reported & (1 << (int)node.Ns)) != 0)
                {
                    continue;
                }

                reported |= 1 << (int)node.Ns;
                var uri = Str(_doc.Span(node.NsUri));
                var rule = node.Ns is WsdXmlNs.Soap12 or WsdXmlNs.Soap11 ? WsdRuleIds.Envelope : WsdRuleIds.MixedFamilies;
                Add(rule, $"The namespace '{uri}' uses https:// where the specification defines 'http://{uri[8..]}' [Q-HTTPS-NS]; understood as the latter.", ViolationSeverity.Error, n);
            }
        }

        private void SetOnce(ref int slot, int node)
        {
            if (slot >= 0)
            {
                Add(WsdRuleIds.AddressingHeader, $"The header {QNameText(node)} appears more than once; the first is read.", ViolationSeverity.Error, node);
            }
            else
            {
                slot = node;
            }
        }

        private void SetOnceSchema(ref int slot, int node)
        {
            if (slot >= 0)
            {
                Add(WsdRuleIds.Schema, $"{QNameText(node)} appears more than once; the first is read.", ViolationSeverity.Warning, node);
            }
            else
            {
                slot = node;
            }
        }

        private int FirstChild(int node, Func<int, bool> nsTest, ReadOnlySpan<byte> local)
        {
            for (var c = _doc.Nodes[node].FirstChild; c >= 0; c = _doc.Nodes[c].NextSibling)
            {
                if (nsTest(c) && _doc.Local(c).SequenceEqual(local))
                {
                    return c;
                }
            }

            return -1;
        }

        private bool IsWsa(int node) => _doc.Nodes[node].Ns is WsdXmlNs.Wsa2004 or WsdXmlNs.Wsa2005;

        private bool IsDisc(int node) => _doc.Nodes[node].Ns is WsdXmlNs.Disc2005 or WsdXmlNs.Disc11;

        /// <summary>The element's text as a URI: XML whitespace trimmed (reported as Info), known values shared.</summary>
        private string UriText(int node, string what, string rule)
        {
            var raw = _doc.Text(node);
            var trimmed = TrimXml(raw);
            if (trimmed.Length != raw.Length)
            {
                Add(rule, $"{what} has leading or trailing whitespace, which was trimmed [Q-WS-IN-URI].", ViolationSeverity.Info, node);
            }

            return Known(trimmed) ?? Str(trimmed);
        }

        private static bool IsHttpsSpelling(string actual, string expected) =>
            actual.Length == expected.Length + 1
            && actual.StartsWith("https://", StringComparison.Ordinal)
            && expected.StartsWith("http://", StringComparison.Ordinal)
            && actual.AsSpan(8).SequenceEqual(expected.AsSpan(7));

        private static ReadOnlySpan<byte> TrimXml(ReadOnlySpan<byte> span)
        {
            var start = 0;
            var end = span.Length;
            while (start < end && WsdXmlDocument.IsWs(span[start]))
            {
                start++;
            }

            while (end > start && WsdXmlDocument.IsWs(span[end - 1]))
            {
                end--;
            }

            return span[start..end];
        }

        private static bool TryParseUnsigned(ReadOnlySpan<byte> raw, out ulong value)
        {
            var text = TrimXml(raw);
            if (!text.IsEmpty && text[0] == (byte)'+')
            {
                text = text[1..];
            }

            value = 0;
            if (text.IsEmpty)
            {
                return false;
            }

            foreach (var b in text)
            {
                var digit = (uint)(b - '0');
                if (digit > 9 || value > (ulong.MaxValue - digit) / 10)
                {
                    return false;
                }

                value = (value * 10) + digit;
            }

            return true;
        }

        private static bool IsAbsoluteUri(string value)
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            if (colon < 1 || !char.IsAsciiLetter(value[0]))
            {
                return false;
            }

            for (var i = 1; i < colon; i++)
            {
                var c = value[i];
                if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '-' && c != '.')
                {
                    return false;
                }
            }

            return true;
        }

        private static string Str(ReadOnlySpan<byte> span) => span.IsEmpty ? string.Empty : Encoding.UTF8.GetString(span);

        private string QNameText(int node) => Str(_doc.QName(node));

        private string NsText(int node) => Str(_doc.Span(_doc.Nodes[node].NsUri));

        private void Add(string rule, string message, ViolationSeverity severity, int node) =>
            Add(rule, message, severity, Path(node));

        private void Add(string rule, string message, ViolationSeverity severity, string? location = null) =>
            (_violations ??= []).Add(new Violation(rule, message, severity, location));

        /// <summary>An XPath-like location using the peer's own qualified names, e.g. <c>/s:Envelope/s:Body/d:ProbeMatches/d:ProbeMatch[2]</c>.</summary>
        private string Path(int node)
        {
            var parts = new List<string>();
            for (var n = node; n >= 0; n = _doc.Nodes[n].Parent)
            {
                var name = QNameText(n);
                var parent = _doc.Nodes[n].Parent;
                if (parent >= 0)
                {
                    int same = 0, position = 0;
                    for (var c = _doc.Nodes[parent].FirstChild; c >= 0; c = _doc.Nodes[c].NextSibling)
                    {
                        if (_doc.QName(c).SequenceEqual(_doc.QName(n)))
                        {
                            same++;
                            if (c == n)
                            {
                                position = same;
                            }
                        }
                    }

                    if (same > 1)
                    {
                        name += "[" + position.ToString(CultureInfo.InvariantCulture) + "]";
                    }
                }

                parts.Add(name);
            }

            parts.Reverse();
            return "/" + string.Join('/', parts);
        }

        private static string? Known(ReadOnlySpan<byte> value) => WsdKnownStrings.Find(value);

        private static string Intern(ReadOnlySpan<byte> value) => WsdKnownStrings.Intern(value);
    }
}
