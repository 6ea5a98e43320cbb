/// Observed throughput of a run, in any of the forms frameworks report it.
public enum Throughput: Sendable, Equatable {
    /// Tokens per second over all devices.
    case tokensPerSecond(Double)
    /// Tokens per second per device.
    case tokensPerSecondPerDevice(Double)
    /// One optimizer step of `globalBatch` sequences of `sequenceLength` tokens took `seconds`.
    case iteration(seconds: Double, globalBatch: Int, sequenceLength: Int)

    /// Tokens per second over `devices` devices, after checking every number is finite and positive.
    public func totalTokensPerSecond(devices: Int) throws(InputError) -> Double {
        switch self {
        case .tokensPerSecond(let rate):
            return try InputError.requirePositive(rate, "--tokens-per-second", unit: "tokens/s")
        case .tokensPerSecondPerDevice(let rate):
            return try InputError.requirePositive(rate, "--tokens-per-second-per-device", unit: "tokens/s") * Double(devices)
        case .iteration(let seconds, let batch, let length):
            let time = try InputError.requirePositive(seconds, "--iteration-time", unit: "seconds")
            let batch = try InputError.requireCount(batch, "--global-batch")
            let length = try InputError.requireCount(length, "--seq-len")
            return Double(batch) * Double(length) / time
        }
    }
}
