#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// DDSketch's logarithmic index mapping. With γ = (1 + α) / (1 − α), bin `k` holds the magnitudes in (γ^(k−1), γ^k] and
/// reports them as 2γ^k / (1 + γ), which is within a relative error α of every magnitude in the bin
/// ((γ^k − γ^(k−1)) / (γ^k + γ^(k−1)) = (γ − 1) / (γ + 1) = α). Floating-point rounding of the logarithm can move a value
/// that sits on a bin edge into the neighbouring bin, which adds an error of the order of 1e−15 to the bound.
struct LogarithmicMapping: Sendable, Equatable {
    /// Magnitudes below this one (and zero) are counted as zero.
    static let minimumIndexableMagnitude = Double.leastNormalMagnitude

    let relativeAccuracy: Double
    let gamma: Double
    let logGamma: Double
    /// ln(2 / (1 + γ)): the representative of bin `k` is exp(k · ln γ + representativeShift).
    let representativeShift: Double

    init(relativeAccuracy: Double) {
        precondition(relativeAccuracy > 0 && relativeAccuracy < 1, "relative accuracy must lie in (0, 1)")
        self.relativeAccuracy = relativeAccuracy
        gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
        logGamma = log(gamma)
        representativeShift = log(2 / (1 + gamma))
    }

    /// The bin of a magnitude ≥ `minimumIndexableMagnitude`.
    func index(_ magnitude: Double) -> Int {
        Int((log(magnitude) / logGamma).rounded(.up))
    }

    /// The value reported for bin `index`.
    func value(_ index: Int) -> Double {
        exp(Double(index) * logGamma + representativeShift)
    }
}

/// Counts for a contiguous run of bin indices, at most `maximumBins` long: when a new index would make the run longer,
/// the lowest bins are folded into the lowest one kept (DDSketch's collapsing-lowest dense store). The first and the last
/// stored count are never zero, so equal contents compare equal.
struct CollapsingLowestStore: Sendable, Equatable {
    private(set) var counts: [UInt64] = []
    private(set) var offset = 0

    var isEmpty: Bool { counts.isEmpty }

    mutating func add(index: Int, count: UInt64, maximumBins: Int) {
        guard count > 0 else { return }
        guard !counts.isEmpty else {
            counts.append(count)
            offset = index
            return
        }
        let oldHigh = offset + counts.count - 1
        let high = Swift.max(index, oldHigh)
        let low = Swift.max(Swift.min(index, offset), high - maximumBins + 1)
        if high > oldHigh { counts.append(contentsOf: repeatElement(0, count: high - oldHigh)) }
        if low < offset {
            counts.insert(contentsOf: repeatElement(0, count: offset - low), at: 0)
            offset = low
        } else if low > offset {
            let collapsed = low - offset
            var folded: UInt64 = 0
            for position in 0..<collapsed { folded += counts[position] }
            counts.removeFirst(collapsed)
            counts[0] += folded
            offset = low
        }
        counts[Swift.max(index, low) - offset] += count
    }
}

/// A relative-error quantile sketch (DDSketch, Masson et al., VLDB 2019) that merges exactly and holds a bounded number of
/// bins. Positive values go to one store, negative values (by magnitude) to another, zero (and magnitudes below
/// `Double.leastNormalMagnitude`) to a zero count. NaN and ±infinity are ignored.
///
/// Error bound: while no bins have been collapsed, `quantile(q)` is within a relative error of `relativeAccuracy` of the
/// sample at 0-based rank ⌊q · (count − 1)⌋ of the sorted values (plus ~1e−15 of floating-point rounding). Each store keeps
/// at most `maximumBins` bins; past that its lowest-magnitude bins are collapsed into one, which only degrades quantiles that
/// fall in the collapsed range (the low end of the positive values, the values nearest zero of the negative ones). With the
/// defaults (1 %, 2048 bins) a store spans a ratio of γ^2048 ≈ 6 · 10^17 before it collapses anything. Estimates are clamped to
/// the exact minimum and maximum, and the lowest and highest ranks return them, so `quantile(0)` and `quantile(1)` are
/// exact even after collapsing.
public struct QuantileSketch: Sendable, Equatable {
    let mapping: LogarithmicMapping
    /// The most bins each of the positive and the negative store keeps.
    public let maximumBins: Int
    private var positive = CollapsingLowestStore()
    private var negative = CollapsingLowestStore()
    private var zeroCount: UInt64 = 0
    private var total: UInt64 = 0
    private var smallest = Double.infinity
    private var largest = -Double.infinity

    /// - Parameters:
    ///   - relativeAccuracy: α in (0, 1); quantiles are within α · |value| of the exact ones.
    ///   - maximumBins: bins per store (positive, negative), at least 1.
    public init(relativeAccuracy: Double = 0.01, maximumBins: Int = 2048) {
        precondition(maximumBins >= 1, "a sketch needs at least one bin")
        mapping = LogarithmicMapping(relativeAccuracy: relativeAccuracy)
        self.maximumBins = maximumBins
    }

    /// The α the sketch was built with.
    public var relativeAccuracy: Double { mapping.relativeAccuracy }

    /// How many values were added (NaN and infinities are not counted).
    public var count: Int { Int(total) }

    /// The exact smallest value added, nil when empty.
    public var minimum: Double? { total > 0 ? smallest : nil }

    /// The exact largest value added, nil when empty.
    public var maximum: Double? { total > 0 ? largest : nil }

    /// Bins currently stored (both stores, zero bins inside a run included).
    public var storedBinCount: Int { positive.counts.count + negative.counts.count }

    /// Adds one value; NaN and ±infinity are ignored.
    public mutating func add(_ value: Double) {
        add(value, count: 1)
    }

    /// Adds every value of `other`. Sketches with the same relative accuracy merge exactly (bin by bin, then collapsed to
    /// this sketch's `maximumBins`); otherwise each of `other`'s bins is re-added as its representative value, which adds
    /// `other`'s error to this one's.
    public mutating func merge(_ other: QuantileSketch) {
        guard other.total > 0 else { return }
        if other.mapping == mapping {
            for (position, count) in other.positive.counts.enumerated() {
                positive.add(index: other.positive.offset + position, count: count, maximumBins: maximumBins)
            }
            for (position, count) in other.negative.counts.enumerated() {
                negative.add(index: other.negative.offset + position, count: count, maximumBins: maximumBins)
            }
            zeroCount += other.zeroCount
            total += other.total
        } else {
            for (position, count) in other.positive.counts.enumerated() where count > 0 {
                add(other.mapping.value(other.positive.offset + position), count: count)
            }
            for (position, count) in other.negative.counts.enumerated() where count > 0 {
                add(-other.mapping.value(other.negative.offset + position), count: count)
            }
            if other.zeroCount > 0 { add(0, count: other.zeroCount) }
        }
        smallest = Swift.min(smallest, other.smallest)
        largest = Swift.max(largest, other.largest)
    }

    /// The value at 0-based rank ⌊q · (count − 1)⌋ of the sorted values, within the relative error documented on the type;
    /// nil when the sketch is empty or `q` is not in 0...1.
    public func quantile(_ q: Double) -> Double? {
        guard total > 0, q >= 0, q <= 1 else { return nil }
        let rank = UInt64((q * Double(total - 1)).rounded(.down))
        if rank == 0 { return smallest }
        if rank == total - 1 { return largest }
        var seen: UInt64 = 0
        for position in negative.counts.indices.reversed() {
            seen += negative.counts[position]
            if seen > rank { return clamped(-mapping.value(negative.offset + position)) }
        }
        seen += zeroCount
        if seen > rank { return clamped(0) }
        for position in positive.counts.indices {
            seen += positive.counts[position]
            if seen > rank { return clamped(mapping.value(positive.offset + position)) }
        }
        return largest
    }

    private func clamped(_ value: Double) -> Double {
        Swift.min(Swift.max(value, smallest), largest)
    }

    private mutating func add(_ value: Double, count: UInt64) {
        guard value.isFinite else { return }
        if value >= LogarithmicMapping.minimumIndexableMagnitude {
            positive.add(index: mapping.index(value), count: count, maximumBins: maximumBins)
        } else if value <= -LogarithmicMapping.minimumIndexableMagnitude {
            negative.add(index: mapping.index(-value), count: count, maximumBins: maximumBins)
        } else {
            zeroCount += count
        }
        total += count
        smallest = Swift.min(smallest, value)
        largest = Swift.max(largest, value)
    }
}

/// The compact sketch of one closed 5-minute slot of `RollingWindows`: sorted (code, count) pairs over the logarithmic
/// mapping at `SlotSketch.mapping`'s accuracy, written as LEB128 varints. A code orders every value on one line: 0 is zero,
/// `index + bias` a positive magnitude, `−(index + bias)` a negative one, where `bias` makes every code of a non-zero
/// magnitude at least 1.
enum SlotSketch {
    /// α of the hour window's quantiles.
    static let mapping = LogarithmicMapping(relativeAccuracy: 0.01)
    static let bias = 1 - mapping.index(LogarithmicMapping.minimumIndexableMagnitude)

    static func code(_ value: Float) -> Int {
        let magnitude = Double(value.magnitude)
        guard magnitude >= LogarithmicMapping.minimumIndexableMagnitude else { return 0 }
        let code = mapping.index(magnitude) + bias
        return value < 0 ? -code : code
    }

    static func value(_ code: Int) -> Double {
        if code == 0 { return 0 }
        let magnitude = mapping.value(abs(code) - bias)
        return code < 0 ? -magnitude : magnitude
    }

    /// Run-length encodes sorted codes into (code, count) pairs.
    static func pairs(sortedCodes codes: some Collection<Int>) -> [(code: Int, count: UInt64)] {
        var pairs: [(code: Int, count: UInt64)] = []
        pairs.reserveCapacity(Swift.min(codes.count, 32))
        for code in codes {
            if let last = pairs.last, last.code == code {
                pairs[pairs.count - 1].count += 1
            } else {
                pairs.append((code, 1))
            }
        }
        return pairs
    }

    /// Merges two lists of pairs sorted by code into one.
    static func merged(_ left: [(code: Int, count: UInt64)], _ right: [(code: Int, count: UInt64)]) -> [(code: Int, count: UInt64)] {
        var result: [(code: Int, count: UInt64)] = []
        result.reserveCapacity(left.count + right.count)
        var leftIndex = 0
        var rightIndex = 0
        while leftIndex < left.count || rightIndex < right.count {
            if rightIndex == right.count || (leftIndex < left.count && left[leftIndex].code < right[rightIndex].code) {
                result.append(left[leftIndex])
                leftIndex += 1
            } else if leftIndex == left.count || right[rightIndex].code < left[leftIndex].code {
                result.append(right[rightIndex])
                rightIndex += 1
            } else {
                result.append((left[leftIndex].code, left[leftIndex].count + right[rightIndex].count))
                leftIndex += 1
                rightIndex += 1
            }
        }
        return result
    }

    /// Folds the lowest pairs into the lowest one kept until at most `maximum` remain (collapsing lowest).
    static func collapse(_ pairs: inout [(code: Int, count: UInt64)], toAtMost maximum: Int) {
        let excess = pairs.count - maximum
        guard excess > 0 else { return }
        var folded: UInt64 = 0
        for position in 0..<excess { folded += pairs[position].count }
        pairs.removeFirst(excess)
        pairs[0].count += folded
    }

    /// The value at 0-based rank ⌊q · (total − 1)⌋ of pairs sorted by code, clamped to [lowest, highest]; the first and
    /// last ranks are `lowest` and `highest` themselves.
    static func quantile(_ q: Double, of pairs: [(code: Int, count: UInt64)], total: UInt64, lowest: Double, highest: Double) -> Double {
        let rank = UInt64((q * Double(total - 1)).rounded(.down))
        if rank == 0 { return lowest }
        if rank == total - 1 { return highest }
        var seen: UInt64 = 0
        for pair in pairs {
            seen += pair.count
            if seen > rank { return Swift.min(Swift.max(value(pair.code), lowest), highest) }
        }
        return highest
    }

    static func varintLength(_ value: UInt64) -> Int {
        var length = 1
        var rest = value >> 7
        while rest > 0 {
            length += 1
            rest >>= 7
        }
        return length
    }

    static func writeVarint(_ value: UInt64, into bytes: UnsafeMutableRawBufferPointer, at position: inout Int) {
        var rest = value
        while rest >= 0x80 {
            bytes[position] = UInt8(truncatingIfNeeded: rest) | 0x80
            position += 1
            rest >>= 7
        }
        bytes[position] = UInt8(rest)
        position += 1
    }

    static func readVarint(_ bytes: UnsafeRawBufferPointer, at position: inout Int) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }
}
