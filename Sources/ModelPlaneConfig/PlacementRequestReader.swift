public import ModelPlaneCore

/// Reads a placement request (what `modelplane place --request` places) from its YAML/JSON tree. Every field is
/// checked: unknown keys, wrong kinds, impossible values, unknown GPU types and MIG profiles are errors naming the
/// field, and so is a request that contradicts itself (`PlacementRequest.contradictions()`). The format is in
/// docs/placement-snapshot.md.
public enum PlacementRequestReader {
    public static let fields = [
        "id", "tenant", "priority", "gpus", "share", "gpu_memory", "sharing", "mig_profile", "cpu", "memory", "gpu_types", "preferred_gpu_types",
        "replica_group", "topology", "data_locality", "expected_duration", "throttling", "profile",
    ]

    public static func request(from root: ConfigCursor, hardware: HardwareCatalog = .builtin) throws(InputError) -> PlacementRequest {
        typealias F = PlacementFields
        try F.allow(root, fields)
        let id = try F.requiredString(root, "id", "the request's id (namespace/name of a pod, or any name)")
        let gpuTypes = try F.gpuTypes(root, "gpu_types", hardware) ?? []
        let preferred = try F.gpuTypes(root, "preferred_gpu_types", hardware) ?? []
        let gpus = try F.int(root, "gpus", 0...4_096) ?? 1
        let share = try F.shareMilli(root, "share")
        var migProfile: String?
        var migMilli: Int?
        if let name = try F.string(root, "mig_profile") {
            let profile = try Self.migProfile(name, at: F.field(root, "mig_profile"), among: gpuTypes, hardware)
            (migProfile, migMilli) = (profile.name, F.sliceMilli(profile))
        }
        if share != nil, migProfile != nil {
            throw InputError(F.field(root, "share"), "a share with mig_profile \(migProfile!)", expected: "an MPS share or a MIG instance, not both")
        }
        var sharing: GPUSharingMode
        if let child = root.first(["sharing"]) {
            let text = try child.asString().trimmedSpaces()
            guard let mode = GPUSharingMode(rawValue: text) else {
                throw InputError(child.path, "\"\(text)\"", expected: GPUSharingMode.allCases.map(\.rawValue).joined(separator: ", "))
            }
            sharing = mode
        } else {
            sharing = migProfile != nil ? .mig : (share ?? 1_000) < 1_000 ? .mps : gpus == 0 ? .any : .exclusive
        }
        var topology = TopologyRequirement.preferred
        if let child = root.first(["topology"]) {
            let text = try child.asString().trimmedSpaces()
            guard let value = TopologyRequirement(rawValue: text) else {
                throw InputError(child.path, "\"\(text)\"", expected: TopologyRequirement.allCases.map(\.rawValue).joined(separator: ", "))
            }
            topology = value
        }
        let gpuMemory = try F.bytes(root, "gpu_memory")
        if let gpuMemory, gpuMemory <= 0 { throw InputError(F.field(root, "gpu_memory"), "0 bytes", expected: "a size above 0, or no field") }
        let request = PlacementRequest(
            id: id, tenant: try F.string(root, "tenant") ?? "default", priority: try F.priority(root, "priority") ?? .p2, gpuCount: gpus,
            gpuMilli: gpus == 0 ? 0 : migMilli ?? share ?? 1_000, gpuMemoryBytes: gpuMemory, sharing: sharing, migProfile: migProfile,
            cpuMilli: try F.cpuMilli(root, "cpu") ?? 0, memoryBytes: try F.bytes(root, "memory") ?? 0, gpuTypes: gpuTypes,
            preferredGPUTypes: preferred,
            replicaGroup: try F.string(root, "replica_group"), topology: topology, dataLocality: try F.names(root, "data_locality") ?? [],
            expectedDurationSeconds: try F.duration(root, "expected_duration"), throttlingDeclared: try F.bool(root, "throttling") ?? false,
            profile: try F.string(root, "profile"))
        if gpus == 0 {
            for key in ["share", "mig_profile", "gpu_memory", "gpu_types", "preferred_gpu_types"] where root.has(key) {
                throw InputError(
                    F.field(root, key), "is set but the request asks for no GPU (gpus: 0)", expected: "gpus: 1 or more beside GPU fields")
            }
            if topology == .nvlinkRequired {
                throw InputError(F.field(root, "topology"), "nvlink-required but the request asks for no GPU", expected: "gpus: 2 or more")
            }
        }
        if let problem = request.contradictions().first { throw InputError(root.path, "the request contradicts itself: \(problem)") }
        return request
    }

    /// The catalog's MIG profile called `name`, of one of `gpuTypes` (of any catalog GPU when none are named).
    static func migProfile(_ name: String, at location: String, among gpuTypes: [String], _ hardware: HardwareCatalog) throws(InputError)
        -> MIGProfile
    {
        let devices = gpuTypes.isEmpty ? hardware.models : hardware.models.filter { gpuTypes.contains($0.id) }
        for device in devices {
            if let profile = try? device.migProfile(named: name) { return profile }
        }
        var known: [String] = []
        for profile in devices.flatMap(\.migProfiles) where !known.contains(profile.name) { known.append(profile.name) }
        let scope = gpuTypes.isEmpty ? "any catalog GPU" : gpuTypes.joined(separator: ", ")
        throw InputError(
            location, "\"\(name)\" is not a MIG profile of \(scope)",
            expected: known.isEmpty ? "a GPU type with MIG" : "one of \(known.joined(separator: ", "))")
    }
}
