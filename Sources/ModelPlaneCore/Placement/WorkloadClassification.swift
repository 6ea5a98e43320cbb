/// The seed's workload classification (design seed 004, "Workload compute score calculation"), and ModelPlane's
/// extension of it: the MPS share is the larger of the compute share and the memory share.
///
/// The seed writes `score = model_size × 10 + batch × seq_len / 100` with small < 100 ≤ medium < 500 ≤ large, and
/// gives two examples: a 7B model at batch 1, seq 512 is small; a 70B model at batch 8, seq 2048 is large. Both hold
/// only when the model size is counted in **billions of parameters** (7 × 10 + 5.12 = 75.12; 700 + 163.84 = 863.84).
/// Read as gigabytes of bf16 weights the 7B example would score 145 and be medium, so ModelPlane reads billions.
public struct ClassificationPolicy: Sendable, Equatable {
    /// Scores below this are small.
    public var smallBelow = 100.0
    /// Scores at or above this are large.
    public var largeFrom = 500.0
    /// MPS SM shares (percent) per class: the seed's 20 / 40 / 100.
    public var smallShare = 20
    public var mediumShare = 40
    public var largeShare = 100
    /// The share steps a request is rounded up to (the seed's flexible percentages).
    public var steps = [20, 40, 60, 80, 100]
    /// The most the shares on one GPU may add up to when every client on it declares throttling (the seed's 120 %).
    public var oversubscriptionLimit = 120
    /// GPU types the seed prefers per class (catalog names); nil for no preference.
    public var smallPreferredGPU: String? = "a100"
    public var mediumPreferredGPU: String? = nil
    public var largePreferredGPU: String? = "h100"

    public init() {}

    /// Checks the thresholds and steps are usable: 0 < small < large, steps increasing within 1…100 and ending at 100.
    public func validated() throws(InputError) -> ClassificationPolicy {
        guard smallBelow.isFinite, largeFrom.isFinite, smallBelow > 0, smallBelow < largeFrom else {
            throw InputError("classification thresholds", "small below \(smallBelow), large from \(largeFrom)", expected: "0 < small < large")
        }
        guard !steps.isEmpty, steps.first! >= 1, steps.last! == 100, zip(steps, steps.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw InputError("classification steps", "\(steps)", expected: "increasing percentages from at least 1 up to 100")
        }
        for share in [smallShare, mediumShare, largeShare] where !(1...100).contains(share) {
            throw InputError("classification shares", "\(share) %", expected: "1…100")
        }
        guard (100...200).contains(oversubscriptionLimit) else {
            throw InputError("oversubscription limit", "\(oversubscriptionLimit) %", expected: "100…200")
        }
        return self
    }
}

public enum WorkloadClass: String, Sendable, Equatable, CaseIterable {
    case small, medium, large
}

/// A request's class, its shares and why.
public struct WorkloadClassification: Sendable, Equatable {
    public var score: Double
    public var workloadClass: WorkloadClass
    /// The class's share (percent of SMs).
    public var computeShare: Int
    /// The share the model's memory needs on the target GPU, rounded up to a step; nil when no memory was given.
    public var memoryShare: Int?
    /// max(compute, memory), on a step.
    public var share: Int
    public var preferredGPU: String?
    /// The arithmetic, in words, for the decision trace.
    public var explanation: String

    /// Classifies a request of `parametersBillions` at `batch` × `sequence`; with the model's memory need and the
    /// GPU's usable memory, the share also covers the memory (an MPS client's memory limit follows its share).
    public static func classify(
        parametersBillions: Double, batch: Int, sequence: Int, memoryNeededBytes: Double? = nil, gpuMemoryBytes: Double? = nil,
        policy: ClassificationPolicy = ClassificationPolicy()
    ) throws(InputError) -> WorkloadClassification {
        guard parametersBillions.isFinite, parametersBillions > 0 else {
            throw InputError("model size", "\(parametersBillions) billion parameters", expected: "a positive number of billions")
        }
        let batch = try InputError.requireCount(batch, "batch")
        let sequence = try InputError.requireCount(sequence, "sequence length")
        let score = parametersBillions * 10 + Double(batch) * Double(sequence) / 100
        let workloadClass: WorkloadClass = score < policy.smallBelow ? .small : score < policy.largeFrom ? .medium : .large
        let computeShare: Int
        let preferred: String?
        switch workloadClass {
        case .small: (computeShare, preferred) = (policy.smallShare, policy.smallPreferredGPU)
        case .medium: (computeShare, preferred) = (policy.mediumShare, policy.mediumPreferredGPU)
        case .large: (computeShare, preferred) = (policy.largeShare, policy.largePreferredGPU)
        }
        var explanation =
            "score = \(formatNumber((parametersBillions * 100).rounded() / 100)) × 10 + \(batch) × \(sequence) / 100 = \(formatNumber((score * 100).rounded() / 100)) → "
            + "\(workloadClass.rawValue) (\(computeShare) %)"
        var memoryShare: Int?
        if let needed = memoryNeededBytes, let capacity = gpuMemoryBytes {
            guard needed.isFinite, needed >= 0, capacity.isFinite, capacity > 0 else {
                throw InputError("memory", "needs \(needed) bytes of \(capacity)", expected: "a need ≥ 0 and a positive GPU memory")
            }
            let percent = needed / capacity * 100
            guard let step = policy.steps.first(where: { Double($0) >= percent }) else {
                throw InputError(
                    "memory", "the model needs \(formatNumber((percent * 10).rounded() / 10)) % of the GPU's memory",
                    expected: "at most 100 %: a larger GPU or tensor parallelism")
            }
            memoryShare = step
            explanation += "; memory \(formatNumber((percent * 10).rounded() / 10)) % → \(step) %"
        }
        let wanted = max(computeShare, memoryShare ?? 0)
        let share = policy.steps.first { $0 >= wanted } ?? 100
        explanation += "; share \(share) %"
        return WorkloadClassification(
            score: score, workloadClass: workloadClass, computeShare: computeShare, memoryShare: memoryShare, share: share, preferredGPU: preferred,
            explanation: explanation)
    }

    /// Whether a client of `share` % fits beside `existing` shares on one GPU: up to 100 %, or up to the
    /// oversubscription limit when every client there (and the new one) declares throttling.
    public static func admits(
        _ share: Int, beside existing: [Int], throttlingDeclared: Bool, policy: ClassificationPolicy = ClassificationPolicy()
    ) -> Bool {
        guard share > 0, share <= 100, existing.allSatisfy({ $0 > 0 }) else { return false }
        let total = existing.reduce(share, +)
        return total <= (throttlingDeclared ? policy.oversubscriptionLimit : 100)
    }
}
