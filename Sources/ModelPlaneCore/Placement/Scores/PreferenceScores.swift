/// Efficiency: the GPU type's dense peak TFLOP/s per watt of TDP against the fleet's best.
public struct EfficiencyScore: ScorePlugin {
    public let name = "efficiency"
    public init() {}

    public var readsChoice: Bool { false }

    public func usesNodeIdentity(for request: PlacementRequest) -> Bool { false }

    public func isConstant(for request: PlacementRequest, _ context: PlacementContext) -> Bool {
        request.isCPUOnly || context.bestTFLOPSPerWatt == nil
    }

    public func score(_ request: PlacementRequest, _ node: PlacementNode, _ choice: GPUChoice, _ context: PlacementContext, explain: Bool)
        -> PluginScore
    {
        guard !request.isCPUOnly else { return .neutral("no GPU asked", explain) }
        guard let value = node.tflopsPerWatt, let best = context.bestTFLOPSPerWatt, best > 0 else {
            return .neutral("TFLOP/s per watt unknown", explain)
        }
        return PluginScore(
            raw: value, normalized: Int((value / best * 100).rounded()),
            note: explain ? "\(rounded(value, 3)) TFLOP/s per W (best \(rounded(best, 3)))" : "")
    }
}

/// GPU-type affinity: the request's preferred types, best first (100, 80, 60, …); a type not preferred scores 0.
public struct GPUTypeAffinityScore: ScorePlugin {
    public let name = "gpu-affinity"
    public init() {}

    public var readsChoice: Bool { false }

    public func usesNodeIdentity(for request: PlacementRequest) -> Bool { false }

    public func isConstant(for request: PlacementRequest, _ context: PlacementContext) -> Bool {
        request.preferredGPUTypes.isEmpty || request.isCPUOnly
    }

    public func score(_ request: PlacementRequest, _ node: PlacementNode, _ choice: GPUChoice, _ context: PlacementContext, explain: Bool)
        -> PluginScore
    {
        guard !request.preferredGPUTypes.isEmpty, !request.isCPUOnly else { return .neutral("no preferred GPU type", explain) }
        guard let type = node.gpuType, let rank = request.preferredGPUTypes.firstIndex(of: type) else {
            return PluginScore(raw: -1, normalized: 0, note: explain ? "\(node.gpuType ?? "unknown") not preferred" : "")
        }
        return PluginScore(raw: Double(rank), normalized: 100 - 20 * rank, note: explain ? "\(type) is preference \(rank + 1)" : "")
    }
}

/// Utilization headroom: the observed SM activity of the chosen GPUs; idle silicon scores best.
public struct UtilizationHeadroomScore: ScorePlugin {
    public let name = "utilization-headroom"
    public init() {}

    public func usesNodeIdentity(for request: PlacementRequest) -> Bool { false }

    public func isConstant(for request: PlacementRequest, _ context: PlacementContext) -> Bool {
        request.isCPUOnly || !context.observesActivity
    }

    public func score(_ request: PlacementRequest, _ node: PlacementNode, _ choice: GPUChoice, _ context: PlacementContext, explain: Bool)
        -> PluginScore
    {
        let observed = choice.gpus.compactMap { node.gpus[$0].smActivity }
        guard !observed.isEmpty else { return .neutral("SM activity not observed", explain) }
        let mean = observed.reduce(0, +) / Double(observed.count)
        return PluginScore(
            raw: mean, normalized: Int(((1 - mean) * 100).rounded()), note: explain ? "SM active \(Int((mean * 100).rounded())) %" : "")
    }
}

/// Power headroom: what is left of the rack's budget after the chosen GPUs draw their share of TDP.
public struct PowerHeadroomScore: ScorePlugin {
    public let name = "power-headroom"
    public init() {}

    public var readsChoice: Bool { false }

    public func isConstant(for request: PlacementRequest, _ context: PlacementContext) -> Bool { context.racks.isEmpty }

    public func score(_ request: PlacementRequest, _ node: PlacementNode, _ choice: GPUChoice, _ context: PlacementContext, explain: Bool)
        -> PluginScore
    {
        guard let rack = node.rack, let power = context.racks[rack], power.budgetWatts > 0 else { return .neutral("no rack power budget", explain) }
        let added = (node.tdpWatts ?? 0) * Double(request.totalGPUMilli) / 1_000
        let left = power.budgetWatts - power.drawWatts - added
        return PluginScore(
            raw: left, normalized: Int((max(0, left) / power.budgetWatts * 100).rounded()),
            note: explain ? "rack \(rack): \(Int(left.rounded())) W of \(Int(power.budgetWatts)) W left after +\(Int(added.rounded())) W" : "")
    }
}

/// MPS compatibility: for a share, a GPU whose MPS daemon already serves the same tenant is best, then any MPS GPU,
/// then an idle GPU (a new daemon), and last an idle GPU on a node that must be reconfigured for MPS.
public struct MPSCompatibilityScore: ScorePlugin {
    public let name = "mps-compatibility"
    public init() {}

    public func usesNodeIdentity(for request: PlacementRequest) -> Bool { false }

    public func isConstant(for request: PlacementRequest, _ context: PlacementContext) -> Bool {
        !request.isFractional || request.sharing == .mig
    }

    public func score(_ request: PlacementRequest, _ node: PlacementNode, _ choice: GPUChoice, _ context: PlacementContext, explain: Bool)
        -> PluginScore
    {
        guard request.isFractional, request.sharing != .mig, let position = choice.gpus.first else { return .neutral("not an MPS share", explain) }
        if choice.needsMPSReconfiguration { return PluginScore(raw: 0, normalized: 10, note: explain ? "needs MPS enabled on the node" : "") }
        let gpu = node.gpus[position]
        if gpu.sharing == .mps, !gpu.mpsClients.isEmpty {
            if gpu.mpsClients.allSatisfy({ $0.tenant == request.tenant }) {
                return PluginScore(raw: 3, normalized: 100, note: explain ? "MPS daemon of tenant \(request.tenant)" : "")
            }
            return PluginScore(raw: 2, normalized: 70, note: explain ? "MPS daemon shared with other tenants" : "")
        }
        return PluginScore(raw: 1, normalized: 50, note: explain ? "idle GPU: a new MPS client" : "")
    }
}

/// Data locality: the node holding the data, then its rack, then its zone.
public struct DataLocalityScore: ScorePlugin {
    public let name = "data-locality"
    public init() {}

    public var readsChoice: Bool { false }

    public func isConstant(for request: PlacementRequest, _ context: PlacementContext) -> Bool { request.dataLocality.isEmpty }

    public func score(_ request: PlacementRequest, _ node: PlacementNode, _ choice: GPUChoice, _ context: PlacementContext, explain: Bool)
        -> PluginScore
    {
        guard !request.dataLocality.isEmpty else { return .neutral("no data locality", explain) }
        if request.dataLocality.contains(node.name) { return PluginScore(raw: 3, normalized: 100, note: explain ? "data on this node" : "") }
        if let rack = node.rack, request.dataLocality.contains(rack) {
            return PluginScore(raw: 2, normalized: 75, note: explain ? "data in rack \(rack)" : "")
        }
        if let zone = node.zone, request.dataLocality.contains(zone) {
            return PluginScore(raw: 1, normalized: 50, note: explain ? "data in zone \(zone)" : "")
        }
        return PluginScore(raw: 0, normalized: 0, note: explain ? "data elsewhere" : "")
    }
}

/// Topology for multi-GPU requests: one NVLink domain, else one NUMA node, else spread over the node.
public struct TopologyScore: ScorePlugin {
    public let name = "topology"
    public init() {}

    public func usesNodeIdentity(for request: PlacementRequest) -> Bool { false }

    public func isConstant(for request: PlacementRequest, _ context: PlacementContext) -> Bool { request.gpuCount <= 1 }

    public func score(_ request: PlacementRequest, _ node: PlacementNode, _ choice: GPUChoice, _ context: PlacementContext, explain: Bool)
        -> PluginScore
    {
        guard choice.gpus.count > 1 else { return .neutral("one GPU", explain) }
        let gpus = choice.gpus.map { node.gpus[$0] }
        if let domain = gpus[0].nvlinkDomain, gpus.allSatisfy({ $0.nvlinkDomain == domain }) {
            return PluginScore(raw: 3, normalized: 100, note: explain ? "one NVLink domain (\(domain))" : "")
        }
        if let numa = gpus[0].numaNode, gpus.allSatisfy({ $0.numaNode == numa }) {
            return PluginScore(raw: 2, normalized: 60, note: explain ? "one NUMA node (\(numa)), no common NVLink domain" : "")
        }
        return PluginScore(raw: 1, normalized: 20, note: explain ? "spread over NVLink domains and NUMA nodes" : "")
    }
}

func rounded(_ value: Double, _ digits: Int) -> Double {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    return (value * scale).rounded() / scale
}
