import Foundation

/// Draws request counts for a `RequestPattern`, step by step, from an injected generator.
public struct RequestArrivals: Sendable {
    public let pattern: RequestPattern
    private var inBurst = false
    private var nextSwitch: Double?

    public init(pattern: RequestPattern) { self.pattern = pattern }

    /// The rate in force at `seconds` (for bursty patterns, the current state's rate).
    public func rate(at seconds: Double) -> Double {
        switch pattern {
        case .poisson(let rate): return rate
        case .bursty(let quiet, let burst, _, _): return inBurst ? burst : quiet
        case .trace(let points):
            var rate = 0.0
            for point in points {
                if point.seconds > seconds { break }
                rate = point.ratePerSecond
            }
            return rate
        }
    }

    /// Requests arriving in [start, start + seconds).
    public mutating func arrivals(from start: Double, seconds: Double, using generator: inout SeededGenerator) -> Int {
        guard seconds > 0 else { return 0 }
        guard case .bursty(let quiet, let burst, let meanBurst, let meanQuiet) = pattern else {
            return Self.poisson(mean: rate(at: start) * seconds, using: &generator)
        }
        // Walk the two-state chain across the interval, drawing each sojourn's arrivals separately.
        var now = start
        let end = start + seconds
        var total = 0
        if nextSwitch == nil { nextSwitch = start + Self.exponential(mean: meanQuiet, using: &generator) }
        while now < end {
            let switchAt = nextSwitch ?? .infinity
            let rate = inBurst ? burst : quiet
            if switchAt >= end {
                total += Self.poisson(mean: rate * (end - now), using: &generator)
                now = end
            } else {
                total += Self.poisson(mean: rate * (switchAt - now), using: &generator)
                now = switchAt
                inBurst.toggle()
                nextSwitch = now + Self.exponential(mean: inBurst ? meanBurst : meanQuiet, using: &generator)
            }
        }
        return total
    }

    static func exponential(mean: Double, using generator: inout SeededGenerator) -> Double {
        guard mean > 0 else { return .infinity }
        return -mean * log(1 - generator.nextUnit())
    }

    /// A Poisson draw: Knuth's product of uniforms below a mean of 30, Hörmann's PTRS (transformed rejection with
    /// squeeze, 1993) above it. Both consume the generator deterministically.
    public static func poisson(mean: Double, using generator: inout SeededGenerator) -> Int {
        guard mean > 0, mean.isFinite else { return 0 }
        if mean < 30 {
            let limit = exp(-mean)
            var product = generator.nextUnit()
            var count = 0
            while product > limit {
                count += 1
                product *= generator.nextUnit()
            }
            return count
        }
        let slam = mean.squareRoot()
        let logLam = log(mean)
        let b = 0.931 + 2.53 * slam
        let a = -0.059 + 0.02483 * b
        let invAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = generator.nextUnit() - 0.5
            let v = generator.nextUnit()
            let us = 0.5 - abs(u)
            let k = Foundation.floor((2 * a / us + b) * u + mean + 0.43)
            if us >= 0.07, v <= vr { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(invAlpha) - log(a / (us * us) + b) <= -mean + k * logLam - lgamma(k + 1) { return Int(k) }
        }
    }
}
