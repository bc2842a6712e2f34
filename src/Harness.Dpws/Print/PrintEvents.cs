namespace Harness.Dpws.Print;

/// <summary>
/// A WS-Print event the service raises; the eventing layer delivers it to the subscriptions whose filter holds
/// <see cref="Action"/>. <see cref="PrintXmlWriter.WriteEvent"/> gives the body element.
/// </summary>
public abstract record PrintEvent
{
    /// <summary>The event's action URI.</summary>
    public abstract string Action { get; }

    /// <summary>When the service raised it.</summary>
    public DateTimeOffset Time { get; init; }
}

/// <summary>PrinterElementsChangeEvent: ElementChanges with the complete new element(s).</summary>
public sealed record PrinterElementsChangeEvent : PrintEvent
{
    /// <inheritdoc />
    public override string Action => PrintActions.PrinterElementsChangeEvent;

    /// <summary>The new PrinterDescription, when it changed.</summary>
    public PrinterDescription? Description { get; init; }

    /// <summary>The new PrinterConfiguration, when it changed.</summary>
    public PrinterConfiguration? Configuration { get; init; }

    /// <summary>The new DefaultPrintTicket, when it changed.</summary>
    public PrintTicket? DefaultPrintTicket { get; init; }
}

/// <summary>PrinterStatusSummaryEvent: StatusSummary (PrinterState, primary reason and reasons).</summary>
/// <param name="PrinterState">PrinterState.</param>
/// <param name="PrimaryStateReason">PrinterPrimaryStateReason.</param>
/// <param name="StateReasons">PrinterStateReasons.</param>
public sealed record PrinterStatusSummaryEvent(string PrinterState, string PrimaryStateReason, IReadOnlyList<string> StateReasons) : PrintEvent
{
    /// <inheritdoc />
    public override string Action => PrintActions.PrinterStatusSummaryEvent;
}

/// <summary>PrinterStatusConditionEvent: a DeviceCondition arose.</summary>
/// <param name="Condition">The condition.</param>
public sealed record PrinterStatusConditionEvent(PrintDeviceCondition Condition) : PrintEvent
{
    /// <inheritdoc />
    public override string Action => PrintActions.PrinterStatusConditionEvent;
}

/// <summary>PrinterStatusConditionClearedEvent: DeviceConditionCleared (ConditionId, ConditionClearTime).</summary>
/// <param name="ConditionId">ConditionId.</param>
/// <param name="ClearTime">ConditionClearTime.</param>
public sealed record PrinterStatusConditionClearedEvent(int ConditionId, DateTimeOffset ClearTime) : PrintEvent
{
    /// <inheritdoc />
    public override string Action => PrintActions.PrinterStatusConditionClearedEvent;
}

/// <summary>JobStatusEvent: the job's JobStatus after a change (Microsoft: one for every change of the job's status).</summary>
/// <param name="Status">JobStatus.</param>
public sealed record PrintJobStatusEvent(PrintJobStatus Status) : PrintEvent
{
    /// <inheritdoc />
    public override string Action => PrintActions.JobStatusEvent;
}

/// <summary>JobEndStateEvent: JobEndState of a job that reached Completed, Aborted or Canceled.</summary>
/// <param name="EndState">JobEndState.</param>
public sealed record PrintJobEndStateEvent(PrintJobEndState EndState) : PrintEvent
{
    /// <inheritdoc />
    public override string Action => PrintActions.JobEndStateEvent;
}
