/// Which part of a GPU a workload runs on, which sets the peak its MFU is measured against.
public enum GPUPartition: Sendable, Equatable {
    /// The whole device.
    case whole
    /// A MIG instance: its share of the SMs.
    case mig(MIGProfile)
    /// An MPS client limited to a percentage of the SMs (`CUDA_MPS_ACTIVE_THREAD_PERCENTAGE`), 1…100.
    case mps(percentage: Double)
}

/// The peak FLOP/s per device an MFU is measured against, and where the figure came from.
public struct PeakFLOPS: Sendable, Equatable {
    /// Peak of the part of the device the workload owns (a MIG slice or MPS share, else the whole device).
    public var perDevice: Double
    /// Peak of the whole physical device (differs from `perDevice` for MIG and MPS).
    public var wholeDevice: Double
    /// Human-readable provenance: "NVIDIA H100 SXM5 80GB bf16 dense (989.4 TFLOP/s)".
    public var source: String
    public var partition: GPUPartition

    /// An explicitly given peak (`--peak-flops`).
    public static func explicit(_ flops: Double) throws(InputError) -> PeakFLOPS {
        let value = try InputError.requirePositive(flops, "--peak-flops", unit: "FLOP/s per device")
        guard value >= 1e9 else {
            throw InputError("--peak-flops", "\(formatNumber(value)) FLOP/s is implausibly small", expected: "FLOP/s per device, e.g. 989.4e12")
        }
        return PeakFLOPS(perDevice: value, wholeDevice: value, source: "given (--peak-flops)", partition: .whole)
    }

    /// The catalog's dense peak for a device and precision, scaled to a MIG instance or MPS share.
    public static func catalog(_ gpu: GPUModel, precision: Precision, partition: GPUPartition = .whole) throws(InputError) -> PeakFLOPS {
        let whole = try gpu.peak(for: precision)
        let base = "\(gpu.displayName) \(precision) dense (\(formatNumber(whole / 1e12)) TFLOP/s)"
        switch partition {
        case .whole:
            return PeakFLOPS(perDevice: whole, wholeDevice: whole, source: base, partition: partition)
        case .mig(let profile):
            let fraction = gpu.computeFraction(of: profile)
            return PeakFLOPS(
                perDevice: whole * fraction, wholeDevice: whole,
                source: "\(base) × MIG \(profile.name) (\(profile.multiprocessors) of \(gpu.multiprocessors.map(String.init) ?? "?") SMs)",
                partition: partition)
        case .mps(let percentage):
            guard percentage.isFinite, percentage > 0, percentage <= 100 else {
                throw InputError("--mps-percentage", "\(formatNumber(percentage)) is out of range", expected: "a percentage of SMs in (0, 100]")
            }
            return PeakFLOPS(
                perDevice: whole * percentage / 100, wholeDevice: whole, source: "\(base) × MPS share \(formatNumber(percentage))%",
                partition: partition)
        }
    }
}
