/// A fixed set of optional measurements, one slot per case of `Metric`, stored compactly (NaN marks absent).
///
/// Absent is not zero: a slot is set only when a usable series for it was read.
public struct MetricValues<Metric: RawRepresentable & CaseIterable>: Sendable, Equatable where Metric.RawValue == Int {
    private var storage: [Double]

    public init() {
        storage = [Double](repeating: .nan, count: Metric.allCases.count)
    }

    public subscript(metric: Metric) -> Double? {
        get {
            let value = storage[metric.rawValue]
            return value.isNaN ? nil : value
        }
        set { storage[metric.rawValue] = newValue ?? .nan }
    }

    /// The metrics that are present, in declaration order, with their values.
    public var present: [(metric: Metric, value: Double)] {
        Metric.allCases.compactMap { metric in self[metric].map { (metric, $0) } }
    }

    public var isEmpty: Bool { storage.allSatisfy(\.isNaN) }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        zip(lhs.storage, rhs.storage).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }
}
