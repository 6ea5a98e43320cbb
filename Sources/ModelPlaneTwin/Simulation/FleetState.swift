public import ModelPlaneCore

/// One node of the simulated fleet.
public struct SimNode: Sendable, Equatable {
    public var name: String
    public var pool: Int
    public var rack: Int
    /// Index of its first GPU in `FleetSimulation.gpus`; its GPUs are contiguous.
    public var firstGPU: Int
    public var gpuCount: Int
    public var cpuCores: Int
    public var memoryBytes: Double
    public var freeCPUCores: Int
    public var freeMemoryBytes: Double
    public var numaNodes: Int
    public var nvlinkDomainSize: Int
    public var healthy = true
    /// Takes no new workloads.
    public var cordoned = false
    /// Fraction of NVLink bandwidth still available (a degraded-NVLink fault lowers it).
    public var nvlinkFactor = 1.0

    public var gpuRange: Range<Int> { firstGPU..<(firstGPU + gpuCount) }
}

/// A GPU's condition.
public enum GPUHealth: String, Sendable, Equatable {
    case healthy
    /// A fatal XID: the GPU still reports, but needs a reset before it runs anything.
    case needsReset = "needs-reset"
    /// Fallen off the bus (XID 79): no metrics at all.
    case fallenOff = "fallen-off-bus"
    /// Its node is lost.
    case lost
}

/// One MIG instance of a GPU's layout.
public struct MIGSlot: Sendable, Equatable {
    public var profile: MIGProfile
    /// GPU instance ID as NVML numbers them (dcgm `GPU_I_ID`).
    public var instanceID: Int
    /// Index of the workload holding it, or nil.
    public var owner: Int?
}

/// One MPS client on a GPU.
public struct MPSClient: Sendable, Equatable {
    public var workload: Int
    public var smPercent: Int
    public var memoryBytes: Double
}

/// One GPU: what it is, who holds it, and what it is doing.
public struct SimGPU: Sendable, Equatable {
    public var node: Int
    /// Index within its node (dcgm `gpu`).
    public var index: Int
    /// Index into `FleetSimulation.gpuModels`; the scalars the hot loops need are copied below.
    public var modelIndex: Int
    public var tdp: Double
    public var referencePeakFLOPS: Double
    public var pricePerHourUSD: Double
    public var memoryBytes: Double
    public var usableMemoryBytes: Double
    public var uuid: String
    public var busID: String
    public var health = GPUHealth.healthy
    public var lastXID = 0
    public var coolingFactor = 1.0
    /// Power limit imposed by the rack's budget; nil is TDP.
    public var rackCapWatts: Double?
    public var celsius: Double
    public var watts: Double
    public var energyJoules = 0.0
    /// Holder of the whole GPU (one workload, possibly with other GPUs).
    public var wholeOwner: Int?
    public var mig: [MIGSlot] = []
    public var mps: [MPSClient]?
    // Activity over the last step.
    /// Fraction of time any kernel ran (dcgm GR_ENGINE_ACTIVE; nvidia-smi's utilization).
    public var graphicsActive = 0.0
    public var smActive = 0.0
    public var tensorActive = 0.0
    public var dramActive = 0.0
    public var memoryUsedBytes = 0.0
    public var resident = false
    public var achievedFLOPS = 0.0
    /// Clock multiplier from power capping and heat, applied to the next step.
    public var clockFactor = 1.0
    public var throttledByHeat = false

    public var isUsable: Bool { health == .healthy }
    public var mpsSMUsed: Int { mps?.reduce(0) { $0 + $1.smPercent } ?? 0 }
    public var mpsMemoryUsed: Double { mps?.reduce(0) { $0 + $1.memoryBytes } ?? 0 }
    /// Nobody holds any part of it.
    public var isFree: Bool { wholeOwner == nil && mig.allSatisfy { $0.owner == nil } && (mps?.isEmpty ?? true) }

    init(node: Int, index: Int, modelIndex: Int, model: GPUModel, uuid: String, busID: String, celsius: Double, watts: Double) {
        self.node = node
        self.index = index
        self.modelIndex = modelIndex
        tdp = model.tdpWatts ?? 300
        referencePeakFLOPS = FleetSimulation.referencePeak(model)
        pricePerHourUSD = model.pricePerHourUSD ?? 0
        memoryBytes = model.memoryBytes
        usableMemoryBytes = model.usableMemoryBytes
        self.uuid = uuid
        self.busID = busID
        self.celsius = celsius
        self.watts = watts
    }
}

/// Where a workload holds capacity on one GPU.
public enum SlotKind: Sendable, Equatable {
    case whole
    case mig(Int)
    case mps(smPercent: Int, memoryBytes: Double)
}

public struct Slot: Sendable, Equatable {
    public var gpu: Int
    public var kind: SlotKind
}

/// A workload's lifecycle in the twin.
public enum WorkloadStatus: String, Sendable, Equatable {
    case scheduled, pending, running, finished, failed
    /// Killed at start: its memory does not fit its allocation.
    case outOfMemory = "oom-killed"
}

/// One workload's runtime state.
public struct SimWorkload: Sendable {
    public var spec: WorkloadSpec
    public var status = WorkloadStatus.scheduled
    public var slots: [Slot] = []
    public var zombie = false
    public var stall: Double
    /// Per-GPU memory the workload needs (weights, optimizer state or KV cache, activations, runtime).
    public var memoryPerGPUBytes = 0.0
    /// Capacity it was given per GPU.
    public var capacityPerGPUBytes = 0.0
    public var engine: ServingEngine?
    /// Set at placement: the model facts and the hardware share the performance model reads every step.
    public var profile: ModelProfile?
    public var context: ExecutionContext?
    public var arrivals: RequestArrivals?
    public var generator: SeededGenerator
    // Totals.
    public var tokens = 0.0
    public var modelFLOPs = 0.0
    /// ∫ (devices × whole-device peak at the workload's precision) dt over the time it ran.
    public var peakFLOPs = 0.0
    public var gpuSeconds = 0.0
    public var runningSeconds = 0.0
    public var restarts = 0
    public var failures: [String] = []
    public var requestsLost = 0
    public var slaViolations = 0
    public var requestsCompleted = 0
    public var preemptions = 0
    /// Latency histories of engines that died (a restarted engine starts its counters anew, as vLLM does).
    public var pastTTFT = ServingHistogram(bounds: ServingHistogram.timeToFirstToken)
    public var pastITL = ServingHistogram(bounds: ServingHistogram.interTokenLatency)
    public var lastMFU = 0.0
    /// Over the last step: fraction of time computing, and HBM activity as a fraction of the whole device.
    public var lastBusy = 0.0
    public var lastMemoryActivity = 0.0

    public var mfu: Double { peakFLOPs > 0 ? modelFLOPs / peakFLOPs : 0 }

    /// Time to first token over the whole run, restarts included.
    public var timeToFirstToken: ServingHistogram {
        var all = pastTTFT
        if let engine { all.merge(engine.ttft) }
        return all
    }

    public var interTokenLatency: ServingHistogram {
        var all = pastITL
        if let engine { all.merge(engine.itl) }
        return all
    }
}
