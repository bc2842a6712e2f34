using System.Text;
using System.Xml;
using System.Xml.Linq;
using Harness.Dpws.Http;
using Harness.Dpws.Soap;
using Harness.Simulators.Printers;
using Harness.Simulators.Scanners;

namespace Harness.Simulators.Quirks;

/// <summary>The simulated DPWS devices a <see cref="DpwsQuirkProfile"/> applies to.</summary>
[Flags]
public enum DpwsQuirkDevices
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>Simulated WSD scanners (<see cref="FakeScanner"/>).</summary>
    Scanner = 1,

    /// <summary>Simulated WSD printers (<see cref="FakePrinter"/>).</summary>
    Printer = 2,

    /// <summary>Both.</summary>
    Both = Scanner | Printer,
}

/// <summary>What a quirk profile's hooks may use: the device's clock.</summary>
/// <param name="TimeProvider">The device's clock.</param>
public sealed record DpwsQuirkContext(TimeProvider TimeProvider);

/// <summary>
/// The HTTP hooks of one quirky DPWS device (see <see cref="DpwsHostOptions.RequestFilter"/>,
/// <see cref="DpwsHostOptions.Interceptor"/>, <see cref="DpwsHostOptions.ResponseFilter"/>); each device gets its own
/// (a profile's state, e.g. which jobs were seen, is per device).
/// </summary>
public sealed record DpwsQuirkHooks
{
    /// <summary>Rewrites request bodies before they are read, or null.</summary>
    public Func<DpwsWireRequest, ReadOnlyMemory<byte>>? RequestFilter { get; init; }

    /// <summary>Answers requests before their handler, or null.</summary>
    public Func<SoapRequestContext, CancellationToken, ValueTask<SoapResponse?>>? Interceptor { get; init; }

    /// <summary>Rewrites responses before they go on the wire, or null.</summary>
    public Func<DpwsWireResponse, DpwsWireResponse>? ResponseFilter { get; init; }

    /// <summary>The host settings with these hooks chained after any hooks already there.</summary>
    public DpwsHostOptions ApplyTo(DpwsHostOptions host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var request = Chain(host.RequestFilter, RequestFilter, (a, b) => r => b(r with { Body = a(r) }));
        var response = Chain(host.ResponseFilter, ResponseFilter, (a, b) => r => b(a(r)));
        var interceptor = host.Interceptor;
        if (Interceptor is { } mine)
        {
            interceptor = interceptor is null
                ? mine
                : async (context, cancellationToken) => await interceptor(context, cancellationToken).ConfigureAwait(false) ?? await mine(context, cancellationToken).ConfigureAwait(false);
        }

        return host with { RequestFilter = request, ResponseFilter = response, Interceptor = interceptor };
    }

    private static T? Chain<T>(T? first, T? second, Func<T, T, T> combine)
        where T : class =>
        first is null ? second : second is null ? first : combine(first, second);
}

/// <summary>
/// A named way in which a simulated WSD scanner or printer deviates from DPWS, WS-Eventing, WS-Scan or WS-Print, imitating
/// a real device (checklist <c>specs/wsd.md</c> §2 and the field reports it cites). It works through the HTTP hooks of the
/// device's host: <see cref="Apply(FakeScannerOptions)"/> / <see cref="Apply(FakePrinterOptions)"/> set
/// <see cref="FakeScannerOptions.Quirks"/> / <see cref="FakePrinterOptions.Quirks"/>, and the device starts with fresh hooks.
/// </summary>
public sealed class DpwsQuirkProfile
{
    private readonly Func<DpwsQuirkContext, DpwsQuirkHooks> _hooks;

    /// <summary>Creates a profile (the named ones are in <see cref="DpwsQuirkProfiles"/>; tests may make their own).</summary>
    /// <param name="name">Stable name: lower case, digits and '-'.</param>
    /// <param name="description">What the device does wrong, in a sentence.</param>
    /// <param name="devices">The simulated devices it applies to.</param>
    /// <param name="hooks">Makes the hooks of one device.</param>
    public DpwsQuirkProfile(string name, string description, DpwsQuirkDevices devices, Func<DpwsQuirkContext, DpwsQuirkHooks> hooks)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(description);
        ArgumentNullException.ThrowIfNull(hooks);
        Name = name;
        Description = description;
        Devices = devices;
        _hooks = hooks;
    }

    /// <summary>The stable name, e.g. <c>dpws-soap-text-xml</c>.</summary>
    public string Name { get; }

    /// <summary>What the device does wrong.</summary>
    public string Description { get; }

    /// <summary>The simulated devices it applies to.</summary>
    public DpwsQuirkDevices Devices { get; }

    /// <summary>Where the deviation was seen (the checklist's Q-… id, the public tracker), or null.</summary>
    public string? SeenIn { get; init; }

    /// <summary>
    /// The DPWS conformance rule ids this profile is expected to fail (verdict Fail, Warn or Info) when the DPWS suite
    /// runs against a device with it; every other DPWS rule passes or does not apply.
    /// </summary>
    public IReadOnlyList<string> ExpectedFailures { get; init; } = [];

    /// <summary>The hooks of one device.</summary>
    public DpwsQuirkHooks CreateHooks(DpwsQuirkContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _hooks(context);
    }

    /// <summary>Scanner options with this profile.</summary>
    public FakeScannerOptions Apply(FakeScannerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with { Quirks = this };
    }

    /// <summary>Printer options with this profile.</summary>
    public FakePrinterOptions Apply(FakePrinterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with { Quirks = this };
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>Rewrites of SOAP responses and requests the quirk profiles (and tests' own quirks) are made of.</summary>
public static class DpwsQuirkRewrite
{
    /// <summary>True when a response is a single SOAP envelope (not an MTOM package, not empty).</summary>
    public static bool IsSoap(DpwsWireResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return !response.Body.IsEmpty && MediaType.Parse(response.ContentType).Is("application/soap+xml");
    }

    /// <summary>True when a SOAP response's body is a fault.</summary>
    public static bool IsFault(DpwsWireResponse response) =>
        IsSoap(response) && Load(response.Body) is { } document && document.Descendants(XName.Get("Fault", DpwsNamespaces.Soap12)).Any();

    /// <summary>The response with its envelope changed by <paramref name="edit"/> (SOAP envelopes only; others unchanged).</summary>
    public static DpwsWireResponse Xml(DpwsWireResponse response, Action<XDocument> edit)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(edit);
        if (!IsSoap(response) || Load(response.Body) is not { } document)
        {
            return response;
        }

        edit(document);
        return response with { Body = Save(document) };
    }

    /// <summary>The response with every occurrence of <paramref name="from"/> replaced in its UTF-8 text (SOAP envelopes only).</summary>
    public static DpwsWireResponse Text(DpwsWireResponse response, string from, string to)
    {
        ArgumentNullException.ThrowIfNull(response);
        return IsSoap(response)
            ? response with { Body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(response.Body.Span).Replace(from, to, StringComparison.Ordinal)) }
            : response;
    }

    /// <summary>The request body with its envelope changed by <paramref name="edit"/> (unreadable bodies unchanged).</summary>
    public static ReadOnlyMemory<byte> Xml(DpwsWireRequest request, Action<XDocument> edit)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(edit);
        if (Load(request.Body) is not { } document)
        {
            return request.Body;
        }

        edit(document);
        return Save(document);
    }

    /// <summary>A fault answer to the request of <paramref name="response"/>, replacing what the device would have said.</summary>
    public static DpwsWireResponse Fault(DpwsWireResponse response, SoapFault fault, int status, string messageId)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(fault);
        var envelope = SoapEnvelope.FaultReply(response.Request, fault, messageId);
        return response with { StatusCode = status, ContentType = "application/soap+xml; charset=utf-8", Body = SoapWriter.Write(envelope) };
    }

    /// <summary>A reply with <paramref name="action"/> and <paramref name="body"/> to the request of <paramref name="response"/>.</summary>
    public static DpwsWireResponse Reply(DpwsWireResponse response, string action, XElement body, string messageId)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Request is not { } request)
        {
            return response;
        }

        var envelope = SoapEnvelope.Reply(request, action, messageId, body);
        return response with { StatusCode = 200, ContentType = "application/soap+xml; charset=utf-8", Body = SoapWriter.Write(envelope) };
    }

    /// <summary>Elements of a document by local name.</summary>
    public static IEnumerable<XElement> Named(XDocument document, string localName)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Descendants().Where(e => e.Name.LocalName == localName).ToList();
    }

    private static XDocument? Load(ReadOnlyMemory<byte> body)
    {
        var result = Harness.Core.Xml.SafeXml.Load(body.Span);
        return result.Document;
    }

    private static byte[] Save(XDocument document)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            document.Save(writer);
        }

        return stream.ToArray();
    }
}
