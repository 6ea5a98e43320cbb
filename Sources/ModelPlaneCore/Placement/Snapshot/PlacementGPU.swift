/// How a GPU is shared right now.
public enum GPUSharingState: String, Sendable, Equatable, CaseIterable {
    /// Not shared: idle, or held whole by one workload.
    case whole
    /// An MPS daemon runs on it; clients hold shares with their own thread percentage and memory limit.
    case mps
    /// Partitioned into MIG instances.
    case mig
}

/// One MIG instance configured on a GPU.
public struct MIGSlot: Sendable, Equatable {
    public var profile: String
    /// Thousandths of the GPU's compute (slices of seven).
    public var milli: Int
    public var memoryBytes: Double
    /// The workload on it, nil when free.
    public var holder: String?

    public init(profile: String, milli: Int, memoryBytes: Double, holder: String? = nil) {
        self.profile = profile
        self.milli = milli
        self.memoryBytes = memoryBytes
        self.holder = holder
    }
}

/// One MPS client on a GPU: its share and pinned memory limit, as ModelPlane sets them per pod
/// (`CUDA_MPS_ACTIVE_THREAD_PERCENTAGE`, `CUDA_MPS_PINNED_DEVICE_MEM_LIMIT`).
public struct MPSClient: Sendable, Equatable {
    public var workload: String
    /// Thousandths of the GPU (share % × 10).
    public var milli: Int
    public var memoryLimitBytes: Double
    public var throttlingDeclared: Bool
    public var tenant: String

    public init(workload: String, milli: Int, memoryLimitBytes: Double, throttlingDeclared: Bool = false, tenant: String = "default") {
        self.workload = workload
        self.milli = milli
        self.memoryLimitBytes = memoryLimitBytes
        self.throttlingDeclared = throttlingDeclared
        self.tenant = tenant
    }
}

/// One GPU of a node as placement sees it.
public struct PlacementGPU: Sendable, Equatable {
    public var index: Int
    /// Free thousandths of the GPU's compute: 1000 when idle.
    public var freeMilli: Int
    public var memoryBytes: Double
    public var freeMemoryBytes: Double
    public var sharing: GPUSharingState
    public var mpsClients: [MPSClient]
    public var migSlots: [MIGSlot]
    /// GPUs with the same domain number are joined by NVLink/NVSwitch; nil when unknown or PCIe only.
    public var nvlinkDomain: Int?
    public var numaNode: Int?
    public var healthy: Bool
    /// Observed SM activity 0…1 (dcgm `DCGM_FI_PROF_SM_ACTIVE`), nil when not observed.
    public var smActivity: Double?

    public init(
        index: Int, freeMilli: Int = 1_000, memoryBytes: Double, freeMemoryBytes: Double? = nil, sharing: GPUSharingState = .whole,
        mpsClients: [MPSClient] = [], migSlots: [MIGSlot] = [], nvlinkDomain: Int? = nil, numaNode: Int? = nil, healthy: Bool = true,
        smActivity: Double? = nil
    ) {
        self.index = index
        self.freeMilli = freeMilli
        self.memoryBytes = memoryBytes
        self.freeMemoryBytes = freeMemoryBytes ?? memoryBytes
        self.sharing = sharing
        self.mpsClients = mpsClients
        self.migSlots = migSlots
        self.nvlinkDomain = nvlinkDomain
        self.numaNode = numaNode
        self.healthy = healthy
        self.smActivity = smActivity
    }

    public var isIdle: Bool { freeMilli >= 1_000 && mpsClients.isEmpty && migSlots.allSatisfy { $0.holder == nil } }
    /// The shares on it add up to more than 100 % (only with throttling declared by every client).
    public var mpsShareTotal: Int { mpsClients.reduce(0) { $0 + $1.milli } }

    /// Equal for placement: the same free share and memory, sharing, health, topology, MIG slots (profile and
    /// whether free) and MPS clients (share, throttling and tenant; not which workloads they are).
    func samePlacementState(as other: PlacementGPU) -> Bool {
        freeMilli == other.freeMilli && freeMemoryBytes == other.freeMemoryBytes && memoryBytes == other.memoryBytes && sharing == other.sharing
            && healthy == other.healthy && nvlinkDomain == other.nvlinkDomain && numaNode == other.numaNode && smActivity == other.smActivity
            && mpsClients.count == other.mpsClients.count && migSlots.count == other.migSlots.count
            && zip(mpsClients, other.mpsClients).allSatisfy {
                $0.milli == $1.milli && $0.throttlingDeclared == $1.throttlingDeclared && $0.tenant == $1.tenant
            }
            && zip(migSlots, other.migSlots).allSatisfy { $0.profile == $1.profile && ($0.holder == nil) == ($1.holder == nil) }
    }
}
