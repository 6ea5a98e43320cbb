/// The per-second rate of a monotonic counter between consecutive observations, with Prometheus' reset semantics: a
/// value below the previous one means the counter restarted, and the increase over that step is the new value itself.
///
/// - The first observation only sets the baseline: `observe` returns nil.
/// - An observation at or before the previous one's time is out of order: nil, and it is ignored.
/// - NaN and ±infinity are ignored (nil). `Int64.min` is not a valid time.
public struct CounterRate: Sendable {
    private var previousValue: Double = 0
    /// `Int64.min` until the first observation.
    private var previousMilliseconds: Int64 = .min
    /// How many resets (a value below the previous one) were seen.
    public private(set) var resets = 0

    public init() {}

    /// The last accepted observation.
    public var last: (value: Double, milliseconds: Int64)? {
        previousMilliseconds == .min ? nil : (previousValue, previousMilliseconds)
    }

    /// Records `value` at `milliseconds` and returns the increase per second since the previous observation.
    public mutating func observe(_ value: Double, at milliseconds: Int64) -> Double? {
        guard value.isFinite, milliseconds > previousMilliseconds else { return nil }
        defer {
            previousValue = value
            previousMilliseconds = milliseconds
        }
        guard previousMilliseconds != .min else { return nil }
        let increase: Double
        if value < previousValue {
            resets += 1
            increase = value
        } else {
            increase = value - previousValue
        }
        let (elapsed, overflow) = milliseconds.subtractingReportingOverflow(previousMilliseconds)
        let seconds = (overflow ? Double(milliseconds) - Double(previousMilliseconds) : Double(elapsed)) / 1000
        return increase / seconds
    }
}
