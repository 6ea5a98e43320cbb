import Testing

@testable import ModelPlaneTelemetry

/// The small storage types under the parser and the normalizer, checked against the standard library's.
@Suite("Storage")
struct StorageTests {
    /// Keys like the parser's (mixed hashes), plus the awkward ones: 0 (the empty marker), all ones, and keys that
    /// share their low bits (the same slot) so probing wraps around.
    static func keys() -> [UInt64] {
        var generator = SplitMix64(state: 7)
        var keys: [UInt64] = [0, .max, 1, 1 << 40, 2 << 40, 3 << 40, 63, 127]
        for _ in 0..<5_000 { keys.append(generator.next()) }
        return keys
    }

    @Test("HashedKeyTable agrees with Dictionary, key 0 and colliding slots included")
    func table() {
        var table = HashedKeyTable()
        var reference: [UInt64: Int] = [:]
        for (position, key) in Self.keys().enumerated() {
            #expect(table.insert(key, Int32(position)) == (reference[key] == nil))
            reference[key] = reference[key] ?? position
        }
        #expect(table.count == reference.count)
        for (key, value) in reference { #expect(table[key] == value) }
        #expect(table[12_345] == nil || reference[12_345] != nil)
        table[0] = -1
        #expect(table[0] == -1)
        #expect(table.count == reference.count)
    }

    @Test("HashedKeySet agrees with Set")
    func set() {
        var set = HashedKeySet()
        var reference = Set<UInt64>()
        for key in Self.keys() + Self.keys().prefix(100) {
            #expect(set.insert(key) == reference.insert(key).inserted)
        }
        #expect(set.count == reference.count)
        for key in reference { #expect(set.contains(key)) }
        #expect(!set.contains(4 << 40))
    }

    @Test("MetricValues keeps only present values, in declaration order; nil and NaN clear")
    func metricValues() {
        var values = MetricValues<DeviceMetric>()
        #expect(values.isEmpty && values.count == 0)
        values[.power] = 300
        values[.smClock] = 1.98e9
        values[.gpuUtilization] = 0.5
        values[.power] = 310
        #expect(values.count == 3)
        #expect(values[.power] == 310 && values[.smClock] == 1.98e9 && values[.gpuUtilization] == 0.5)
        #expect(values.present.map(\.metric) == DeviceMetric.allCases.filter { [.power, .smClock, .gpuUtilization].contains($0) })
        values[.smClock] = nil
        values[.gpuUtilization] = .nan
        #expect(values.present.map(\.metric) == [.power])
        var same = MetricValues<DeviceMetric>()
        same[.power] = 310
        #expect(values == same)
        same[.power] = 311
        #expect(values != same)
    }

    @Test("the normalizer's in-place permutation puts position i's source there")
    func permute() {
        var generator = SplitMix64(state: 3)
        for count in [0, 1, 2, 7, 100] {
            var elements = (0..<count).map { "e\($0)" }
            var order = Array(0..<count)
            for index in order.indices.reversed() where index > 0 {
                order.swapAt(index, Int(generator.next() % UInt64(index + 1)))
            }
            let expected = order.map { "e\($0)" }
            TelemetryNormalizer.permute(&elements, into: order)
            #expect(elements == expected)
        }
    }
}
