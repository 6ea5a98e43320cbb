public import ModelPlaneCore

/// How a pool's GPUs are offered to workloads.
public enum GPUSharing: Sendable, Equatable {
    /// One workload per GPU (or several GPUs per workload).
    case whole
    /// Each GPU split into these MIG instances (a layout mig-parted would apply).
    case mig([MIGProfile])
    /// Each GPU shared by MPS clients, each with its own SM percentage and memory limit.
    case mps
}

/// A group of identical nodes: the fleet model's unit of description.
public struct NodePool: Sendable, Equatable {
    public var name: String
    public var count: Int
    public var gpu: GPUModel
    public var gpusPerNode: Int
    public var cpuCores: Int
    public var memoryBytes: Double
    public var numaNodes: Int
    /// GPUs per NVLink domain within a node (8 on an HGX board, 2 with bridges, 1 with PCIe only).
    public var nvlinkDomainSize: Int
    /// Nodes per rack; racks are numbered across the pool.
    public var nodesPerRack: Int
    /// Power budget of one rack in watts (GPU power only is modelled); nil when unconstrained.
    public var rackPowerBudgetWatts: Double?
    public var sharing: GPUSharing

    public init(
        name: String, count: Int, gpu: GPUModel, gpusPerNode: Int, cpuCores: Int = 112, memoryBytes: Double = 2048 * gibibyte,
        numaNodes: Int = 2, nvlinkDomainSize: Int? = nil, nodesPerRack: Int = 4, rackPowerBudgetWatts: Double? = nil,
        sharing: GPUSharing = .whole
    ) {
        self.name = name
        self.count = count
        self.gpu = gpu
        self.gpusPerNode = gpusPerNode
        self.cpuCores = cpuCores
        self.memoryBytes = memoryBytes
        self.numaNodes = numaNodes
        self.nvlinkDomainSize =
            nvlinkDomainSize
            ?? {
                switch gpu.interconnect.kind {
                case .nvlink, .infinityFabric, .roce, .ici: gpusPerNode
                case .nvlinkBridge: min(2, gpusPerNode)
                case .pcieOnly: 1
                }
            }()
        self.nodesPerRack = nodesPerRack
        self.rackPowerBudgetWatts = rackPowerBudgetWatts
        self.sharing = sharing
    }
}

/// What a workload runs.
public enum WorkloadPhase: String, Sendable, Equatable, CaseIterable {
    case training, inference
}

/// How a workload asks for GPU capacity.
public enum SharingRequest: Sendable, Equatable {
    /// `gpus` whole GPUs.
    case whole
    /// One MIG instance of this profile.
    case mig(String)
    /// One MPS client with this SM percentage (1–100) and memory limit in bytes.
    case mps(smPercent: Int, memoryBytes: Double)
}

/// How requests arrive at an inference workload.
public enum RequestPattern: Sendable, Equatable {
    /// Poisson arrivals at a constant rate per second.
    case poisson(ratePerSecond: Double)
    /// A two-state Markov-modulated Poisson process: `quietRate` most of the time, `burstRate` during bursts whose
    /// lengths and gaps are exponential with the given means.
    case bursty(quietRate: Double, burstRate: Double, meanBurstSeconds: Double, meanQuietSeconds: Double)
    /// A piecewise-constant rate from a trace: (seconds from start, rate per second), sorted by time.
    case trace([RatePoint])

    public struct RatePoint: Sendable, Equatable {
        public var seconds: Double
        public var ratePerSecond: Double
        public init(seconds: Double, ratePerSecond: Double) {
            self.seconds = seconds
            self.ratePerSecond = ratePerSecond
        }
    }
}

/// The service level an inference workload promises; violations are counted per request.
public struct ServiceLevel: Sendable, Equatable {
    public var timeToFirstTokenSeconds: Double?
    public var interTokenLatencySeconds: Double?
    public init(timeToFirstTokenSeconds: Double? = nil, interTokenLatencySeconds: Double? = nil) {
        self.timeToFirstTokenSeconds = timeToFirstTokenSeconds
        self.interTokenLatencySeconds = interTokenLatencySeconds
    }
}

/// One workload with its intent: model, phase, batch, sequence, precision, tenant, priority, SLA.
public struct WorkloadSpec: Sendable, Equatable {
    public var name: String
    public var model: ModelSpec
    public var phase: WorkloadPhase
    public var precision: Precision
    /// Training: global batch in sequences. Inference: the engine's maximum running sequences (`max_num_seqs`).
    public var batch: Int
    /// Training: sequence length. Inference: mean prompt tokens per request.
    public var sequence: Int
    /// Inference: mean generated tokens per request.
    public var outputTokens: Int
    public var tenant: String
    /// 0 is the most important (P0).
    public var priority: Int
    public var gpus: Int
    public var sharing: SharingRequest
    /// A node name to pin to; nil lets the twin place it (first fit in pool order).
    public var node: String?
    /// A pool to keep it in (a GPU tier); nil allows every pool.
    public var pool: String?
    public var startSeconds: Double
    public var endSeconds: Double?
    public var requests: RequestPattern?
    public var serviceLevel: ServiceLevel
    /// Fraction of time the input pipeline leaves the GPU waiting (0 = none).
    public var inputStallFraction: Double
    /// The namespace the exporters label the workload's pod with (the pod is named after the workload).
    public var namespace: String
    /// CPU cores and host memory over all its nodes; nil: 4 cores and 32 GiB per GPU.
    public var cpuCores: Int?
    public var hostMemoryBytes: Double?

    public init(
        name: String, model: ModelSpec, phase: WorkloadPhase, precision: Precision = .bf16, batch: Int, sequence: Int,
        outputTokens: Int = 256, tenant: String = "default", priority: Int = 2, gpus: Int = 1, sharing: SharingRequest = .whole,
        node: String? = nil, startSeconds: Double = 0, endSeconds: Double? = nil, requests: RequestPattern? = nil,
        serviceLevel: ServiceLevel = ServiceLevel(), inputStallFraction: Double = 0, namespace: String = "default",
        cpuCores: Int? = nil, hostMemoryBytes: Double? = nil
    ) {
        self.name = name
        self.model = model
        self.phase = phase
        self.precision = precision
        self.batch = batch
        self.sequence = sequence
        self.outputTokens = outputTokens
        self.tenant = tenant
        self.priority = priority
        self.gpus = gpus
        self.sharing = sharing
        self.node = node
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.requests = requests
        self.serviceLevel = serviceLevel
        self.inputStallFraction = inputStallFraction
        self.namespace = namespace
        self.cpuCores = cpuCores
        self.hostMemoryBytes = hostMemoryBytes
    }
}

/// A fault injected at a time.
public enum FaultKind: Sendable, Equatable {
    /// An XID error on a GPU; 79 (fallen off the bus), 48 (double-bit ECC), 94/95 (contained/uncontained ECC) and
    /// 119/120 (GSP) kill the GPU's workloads; others are recorded only.
    case xid(node: String, gpu: Int, code: Int)
    /// The GPU disappears from the bus: no more metrics, its workloads fail.
    case fallOffBus(node: String, gpu: Int)
    /// The node is lost: its exporter stops answering, its workloads fail.
    case nodeLoss(node: String)
    /// The workload's data loader stalls: the GPU waits `fraction` of the time (1 = no progress).
    case stalledLoader(workload: String, fraction: Double)
    /// The pod keeps its GPUs and memory but does no work.
    case zombie(workload: String)
    /// The node's NVLink runs at `factor` of its bandwidth (links down or retraining).
    case degradedNVLink(node: String, factor: Double)
    /// A GPU's cooling loses effectiveness: its thermal resistance is multiplied by `factor`.
    case thermalThrottle(node: String, gpu: Int, factor: Double)
}

extension FaultKind {
    /// The scenario key that names this kind of fault.
    public var key: String {
        switch self {
        case .xid: "xid"
        case .fallOffBus: "fall_off_bus"
        case .nodeLoss: "node_loss"
        case .stalledLoader: "stalled_loader"
        case .zombie: "zombie"
        case .degradedNVLink: "degraded_nvlink"
        case .thermalThrottle: "thermal_throttle"
        }
    }
}

public struct FaultSpec: Sendable, Equatable {
    public var atSeconds: Double
    public var kind: FaultKind
    public init(atSeconds: Double, kind: FaultKind) {
        self.atSeconds = atSeconds
        self.kind = kind
    }
}

/// A time-based twin run: the fleet, its workloads, the faults to inject, the clock, the seed and the constants.
public struct Scenario: Sendable, Equatable {
    public var name: String
    public var seed: UInt64
    public var durationSeconds: Double
    public var stepSeconds: Double
    public var pools: [NodePool]
    public var workloads: [WorkloadSpec]
    public var faults: [FaultSpec]
    public var constants: TwinConstants
    /// Nodes that take no new workloads (a repack drains them).
    public var cordoned: [String] = []
    /// Power limit applied to every GPU that did no work in the last step (the power-cap-idle action); nil: none.
    public var idlePowerCapWatts: Double?

    public init(
        name: String, seed: UInt64 = 42, durationSeconds: Double, stepSeconds: Double = 10, pools: [NodePool],
        workloads: [WorkloadSpec] = [], faults: [FaultSpec] = [], constants: TwinConstants = TwinConstants()
    ) {
        self.name = name
        self.seed = seed
        self.durationSeconds = durationSeconds
        self.stepSeconds = stepSeconds
        self.pools = pools
        self.workloads = workloads
        self.faults = faults
        self.constants = constants
    }

    public var gpuCount: Int { pools.reduce(0) { $0 + $1.count * $1.gpusPerNode } }
}
