/// Scheduling priority, P0 highest. P0 and P1 are never preempted by anything of lower priority.
public enum PlacementPriority: Int, Sendable, Equatable, Comparable, CaseIterable, CustomStringConvertible {
    case p0 = 0, p1, p2, p3, p4

    public static func < (lhs: PlacementPriority, rhs: PlacementPriority) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether this priority is above `other` (P0 is above P1).
    public func outranks(_ other: PlacementPriority) -> Bool { rawValue < other.rawValue }

    /// P0 and P1: protected from preemption by any lower priority.
    public var isProtected: Bool { self <= .p1 }

    public var description: String { "P\(rawValue)" }

    /// "P2", "p2" or "2".
    public init?(name: String) {
        let digits = name.hasPrefix("P") || name.hasPrefix("p") ? String(name.dropFirst()) : name
        guard let value = Int(digits), let priority = PlacementPriority(rawValue: value) else { return nil }
        self = priority
    }
}

/// How a request may share a GPU.
public enum GPUSharingMode: String, Sendable, Equatable, CaseIterable {
    /// Whole GPUs only (a 100 % request, or `exclusive` declared).
    case exclusive
    /// A fraction of one GPU through MPS, with its own thread percentage and pinned memory limit.
    case mps
    /// A MIG instance of a named profile.
    case mig
    /// Whatever fits: a whole GPU, an MPS share or a MIG instance.
    case any
}

/// Whether the GPUs of a multi-GPU request must share an NVLink domain.
public enum TopologyRequirement: String, Sendable, Equatable, CaseIterable {
    /// One NVLink domain (or, failing that, the request does not fit).
    case nvlinkRequired = "nvlink-required"
    /// Prefer one NVLink domain, then one NUMA node, then one rack; never refuse for it.
    case preferred
    /// No preference.
    case none
}

/// What one workload asks of the fleet, after profiling (from a pod's resources and ModelPlane annotations, or
/// from an API request). Every quantity is per the unit named; nothing is inferred at placement time.
public struct PlacementRequest: Sendable, Equatable {
    /// `namespace/name` of the pod, or the API request's id.
    public var id: String
    public var tenant: String
    public var priority: PlacementPriority
    /// GPUs wanted: 0 for a CPU-only request.
    public var gpuCount: Int
    /// Thousandths of each GPU (1000 = whole GPU). For MPS, the share × 10 (a 40 % share is 400).
    public var gpuMilli: Int
    /// Memory needed on each GPU (bytes), from the model-aware fit; nil when unknown (then the share decides).
    public var gpuMemoryBytes: Double?
    public var sharing: GPUSharingMode
    /// MIG profile wanted (`1g.10gb`…), with `sharing == .mig`.
    public var migProfile: String?
    /// Host CPU in millicores and host memory in bytes.
    public var cpuMilli: Int
    public var memoryBytes: Double
    /// GPU types allowed (catalog ids); empty allows any. A hard constraint.
    public var gpuTypes: [String]
    /// GPU types preferred (catalog ids), best first. A soft constraint (the affinity score).
    public var preferredGPUTypes: [String]
    /// Replicas of one model share a group: two of them never land on the same node.
    public var replicaGroup: String? { didSet { replicaGroupBit = ReplicaGroups.bit(replicaGroup) } }
    /// `replicaGroup`'s bit in a node's `replicaGroupBits` (0 without a group).
    public private(set) var replicaGroupBit: UInt64 = 0
    public var topology: TopologyRequirement
    /// Node names or zone/rack labels where the workload's data lives (the data-locality score).
    public var dataLocality: [String]
    /// Expected run time in seconds (GPU-hour quota), nil when unknown.
    public var expectedDurationSeconds: Double?
    /// The workload tolerates throttling: its MPS share may be oversubscribed up to the policy's limit.
    public var throttlingDeclared: Bool
    /// The model and shape it was profiled from, for the decision trace (`llama-3-8b, batch 8, seq 2048, bf16`).
    public var profile: String?

    public init(
        id: String, tenant: String = "default", priority: PlacementPriority = .p2, gpuCount: Int, gpuMilli: Int = 1_000,
        gpuMemoryBytes: Double? = nil, sharing: GPUSharingMode = .any, migProfile: String? = nil, cpuMilli: Int = 0, memoryBytes: Double = 0,
        gpuTypes: [String] = [], preferredGPUTypes: [String] = [], replicaGroup: String? = nil, topology: TopologyRequirement = .preferred,
        dataLocality: [String] = [], expectedDurationSeconds: Double? = nil, throttlingDeclared: Bool = false, profile: String? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.priority = priority
        self.gpuCount = gpuCount
        self.gpuMilli = gpuMilli
        self.gpuMemoryBytes = gpuMemoryBytes
        self.sharing = sharing
        self.migProfile = migProfile
        self.cpuMilli = cpuMilli
        self.memoryBytes = memoryBytes
        self.gpuTypes = gpuTypes
        self.preferredGPUTypes = preferredGPUTypes
        self.replicaGroup = replicaGroup
        replicaGroupBit = ReplicaGroups.bit(replicaGroup)
        self.topology = topology
        self.dataLocality = dataLocality
        self.expectedDurationSeconds = expectedDurationSeconds
        self.throttlingDeclared = throttlingDeclared
        self.profile = profile
    }

    public var isCPUOnly: Bool { gpuCount == 0 }
    /// One GPU, less than all of it.
    public var isFractional: Bool { gpuCount == 1 && gpuMilli < 1_000 }
    public var totalGPUMilli: Int { gpuCount * gpuMilli }
    public var wantsExclusive: Bool { sharing == .exclusive || (gpuCount > 0 && gpuMilli >= 1_000 && sharing != .mig) }

    /// The request's own contradictions, each with the fields at fault and by how much; empty when consistent.
    /// A request with any is unschedulable before a node is looked at.
    public func contradictions() -> [String] {
        var problems: [String] = []
        if gpuCount < 0 { problems.append("gpu count \(gpuCount) is negative; expected 0 or more GPUs") }
        if gpuCount > 0, gpuMilli <= 0 { problems.append("GPU share \(Double(gpuMilli) / 10) % is not positive; expected 1…100 % per GPU") }
        if gpuMilli > 1_000 { problems.append("GPU share \(Double(gpuMilli) / 10) % exceeds a whole GPU by \(Double(gpuMilli - 1_000) / 10) %") }
        if gpuCount > 1, gpuMilli < 1_000 {
            problems.append("\(gpuCount) GPUs at \(Double(gpuMilli) / 10) % each: a fractional share is for one GPU; ask for whole GPUs")
        }
        if cpuMilli < 0 { problems.append("CPU \(cpuMilli)m is negative") }
        if !memoryBytes.isFinite || memoryBytes < 0 { problems.append("host memory \(memoryBytes) bytes is not a size") }
        if let memory = gpuMemoryBytes, !memory.isFinite || memory < 0 { problems.append("GPU memory \(memory) bytes is not a size") }
        if sharing == .exclusive, gpuMilli < 1_000, gpuCount > 0 {
            problems.append("exclusive GPUs with a \(Double(gpuMilli) / 10) % share: exclusive means 100 %")
        }
        if sharing == .mig, migProfile == nil { problems.append("MIG sharing without a MIG profile") }
        if sharing != .mig, sharing != .any, let profile = migProfile { problems.append("MIG profile \(profile) with \(sharing.rawValue) sharing") }
        if sharing == .mig, gpuCount != 1 { problems.append("a MIG instance is one GPU slice; \(gpuCount) GPUs asked") }
        if let duration = expectedDurationSeconds, !duration.isFinite || duration < 0 {
            problems.append("expected duration \(duration) s is not a duration")
        }
        if !gpuTypes.isEmpty, !preferredGPUTypes.isEmpty, !preferredGPUTypes.contains(where: gpuTypes.contains) {
            problems.append("preferred GPU types \(preferredGPUTypes) are all outside the allowed \(gpuTypes)")
        }
        if gpuCount == 0, sharing == .mig || sharing == .mps || migProfile != nil { problems.append("GPU sharing asked with no GPU") }
        return problems
    }
}

/// A 64-bit summary of the replica groups on a node: each group sets one bit (FNV-1a of its name, mod 64). A
/// request whose bit is clear on a node has no replica there, decided without reading the node's workloads.
public enum ReplicaGroups {
    public static func bit(_ group: String?) -> UInt64 {
        guard let group else { return 0 }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in group.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return 1 << (hash % 64)
    }
}
