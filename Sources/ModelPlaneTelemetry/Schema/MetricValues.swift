/// A fixed set of optional measurements, one slot per case of `Metric` (at most 64 cases).
///
/// Absent is not zero: a slot is set only when a usable series for it was read (setting NaN clears it). Only present values are stored
/// (a bit mask says which, in declaration order), so a device that reports 7 of 35 fields holds 7 numbers: on
/// the 100 MB benchmark scrape (72,330 devices) the peak fell from 199.9 MB to 186.3 MB (`modelplane-bench parse`,
/// one run).
public struct MetricValues<Metric: RawRepresentable & CaseIterable>: Sendable, Equatable where Metric.RawValue == Int {
    private var mask: UInt64 = 0
    private var storage: [Double] = []

    public init() {
        precondition(Metric.allCases.count <= 64, "MetricValues holds at most 64 metrics")
    }

    /// Where the value of metric number `bit` is (or would go) in `storage`: the present metrics before it.
    private func position(_ bit: Int) -> Int {
        (mask & ((1 << UInt64(bit)) &- 1)).nonzeroBitCount
    }

    public subscript(metric: Metric) -> Double? {
        get {
            let bit = metric.rawValue
            guard mask & (1 << UInt64(bit)) != 0 else { return nil }
            return storage[position(bit)]
        }
        set {
            let bit = metric.rawValue
            let flag: UInt64 = 1 << UInt64(bit)
            let present = mask & flag != 0
            // NaN is not a reading: setting it removes the value.
            switch (newValue.flatMap { $0.isNaN ? nil : $0 }, present) {
            case (let value?, true): storage[position(bit)] = value
            case (let value?, false):
                // One allocation for the usual handful of fields instead of growing 1, 2, 4, 8.
                if storage.capacity == 0 { storage.reserveCapacity(8) }
                storage.insert(value, at: position(bit))
                mask |= flag
            case (nil, true):
                storage.remove(at: position(bit))
                mask &= ~flag
            case (nil, false): break
            }
        }
    }

    /// The metrics that are present, in declaration order, with their values.
    public var present: [(metric: Metric, value: Double)] {
        var result: [(metric: Metric, value: Double)] = []
        result.reserveCapacity(storage.count)
        var remaining = mask
        var index = 0
        while remaining != 0 {
            let bit = remaining.trailingZeroBitCount
            if let metric = Metric(rawValue: bit) { result.append((metric, storage[index])) }
            remaining &= remaining &- 1
            index += 1
        }
        return result
    }

    /// How many metrics are present.
    public var count: Int { storage.count }

    public var isEmpty: Bool { mask == 0 }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.mask == rhs.mask && zip(lhs.storage, rhs.storage).allSatisfy { $0.bitPattern == $1.bitPattern || $0 == $1 }
    }
}
