/// A rejected input: what was wrong, where it was found, and what was expected.
///
/// Every user-facing failure in ModelPlane ends as one of these, so the CLI and the API can print one
/// precise line instead of crashing or silently accepting a bad value.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the value came from: a flag (`--tokens-per-second`), a file and key path (`gpus.yaml: gpus[2].memory_gb`).
    public var location: String
    /// What was wrong with it, including the offending value where there is one.
    public var problem: String
    /// What would have been accepted; empty when the problem says it already.
    public var expected: String

    public init(_ location: String, _ problem: String, expected: String = "") {
        self.location = location
        self.problem = problem
        self.expected = expected
    }

    public var description: String {
        expected.isEmpty ? "\(location): \(problem)" : "\(location): \(problem); expected \(expected)"
    }
}

extension InputError {
    /// Checks that `value` is a finite number strictly greater than zero.
    public static func requirePositive(_ value: Double, _ location: String, unit: String = "") throws(InputError) -> Double {
        guard value.isFinite else {
            throw InputError(location, "\(value) is not a finite number", expected: "a positive number\(unit.isEmpty ? "" : " of \(unit)")")
        }
        guard value > 0 else {
            throw InputError(
                location, "\(formatNumber(value)) is not positive", expected: "a number greater than zero\(unit.isEmpty ? "" : " (\(unit))")")
        }
        return value
    }

    /// Unwraps a value a computation needs, naming the flag that supplies it when absent.
    public static func required<T>(_ value: T?, _ flag: String) throws(InputError) -> T {
        guard let value else { throw InputError(flag, "is required here", expected: "a value for \(flag), or --model NAME to fill it") }
        return value
    }

    /// Checks that `value` is a whole number of at least `minimum`.
    public static func requireCount(_ value: Int, _ location: String, minimum: Int = 1) throws(InputError) -> Int {
        guard value >= minimum else {
            throw InputError(location, "\(value) is too small", expected: "a whole number of at least \(minimum)")
        }
        return value
    }
}

/// Formats a number for messages: integers without a fraction, others with up to 6 significant digits.
func formatNumber(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(describing: (value * 1e6).rounded() / 1e6)
}
