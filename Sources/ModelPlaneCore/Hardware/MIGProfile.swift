/// One Multi-Instance GPU profile (`1g.10gb`, `3g.40gb`, `1g.10gb+me`) of a GPU model.
///
/// Source: NVIDIA MIG User Guide, "Supported MIG Profiles". The compute fraction is measured in SMs
/// (a `1g` instance of an H100 has 16 of 132 SMs, 12.1%, not 1/7) because a slice's peak FLOP/s scales
/// with the SMs it owns at the same clock.
public struct MIGProfile: Sendable, Equatable, Codable {
    /// The profile name as nvidia-smi and GPU Feature Discovery print it, e.g. `2g.20gb`.
    public var name: String
    /// GPU-instance compute slices (the `Ng` in the name), out of 7.
    public var computeSlices: Int
    /// Memory slices, out of 8.
    public var memorySlices: Int
    /// Streaming multiprocessors in one instance.
    public var multiprocessors: Int
    /// Memory of one instance in bytes.
    public var memoryBytes: Double
    /// How many instances of this profile one GPU can hold at most.
    public var maxCount: Int

    public init(name: String, computeSlices: Int, memorySlices: Int, multiprocessors: Int, memoryGiB: Double, maxCount: Int) {
        self.name = name
        self.computeSlices = computeSlices
        self.memorySlices = memorySlices
        self.multiprocessors = multiprocessors
        self.memoryBytes = memoryGiB * gibibyte
        self.maxCount = maxCount
    }
}

/// 2³⁰ bytes.
public let gibibyte: Double = 1_073_741_824
/// 10⁹ bytes.
public let gigabyte: Double = 1e9
