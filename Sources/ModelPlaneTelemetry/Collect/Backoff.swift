/// When to try a failing target again: exponential in the number of consecutive failures, capped, with full
/// jitter in [½, 1] of the delay so a fleet of failing targets does not retry in lockstep.
public struct Backoff: Sendable, Equatable {
    public var base: Duration
    public var maximum: Duration

    public init(base: Duration = .seconds(1), maximum: Duration = .seconds(300)) {
        self.base = base
        self.maximum = maximum
    }

    /// The delay after `failures` consecutive failures (0 → none), for a jitter draw `unit` in [0, 1).
    public func delay(afterFailures failures: Int, unit: Double) -> Duration {
        guard failures > 0 else { return .zero }
        let exponent = min(failures - 1, 30)
        let raw = base * (1 << exponent)
        let capped = raw > maximum ? maximum : raw
        return capped * (0.5 + 0.5 * min(max(unit, 0), 1))
    }
}
