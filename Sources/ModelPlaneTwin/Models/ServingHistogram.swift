/// A cumulative latency histogram with vLLM's bucket bounds, fed with weighted observations.
public struct ServingHistogram: Sendable, Equatable {
    public let bounds: [Double]
    /// Observations per bucket (not cumulative); the last counts those above every bound (+Inf).
    public private(set) var counts: [Int]
    public private(set) var sum = 0.0
    public private(set) var count = 0

    public init(bounds: [Double]) {
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count + 1)
    }

    public mutating func observe(_ seconds: Double, times weight: Int = 1) {
        guard weight > 0, seconds.isFinite else { return }
        var index = bounds.count
        for (position, bound) in bounds.enumerated() where seconds <= bound {
            index = position
            break
        }
        counts[index] += weight
        sum += seconds * Double(weight)
        count += weight
    }

    /// Adds another histogram with the same bounds (a restarted engine's history).
    public mutating func merge(_ other: ServingHistogram) {
        guard other.bounds == bounds else { return }
        for index in counts.indices { counts[index] += other.counts[index] }
        sum += other.sum
        count += other.count
    }

    /// The `q` quantile by linear interpolation inside its bucket, as PromQL's histogram_quantile does.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = q * Double(count)
        var seen = 0
        for (index, bucketCount) in counts.enumerated() {
            let next = seen + bucketCount
            if Double(next) >= rank, bucketCount > 0 {
                guard index < bounds.count else { return bounds.last }
                let lower = index == 0 ? 0 : bounds[index - 1]
                return lower + (bounds[index] - lower) * (rank - Double(seen)) / Double(bucketCount)
            }
            seen = next
        }
        return bounds.last
    }

    /// vLLM's bounds (v0.11 `vllm/v1/metrics/loggers.py`, as the fixture scrape shows them).
    public static let timeToFirstToken: [Double] = [
        0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0,
    ]
    public static let interTokenLatency: [Double] = [
        0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
    ]
    public static let endToEnd: [Double] = [
        0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0,
    ]
}
