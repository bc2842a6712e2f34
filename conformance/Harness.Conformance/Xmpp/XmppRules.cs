using Harness.Conformance.Model;
using Harness.Core.Recording;

namespace Harness.Conformance.Xmpp;

/// <summary>
/// The XMPP rules (checklist <c>specs/xmpp.md</c> §2): service discovery (XEP-0030, XEP-0128), entity capabilities as
/// a generator shows them (XEP-0115, XEP-0390), the server's account answers and stream negotiation (RFC 6120) and
/// components (XEP-0114). Every rule is passive: it judges the stanzas recorded in the session — the answers to the
/// stimuli <see cref="XmppSuite"/> sent (recognised by their probe names, <see cref="XmppProbes"/>), presence, stream
/// features — so a capture of the same traffic is judged the same way. A rule with nothing to judge says why (N/A).
/// </summary>
public static partial class XmppRules
{
    private const string Xep0030 = "XEP-0030 (Service Discovery) 2.5";
    private const string Xep0115 = "XEP-0115 (Entity Capabilities) 1.6";
    private const string Xep0128 = "XEP-0128 (Service Discovery Extensions) 1.0";
    private const string Xep0390 = "XEP-0390 (Entity Capabilities 2.0) 0.3";
    private const string Xep0114 = "XEP-0114 (Jabber Component Protocol) 1.6";
    private const string Rfc6120 = "RFC 6120 (XMPP Core)";
    private const string Url0030 = "https://xmpp.org/extensions/xep-0030.html";
    private const string Url0115 = "https://xmpp.org/extensions/xep-0115.html";
    private const string Url0128 = "https://xmpp.org/extensions/xep-0128.html";
    private const string Url0390 = "https://xmpp.org/extensions/xep-0390.html";
    private const string Url0114 = "https://xmpp.org/extensions/xep-0114.html";
    private const string Url6120 = "https://www.rfc-editor.org/rfc/rfc6120";
    private const int MaxFindings = 10;

    private static readonly DeviceRole[] Entity = [DeviceRole.XmppEntity];
    private static readonly DeviceRole[] Server = [XmppRoles.Server];

    /// <summary>Every XMPP rule, ordered by id.</summary>
    public static IReadOnlyList<Rule> All { get; } = [.. Create().OrderBy(r => r.Id, StringComparer.Ordinal)];

    private static IEnumerable<Rule> Create() => [.. DiscoRules(), .. CapsRules(), .. ServerRules()];

    private static Rule Passive(string id, string title, SpecCitation citation, RuleLevel level, IReadOnlyList<DeviceRole> roles, string description, Func<RuleContext, XmppView, string, IEnumerable<Finding>> check) =>
        Rule.Passive(Protocols.Xmpp, id, title, citation, level, roles, description, context => check(context, XmppView.Of(context.Session), context.Device.EndpointReference ?? context.Device.Id));

    /// <summary>
    /// Collects the judgements of one rule on one device: the offences (at most <see cref="MaxFindings"/> are kept) or
    /// one pass that counts what was judged, or N/A with the reason when nothing was.
    /// </summary>
    private sealed class Tally(RuleContext context)
    {
        private readonly List<Finding> _offences = [];
        private readonly List<TrafficRecord> _passed = [];
        private int _offenceCount;
        private int _passCount;

        public RuleContext Context => context;

        public void Pass(IEnumerable<TrafficRecord> records)
        {
            _passCount++;
            if (_passed.Count < 6)
            {
                _passed.AddRange(records.Take(2));
            }
        }

        public void Fail(string message, IEnumerable<TrafficRecord>? records = null, string? actual = null, string? expected = null, string? location = null) =>
            Add(context.Violation(message, records, actual, expected, location));

        public void Warn(string message, IEnumerable<TrafficRecord>? records = null, string? actual = null, string? expected = null) =>
            Add(context.Warn(message, records, actual, expected));

        public void Info(string message, IEnumerable<TrafficRecord>? records = null, string? actual = null) =>
            Add(context.Info(message, records, actual));

        public IEnumerable<Finding> Result(string passed, string notApplicable)
        {
            if (_offenceCount > 0)
            {
                if (_offenceCount > _offences.Count)
                {
                    return [.. _offences, context.Info($"{_offenceCount - _offences.Count} more like these were not listed.")];
                }

                return _offences;
            }

            return _passCount > 0
                ? [context.Pass(_passCount == 1 ? passed : $"{passed} ({_passCount} checked)", _passed)]
                : [context.NotApplicable(notApplicable)];
        }

        private void Add(Finding finding)
        {
            _offenceCount++;
            if (_offences.Count < MaxFindings)
            {
                _offences.Add(finding);
            }
        }
    }
}
