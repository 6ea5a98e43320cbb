public import ModelPlaneCore

/// Turns a pod into the `PlacementRequest` the placement engine reads: its device and host resources, and what its
/// `modelplane.io/…` annotations declare (docs/placement-annotations.md). A pure function of the pod and catalogs.
///
/// A plain `nvidia.com/gpu: N` pod needs no annotations (N whole GPUs, exclusive). Every problem — an unknown
/// model, GPU type, MIG profile, priority or annotation; a malformed number; a conflict such as a 40 % share with
/// `nvidia.com/gpu: 2` — is reported, all of them at once, rather than guessed around.
public struct PodProfiler: Sendable {
    public var models: ModelCatalog
    public var hardware: HardwareCatalog
    /// Sizes `sharing: mps` pods that name no share (thresholds, shares, steps, preferred GPUs).
    public var classification: ClassificationPolicy

    public init(models: ModelCatalog = .builtin, hardware: HardwareCatalog = .builtin, classification: ClassificationPolicy = ClassificationPolicy())
    {
        self.models = models
        self.hardware = hardware
        self.classification = classification
    }

    /// Kinds of controller whose pods are replicas of one another (the replica group defaults for them).
    public static let replicaOwnerKinds: Set<String> = ["ReplicaSet", "StatefulSet", "ReplicationController", "Deployment", "LeaderWorkerSet"]

    public func profile(_ pod: KubePod) throws(PodProfilingError) -> PlacementRequest {
        let podLocation = "pod \(pod.key)"
        var reader = AnnotationReader(annotations: pod.metadata.annotations, pod: podLocation)
        reader.checkUnknownKeys()
        var resourceErrors: [InputError] = []
        let totals = PodResourceTotals(pod, errors: &resourceErrors)
        reader.fail(contentsOf: resourceErrors)
        let gpuTypes = reader.read(.gpuTypes) { text, at throws(InputError) in try gpuTypeIDs(text, at: at) } ?? []
        let preferredTypes = reader.read(.preferredGPUTypes) { text, at throws(InputError) in try gpuTypeIDs(text, at: at) } ?? []
        var gpu = readGPUAsk(&reader, totals: totals, gpuTypes: gpuTypes)
        var sizing = readModelSizing(&reader, gpu: gpu, devices: gpuTypes + preferredTypes)
        var preferred = preferredTypes
        if gpu.classify { classifyShare(&reader, &gpu, &sizing, gpuTypes: gpuTypes, preferred: &preferred) }
        let topology = reader.read(.topology) { text, at throws(InputError) in
            try AnnotationValues.choice(text, at: at, as: TopologyRequirement.self)
        }
        if gpu.count == 0 { checkNoGPUAnnotations(&reader, topology: topology) }
        let request = PlacementRequest(
            id: pod.key, tenant: reader.read(.tenant, nonEmptyName) ?? (pod.namespace.isEmpty ? "default" : pod.namespace),
            priority: reader.read(.priority, priority) ?? PodPriorityMapping.priority(specPriority: pod.priority, className: pod.priorityClassName),
            gpuCount: gpu.count, gpuMilli: gpu.milli, gpuMemoryBytes: sizing.gpuMemoryBytes, sharing: gpu.sharing, migProfile: gpu.migProfile,
            cpuMilli: Int(totals.milli["cpu"] ?? 0), memoryBytes: Double(totals.units("memory")), gpuTypes: gpuTypes, preferredGPUTypes: preferred,
            replicaGroup: reader.read(.replicaGroup, nonEmptyName) ?? defaultReplicaGroup(pod, model: sizing.model), topology: topology ?? .preferred,
            dataLocality: reader.read(.dataLocality) { text, at throws(InputError) in
                try AnnotationValues.names(text, at: at, what: "node names or zone/rack labels")
            } ?? [],
            expectedDurationSeconds: reader.read(.expectedDuration) { text, at throws(InputError) in
                try AnnotationValues.durationSeconds(text, at: at)
            },
            throttlingDeclared: reader.read(.throttling) { text, at throws(InputError) in try AnnotationValues.flag(text, at: at) } ?? false,
            profile: sizing.profile)
        if reader.errors.isEmpty {
            reader.fail(contentsOf: request.contradictions().map { InputError(podLocation, $0) })
        }
        guard reader.errors.isEmpty else { throw PodProfilingError(pod: pod.key, errors: reader.errors) }
        return request
    }

    /// The GPU part of the request: device resources with `gpu-share`, `mig-profile` and `sharing`.
    func readGPUAsk(_ reader: inout AnnotationReader, totals: PodResourceTotals, gpuTypes: [String]) -> GPUAsk {
        let declared = GPUAsk.Declared(
            shareMilli: reader.read(.gpuShare) { text, at throws(InputError) in try AnnotationValues.percentMilli(text, at: at) },
            migProfile: reader.read(.migProfile) { text, _ throws(InputError) in text.trimmingJSONWhitespace() },
            sharing: reader.read(.sharing) { text, at throws(InputError) in try AnnotationValues.choice(text, at: at, as: GPUSharingMode.self) })
        // On a conflict the error is kept and a one-GPU stand-in avoids a second, misleading "no GPU" error.
        return reader.attempt { [reader] () throws(InputError) in
            try GPUAsk.resolve(totals, declared, location: reader.pod) { name, at throws(InputError) in
                try canonicalMIGProfile(name, among: gpuTypes, at: at)
            }
        } ?? GPUAsk(count: 1, milli: 1000, sharing: .any)
    }

    /// The model and its shape: the trace's profile string, and the GPU memory (explicit, gpushare's, or the fit's).
    func readModelSizing(_ reader: inout AnnotationReader, gpu: GPUAsk, devices: [String]) -> ModelSizing {
        let model = reader.read(.model) { text, at throws(InputError) in try resolveModel(text, at: at) }
        let batch = reader.read(.batch) { text, at throws(InputError) in
            try AnnotationValues.count(text, at: at, what: "sequences", maximum: 1_000_000)
        }
        let sequence = reader.read(.sequenceLength) { text, at throws(InputError) in
            try AnnotationValues.count(text, at: at, what: "tokens", maximum: 100_000_000)
        }
        let weights = reader.read(.precision) { text, at throws(InputError) in try weightFormat(text, at: at) }
        if !reader.has(.model) {
            for shape in [PodAnnotation.batch, .sequenceLength, .precision] where reader.has(shape) {
                reader.fail(
                    InputError(
                        reader.location(shape), "is set without \(PodAnnotation.model.rawValue)", expected: "a model for the shape to describe"))
            }
        }
        let explicitMemory = reader.read(.gpuMemory) { text, at throws(InputError) in try AnnotationValues.bytes(text, at: at) }
        if let explicitMemory, let gpushare = gpu.memoryBytes, explicitMemory != gpushare {
            reader.fail(
                InputError(
                    reader.location(.gpuMemory), "\(Int64(explicitMemory)) bytes differs from \(GPUAsk.gpuShareMemory) (\(Int64(gpushare)) bytes)",
                    expected: "one GPU memory amount"))
        }
        var sizing = ModelSizing(model: model, gpuMemoryBytes: explicitMemory ?? gpu.memoryBytes, batch: batch, sequence: sequence)
        guard let model else { return sizing }
        let format = weights ?? ServingMemory.defaultWeights(of: model)
        let shape = [batch.map { "batch \($0)" }, sequence.map { "seq \($0)" }].compactMap { $0 }
        sizing.profile = ([model.name] + shape + ["\(format)"]).joined(separator: ", ")
        let device = devices.lazy.compactMap { id in hardware.models.first { $0.id == id } }.first ?? hardware.models.first
        guard sizing.gpuMemoryBytes == nil, gpu.count > 0, let batch, let sequence, let device else { return sizing }
        let location = reader.location(.model)
        sizing.gpuMemoryBytes = reader.attempt { () throws(InputError) in
            do throws(InputError) {
                return try ServingMemory.bytesPerGPU(model: model, weights: format, batch: batch, sequence: sequence, gpus: gpu.count, device: device)
            } catch {
                throw InputError(location, "memory estimate failed: \(error.problem)", expected: error.expected)
            }
        }
        return sizing
    }

    /// On a pod without GPUs, the annotations that only mean something for GPUs are errors.
    func checkNoGPUAnnotations(_ reader: inout AnnotationReader, topology: TopologyRequirement?) {
        for annotation in [PodAnnotation.gpuTypes, .preferredGPUTypes, .gpuMemory] where reader.has(annotation) {
            reader.fail(
                InputError(reader.location(annotation), "is set but the pod requests no GPU", expected: "nvidia.com/gpu beside GPU annotations"))
        }
        if topology == .nvlinkRequired {
            reader.fail(InputError(reader.location(.topology), "nvlink-required but the pod requests no GPU", expected: "nvidia.com/gpu: 2 or more"))
        }
    }

    func nonEmptyName(_ text: String, at location: String) throws(InputError) -> String {
        let name = text.trimmingJSONWhitespace()
        guard !name.isEmpty else { throw InputError(location, "is empty", expected: "a name") }
        return name
    }

    func priority(_ text: String, at location: String) throws(InputError) -> PlacementPriority {
        guard let priority = PlacementPriority(name: text.trimmingJSONWhitespace()) else {
            throw InputError(location, "\"\(text)\" is not a priority", expected: "P0 (highest), P1, P2, P3 or P4 (lowest)")
        }
        return priority
    }

    /// `namespace/model` for a model's replicas (pods of a ReplicaSet, StatefulSet…); nil otherwise.
    func defaultReplicaGroup(_ pod: KubePod, model: ModelSpec?) -> String? {
        guard let model, pod.metadata.ownerReferences.contains(where: { Self.replicaOwnerKinds.contains($0.kind) }) else { return nil }
        return pod.namespace.isEmpty ? model.name : "\(pod.namespace)/\(model.name)"
    }
}

/// What the model annotations give the request.
struct ModelSizing {
    var model: ModelSpec?
    var profile: String?
    var gpuMemoryBytes: Double?
    var batch: Int?
    var sequence: Int?
}
