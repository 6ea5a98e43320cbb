/// Go's `math/rand` (the seeded source and the `Rand` methods the ATC'23 artifact calls), value for value, so the
/// arrival protocol draws the same pod order and the same resampled pods as the paper's simulator for a seed.
///
/// The source is an additive lagged Fibonacci generator (length 607, tap 273) seeded through the Park–Miller
/// generator XOR a fixed table; the methods are Go 1's, whose streams Go keeps stable.
public struct GoRandom: Sendable {
    private static let length = 607
    private static let tap = 273
    private static let int32max: Int64 = (1 << 31) - 1

    private var vector: [Int64]
    private var tapIndex = 0
    private var feedIndex = GoRandom.length - GoRandom.tap

    public init(seed: Int64) {
        vector = [Int64](repeating: 0, count: Self.length)
        var seed = seed % Self.int32max
        if seed < 0 { seed += Self.int32max }
        if seed == 0 { seed = 89_482_311 }
        var x = Int32(seed)
        for index in -20..<Self.length {
            x = Self.seedRandom(x)
            if index >= 0 {
                var value = Int64(x) << 40
                x = Self.seedRandom(x)
                value ^= Int64(x) << 20
                x = Self.seedRandom(x)
                value ^= Int64(x)
                value ^= Self.cooked[index]
                vector[index] = value
            }
        }
    }

    /// x ← 48271·x mod (2³¹ − 1), Schrage's method as Go writes it.
    private static func seedRandom(_ x: Int32) -> Int32 {
        let high = x / 44_488
        let low = x % 44_488
        var next = 48_271 &* low &- 3_399 &* high
        if next < 0 { next &+= Int32(int32max) }
        return next
    }

    public mutating func uint64() -> UInt64 {
        tapIndex -= 1
        if tapIndex < 0 { tapIndex += Self.length }
        feedIndex -= 1
        if feedIndex < 0 { feedIndex += Self.length }
        let value = vector[feedIndex] &+ vector[tapIndex]
        vector[feedIndex] = value
        return UInt64(bitPattern: value)
    }

    /// `Int63`: 63 random bits.
    public mutating func int63() -> Int64 { Int64(bitPattern: uint64() & (UInt64.max >> 1)) }

    /// `Int` on a 64-bit platform (what the artifact's debug log consumes once after seeding).
    public mutating func int() -> Int { Int(int63()) }

    public mutating func int31() -> Int32 { Int32(truncatingIfNeeded: int63() >> 32) }

    public mutating func uint32() -> UInt32 { UInt32(truncatingIfNeeded: int63() >> 31) }

    /// `Int31n`: uniform in [0, n) by rejection of the top remainder.
    public mutating func int31n(_ n: Int32) -> Int32 {
        precondition(n > 0, "int31n needs a positive bound")
        if n & (n - 1) == 0 { return int31() & (n - 1) }
        let maximum = Int32(Int64(Int32.max) - Int64((UInt32(1) << 31) % UInt32(n)))
        var value = int31()
        while value > maximum { value = int31() }
        return value % n
    }

    /// `Intn` for n below 2³¹ (every use here).
    public mutating func intn(_ n: Int) -> Int {
        precondition(n > 0 && n <= Int(Int32.max), "intn needs a bound in 1…2³¹−1")
        return Int(int31n(Int32(n)))
    }

    /// Go's unexported `int31n` (Lemire's multiply-shift), used by `Shuffle`.
    mutating func lemire(_ n: Int32) -> Int32 {
        var value = uint32()
        var product = UInt64(value) * UInt64(n)
        var low = UInt32(truncatingIfNeeded: product)
        if low < UInt32(n) {
            let threshold = UInt32(bitPattern: -n) % UInt32(n)
            while low < threshold {
                value = uint32()
                product = UInt64(value) * UInt64(n)
                low = UInt32(truncatingIfNeeded: product)
            }
        }
        return Int32(truncatingIfNeeded: product >> 32)
    }

    /// `Shuffle`: Fisher–Yates from the end, as Go draws it.
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        precondition(elements.count < Int(Int32.max), "shuffle of more than 2³¹ elements")
        var index = elements.count - 1
        while index > 0 {
            let other = Int(lemire(Int32(index + 1)))
            elements.swapAt(index, other)
            index -= 1
        }
    }
}
