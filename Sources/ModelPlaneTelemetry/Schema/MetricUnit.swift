/// The fixed units of ModelPlane's telemetry schema: every exporter's values are converted to these.
public enum MetricUnit: String, Sendable {
    case watts = "W"
    case joules = "J"
    case bytes = "B"
    case bytesPerSecond = "B/s"
    /// 0…1 (a percentage divided by 100).
    case ratio
    case celsius = "°C"
    case hertz = "Hz"
    case seconds = "s"
    case tokens
    case requests
    /// A plain count of events (replays, remapped rows, preemptions).
    case count
    /// A code whose value is an identifier, not a quantity (the last XID).
    case code
    /// 0 or 1.
    case flag
}

/// How a field behaves over time: a gauge is read as is, a counter only grows (a drop is a reset) and is
/// turned into a rate by the aggregation layer.
public enum MetricKind: String, Sendable {
    case gauge, counter
}
