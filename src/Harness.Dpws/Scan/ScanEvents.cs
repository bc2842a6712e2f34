namespace Harness.Dpws.Scan;

/// <summary>
/// A WS-Scan event the service raises; the eventing layer delivers it to the subscriptions whose filter holds
/// <see cref="Action"/> (and, for <see cref="ScanAvailableEvent"/>, only to the subscriber that owns
/// <see cref="ScanAvailableEvent.DestinationToken"/>). <see cref="ScanXmlWriter.WriteEvent"/> gives the body element.
/// </summary>
public abstract record ScanEvent
{
    /// <summary>The event's action URI.</summary>
    public abstract string Action { get; }

    /// <summary>When the service raised it.</summary>
    public DateTimeOffset Time { get; init; }
}

/// <summary>ScannerElementsChangeEvent: ElementChanges with the complete new element(s).</summary>
public sealed record ScannerElementsChangeEvent : ScanEvent
{
    /// <inheritdoc />
    public override string Action => ScanActions.ScannerElementsChangeEvent;

    /// <summary>The new ScannerDescription, when it changed.</summary>
    public ScannerDescription? Description { get; init; }

    /// <summary>The new ScannerConfiguration, when it changed.</summary>
    public ScannerConfiguration? Configuration { get; init; }

    /// <summary>The new DefaultScanTicket, when it changed.</summary>
    public ScanTicket? DefaultScanTicket { get; init; }
}

/// <summary>ScannerStatusSummaryEvent: StatusSummary (ScannerState and reasons).</summary>
/// <param name="State">ScannerState.</param>
/// <param name="StateReasons">ScannerStateReasons.</param>
public sealed record ScannerStatusSummaryEvent(string State, IReadOnlyList<string> StateReasons) : ScanEvent
{
    /// <inheritdoc />
    public override string Action => ScanActions.ScannerStatusSummaryEvent;
}

/// <summary>ScannerStatusConditionEvent: a DeviceCondition arose.</summary>
/// <param name="Condition">The condition.</param>
public sealed record ScannerStatusConditionEvent(ScanDeviceCondition Condition) : ScanEvent
{
    /// <inheritdoc />
    public override string Action => ScanActions.ScannerStatusConditionEvent;
}

/// <summary>ScannerStatusConditionClearedEvent: DeviceConditionCleared (ConditionId, ConditionClearTime).</summary>
/// <param name="ConditionId">ConditionId.</param>
/// <param name="ClearTime">ConditionClearTime.</param>
public sealed record ScannerStatusConditionClearedEvent(int ConditionId, DateTimeOffset ClearTime) : ScanEvent
{
    /// <inheritdoc />
    public override string Action => ScanActions.ScannerStatusConditionClearedEvent;
}

/// <summary>JobStatusEvent: the job's JobStatus after a change.</summary>
/// <param name="Status">JobStatus.</param>
public sealed record JobStatusEvent(ScanJobStatus Status) : ScanEvent
{
    /// <inheritdoc />
    public override string Action => ScanActions.JobStatusEvent;
}

/// <summary>JobEndStateEvent: JobEndState of a job that reached Completed, Aborted or Canceled.</summary>
/// <param name="EndState">JobEndState (its JobState is written JobCompletedState).</param>
public sealed record JobEndStateEvent(ScanJobSummary EndState) : ScanEvent
{
    /// <inheritdoc />
    public override string Action => ScanActions.JobEndStateEvent;
}

/// <summary>
/// ScanAvailableEvent: the user chose a destination at the device and pressed Scan (device-initiated scan). Goes only
/// to the subscription that registered <see cref="DestinationToken"/>.
/// </summary>
/// <param name="ClientContext">ClientContext of the destination.</param>
/// <param name="ScanIdentifier">ScanIdentifier the client sends back in CreateScanJob.</param>
public sealed record ScanAvailableEvent(string ClientContext, string ScanIdentifier) : ScanEvent
{
    /// <inheritdoc />
    public override string Action => ScanActions.ScanAvailableEvent;

    /// <summary>The destination token of the subscriber to notify (routing only; not written in the event body).</summary>
    public string DestinationToken { get; init; } = string.Empty;

    /// <summary>The input source chosen at the panel, written as an extension element when set; null omits it.</summary>
    public string? InputSource { get; init; }
}
