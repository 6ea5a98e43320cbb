/// The paper's figures from one run, computed as its analysis scripts compute them: each event's arrived GPU
/// request as a percentage of capacity rounded to a whole percent (half to even), its allocation rounded to 0.01 %,
/// and the value at x % arrived the mean allocation (rounded to 0.01) over the events in bucket x (or x ± 1 when
/// x is empty). Unallocated GPU % is 100 − allocated %.
public struct ArrivalMetrics: Sendable, Equatable {
    public var seed: Int64
    public var unallocatedAt100: Double?
    public var unallocatedAt130: Double?
    public var failedTasks: Int
    /// Fragmentation over all GPU capacity, in %, at 100 % arrived (the paper's "Frag / Total").
    public var fragmentationTotalAt100: Double?
    /// Allocated GPU % at each whole arrived %, 0…the last reached (nil where no event lies near).
    public var allocationCurve: [Double?]

    public init(_ run: ArrivalRun) {
        seed = run.seed
        failedTasks = run.failedTasks
        let capacity = Double(run.capacityMilli)
        var byBucket: [Int: [Int]] = [:]
        for event in run.arrivedMilli.indices {
            let percent = (Double(run.arrivedMilli[event]) / capacity * 100).rounded(.toNearestOrEven)
            byBucket[Int(percent), default: []].append(event)
        }
        func events(near bucket: Int) -> [Int] {
            if let exact = byBucket[bucket], !exact.isEmpty { return exact }
            return (bucket - 1...bucket + 1).flatMap { byBucket[$0] ?? [] }
        }
        func allocated(_ bucket: Int) -> Double? {
            let chosen = events(near: bucket)
            guard !chosen.isEmpty else { return nil }
            let mean = chosen.reduce(0.0) { $0 + Self.hundredths(Double(run.allocatedMilli[$1]) / capacity * 100) } / Double(chosen.count)
            return Self.hundredths(mean)
        }
        let last = byBucket.keys.max() ?? 0
        allocationCurve = (0...max(last, 0)).map(allocated)
        unallocatedAt100 = allocated(100).map { Self.hundredths(100 - $0) }
        unallocatedAt130 = last >= 129 ? allocated(130).map { Self.hundredths(100 - $0) } : nil
        let near100 = events(near: 100)
        fragmentationTotalAt100 =
            near100.isEmpty ? nil : Self.hundredths(100 * near100.reduce(0.0) { $0 + run.fragmentMilli[$1] } / Double(near100.count) / capacity)
    }

    static func hundredths(_ value: Double) -> Double {
        (value * 100).rounded(.toNearestOrEven) / 100
    }

    /// The median as numpy takes it: the middle value, or the mean of the two middle ones.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
