using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Harness.Dpws.Http;
using Harness.Dpws.Print;
using Harness.Dpws.Scan;
using Harness.Dpws.Soap;
using Harness.Simulators.Printers;
using Harness.Simulators.Scanners;

namespace Harness.Simulators.Quirks;

/// <summary>
/// The quirk profiles of simulated WSD scanners and printers, by name: deviations of real DPWS devices (checklist
/// <c>specs/wsd.md</c> §2 and the field reports behind it), one per deviation, each naming the DPWS rules it breaks. The
/// camera profiles are <see cref="QuirkProfiles"/>; <see cref="QuirkProfiles.DpwsProfiles"/> lists these next to them.
/// </summary>
public static partial class DpwsQuirkProfiles
{
    /// <summary>Every profile, ordered by name.</summary>
    public static IReadOnlyList<DpwsQuirkProfile> All { get; } = [.. Create().OrderBy(p => p.Name, StringComparer.Ordinal)];

    /// <summary>The profile with this name (ignoring case), or null.</summary>
    public static DpwsQuirkProfile? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Applies the named profile to scanner options.</summary>
    /// <exception cref="ArgumentException">No profile for scanners has that name (the message lists them).</exception>
    public static FakeScannerOptions Apply(string name, FakeScannerOptions options) => Get(name, DpwsQuirkDevices.Scanner).Apply(options);

    /// <summary>Applies the named profile to printer options.</summary>
    /// <exception cref="ArgumentException">No profile for printers has that name (the message lists them).</exception>
    public static FakePrinterOptions Apply(string name, FakePrinterOptions options) => Get(name, DpwsQuirkDevices.Printer).Apply(options);

    private static DpwsQuirkProfile Get(string name, DpwsQuirkDevices kind)
    {
        var profile = Find(name);
        if (profile is null || (profile.Devices & kind) == 0)
        {
            throw new ArgumentException(
                $"Unknown {kind.ToString().ToLowerInvariant()} quirk profile '{name}'. Known profiles: {string.Join(", ", All.Where(p => (p.Devices & kind) != 0).Select(p => p.Name))}.",
                nameof(name));
        }

        return profile;
    }

    private static string[] Rules(params string[] ids) => ids;

    private static IEnumerable<DpwsQuirkProfile> Create()
    {
        // ---- SOAP over HTTP ------------------------------------------------------------------------------------
        yield return new DpwsQuirkProfile(
            "dpws-soap-text-xml",
            "Answers SOAP 1.2 envelopes with Content-Type text/xml (SOAP 1.1's media type) instead of application/soap+xml.",
            DpwsQuirkDevices.Both,
            _ => new DpwsQuirkHooks
            {
                ResponseFilter = r => DpwsQuirkRewrite.IsSoap(r) ? r with { ContentType = "text/xml; charset=utf-8" } : r,
            })
        {
            SeenIn = "DPWS R0001; embedded HTTP stacks that label every XML text/xml (cf. Q-HDRS, sane-airscan airscan-wsd.c)",
            ExpectedFailures = Rules("WSD-DPWS-006"),
        };

        yield return new DpwsQuirkProfile(
            "dpws-no-relates-to",
            "Leaves wsa:RelatesTo out of its responses, so a client cannot tell which request they answer.",
            DpwsQuirkDevices.Both,
            _ => new DpwsQuirkHooks
            {
                ResponseFilter = r => DpwsQuirkRewrite.Xml(r, d => DpwsQuirkRewrite.Named(d, "RelatesTo").ToList().ForEach(e => e.Remove())),
            })
        {
            SeenIn = "WS-Addressing reply rules; python-ws-discovery #29/#38 (answers without proper addressing headers)",
            ExpectedFailures = Rules("WSD-SOAP-001"),
        };

        yield return new DpwsQuirkProfile(
            "dpws-fault-http-200",
            "Sends SOAP faults with HTTP 200 OK instead of 400/500.",
            DpwsQuirkDevices.Both,
            _ => new DpwsQuirkHooks
            {
                ResponseFilter = r => DpwsQuirkRewrite.IsFault(r) ? r with { StatusCode = 200 } : r,
            })
        {
            SeenIn = "Q-F200: Lexmark MB2236adw, Xerox WorkCentre 3225 (sane-airscan airscan-wsd.c)",
            ExpectedFailures = Rules("WSD-SOAP-003", "WSD-SOAP-004"),
        };

        yield return new DpwsQuirkProfile(
            "dpws-no-directed-probe",
            "Does not answer a Probe sent over HTTP to its XAddr (answers wsa:ActionNotSupported).",
            DpwsQuirkDevices.Both,
            _ =>
            {
                var ids = new QuirkIds("dpws-no-directed-probe");
                return new DpwsQuirkHooks
                {
                    ResponseFilter = r => r.RequestAction is { } a && a.EndsWith("/discovery/Probe", StringComparison.Ordinal)
                        ? DpwsQuirkRewrite.Fault(r, SoapFault.ActionNotSupported(a), 500, ids.Next())
                        : r,
                };
            })
        {
            SeenIn = "WSD-PRB-017 (WSDBIT 1.4.1): Windows probes XAddrs directly (sane-airscan airscan-wsdd.c); stacks without it refuse the action",
            ExpectedFailures = Rules("WSD-PRB-017"),
        };

        // ---- Metadata -------------------------------------------------------------------------------------------
        yield return new DpwsQuirkProfile(
            "dpws-metadata-https-ns",
            "Spells the devices-profile namespace https://schemas.xmlsoap.org/ws/2006/02/devprof in its metadata (Dialects, sections, Relationship Type).",
            DpwsQuirkDevices.Both,
            _ => new DpwsQuirkHooks
            {
                ResponseFilter = r => r.RequestAction == DpwsActions.TransferGet
                    ? DpwsQuirkRewrite.Text(r, DpwsNamespaces.Devprof, "https" + DpwsNamespaces.Devprof[4..])
                    : r,
            })
        {
            SeenIn = "Q-HTTPS-NS: https:// namespace URIs (MS learn samples; sane-airscan matches http*:// in airscan-wsd.c)",
            ExpectedFailures = Rules("WSD-DPWS-002", "WSD-DPWS-004"),
        };

        yield return new DpwsQuirkProfile(
            "dpws-no-hosted",
            "Its Relationship names the host but no wsdp:Hosted service, so clients cannot find the scan or print service.",
            DpwsQuirkDevices.Both,
            _ => new DpwsQuirkHooks
            {
                ResponseFilter = r => r.RequestAction == DpwsActions.TransferGet
                    ? DpwsQuirkRewrite.Xml(r, d => DpwsQuirkRewrite.Named(d, "Hosted").ToList().ForEach(e => e.Remove()))
                    : r,
            })
        {
            SeenIn = "WSD-DPWS-004: sane-airscan selects scanner endpoints by the Hosted wscn:ScannerServiceType (airscan-wsdd.c)",
            ExpectedFailures = Rules("WSD-DPWS-004"),
        };

        // ---- Eventing -------------------------------------------------------------------------------------------
        yield return new DpwsQuirkProfile(
            "dpws-expires-ignored",
            "Ignores the Expires of Subscribe and Renew: every subscription gets the source's default (an hour), and a nonsense value is accepted.",
            DpwsQuirkDevices.Both,
            _ => new DpwsQuirkHooks
            {
                RequestFilter = r => DpwsQuirkRewrite.Xml(r, d =>
                {
                    if (d.Root?.Descendants().Any(e => e.Name == XName.Get("Subscribe", DpwsNamespaces.Eventing) || e.Name == XName.Get("Renew", DpwsNamespaces.Eventing)) == true)
                    {
                        d.Descendants(XName.Get("Expires", DpwsNamespaces.Eventing)).ToList().ForEach(e => e.Remove());
                    }
                }),
            })
        {
            SeenIn = "WSD-EVT-002/003 (WSDBIT 4.1.1, 4.2.1): printers that grant a fixed subscription time",
            ExpectedFailures = Rules("WSD-EVT-002", "WSD-EVT-003"),
        };

        // ---- WS-Scan --------------------------------------------------------------------------------------------
        yield return new DpwsQuirkProfile(
            "scan-image-second-retrieve",
            "The first RetrieveImage of each job answers ClientErrorNoImagesAvailable (the page is not ready); the image comes with the second.",
            DpwsQuirkDevices.Scanner,
            _ =>
            {
                // Jobs it created and has not yet refused a first RetrieveImage for.
                var fresh = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
                return new DpwsQuirkHooks
                {
                    ResponseFilter = r =>
                    {
                        if (r.RequestAction == ScanActions.CreateScanJob && !DpwsQuirkRewrite.IsFault(r)
                            && JobIdPattern().Match(System.Text.Encoding.UTF8.GetString(r.Body.Span)) is { Success: true } created)
                        {
                            fresh.TryAdd(created.Groups[1].Value, 0);
                        }

                        return r;
                    },
                    Interceptor = (context, cancellationToken) =>
                    {
                        if (context.Action != ScanActions.RetrieveImage)
                        {
                            return ValueTask.FromResult<SoapResponse?>(null);
                        }

                        var job = context.Envelope.BodyElement?.Descendants().FirstOrDefault(e => e.Name.LocalName == "JobId")?.Value.Trim() ?? string.Empty;
                        return ValueTask.FromResult(fresh.TryRemove(new KeyValuePair<string, byte>(job, 0)) ? context.Fault(ScanFault.ClientErrorNoImagesAvailable().ToSoapFault()) : null);
                    },
                };
            })
        {
            SeenIn = "WSD-SCN-011; sane-airscan retries RetrieveImage after ClientErrorNoImagesAvailable for devices that are still scanning",
            ExpectedFailures = Rules("WSD-SCN-011"),
        };

        yield return new DpwsQuirkProfile(
            "scan-wrong-fault-code",
            "Sends its ClientError* faults with Code soap:Receiver instead of soap:Sender.",
            DpwsQuirkDevices.Scanner,
            _ => new DpwsQuirkHooks
            {
                ResponseFilter = r => DpwsQuirkRewrite.IsFault(r) && r.RequestAction?.StartsWith(ScanNamespaces.Scan, StringComparison.Ordinal) == true
                    ? DpwsQuirkRewrite.Xml(r, d => SetCodeIf(d, s => s.StartsWith("ClientError", StringComparison.Ordinal), "Receiver"))
                    : r,
            })
        {
            SeenIn = "WSD-SCN-015: Microsoft's WS-Scan error pages pair ClientError* with soap:Sender; vendor stacks that answer every fault as Receiver",
            ExpectedFailures = Rules("WSD-SCN-015"),
        };

        yield return new DpwsQuirkProfile(
            "scan-jobid-generic-fault",
            "Answers requests for a job it does not know with a generic wscn:OperationFailed (Receiver) instead of ClientErrorJobIdNotFound.",
            DpwsQuirkDevices.Scanner,
            _ =>
            {
                var ids = new QuirkIds("scan-jobid-generic-fault");
                return new DpwsQuirkHooks
                {
                    ResponseFilter = r => HasSubcode(r, "ClientErrorJobIdNotFound") ? DpwsQuirkRewrite.Fault(r, ScanFault.OperationFailed().ToSoapFault(), 500, ids.Next()) : r,
                };
            })
        {
            SeenIn = "Q-ITT0 (Ricoh Aficio MP 201 mixes up ADF-empty and JobIdNotFound); the issue's 'JobId not found answered with a generic fault'",
            ExpectedFailures = Rules("WSD-SCN-009", "WSD-SCN-012", "WSD-SCN-014"),
        };

        yield return new DpwsQuirkProfile(
            "scan-slow-job-start",
            "Registers its first job only when the scan starts (lamp warm-up): until the first RetrieveImage, GetActiveJobs lists nothing and GetJobElements answers ClientErrorJobIdNotFound for it.",
            DpwsQuirkDevices.Scanner,
            _ =>
            {
                var state = new SlowStart();
                return new DpwsQuirkHooks
                {
                    ResponseFilter = r =>
                    {
                        if (r.RequestAction == ScanActions.CreateScanJob && !DpwsQuirkRewrite.IsFault(r))
                        {
                            state.Created(JobIdPattern().Match(System.Text.Encoding.UTF8.GetString(r.Body.Span)) is { Success: true } m ? m.Groups[1].Value : null);
                        }

                        return r;
                    },
                    Interceptor = (context, _) => ValueTask.FromResult(state.Intercept(context)),
                };
            })
        {
            SeenIn = "Q-WARMUP (CreateScanJob during Calibrating/LampWarming, sane-airscan); the issue's 'slow job start'",
            ExpectedFailures = Rules("WSD-SCN-014"),
        };

        // ---- WS-Print -------------------------------------------------------------------------------------------
        yield return new DpwsQuirkProfile(
            "print-jobid-generic-fault",
            "Answers requests for a job it does not know with a generic ServerErrorInternalError (Receiver) instead of ClientErrorJobIdNotFound.",
            DpwsQuirkDevices.Printer,
            _ =>
            {
                var ids = new QuirkIds("print-jobid-generic-fault");
                return new DpwsQuirkHooks
                {
                    ResponseFilter = r => HasSubcode(r, "ClientErrorJobIdNotFound") ? DpwsQuirkRewrite.Fault(r, PrintFault.ServerErrorInternalError().ToSoapFault(), 500, ids.Next()) : r,
                };
            })
        {
            SeenIn = "The issue's 'JobId not found answered with a generic fault' (WS-Print GetJobElements/CancelJob error lists)",
            ExpectedFailures = Rules("WSD-PRT-004", "WSD-PRT-006"),
        };
    }

    private static bool HasSubcode(DpwsWireResponse response, string localName) =>
        DpwsQuirkRewrite.IsFault(response) && System.Text.Encoding.UTF8.GetString(response.Body.Span).Contains(":" + localName + "<", StringComparison.Ordinal);

    /// <summary>Sets the Code/Value of a fault whose subcode's local name satisfies <paramref name="when"/>.</summary>
    private static void SetCodeIf(XDocument document, Func<string, bool> when, string code)
    {
        foreach (var fault in DpwsQuirkRewrite.Named(document, "Fault"))
        {
            var codeElement = fault.Elements().FirstOrDefault(e => e.Name.LocalName == "Code");
            var value = codeElement?.Elements().FirstOrDefault(e => e.Name.LocalName == "Value");
            var subcode = codeElement?.Elements().FirstOrDefault(e => e.Name.LocalName == "Subcode")?.Elements().FirstOrDefault(e => e.Name.LocalName == "Value")?.Value.Trim();
            if (value is null || subcode is null || !when(subcode[(subcode.IndexOf(':', StringComparison.Ordinal) + 1)..]))
            {
                continue;
            }

            var prefix = value.GetPrefixOfNamespace(DpwsNamespaces.Soap12);
            value.Value = (prefix is null ? string.Empty : prefix + ":") + code;
        }
    }

    [GeneratedRegex(@"<(?:\w+:)?JobId>\s*(\d+)\s*</", RegexOptions.CultureInvariant)]
    private static partial Regex JobIdPattern();

    /// <summary>Message ids for the answers a quirk makes up (stable per profile and device start).</summary>
    private sealed class QuirkIds(string profile)
    {
        private int _next;

        public string Next()
        {
            var n = Interlocked.Increment(ref _next);
            return "urn:uuid:" + QuirkMessages.DerivedGuid(profile + "/" + n.ToString(CultureInfo.InvariantCulture)).ToString("D");
        }
    }

    /// <summary>The state of scan-slow-job-start: the first job, hidden until its first RetrieveImage.</summary>
    private sealed class SlowStart
    {
        private readonly Lock _gate = new();
        private string? _firstJob;
        private bool _started;

        public void Created(string? jobId)
        {
            lock (_gate)
            {
                _firstJob ??= jobId;
            }
        }

        public SoapResponse? Intercept(SoapRequestContext context)
        {
            lock (_gate)
            {
                if (_started || _firstJob is null)
                {
                    return null;
                }

                if (context.Action == ScanActions.RetrieveImage)
                {
                    _started = true;
                    return null;
                }

                if (context.Action == ScanActions.GetActiveJobs)
                {
                    return context.Reply(ScanActions.GetActiveJobsResponse, ScanXmlWriter.Write(new Harness.Dpws.Scan.GetActiveJobsResponse([])));
                }

                var job = context.Envelope.BodyElement?.Descendants().FirstOrDefault(e => e.Name.LocalName == "JobId")?.Value.Trim();
                return context.Action == ScanActions.GetJobElements && job == _firstJob
                    ? context.Fault(ScanFault.ClientErrorJobIdNotFound(int.Parse(job, CultureInfo.InvariantCulture)).ToSoapFault())
                    : null;
            }
        }
    }
}
