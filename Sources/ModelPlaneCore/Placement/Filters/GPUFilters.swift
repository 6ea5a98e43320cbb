/// An unhealthy GPU takes nothing (XID errors, fallen off the bus).
public struct GPUHealthFilter: GPUFilter {
    public let name = "gpu-health"
    public init() {}

    public func check(_ request: PlacementRequest, _ gpu: PlacementGPU, on node: PlacementNode, _ context: PlacementContext, explain: Bool)
        -> FilterVerdict
    {
        gpu.healthy ? .pass : .fail(explain ? "GPU \(gpu.index) is unhealthy" : "", resolvable: false)
    }
}

/// Room for the request's compute on one GPU: an idle GPU for whole (exclusive) requests; for an MPS share, the
/// shares of the GPU's clients — which may all differ, since ModelPlane sets each pod's own
/// `CUDA_MPS_ACTIVE_THREAD_PERCENTAGE` — plus this one up to 100 %, or up to the oversubscription limit when the
/// request and every client there declare throttling. MIG-partitioned GPUs take only MIG requests.
public struct GPUShareFilter: GPUFilter {
    public let name = "gpu-share"
    public init() {}

    public func check(_ request: PlacementRequest, _ gpu: PlacementGPU, on node: PlacementNode, _ context: PlacementContext, explain: Bool)
        -> FilterVerdict
    {
        if request.sharing == .mig { return .pass }  // the MIG filter decides
        if gpu.sharing == .mig { return .fail(explain ? "GPU \(gpu.index) is MIG-partitioned; \(describe(request)) asked" : "", resolvable: false) }
        if !request.isFractional {
            return gpu.isIdle
                ? .pass
                : .fail(explain ? "GPU \(gpu.index) is in use (\(percent(1_000 - gpu.freeMilli)) taken); a whole GPU asked" : "", resolvable: true)
        }
        if request.sharing == .exclusive {
            return gpu.isIdle ? .pass : .fail(explain ? "GPU \(gpu.index) is in use; exclusive asked" : "", resolvable: true)
        }
        if gpu.freeMilli >= request.gpuMilli, gpu.sharing == .mps || gpu.isIdle { return .pass }
        if gpu.sharing == .whole, !gpu.isIdle {
            return .fail(explain ? "GPU \(gpu.index) is held whole; an MPS share asked" : "", resolvable: true)
        }
        // Oversubscription: every client there and the request tolerate throttling, and the total stays in the limit.
        let limit = context.classification.oversubscriptionLimit * 10
        let everyoneThrottles = request.throttlingDeclared && gpu.mpsClients.allSatisfy(\.throttlingDeclared)
        let total = gpu.mpsShareTotal + request.gpuMilli
        if everyoneThrottles, total <= limit { return .pass }
        guard explain else { return .fail("", resolvable: true) }
        let free = max(0, gpu.freeMilli)
        return .fail(
            "GPU \(gpu.index): \(percent(request.gpuMilli)) asked, \(percent(free)) free (short \(percent(request.gpuMilli - free)))"
                + (everyoneThrottles ? "; \(percent(total)) would pass the \(percent(limit)) oversubscription limit" : ""),
            resolvable: true)
    }
}

/// The model's memory on the device, the MIG slot or the MPS share's pinned limit.
public struct GPUMemoryFilter: GPUFilter {
    public let name = "gpu-memory"
    public init() {}

    public func check(_ request: PlacementRequest, _ gpu: PlacementGPU, on node: PlacementNode, _ context: PlacementContext, explain: Bool)
        -> FilterVerdict
    {
        guard let need = request.gpuMemoryBytes, need > 0 else { return .pass }
        if request.sharing == .mig, let profile = request.migProfile {
            let slots = gpu.migSlots.filter { $0.profile == profile }
            guard let slot = slots.first else { return .pass }  // the MIG filter reports the missing slot
            return need <= slot.memoryBytes
                ? .pass
                : .fail(
                    explain ? "\(profile) has \(gib(slot.memoryBytes)); the model needs \(gib(need)) (short \(gib(need - slot.memoryBytes)))" : "",
                    resolvable: false)
        }
        if need > gpu.memoryBytes {
            return .fail(
                explain ? "GPU \(gpu.index) has \(gib(gpu.memoryBytes)); the model needs \(gib(need)) (short \(gib(need - gpu.memoryBytes)))" : "",
                resolvable: false)
        }
        if need > gpu.freeMemoryBytes {
            return .fail(
                explain ? "GPU \(gpu.index): \(gib(need)) needed, \(gib(gpu.freeMemoryBytes)) free (short \(gib(need - gpu.freeMemoryBytes)))" : "",
                resolvable: true)
        }
        return .pass
    }
}

/// A free MIG instance of the asked profile.
public struct MIGAvailabilityFilter: GPUFilter {
    public let name = "mig"
    public init() {}

    public func check(_ request: PlacementRequest, _ gpu: PlacementGPU, on node: PlacementNode, _ context: PlacementContext, explain: Bool)
        -> FilterVerdict
    {
        guard request.sharing == .mig, let profile = request.migProfile else { return .pass }
        guard gpu.sharing == .mig else { return .fail(explain ? "GPU \(gpu.index) is not MIG-partitioned; \(profile) asked" : "", resolvable: false) }
        let slots = gpu.migSlots.filter { $0.profile == profile }
        if slots.isEmpty {
            let layout = gpu.migSlots.map(\.profile).joined(separator: ", ")
            return .fail(explain ? "GPU \(gpu.index) has no \(profile) instance (layout: \(layout))" : "", resolvable: false)
        }
        return slots.contains { $0.holder == nil }
            ? .pass : .fail(explain ? "GPU \(gpu.index): all \(slots.count) \(profile) instances are taken" : "", resolvable: true)
    }
}

func percent(_ milli: Int) -> String {
    milli % 10 == 0 ? "\(milli / 10) %" : "\(Double(milli) / 10) %"
}

func describe(_ request: PlacementRequest) -> String {
    if request.isCPUOnly { return "no GPU" }
    if request.sharing == .mig { return "a \(request.migProfile ?? "MIG") instance" }
    if request.isFractional { return "a \(percent(request.gpuMilli)) share" }
    return request.gpuCount == 1 ? "a whole GPU" : "\(request.gpuCount) whole GPUs"
}
