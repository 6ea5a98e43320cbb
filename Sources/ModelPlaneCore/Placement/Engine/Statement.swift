/// A transaction over a copy of the fleet: allocate, evict, then commit the new snapshot or roll back. The
/// repack path (B) builds its plan on one and keeps it only if every moved workload lands.
public struct Statement: Sendable {
    public enum Operation: Sendable, Equatable {
        case allocate(workload: String, node: String, gpus: [Int])
        case evict(workload: String, node: String)
    }

    public private(set) var snapshot: FleetSnapshot
    public private(set) var operations: [Operation] = []
    /// What each touched node and the tenants were before the first change: rollback restores them. (No copy of
    /// the whole fleet is kept, so a statement over a uniquely held snapshot changes it in place.)
    private var undoNodes: [Int: PlacementNode] = [:]
    private var undoTenants: [String: TenantQuota]?

    public init(_ snapshot: FleetSnapshot) {
        self.snapshot = snapshot
    }

    private mutating func remember(_ index: Int) {
        if undoNodes[index] == nil { undoNodes[index] = snapshot.nodes[index] }
        if undoTenants == nil { undoTenants = snapshot.tenants }
    }

    /// Takes the placement's resources on its node for `request`.
    public mutating func allocate(_ request: PlacementRequest, at placement: Placement) throws(InputError) {
        guard snapshot.nodes.indices.contains(placement.nodeIndex), snapshot.nodes[placement.nodeIndex].name == placement.node else {
            throw InputError("placement of \(request.id)", "node \(placement.node) is not in the snapshot")
        }
        remember(placement.nodeIndex)
        try snapshot.nodes[placement.nodeIndex].allocate(request, at: placement)
        if !request.isCPUOnly {
            var quota = snapshot.tenants[request.tenant] ?? TenantQuota()
            quota.usedGPUs += Double(request.totalGPUMilli) / 1_000
            quota.usedGPUHours += Double(request.totalGPUMilli) / 1_000 * (request.expectedDurationSeconds ?? 0) / 3_600
            if snapshot.tenants[request.tenant] != nil || quota.usedGPUs > 0 { snapshot.tenants[request.tenant] = quota }
        }
        operations.append(.allocate(workload: request.id, node: placement.node, gpus: placement.gpus))
    }

    /// Releases a running workload's resources; returns what it held.
    @discardableResult
    public mutating func evict(_ workload: String, fromNode index: Int) throws(InputError) -> RunningWorkload {
        guard snapshot.nodes.indices.contains(index) else { throw InputError("eviction of \(workload)", "node #\(index) is not in the snapshot") }
        remember(index)
        guard let removed = snapshot.nodes[index].release(workload) else {
            throw InputError("eviction of \(workload)", "not running on \(snapshot.nodes[index].name)")
        }
        if removed.gpuMilli > 0, var quota = snapshot.tenants[removed.tenant] {
            quota.usedGPUs = max(0, quota.usedGPUs - Double(removed.gpus.count * removed.gpuMilli) / 1_000)
            snapshot.tenants[removed.tenant] = quota
        }
        operations.append(.evict(workload: workload, node: snapshot.nodes[index].name))
        return removed
    }

    public func commit() -> FleetSnapshot { snapshot }

    public mutating func rollback() {
        for (index, node) in undoNodes { snapshot.nodes[index] = node }
        if let tenants = undoTenants { snapshot.tenants = tenants }
        (undoNodes, undoTenants, operations) = ([:], nil, [])
    }
}

extension PlacementNode {
    /// Takes the resources of `placement` (on this node) for `request`.
    mutating func allocate(_ request: PlacementRequest, at placement: Placement) throws(InputError) {
        guard request.cpuMilli <= cpuFreeMilli, request.memoryBytes <= memoryFreeBytes + 1e-6 else {
            throw InputError("placement of \(request.id) on \(name)", "CPU or memory overcommitted")
        }
        var positions: [Int] = []
        for index in placement.gpus {
            guard let position = gpus.firstIndex(where: { $0.index == index }) else {
                throw InputError("placement of \(request.id) on \(name)", "no GPU \(index)")
            }
            positions.append(position)
        }
        for position in positions {
            if let profile = placement.migProfile {
                guard let slot = gpus[position].migSlots.firstIndex(where: { $0.profile == profile && $0.holder == nil }) else {
                    throw InputError("placement of \(request.id) on \(name)", "no free \(profile) instance on GPU \(gpus[position].index)")
                }
                gpus[position].migSlots[slot].holder = request.id
                gpus[position].freeMilli -= gpus[position].migSlots[slot].milli
            } else if placement.mpsSharePercent != nil {
                let gpu = gpus[position]
                guard gpu.sharing == .mps || gpu.isIdle, gpu.sharing != .mig else {
                    throw InputError("placement of \(request.id) on \(name)", "GPU \(gpu.index) is \(gpu.sharing.rawValue), not open to an MPS share")
                }
                guard gpu.freeMilli >= request.gpuMilli || request.throttlingDeclared else {
                    throw InputError(
                        "placement of \(request.id) on \(name)", "GPU \(gpu.index) has \(gpu.freeMilli) thousandths free, not \(request.gpuMilli)")
                }
                let limit = placement.mpsMemoryLimitBytes ?? gpus[position].memoryBytes * Double(request.gpuMilli) / 1_000
                gpus[position].sharing = .mps
                gpus[position].mpsClients.append(
                    MPSClient(
                        workload: request.id, milli: request.gpuMilli, memoryLimitBytes: limit, throttlingDeclared: request.throttlingDeclared,
                        tenant: request.tenant))
                gpus[position].freeMilli -= request.gpuMilli
                gpus[position].freeMemoryBytes = max(0, gpus[position].freeMemoryBytes - limit)
            } else {
                guard gpus[position].isIdle, gpus[position].sharing != .mig else {
                    throw InputError("placement of \(request.id) on \(name)", "GPU \(gpus[position].index) is not idle or is MIG-partitioned")
                }
                gpus[position].freeMilli = 0
                gpus[position].freeMemoryBytes = 0
            }
        }
        cpuFreeMilli -= request.cpuMilli
        memoryFreeBytes -= request.memoryBytes
        workloads.append(
            RunningWorkload(
                id: request.id, tenant: request.tenant, priority: request.priority, gpus: positions,
                gpuMilli: request.isCPUOnly ? 0 : request.gpuMilli,
                gpuMemoryBytes: request.gpuMemoryBytes ?? 0, cpuMilli: request.cpuMilli, memoryBytes: request.memoryBytes,
                replicaGroup: request.replicaGroup, migProfile: placement.migProfile, throttlingDeclared: request.throttlingDeclared))
    }

    /// Frees what `workload` holds here; nil when it does not run here.
    mutating func release(_ workload: String) -> RunningWorkload? {
        guard let found = workloads.firstIndex(where: { $0.id == workload }) else { return nil }
        let removed = workloads.remove(at: found)
        for position in removed.gpus where gpus.indices.contains(position) {
            if removed.migProfile != nil, let slot = gpus[position].migSlots.firstIndex(where: { $0.holder == workload }) {
                gpus[position].migSlots[slot].holder = nil
                gpus[position].freeMilli += gpus[position].migSlots[slot].milli
            } else if let client = gpus[position].mpsClients.firstIndex(where: { $0.workload == workload }) {
                let released = gpus[position].mpsClients.remove(at: client)
                gpus[position].freeMilli += released.milli
                gpus[position].freeMemoryBytes = min(gpus[position].memoryBytes, gpus[position].freeMemoryBytes + released.memoryLimitBytes)
            } else {
                gpus[position].freeMilli = 1_000
                gpus[position].freeMemoryBytes = gpus[position].memoryBytes
            }
        }
        cpuFreeMilli = min(cpuCapacityMilli, cpuFreeMilli + removed.cpuMilli)
        memoryFreeBytes = min(memoryCapacityBytes, memoryFreeBytes + removed.memoryBytes)
        return removed
    }
}
