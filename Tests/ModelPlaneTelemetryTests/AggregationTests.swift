import Testing

@testable import ModelPlaneTelemetry

/// A tiny seeded generator (SplitMix64) so the random-data tests are reproducible.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }
}

/// The sample at 0-based rank ⌊q · (n − 1)⌋ of the sorted values: the definition every window and sketch uses.
private func exactQuantile(_ q: Double, _ sorted: [Double]) -> Double {
    sorted[Int((q * Double(sorted.count - 1)).rounded(.down))]
}

/// `estimate` is within the relative error `alpha` of `exact` (plus floating-point rounding of the bin logarithm).
private func withinRelative(_ estimate: Double, _ exact: Double, _ alpha: Double) -> Bool {
    abs(estimate - exact) <= alpha * abs(exact) * (1 + 1e-9) + 1e-300
}

/// 1_700_000_100_000 ms = 5_666_667 · 300_000: a slot boundary (2023-11-14T22:15:00Z).
private let slotStart: Int64 = 1_700_000_100_000

@Suite("Aggregation: quantile sketch, rolling windows, counter rates, window store")
struct AggregationTests {
    // MARK: - Window lengths

    @Test("window lengths in milliseconds")
    func windowLengths() {
        let table: [(WindowLength, Int64)] = [
            (.oneMinute, 60_000),  // 60 s · 1000
            (.fiveMinutes, 300_000),  // 5 · 60 s · 1000
            (.oneHour, 3_600_000),  // 60 · 60 s · 1000
        ]
        for (window, milliseconds) in table { #expect(window.milliseconds == milliseconds) }
        #expect(WindowLength.allCases.count == 3)
    }

    // MARK: - QuantileSketch

    @Test("an empty sketch has no quantiles; NaN and infinities are ignored")
    func emptySketch() {
        var sketch = QuantileSketch()
        #expect(sketch.quantile(0.5) == nil)
        sketch.add(.nan)
        sketch.add(.infinity)
        sketch.add(-.infinity)
        #expect(sketch.count == 0)
        #expect(sketch.quantile(0.5) == nil)
        #expect(sketch.minimum == nil)
        sketch.add(3)
        #expect(sketch.quantile(-0.1) == nil)
        #expect(sketch.quantile(1.1) == nil)
        #expect(sketch.quantile(.nan) == nil)
    }

    @Test("quantiles of 1…100 are within 1 % of the rank-⌊q·99⌋ value; the ends are exact")
    func sketchIntegers() throws {
        var sketch = QuantileSketch(relativeAccuracy: 0.01)
        for value in 1...100 { sketch.add(Double(value)) }
        #expect(sketch.count == 100)
        let table: [(q: Double, exact: Double)] = [
            (0, 1),  // rank 0, clamped to the exact minimum
            (0.25, 25),  // rank ⌊0.25 · 99⌋ = 24 → 25
            (0.5, 50),  // rank ⌊49.5⌋ = 49 → 50
            (0.95, 95),  // rank ⌊94.05⌋ = 94 → 95
            (0.99, 99),  // rank ⌊98.01⌋ = 98 → 99
            (1, 100),  // rank 99, clamped to the exact maximum
        ]
        for (q, exact) in table {
            let estimate = try #require(sketch.quantile(q))
            #expect(withinRelative(estimate, exact, 0.01), "q \(q): \(estimate) vs \(exact)")
        }
        #expect(sketch.quantile(0) == 1)
        #expect(sketch.quantile(1) == 100)
    }

    @Test("zero and negative values: separate zero count and negative store")
    func sketchSigns() throws {
        var sketch = QuantileSketch()
        for value in [10.0, -5, 0, 2, -1, 0] { sketch.add(value) }
        // Sorted: −5, −1, 0, 0, 2, 10 (n = 6, rank = ⌊q · 5⌋).
        let table: [(q: Double, exact: Double)] = [
            (0, -5),  // rank 0
            (0.2, -1),  // rank 1
            (0.4, 0),  // rank 2: the zero count, exactly 0
            (0.6, 0),  // rank 3
            (0.8, 2),  // rank 4
            (1, 10),  // rank 5
        ]
        for (q, exact) in table {
            let estimate = try #require(sketch.quantile(q))
            #expect(withinRelative(estimate, exact, 0.01), "q \(q): \(estimate) vs \(exact)")
        }
        #expect(sketch.quantile(0.4) == 0)
        #expect(sketch.minimum == -5)
        #expect(sketch.maximum == 10)
    }

    @Test("merging two sketches equals adding everything to one")
    func sketchMerge() {
        var low = QuantileSketch()
        var high = QuantileSketch()
        var all = QuantileSketch()
        for value in 1...50 {
            low.add(Double(value))
            all.add(Double(value))
        }
        for value in 51...100 {
            high.add(Double(value) * -3)
            all.add(Double(value) * -3)
        }
        low.merge(high)
        #expect(low == all)
        #expect(low.count == 100)
        // A different accuracy merges approximately and does not crash.
        var coarse = QuantileSketch(relativeAccuracy: 0.05)
        coarse.add(7)
        coarse.merge(all)
        #expect(coarse.count == 101)
    }

    @Test("past maximumBins the lowest bins collapse; high quantiles keep their accuracy")
    func sketchCollapse() throws {
        var sketch = QuantileSketch(relativeAccuracy: 0.01, maximumBins: 8)
        for value in 1...1000 { sketch.add(Double(value)) }
        #expect(sketch.count == 1000)
        #expect(sketch.storedBinCount <= 8)
        // 8 bins of γ = 1.01 / 0.99 span a ratio of γ^8 ≈ 1.17, so values above ~1000 / 1.17 ≈ 853 keep their own bins:
        // p95 (rank ⌊0.95 · 999⌋ = 949 → 950) is still within 1 %.
        let p95 = try #require(sketch.quantile(0.95))
        #expect(withinRelative(p95, 950, 0.01))
        #expect(sketch.quantile(1) == 1000)
        #expect(sketch.quantile(0) == 1)  // clamped to the exact minimum
    }

    @Test("random data: every quantile within α of the exact one, for several accuracies and distributions")
    func sketchRandom() throws {
        var random = SplitMix64(state: 0x5EED)
        for alpha in [0.005, 0.01, 0.02] {
            for distribution in 0..<3 {
                var sketch = QuantileSketch(relativeAccuracy: alpha)
                var values: [Double] = []
                for _ in 0..<5_000 {
                    let u = random.unit()
                    let value: Double
                    switch distribution {
                    case 0: value = 60 + 640 * u  // uniform, like board power in watts
                    case 1: value = 1e3 * (1 + 1e7 * u * u * u * u)  // heavy tail over seven decades
                    default: value = (u - 0.3) * 200  // both signs
                    }
                    sketch.add(value)
                    values.append(value)
                }
                values.sort()
                for q in [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1] {
                    let estimate = try #require(sketch.quantile(q))
                    let exact = exactQuantile(q, values)
                    #expect(withinRelative(estimate, exact, alpha), "α \(alpha) distribution \(distribution) q \(q)")
                }
            }
        }
    }

    // MARK: - RollingWindows

    @Test("a new stream has no summary and no latest sample")
    func emptyWindows() {
        let windows = RollingWindows()
        #expect(windows.latest == nil)
        for window in WindowLength.allCases { #expect(windows.summary(window, at: slotStart) == nil) }
    }

    @Test("1 and 5 minute windows are exact; the hour matches within 1 %")
    func windowFormulas() throws {
        var windows = RollingWindows()
        // Values 1…30 every 10 s from a slot start: t0, t0 + 10 s, …, t0 + 290 s.
        for index in 0..<30 {
            let accepted = windows.add(Double(index + 1), at: slotStart + Int64(index) * 10_000)
            #expect(accepted)
        }
        let now = slotStart + 290_000
        let table: [(window: WindowLength, expected: WindowSummary)] = [
            // (now − 60 s, now] holds t0 + 240 s … t0 + 290 s: 25…30. Mean 27.5; p50 rank ⌊0.5 · 5⌋ = 2 → 27;
            // p95 rank ⌊0.95 · 5⌋ = 4 → 29.
            (.oneMinute, WindowSummary(count: 6, mean: 27.5, min: 25, max: 30, p50: 27, p95: 29)),
            // (now − 300 s, now] holds all 30: mean 465 / 30 = 15.5; p50 rank ⌊14.5⌋ = 14 → 15; p95 rank ⌊27.55⌋ = 27 → 28.
            (.fiveMinutes, WindowSummary(count: 30, mean: 15.5, min: 1, max: 30, p50: 15, p95: 28)),
        ]
        for (window, expected) in table { #expect(windows.summary(window, at: now) == expected, "\(window)") }
        let hour = try #require(windows.summary(.oneHour, at: now))
        #expect(hour.count == 30)
        #expect(hour.mean == 15.5)
        #expect(hour.min == 1)
        #expect(hour.max == 30)
        #expect(withinRelative(hour.p50, 15, RollingWindows.hourRelativeAccuracy))
        #expect(withinRelative(hour.p95, 28, RollingWindows.hourRelativeAccuracy))
    }

    @Test("windows are (now − length, now]: the sample at exactly now − length is out, the one at now is in")
    func windowBoundaries() throws {
        var windows = RollingWindows()
        windows.add(1, at: slotStart)
        windows.add(2, at: slotStart + 60_000)
        // At now = t0 + 60 s the minute is (t0, t0 + 60 s]: only the second sample.
        #expect(windows.summary(.oneMinute, at: slotStart + 60_000)?.count == 1)
        #expect(windows.summary(.oneMinute, at: slotStart + 60_000)?.min == 2)
        // One millisecond earlier the minute is (t0 − 1 ms, t0 + 60 s − 1 ms]: only the first.
        #expect(windows.summary(.oneMinute, at: slotStart + 59_999)?.max == 1)
        // Two minutes after the last sample nothing is in the minute; the 5 minutes still hold both.
        #expect(windows.summary(.oneMinute, at: slotStart + 180_000) == nil)
        #expect(windows.summary(.fiveMinutes, at: slotStart + 180_000)?.count == 2)
        // At t0 + 360 s the 5 minutes are (t0 + 60 s, t0 + 360 s]: the second sample is exactly on the open edge.
        #expect(windows.summary(.fiveMinutes, at: slotStart + 360_000) == nil)
    }

    @Test("NaN, infinities and out-of-order samples are ignored; latest is the exact Double")
    func windowsIgnore() throws {
        var windows = RollingWindows()
        let accepted = [
            windows.add(0.1, at: slotStart + 1_000),
            windows.add(.nan, at: slotStart + 2_000),
            windows.add(.infinity, at: slotStart + 2_000),
            windows.add(5, at: slotStart + 1_000),  // same time as the newest
            windows.add(5, at: slotStart),  // earlier
        ]
        #expect(accepted == [true, false, false, false, false])
        let latest = try #require(windows.latest)
        #expect(latest.value == 0.1)  // not rounded to Float
        #expect(latest.milliseconds == slotStart + 1_000)
        let summary = try #require(windows.summary(.fiveMinutes, at: slotStart + 2_000))
        #expect(summary.count == 1)
        #expect(summary.max == Double(Float(0.1)))  // windows store Float
    }

    @Test("zero and negative samples")
    func windowsSigns() throws {
        var windows = RollingWindows()
        for (index, value) in [-3.0, 0, 2, 0, -1].enumerated() { windows.add(value, at: slotStart + Int64(index) * 1_000) }
        let now = slotStart + 4_000
        // Sorted −3, −1, 0, 0, 2: mean −2 / 5 = −0.4, p50 rank 2 → 0, p95 rank ⌊3.8⌋ = 3 → 0.
        let expected = WindowSummary(count: 5, mean: -0.4, min: -3, max: 2, p50: 0, p95: 0)
        #expect(windows.summary(.oneMinute, at: now) == expected)
        let hour = try #require(windows.summary(.oneHour, at: now))
        #expect(hour.p50 == 0)  // the zero bin is exact
        #expect(hour.min == -3)
        #expect(hour.count == 5)
    }

    @Test("the hour covers the slot holding now and the 11 before it")
    func hourCoverage() throws {
        var windows = RollingWindows()
        // One sample in each of 14 consecutive slots, 1 minute into the slot: values 1…14.
        for slot in 0..<14 { windows.add(Double(slot + 1), at: slotStart + Int64(slot) * 300_000 + 60_000) }
        let now = slotStart + 13 * 300_000 + 60_000
        // now is in slot 13; the hour holds slots 2…13 → values 3…14: 12 samples, mean 102 / 12 = 8.5.
        let hour = try #require(windows.summary(.oneHour, at: now))
        #expect(hour.count == 12)
        #expect(hour.mean == 8.5)
        #expect(hour.min == 3)
        #expect(hour.max == 14)
        // 40 minutes later (slot 21) only slots 10…13 remain: values 11…14.
        let later = try #require(windows.summary(.oneHour, at: now + 2_400_000))
        #expect(later.count == 4)
        #expect(later.min == 11)
        // Two hours later nothing is left, and a new sample after a long gap starts afresh.
        #expect(windows.summary(.oneHour, at: now + 7_200_000) == nil)
        windows.add(99, at: now + 7_200_000)
        #expect(windows.summary(.oneHour, at: now + 7_200_000) == WindowSummary(count: 1, mean: 99, min: 99, max: 99, p50: 99, p95: 99))
        #expect(windows.slotRecordCount == 0)
    }

    @Test("hour over random data: count, mean, min, max exact; p50 and p95 within 1 % of the exact quantiles")
    func hourAccuracy() throws {
        var random = SplitMix64(state: 2_026)
        for distribution in 0..<4 {
            var windows = RollingWindows()
            var samples: [(value: Double, milliseconds: Int64)] = []
            var time = slotStart + 7_000
            for _ in 0..<400 {
                let u = random.unit()
                let raw: Double
                switch distribution {
                case 0: raw = 60 + 640 * u  // power in watts, uniform
                case 1: raw = 300 * (1 + 0.05 * (u - 0.5))  // steady power with ±2.5 % noise
                case 2: raw = u < 0.2 ? 0 : 100 * u  // utilization with idle zeros
                default: raw = 1e9 * (1 + 1e3 * u * u * u)  // byte rates over three decades
                }
                let value = Double(Float(raw))  // the windows store Float; compare against what they keep
                windows.add(value, at: time)
                samples.append((value, time))
                time += 9_000 + Int64(random.next() % 12_000)  // 9–21 s apart
            }
            let now = time - 1
            // Covered span: from the start of slot ⌊now / 300 000⌋ − 11 through now.
            let start = (now / 300_000 - 11) * 300_000
            let covered = samples.filter { $0.milliseconds >= start && $0.milliseconds <= now }.map(\.value).sorted()
            let hour = try #require(windows.summary(.oneHour, at: now))
            #expect(hour.count == covered.count)
            let exactMean = covered.reduce(0, +) / Double(covered.count)
            #expect(abs(hour.mean - exactMean) <= 1e-9 * abs(exactMean))
            #expect(hour.min == covered.first)
            #expect(hour.max == covered.last)
            let alpha = RollingWindows.hourRelativeAccuracy
            #expect(withinRelative(hour.p50, exactQuantile(0.5, covered), alpha), "distribution \(distribution) p50")
            #expect(withinRelative(hour.p95, exactQuantile(0.95, covered), alpha), "distribution \(distribution) p95")
            // The 5 minutes stay exact.
            let recent = samples.filter { $0.milliseconds > now - 300_000 }.map(\.value).sorted()
            let five = try #require(windows.summary(.fiveMinutes, at: now))
            #expect(five.count == recent.count)
            #expect(five.p50 == exactQuantile(0.5, recent))
            #expect(five.p95 == exactQuantile(0.95, recent))
        }
    }

    @Test("past the raw cap the 5 minutes keep the newest 512 samples; the hour still counts every sample")
    func rawCap() throws {
        var windows = RollingWindows()
        // 600 samples 100 ms apart: 60 s inside one slot.
        for index in 0..<600 { windows.add(Double(index), at: slotStart + Int64(index) * 100) }
        let now = slotStart + 59_900
        #expect(windows.rawSampleCount == RollingWindows.rawSampleCapacity)
        let minute = try #require(windows.summary(.oneMinute, at: now))
        #expect(minute.count == 512)
        #expect(minute.min == 88)  // samples 0…87 left the ring: 600 − 512 = 88
        let hour = try #require(windows.summary(.oneHour, at: now))
        #expect(hour.count == 600)
        #expect(hour.min == 0)
        #expect(hour.mean == 299.5)  // (0 + 599) / 2
        // The next slot folds the rest into the same record: still 600, plus the new sample.
        windows.add(1_000, at: slotStart + 300_000)
        #expect(windows.summary(.oneHour, at: slotStart + 300_000)?.count == 601)
        #expect(windows.slotRecordCount == 1)
    }

    @Test("one stream after an hour of 15 s samples stays under 700 bytes")
    func windowsMemory() {
        var windows = RollingWindows()
        var random = SplitMix64(state: 15)
        for index in 0..<240 {
            let time = slotStart + 4_321 + Int64(index) * 15_000 + Int64(random.next() % 401) - 200
            windows.add(350 * (1 + 0.06 * (random.unit() - 0.5)), at: time)
        }
        #expect(windows.residentBytes <= 700, "\(windows.residentBytes) bytes")
        #expect(windows.slotRecordCount == 11)
        #expect(windows.rawSampleCount <= 22)
    }

    // MARK: - CounterRate

    @Test("counter rates with resets and out-of-order observations")
    func counterRates() {
        var counter = CounterRate()
        let table: [(value: Double, milliseconds: Int64, rate: Double?)] = [
            (100, 0, nil),  // first observation: baseline only
            (160, 15_000, 4),  // (160 − 100) / 15 s
            (160, 30_000, 0),  // no increase
            (10, 45_000, 10.0 / 15),  // reset: the increase is the new value, 10 / 15 s
            (20, 45_000, nil),  // same time: out of order, ignored
            (5, 40_000, nil),  // earlier: ignored
            (.nan, 50_000, nil),  // not finite: ignored
            (40, 60_000, 2),  // (40 − 10) / 15 s, against the last accepted observation
            (46, 63_000, 2),  // (46 − 40) / 3 s
        ]
        for (value, milliseconds, expected) in table {
            let rate = counter.observe(value, at: milliseconds)
            #expect(rate == expected, "\(value) at \(milliseconds)")
        }
        #expect(counter.resets == 1)
        #expect(counter.last?.value == 46)
    }

    // MARK: - WindowStore

    @Test("store: gauges per (key, field), summaries, latest and staleness")
    func storeGauges() throws {
        var store = WindowStore<String>(staleAfter: 300_000)
        store.record("gpu0", field: 0, value: 300, at: slotStart)
        store.record("gpu0", field: 0, value: 310, at: slotStart + 15_000)
        store.record("gpu0", field: 1, value: 65, at: slotStart + 15_000)
        store.record("gpu1", field: 0, value: 120, at: slotStart + 15_000)
        store.record("gpu1", field: 0, value: .nan, at: slotStart + 30_000)  // ignored
        store.record("gpu2", field: 0, value: .infinity, at: slotStart)  // ignored: creates nothing
        #expect(store.keyCount == 2)
        #expect(store.streamCount == 3)
        let power = try #require(store.summary("gpu0", field: 0, window: .oneMinute, at: slotStart + 15_000))
        #expect(power == WindowSummary(count: 2, mean: 305, min: 300, max: 310, p50: 300, p95: 300))
        #expect(store.summary("gpu0", field: 7, window: .oneMinute, at: slotStart) == nil)
        #expect(store.summary("gpu9", field: 0, window: .oneMinute, at: slotStart) == nil)
        // Latest: present up to staleAfter after the last sample, absent (not 0) after.
        let table: [(now: Int64, expected: Double?)] = [
            (slotStart + 15_000, 310),
            (slotStart + 315_000, 310),  // exactly 300 s later: still fresh
            (slotStart + 315_001, nil),  // 1 ms past the lookback: stale
        ]
        for (now, expected) in table { #expect(store.latest("gpu0", field: 0, at: now) == expected) }
        #expect(store.latest("gpu1", field: 0, at: slotStart + 30_000) == 120)  // the NaN did not replace it
        #expect(!store.isStale("gpu0", at: slotStart + 315_000))
        #expect(store.isStale("gpu0", at: slotStart + 315_001))
        #expect(store.isStale("gpu2", at: slotStart))  // never seen
    }

    @Test("store: fields in any order and sparse numbering")
    func storeFields() {
        var store = WindowStore<Int>()
        let fields = [7, 3, 100, -1, 0, 42, 3]
        for (index, field) in fields.enumerated() { store.record(1, field: field, value: Double(field), at: slotStart + Int64(index)) }
        #expect(store.streamCount == 6)  // field 3 twice
        for field in fields { #expect(store.latest(1, field: field, at: slotStart + 10) == Double(field)) }
        #expect(store.latest(1, field: 5, at: slotStart + 10) == nil)
    }

    @Test("store: counters record their rate into the field's windows")
    func storeCounters() throws {
        var store = WindowStore<Int>()
        let baseline = store.recordCounter(0, field: 3, value: 1_000, at: slotStart)
        #expect(baseline == nil)
        #expect(store.latest(0, field: 3, at: slotStart) == nil)  // no rate yet: absent
        #expect(!store.isStale(0, at: slotStart))  // but the key was seen
        let rates = [
            store.recordCounter(0, field: 3, value: 1_300, at: slotStart + 15_000),  // 300 / 15 s = 20
            store.recordCounter(0, field: 3, value: 1_450, at: slotStart + 30_000),  // 150 / 15 s = 10
            store.recordCounter(0, field: 3, value: 1_450, at: slotStart + 30_000),  // out of order
        ]
        #expect(rates == [20, 10, nil])
        let summary = try #require(store.summary(0, field: 3, window: .oneMinute, at: slotStart + 30_000))
        #expect(summary == WindowSummary(count: 2, mean: 15, min: 10, max: 20, p50: 10, p95: 10))
        #expect(store.latest(0, field: 3, at: slotStart + 30_000) == 10)
    }

    @Test("store: eviction drops keys not seen since a time, with their streams")
    func storeEviction() {
        var store = WindowStore<Int>()
        for key in 0..<5 {
            for field in 0..<3 { store.record(key, field: field, value: 1, at: slotStart + Int64(key) * 1_000) }
        }
        #expect(store.streamCount == 15)
        // Keys 0, 1, 2 last arrived before t0 + 2.5 s.
        let evicted = store.evict(notSeenSince: slotStart + 2_500)
        #expect(evicted == 3)
        #expect(store.keyCount == 2)
        #expect(store.streamCount == 6)
        #expect(store.latest(1, field: 0, at: slotStart + 5_000) == nil)
        #expect(store.latest(4, field: 2, at: slotStart + 5_000) == 1)
        #expect(store.latest(3, field: 1, at: slotStart + 5_000) == 1)
        // An evicted key comes back as new.
        store.record(0, field: 0, value: 2, at: slotStart + 6_000)
        #expect(store.keyCount == 3)
        #expect(store.latest(0, field: 0, at: slotStart + 6_000) == 2)
        let none = store.evict(notSeenSince: slotStart)
        #expect(none == 0)
    }

    @Test("store: per-stream cost after an hour of 15 s samples")
    func storeMemory() {
        var store = WindowStore<Int>()
        var random = SplitMix64(state: 250)
        for step in 0..<240 {
            for key in 0..<8 {
                let time = slotStart + Int64(key) * 1_733 + Int64(step) * 15_000
                for field in 0..<25 { store.record(key, field: field, value: Double(100 + field) * (1 + 0.04 * random.unit()), at: time) }
            }
        }
        #expect(store.streamCount == 200)
        // 32 inline + ~580 heap per window, 8 bytes of field number, a share of the per-key array: under 700.
        #expect(store.residentBytes / store.streamCount <= 700, "\(store.residentBytes / store.streamCount) bytes per stream")
    }
}
