/// Where a request goes: the node, its GPUs, the MIG slot or MPS share.
public struct Placement: Sendable, Equatable {
    public var node: String
    public var nodeIndex: Int
    /// GPU indices on the node (the device indices, not positions).
    public var gpus: [Int]
    public var migProfile: String?
    /// The MPS share (percent of SMs) when the request is a share.
    public var mpsSharePercent: Double?
    /// Memory pinned per GPU for an MPS client, bytes.
    public var mpsMemoryLimitBytes: Double?

    public init(
        node: String, nodeIndex: Int, gpus: [Int], migProfile: String? = nil, mpsSharePercent: Double? = nil, mpsMemoryLimitBytes: Double? = nil
    ) {
        self.node = node
        self.nodeIndex = nodeIndex
        self.gpus = gpus
        self.migProfile = migProfile
        self.mpsSharePercent = mpsSharePercent
        self.mpsMemoryLimitBytes = mpsMemoryLimitBytes
    }
}

/// What Kubernetes must change on the pod for a placement: node selection, device resources, the MPS client's
/// environment and ModelPlane's record of the decision.
public struct PodChanges: Sendable, Equatable {
    public var nodeSelector: [String: String]
    public var resources: [String: String]
    public var env: [String: String]
    public var annotations: [String: String]

    public init(_ placement: Placement, request: PlacementRequest) {
        nodeSelector = ["kubernetes.io/hostname": placement.node]
        resources = [:]
        env = [:]
        annotations = [
            "modelplane.io/placed-node": placement.node, "modelplane.io/placed-gpus": placement.gpus.map(String.init).joined(separator: ","),
        ]
        if let profile = placement.migProfile {
            resources["nvidia.com/mig-\(profile)"] = "1"
        } else if let share = placement.mpsSharePercent {
            // An MPS client: ModelPlane pins the device and sets the client's own limits (the device plugin's
            // uniform split cannot give clients different shares).
            env["NVIDIA_VISIBLE_DEVICES"] = placement.gpus.map(String.init).joined(separator: ",")
            env["CUDA_MPS_ACTIVE_THREAD_PERCENTAGE"] = share == share.rounded() ? "\(Int(share))" : "\(share)"
            if let limit = placement.mpsMemoryLimitBytes {
                let mebibytes = Int((limit / 1_048_576).rounded(.up))
                env["CUDA_MPS_PINNED_DEVICE_MEM_LIMIT"] = "0=\(mebibytes)M"  // device 0 of the visible devices
            }
            annotations["modelplane.io/mps-share"] = env["CUDA_MPS_ACTIVE_THREAD_PERCENTAGE"]
        } else if !placement.gpus.isEmpty {
            resources["nvidia.com/gpu"] = "\(placement.gpus.count)"
        }
        if request.priority.isProtected { annotations["modelplane.io/priority"] = request.priority.description }
    }
}

/// A running workload moved to make room (path B).
public struct Migration: Sendable, Equatable {
    public var workload: String
    public var from: String
    public var to: Placement
}

/// What the engine decided for one request.
public enum PlacementOutcome: Sendable, Equatable {
    /// Path A: placed directly.
    case placed
    /// The chosen GPU is idle on a node without MPS: the node must be reconfigured for MPS first (a graceful
    /// reconfiguration, executed by the reconfiguration workflow).
    case needsMPSReconfiguration
    /// Path B: placed after moving these workloads; every move lands (checked on a `Statement`).
    case repacked([Migration])
    /// Path C: placed after preempting these lower-priority workloads.
    case preempting([String])
    /// Path C: nothing fits now, but capacity could free up (resolvable reasons): wait in the queue.
    case queued
    /// Nothing the scheduler does will make it fit (contradictions, no node of the type, larger than any node).
    case unschedulable
}

public struct PlacementDecision: Sendable, Equatable {
    public var request: PlacementRequest
    public var outcome: PlacementOutcome
    public var placement: Placement?
    public var podChanges: PodChanges?
    /// Why not placed (or what had to change), each naming the constraint and by how much it missed.
    public var reasons: [String]
    public var trace: DecisionTrace

    public var isPlaced: Bool { placement != nil }
}
