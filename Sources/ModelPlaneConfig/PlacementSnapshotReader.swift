public import ModelPlaneCore

/// Reads a fleet snapshot (what `modelplane place --snapshot` places into) from its YAML/JSON tree: nodes with their
/// GPUs from the hardware catalog, MIG layouts, the workloads running on them, tenants' quotas, racks' power and
/// the fleet's task shapes. The format is in docs/placement-snapshot.md.
///
/// Running workloads are allocated onto their nodes through Core's `Statement`, so free CPU, memory, GPU shares,
/// MPS clients and MIG slots are derived, never typed: a workload that does not fit where the file puts it is an
/// error. Every field is checked; unknown keys, wrong kinds, impossible values and names the catalog does not know
/// are errors naming the field (the CLI adds the file's line).
public enum PlacementSnapshotReader {
    typealias F = PlacementFields

    static let nodeFields = [
        "name", "gpu", "gpus", "nvlink_domain_size", "numa_size", "cpu", "memory", "mps", "cordoned", "unhealthy", "unhealthy_gpus", "rack", "zone",
        "mig", "sm_activity", "workloads",
    ]
    static let workloadFields = [
        "id", "tenant", "priority", "gpus", "share", "gpu_memory", "cpu", "memory", "replica_group", "mig_profile", "throttling", "movable",
    ]

    public static func snapshot(from root: ConfigCursor, hardware: HardwareCatalog = .builtin) throws(InputError) -> FleetSnapshot {
        try F.allow(root, ["nodes", "tenants", "racks", "shapes"])
        guard let list = root.first(["nodes"]) else {
            throw InputError(root.path, "missing field \"nodes\"", expected: "a list of nodes (name, gpu, gpus, cpu, memory, …)")
        }
        let nodeCursors = try list.asArray()
        guard !nodeCursors.isEmpty else { throw InputError(list.path, "an empty list", expected: "at least one node") }
        var nodes: [PlacementNode] = []
        var models: [GPUModel?] = []
        for cursor in nodeCursors {
            let (node, model) = try Self.node(cursor, hardware)
            if nodes.contains(where: { $0.name == node.name }) {
                throw InputError(F.field(cursor, "name"), "node \"\(node.name)\" is listed twice", expected: "unique node names")
            }
            nodes.append(node)
            models.append(model)
        }
        var statement = Statement(FleetSnapshot(nodes: nodes, racks: try racks(root)))
        var requests: [PlacementRequest] = []
        var pinned: [(node: Int, workload: String)] = []
        var owners: [String: String] = [:]
        for (index, cursor) in nodeCursors.enumerated() {
            guard let workloads = cursor.first(["workloads"]) else { continue }
            for item in try workloads.asArray() {
                let (request, placement, movable) = try workload(item, node: index, model: models[index], statement.snapshot)
                if let other = owners[request.id] {
                    throw InputError(F.field(item, "id"), "workload \"\(request.id)\" already runs on \(other)", expected: "unique workload ids")
                }
                owners[request.id] = placement.node
                do { try statement.allocate(request, at: placement) } catch { throw InputError(item.path, error.problem, expected: error.expected) }
                requests.append(request)
                if !movable { pinned.append((index, request.id)) }
            }
        }
        var snapshot = statement.commit()
        for (node, id) in pinned {
            if let position = snapshot.nodes[node].workloads.firstIndex(where: { $0.id == id }) {
                snapshot.nodes[node].workloads[position].movable = false
            }
        }
        try tenants(root, into: &snapshot)
        snapshot.shapes = try shapes(root, hardware) ?? TaskShapeDistribution(requests: requests)
        return snapshot
    }

    // MARK: nodes

    static func node(_ cursor: ConfigCursor, _ hardware: HardwareCatalog) throws(InputError) -> (PlacementNode, GPUModel?) {
        try F.allow(cursor, nodeFields)
        let name = try F.requiredString(cursor, "name", "the node's name")
        guard !name.contains(where: \.isWhitespace) else {
            throw InputError(F.field(cursor, "name"), "\"\(name)\"", expected: "a node name without spaces")
        }
        let model = try F.string(cursor, "gpu").map { gpuName throws(InputError) in try F.gpuModel(gpuName, at: F.field(cursor, "gpu"), hardware) }
        let count: Int
        if model != nil {
            guard let number = try F.int(cursor, "gpus", 1...64) else {
                throw InputError(cursor.path, "missing field \"gpus\"", expected: "the number of GPUs on the node, 1…64")
            }
            count = number
        } else {
            count = 0
            if let gpus = try F.int(cursor, "gpus", 0...64), gpus > 0 {
                throw InputError(F.field(cursor, "gpus"), "\(gpus) GPUs without a GPU type", expected: "gpu: TYPE beside gpus (a catalog name)")
            }
            for key in ["nvlink_domain_size", "numa_size", "mig", "sm_activity", "unhealthy_gpus"] where cursor.has(key) {
                throw InputError(F.field(cursor, key), "is set on a node without GPUs", expected: "gpu: TYPE and gpus: N first")
            }
        }
        let domainSize = try F.int(cursor, "nvlink_domain_size", 1...max(1, count))
        let numaSize = try F.int(cursor, "numa_size", 1...max(1, count))
        guard let cpu = try F.cpuMilli(cursor, "cpu") else {
            throw InputError(cursor.path, "missing field \"cpu\"", expected: "the node's allocatable CPU: cores or a quantity such as 96000m")
        }
        guard cpu > 0 else { throw InputError(F.field(cursor, "cpu"), "0 cores", expected: "CPU above 0") }
        guard let memory = try F.bytes(cursor, "memory") else {
            throw InputError(cursor.path, "missing field \"memory\"", expected: "the node's allocatable memory: bytes or a quantity such as 1Ti")
        }
        guard memory > 0 else { throw InputError(F.field(cursor, "memory"), "0 bytes", expected: "memory above 0") }
        var unhealthyGPUs: Set<Int> = []
        if let list = cursor.first(["unhealthy_gpus"]) {
            for item in try list.asArray() { unhealthyGPUs.insert(try gpuIndex(item, count: count)) }
        }
        let layouts = try migLayouts(cursor, model: model, count: count)
        let activity = try smActivity(cursor, count: count)
        let gpus = (0..<count).map { index in
            PlacementGPU(
                index: index, memoryBytes: model?.usableMemoryBytes ?? 0, sharing: layouts[index] == nil ? .whole : .mig,
                migSlots: layouts[index] ?? [],
                nvlinkDomain: domainSize.map { index / $0 }, numaNode: numaSize.map { index / $0 }, healthy: !unhealthyGPUs.contains(index),
                smActivity: activity[index])
        }
        var tflopsPerWatt: Double?
        if let model, let tdp = model.tdpWatts, tdp > 0, let peak = model.peakFLOPS[.bf16] ?? model.peakFLOPS[.fp16] {
            tflopsPerWatt = peak / 1e12 / tdp
        }
        let node = PlacementNode(
            name: name, gpuType: model?.id, gpus: gpus, cpuCapacityMilli: cpu, memoryCapacityBytes: memory,
            mpsEnabled: try F.bool(cursor, "mps") ?? true,
            cordoned: try F.bool(cursor, "cordoned") ?? false, unhealthyReason: try F.string(cursor, "unhealthy"), rack: try F.string(cursor, "rack"),
            zone: try F.string(cursor, "zone"), tflopsPerWatt: tflopsPerWatt, tdpWatts: model?.tdpWatts)
        return (node, model)
    }

    /// A GPU index of the node, from a number or (as a mapping key) its text.
    static func gpuIndex(_ cursor: ConfigCursor, count: Int) throws(InputError) -> Int {
        let index = try cursor.asInt()
        guard (0..<count).contains(index) else {
            throw InputError(cursor.path, "GPU \(index)", expected: "a GPU index of the node, 0…\(count - 1)")
        }
        return index
    }

    /// `mig: {"0": [1g.10gb, 3g.40gb], …}`: each partitioned GPU's instances, from the catalog's profiles.
    static func migLayouts(_ cursor: ConfigCursor, model: GPUModel?, count: Int) throws(InputError) -> [[MIGSlot]?] {
        var layouts = [[MIGSlot]?](repeating: nil, count: count)
        guard let mig = cursor.first(["mig"]), let model else { return layouts }
        for key in try mig.keys() {
            guard let list = mig.first([key]) else { continue }
            let index = try gpuIndex(ConfigCursor(.string(key), path: list.path), count: count)
            var slots: [MIGSlot] = []
            var profiles: [MIGProfile] = []
            for item in try list.asArray() {
                let profile: MIGProfile
                do { profile = try model.migProfile(named: try item.asString()) } catch {
                    throw InputError(item.path, error.problem, expected: error.expected)
                }
                profiles.append(profile)
                if profiles.count(where: { $0.name == profile.name }) > profile.maxCount {
                    throw InputError(
                        item.path, "more than \(profile.maxCount) \(profile.name) instances", expected: "at most \(profile.maxCount) per GPU")
                }
                slots.append(MIGSlot(profile: profile.name, milli: F.sliceMilli(profile), memoryBytes: profile.memoryBytes))
            }
            guard !slots.isEmpty else { throw InputError(list.path, "an empty layout", expected: "one or more MIG profiles, or no entry") }
            let compute = profiles.reduce(0) { $0 + $1.computeSlices }
            let memory = profiles.reduce(0) { $0 + $1.memorySlices }
            guard compute <= 7, memory <= 8 else {
                throw InputError(
                    list.path, "the layout takes \(compute) of 7 compute slices and \(memory) of 8 memory slices",
                    expected: "instances that fit one \(model.displayName)")
            }
            layouts[index] = slots
        }
        return layouts
    }

    /// `sm_activity: 0.3` (every GPU) or `{"0": 0.35, …}`: observed SM activity, 0…1.
    static func smActivity(_ cursor: ConfigCursor, count: Int) throws(InputError) -> [Double?] {
        var values = [Double?](repeating: nil, count: count)
        guard let activity = cursor.first(["sm_activity"]) else { return values }
        func fraction(_ item: ConfigCursor) throws(InputError) -> Double {
            let value = try item.asDouble()
            guard (0...1).contains(value) else { throw InputError(item.path, "\(value)", expected: "a fraction 0…1") }
            return value
        }
        if case .object = activity.value {
            for key in try activity.keys() {
                guard let item = activity.first([key]) else { continue }
                values[try gpuIndex(ConfigCursor(.string(key), path: item.path), count: count)] = try fraction(item)
            }
        } else {
            let value = try fraction(activity)
            values = values.map { _ in value }
        }
        return values
    }

    // MARK: workloads

    /// A running workload as the request that placed it and where it is; checked against what the node has left.
    static func workload(_ cursor: ConfigCursor, node index: Int, model: GPUModel?, _ snapshot: FleetSnapshot) throws(InputError) -> (
        PlacementRequest, Placement, movable: Bool
    ) {
        try F.allow(cursor, workloadFields)
        let node = snapshot.nodes[index]
        let id = try F.requiredString(cursor, "id", "the workload's id")
        var gpus: [Int] = []
        if let list = cursor.first(["gpus"]) {
            for item in try list.asArray() {
                let gpu = try gpuIndex(item, count: node.gpus.count)
                guard !gpus.contains(gpu) else { throw InputError(item.path, "GPU \(gpu) listed twice", expected: "distinct GPU indices") }
                gpus.append(gpu)
            }
        }
        let gpusField = F.field(cursor, "gpus")
        let share = try F.shareMilli(cursor, "share")
        let gpuMemory = try F.bytes(cursor, "gpu_memory")
        var profile: MIGProfile?
        if let name = try F.string(cursor, "mig_profile") {
            let location = F.field(cursor, "mig_profile")
            guard let model else { throw InputError(location, "a MIG profile on a node without GPUs") }
            do { profile = try model.migProfile(named: name) } catch { throw InputError(location, error.problem, expected: error.expected) }
        }
        if gpus.isEmpty {
            for key in ["share", "mig_profile", "gpu_memory"] where cursor.has(key) {
                throw InputError(F.field(cursor, key), "is set on a workload without GPUs", expected: "gpus: [INDEX, …] beside it")
            }
        }
        var sharing = GPUSharingMode.exclusive
        var milli = 1_000
        if let profile {
            guard share == nil else {
                throw InputError(
                    F.field(cursor, "share"), "a share with mig_profile \(profile.name)", expected: "an MPS share or a MIG instance, not both")
            }
            guard gpus.count == 1 else { throw InputError(gpusField, "\(gpus.count) GPUs", expected: "one GPU for a MIG instance") }
            let gpu = node.gpus[gpus[0]]
            guard gpu.sharing == .mig else {
                throw InputError(
                    F.field(cursor, "mig_profile"), "GPU \(gpu.index) is not MIG-partitioned", expected: "a GPU listed under the node's mig")
            }
            let slots = gpu.migSlots.filter { $0.profile == profile.name }
            guard slots.contains(where: { $0.holder == nil }) else {
                throw InputError(
                    F.field(cursor, "mig_profile"),
                    slots.isEmpty
                        ? "GPU \(gpu.index) has no \(profile.name) instance (layout: \(gpu.migSlots.map(\.profile).joined(separator: ", ")))"
                        : "every \(profile.name) instance of GPU \(gpu.index) is taken")
            }
            if let gpuMemory, gpuMemory > profile.memoryBytes {
                throw InputError(
                    F.field(cursor, "gpu_memory"), "\(gibText(gpuMemory)) is more than the \(profile.name) instance's \(gibText(profile.memoryBytes))"
                )
            }
            (sharing, milli) = (.mig, F.sliceMilli(profile))
        } else if let share, share < 1_000 {
            guard gpus.count == 1 else {
                throw InputError(gpusField, "\(gpus.count) GPUs at a \(F.percent(share)) share", expected: "one GPU for a share")
            }
            guard node.mpsEnabled else {
                throw InputError(
                    F.field(cursor, "share"), "an MPS share on a node with mps: false", expected: "mps: true on the node, or a whole GPU")
            }
            let gpu = node.gpus[gpus[0]]
            guard gpu.sharing != .mig else {
                throw InputError(F.field(cursor, "share"), "GPU \(gpu.index) is MIG-partitioned", expected: "mig_profile for a MIG GPU")
            }
            guard gpu.sharing == .mps || gpu.isIdle else {
                throw InputError(F.field(cursor, "share"), "GPU \(gpu.index) is held whole by another workload")
            }
            let throttling = try F.bool(cursor, "throttling") ?? false
            let limit = throttling && gpu.mpsClients.allSatisfy(\.throttlingDeclared) ? ClassificationPolicy().oversubscriptionLimit * 10 : 1_000
            guard gpu.mpsShareTotal + share <= limit else {
                throw InputError(
                    F.field(cursor, "share"),
                    "GPU \(gpu.index) has \(F.percent(gpu.mpsShareTotal)) given already; \(F.percent(share)) more passes \(F.percent(limit))",
                    expected:
                        "shares adding up to at most 100 % (\(ClassificationPolicy().oversubscriptionLimit) % when every client declares throttling)")
            }
            if let gpuMemory, gpuMemory > gpu.freeMemoryBytes {
                throw InputError(
                    F.field(cursor, "gpu_memory"), "\(gibText(gpuMemory)) is more than the \(gibText(gpu.freeMemoryBytes)) left on GPU \(gpu.index)")
            }
            (sharing, milli) = (.mps, share)
        } else {
            for gpu in gpus.map({ node.gpus[$0] }) {
                guard gpu.sharing != .mig else {
                    throw InputError(gpusField, "GPU \(gpu.index) is MIG-partitioned", expected: "mig_profile for a MIG GPU")
                }
                guard gpu.isIdle else { throw InputError(gpusField, "GPU \(gpu.index) is already in use", expected: "GPUs no other workload holds") }
                if let gpuMemory, gpuMemory > gpu.memoryBytes {
                    throw InputError(
                        F.field(cursor, "gpu_memory"), "\(gibText(gpuMemory)) is more than GPU \(gpu.index)'s \(gibText(gpu.memoryBytes))")
                }
            }
            if gpus.isEmpty { (sharing, milli) = (.any, 0) }
        }
        let cpu = try F.cpuMilli(cursor, "cpu") ?? 0
        guard cpu <= node.cpuFreeMilli else {
            throw InputError(
                F.field(cursor, "cpu"), "\(cpu)m is more than the \(node.cpuFreeMilli)m left on \(node.name) (of \(node.cpuCapacityMilli)m)")
        }
        let memory = try F.bytes(cursor, "memory") ?? 0
        guard memory <= node.memoryFreeBytes else {
            throw InputError(
                F.field(cursor, "memory"),
                "\(gibText(memory)) is more than the \(gibText(node.memoryFreeBytes)) left on \(node.name) (of \(gibText(node.memoryCapacityBytes)))")
        }
        let request = PlacementRequest(
            id: id, tenant: try F.string(cursor, "tenant") ?? "default", priority: try F.priority(cursor, "priority") ?? .p2, gpuCount: gpus.count,
            gpuMilli: milli, gpuMemoryBytes: gpuMemory, sharing: sharing, migProfile: profile?.name, cpuMilli: cpu, memoryBytes: memory,
            replicaGroup: try F.string(cursor, "replica_group"), throttlingDeclared: try F.bool(cursor, "throttling") ?? false)
        let placement = Placement(
            node: node.name, nodeIndex: index, gpus: gpus, migProfile: profile?.name, mpsSharePercent: sharing == .mps ? Double(milli) / 10 : nil,
            mpsMemoryLimitBytes: sharing == .mps ? gpuMemory : nil)
        return (request, placement, try F.bool(cursor, "movable") ?? true)
    }

    // MARK: fleet-wide

    /// `racks: {NAME: {budget_watts, draw_watts}}`.
    static func racks(_ root: ConfigCursor) throws(InputError) -> [String: RackPower] {
        guard let racks = root.first(["racks"]) else { return [:] }
        var result: [String: RackPower] = [:]
        for name in try racks.keys() {
            guard let rack = racks.first([name]) else { continue }
            try F.allow(rack, ["budget_watts", "draw_watts"])
            guard let budget = try F.nonNegative(rack, "budget_watts", unit: "watts"), budget > 0 else {
                throw InputError(
                    F.field(rack, "budget_watts"), rack.has("budget_watts") ? "0 W" : "missing", expected: "the rack's power budget in watts, above 0"
                )
            }
            result[name] = RackPower(budgetWatts: budget, drawWatts: try F.nonNegative(rack, "draw_watts", unit: "watts") ?? 0)
        }
        return result
    }

    /// `tenants: {NAME: {max_gpus, max_gpu_hours, used_gpus, used_gpu_hours}}`. GPUs held default to what the tenant's
    /// workloads in the snapshot hold; an explicit `used_gpus` (the tenant may hold GPUs outside this snapshot)
    /// replaces that figure and may not be below it.
    static func tenants(_ root: ConfigCursor, into snapshot: inout FleetSnapshot) throws(InputError) {
        guard let tenants = root.first(["tenants"]) else { return }
        for name in try tenants.keys() {
            guard let tenant = tenants.first([name]) else { continue }
            try F.allow(tenant, ["max_gpus", "max_gpu_hours", "used_gpus", "used_gpu_hours"])
            let held = snapshot.tenants[name]?.usedGPUs ?? 0
            var quota = TenantQuota(
                maxGPUs: try F.nonNegative(tenant, "max_gpus", unit: "GPUs"),
                maxGPUHours: try F.nonNegative(tenant, "max_gpu_hours", unit: "GPU-hours"),
                usedGPUs: held, usedGPUHours: try F.nonNegative(tenant, "used_gpu_hours", unit: "GPU-hours") ?? 0)
            if let used = try F.nonNegative(tenant, "used_gpus", unit: "GPUs") {
                guard used >= held - 1e-9 else {
                    throw InputError(
                        F.field(tenant, "used_gpus"),
                        "\(F.number(used)) is less than the \(F.number(held)) GPUs the tenant's workloads hold in this snapshot",
                        expected: "at least \(F.number(held)), or no field (derived from the workloads)")
                }
                quota.usedGPUs = used
            }
            snapshot.tenants[name] = quota
        }
    }

    /// `shapes: [{gpus, share, cpu, gpu_types, popularity}]`: the fleet's task shapes, popularity as relative
    /// weights (normalized to sum 1). Nil when absent (then derived from the running workloads).
    static func shapes(_ root: ConfigCursor, _ hardware: HardwareCatalog) throws(InputError) -> TaskShapeDistribution? {
        guard let list = root.first(["shapes"]) else { return nil }
        var shapes: [TaskShapeDistribution.Shape] = []
        for item in try list.asArray() {
            try F.allow(item, ["gpus", "share", "cpu", "gpu_types", "popularity"])
            let gpus = try F.int(item, "gpus", 0...64) ?? 1
            let share = try F.shareMilli(item, "share") ?? 1_000
            if gpus > 1, share < 1_000 {
                throw InputError(F.field(item, "share"), "\(F.percent(share)) of \(gpus) GPUs", expected: "a share of one GPU, or whole GPUs")
            }
            guard let popularity = try F.nonNegative(item, "popularity", unit: "a weight"), popularity > 0 else {
                throw InputError(F.field(item, "popularity"), item.has("popularity") ? "0" : "missing", expected: "the shape's weight, above 0")
            }
            shapes.append(
                .init(
                    cpuMilli: try F.cpuMilli(item, "cpu") ?? 0, gpuMilli: gpus == 0 ? 0 : share, gpuCount: gpus,
                    gpuTypes: try F.gpuTypes(item, "gpu_types", hardware) ?? [], popularity: popularity))
        }
        let total = shapes.reduce(0) { $0 + $1.popularity }
        return TaskShapeDistribution(
            shapes: shapes.map {
                .init(cpuMilli: $0.cpuMilli, gpuMilli: $0.gpuMilli, gpuCount: $0.gpuCount, gpuTypes: $0.gpuTypes, popularity: $0.popularity / total)
            }
        )
    }

    static func gibText(_ bytes: Double) -> String {
        let value = bytes / gibibyte
        return value >= 10 ? "\(Int(value.rounded())) GiB" : "\((value * 100).rounded() / 100) GiB"
    }
}
