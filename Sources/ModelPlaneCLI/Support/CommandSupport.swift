public import ArgumentParser
import ModelPlaneCore
import ModelPlaneTwin

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a command body, turning an `InputError` into one line on standard error and exit status 1.
func reportingInputErrors(_ body: () throws(InputError) -> Void) throws {
    do {
        try body()
    } catch {
        printError("modelplane: error: \(error.description)")
        throw ExitCode(1)
    }
}

func printError(_ text: String) {
    let line = Array((text + "\n").utf8)
    _ = line.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
}

/// A number that accepts SI suffixes (`8.03B`, `238.3K`) as well as plain and scientific notation.
struct QuantityArgument: ExpressibleByArgument, Sendable {
    let value: Double

    init?(argument: String) {
        guard let value = ModelPlaneCore.Quantity.parse(argument) else { return nil }
        self.value = value
    }
}

extension FLOPsFormula: ExpressibleByArgument {}
extension RecomputeMode: ExpressibleByArgument {}
extension AttentionConvention: ExpressibleByArgument {}
extension ParameterConvention: ExpressibleByArgument {}
extension TieBreak: ExpressibleByArgument {}
