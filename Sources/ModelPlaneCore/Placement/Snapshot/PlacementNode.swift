/// A workload running on a node, as the snapshot records it: enough to preempt it or move it.
public struct RunningWorkload: Sendable, Equatable {
    public var id: String
    public var tenant: String
    public var priority: PlacementPriority
    /// Positions in the node's `gpus` (device indices are `gpus[position].index`).
    public var gpus: [Int]
    /// Thousandths per GPU (1000 whole; an MPS share; a MIG slot's compute).
    public var gpuMilli: Int
    public var gpuMemoryBytes: Double
    public var cpuMilli: Int
    public var memoryBytes: Double
    public var replicaGroup: String?
    public var migProfile: String?
    public var throttlingDeclared: Bool
    /// False for workloads that must not be moved (pinned, or checkpoint not possible).
    public var movable: Bool

    public init(
        id: String, tenant: String = "default", priority: PlacementPriority = .p2, gpus: [Int], gpuMilli: Int, gpuMemoryBytes: Double = 0,
        cpuMilli: Int = 0, memoryBytes: Double = 0, replicaGroup: String? = nil, migProfile: String? = nil, throttlingDeclared: Bool = false,
        movable: Bool = true
    ) {
        self.id = id
        self.tenant = tenant
        self.priority = priority
        self.gpus = gpus
        self.gpuMilli = gpuMilli
        self.gpuMemoryBytes = gpuMemoryBytes
        self.cpuMilli = cpuMilli
        self.memoryBytes = memoryBytes
        self.replicaGroup = replicaGroup
        self.migProfile = migProfile
        self.throttlingDeclared = throttlingDeclared
        self.movable = movable
    }

    /// The request that would place this workload again (for repacking and re-placement after a failure).
    public var request: PlacementRequest {
        PlacementRequest(
            id: id, tenant: tenant, priority: priority, gpuCount: gpus.count, gpuMilli: gpuMilli,
            gpuMemoryBytes: gpuMemoryBytes > 0 ? gpuMemoryBytes : nil,
            sharing: migProfile != nil ? .mig : gpuMilli < 1_000 && !gpus.isEmpty ? .mps : gpus.isEmpty ? .any : .exclusive, migProfile: migProfile,
            cpuMilli: cpuMilli, memoryBytes: memoryBytes, replicaGroup: replicaGroup, throttlingDeclared: throttlingDeclared)
    }
}

/// One node as placement sees it.
public struct PlacementNode: Sendable, Equatable {
    public var name: String
    /// The GPU type: a catalog id when the catalog knows it, else the name the node reports.
    public var gpuType: String? { didSet { refreshStateHash() } }
    public var gpus: [PlacementGPU] { didSet { summarize() } }
    /// Every GPU healthy and none MIG-partitioned: the engine's capacity bound below is exact.
    public private(set) var uniformGPUs = true
    /// The most free thousandths on one GPU, and the idle GPUs (for the capacity bound).
    public private(set) var maxFreeMilli = 0
    public private(set) var idleGPUs = 0
    /// Some GPU of the node reports SM activity.
    public private(set) var observesActivity = false
    /// A hash of every GPU's placement state (free share and memory, sharing, clients, MIG slots, health, topology).
    public private(set) var gpuSignature = 0
    /// A hash of everything placement reads of the node apart from its identity (see `sameState`).
    public private(set) var stateHash = 0
    /// `gpuType`'s hash (0 without a type).
    public private(set) var gpuTypeHash = 0
    public var cpuCapacityMilli: Int
    public var cpuFreeMilli: Int { didSet { refreshStateHash() } }
    public var memoryCapacityBytes: Double
    public var memoryFreeBytes: Double { didSet { refreshStateHash() } }
    /// Whether ModelPlane may start MPS clients on this node's idle GPUs without reconfiguring it.
    public var mpsEnabled: Bool { didSet { refreshStateHash() } }
    public var cordoned: Bool { didSet { refreshStateHash() } }
    /// Nil when healthy; else why not (NotReady, XID 79, …).
    public var unhealthyReason: String? { didSet { refreshStateHash() } }
    public var rack: String?
    public var zone: String?
    /// Dense BF16 (or FP16) peak TFLOP/s per watt of TDP, from the catalog; nil when unknown.
    public var tflopsPerWatt: Double? { didSet { refreshStateHash() } }
    public var tdpWatts: Double?
    public var workloads: [RunningWorkload] { didSet { refreshWorkloads() } }
    /// The replica groups of the workloads (`ReplicaGroups`): anti-affinity reads this before the workloads.
    public private(set) var replicaGroupBits: UInt64 = 0
    /// `gpus.count` and `workloads.count`, kept inline: the scan's capacity bound and `isIdle` then read neither array.
    public private(set) var gpuCount = 0
    public private(set) var workloadCount = 0

    public init(
        name: String, gpuType: String?, gpus: [PlacementGPU], cpuCapacityMilli: Int, cpuFreeMilli: Int? = nil, memoryCapacityBytes: Double,
        memoryFreeBytes: Double? = nil, mpsEnabled: Bool = true, cordoned: Bool = false, unhealthyReason: String? = nil, rack: String? = nil,
        zone: String? = nil, tflopsPerWatt: Double? = nil, tdpWatts: Double? = nil, workloads: [RunningWorkload] = []
    ) {
        self.name = name
        self.gpuType = gpuType
        self.gpus = gpus
        self.cpuCapacityMilli = cpuCapacityMilli
        self.cpuFreeMilli = cpuFreeMilli ?? cpuCapacityMilli
        self.memoryCapacityBytes = memoryCapacityBytes
        self.memoryFreeBytes = memoryFreeBytes ?? memoryCapacityBytes
        self.mpsEnabled = mpsEnabled
        self.cordoned = cordoned
        self.unhealthyReason = unhealthyReason
        self.rack = rack
        self.zone = zone
        self.tflopsPerWatt = tflopsPerWatt
        self.tdpWatts = tdpWatts
        self.workloads = workloads
        summarize()
        refreshWorkloads()
    }

    private mutating func refreshWorkloads() {
        replicaGroupBits = workloads.reduce(0) { $0 | ReplicaGroups.bit($1.replicaGroup) }
        workloadCount = workloads.count
        refreshStateHash()
    }

    private mutating func summarize() {
        var uniform = true
        var most = 0
        var idle = 0
        var activity = false
        for position in gpus.indices {
            if gpus[position].smActivity != nil { activity = true }
            if !gpus[position].healthy || gpus[position].sharing == .mig { uniform = false }
            most = max(most, gpus[position].freeMilli)
            if gpus[position].isIdle { idle += 1 }
        }
        (uniformGPUs, maxFreeMilli, idleGPUs, observesActivity, gpuCount) = (uniform, most, idle, activity, gpus.count)
        var hasher = Hasher()
        for position in gpus.indices {
            let gpu = gpus[position]
            hasher.combine(gpu.freeMilli)
            hasher.combine(gpu.freeMemoryBytes)
            hasher.combine(gpu.memoryBytes)
            hasher.combine(gpu.sharing)
            hasher.combine(gpu.healthy)
            hasher.combine(gpu.nvlinkDomain)
            hasher.combine(gpu.numaNode)
            hasher.combine(gpu.mpsClients.count)
            for client in gpu.mpsClients {
                hasher.combine(client.milli)
                hasher.combine(client.tenant)
                hasher.combine(client.throttlingDeclared)
            }
            for slot in gpu.migSlots {
                hasher.combine(slot.profile)
                hasher.combine(slot.holder == nil)
            }
        }
        gpuSignature = hasher.finalize()
        refreshStateHash()
    }

    private mutating func refreshStateHash() {
        gpuTypeHash = gpuType?.hashValue ?? 0
        var hasher = Hasher()
        hasher.combine(gpuSignature)
        hasher.combine(gpuType)
        hasher.combine(cpuFreeMilli)
        hasher.combine(memoryFreeBytes)
        hasher.combine(workloads.isEmpty)
        hasher.combine(mpsEnabled)
        hasher.combine(cordoned)
        hasher.combine(unhealthyReason == nil)
        hasher.combine(tflopsPerWatt)
        stateHash = hasher.finalize()
    }

    /// `sameState` for two nodes of a buffer, without copying either.
    static func sameState(_ nodes: UnsafeBufferPointer<PlacementNode>, _ a: Int, _ b: Int) -> Bool {
        guard nodes[a].stateHash == nodes[b].stateHash, nodes[a].cpuFreeMilli == nodes[b].cpuFreeMilli,
            nodes[a].memoryFreeBytes == nodes[b].memoryFreeBytes, nodes[a].gpuType == nodes[b].gpuType,
            (nodes[a].workloadCount == 0) == (nodes[b].workloadCount == 0), nodes[a].mpsEnabled == nodes[b].mpsEnabled,
            nodes[a].cordoned == nodes[b].cordoned, (nodes[a].unhealthyReason == nil) == (nodes[b].unhealthyReason == nil),
            nodes[a].tflopsPerWatt == nodes[b].tflopsPerWatt, nodes[a].gpuCount == nodes[b].gpuCount
        else { return false }
        for position in nodes[a].gpus.indices where !nodes[a].gpus[position].samePlacementState(as: nodes[b].gpus[position]) { return false }
        return true
    }

    /// Whether placement sees the same node state (identity aside: name, rack, zone, the workloads' names):
    /// two such nodes are interchangeable for state-only filters and scores.
    func sameState(as other: PlacementNode) -> Bool {
        stateHash == other.stateHash && gpuType == other.gpuType && cpuFreeMilli == other.cpuFreeMilli && memoryFreeBytes == other.memoryFreeBytes
            && (workloadCount == 0) == (other.workloadCount == 0) && mpsEnabled == other.mpsEnabled && cordoned == other.cordoned
            && (unhealthyReason == nil) == (other.unhealthyReason == nil) && tflopsPerWatt == other.tflopsPerWatt && gpus.count == other.gpus.count
            && zip(gpus, other.gpus).allSatisfy { $0.samePlacementState(as: $1) }
    }

    public var freeGPUMilli: Int { gpus.reduce(0) { $0 + $1.freeMilli } }
    /// No GPU on it holds any work.
    public var isIdle: Bool { workloadCount == 0 && idleGPUs == gpuCount }
}
