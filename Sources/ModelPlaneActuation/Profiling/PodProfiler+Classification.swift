import ModelPlaneCore

/// A `sharing: mps` pod that names no share is sized by ModelPlane's workload classification
/// (`WorkloadClassification`): the seed's compute score of its model, batch and sequence length gives a class and
/// its share; the model's memory on the target GPU gives a memory share; the request takes the larger, on the
/// policy's steps. A class's preferred GPU (A100 for small, H100 for large) becomes the pod's preference when it
/// states none. A share of 100 % is an exclusive GPU.
extension PodProfiler {
    func classifyShare(
        _ reader: inout AnnotationReader, _ gpu: inout GPUAsk, _ sizing: inout ModelSizing, gpuTypes: [String], preferred: inout [String]
    ) {
        guard let model = sizing.model, let batch = sizing.batch, let sequence = sizing.sequence else {
            reader.fail(
                InputError(
                    reader.location(.sharing), "mps without \(PodAnnotation.gpuShare.rawValue) or a model shape to size the share from",
                    expected:
                        "\(PodAnnotation.gpuShare.rawValue) (the percent of the GPU), or \(PodAnnotation.model.rawValue) with "
                        + "\(PodAnnotation.batch.rawValue) and \(PodAnnotation.sequenceLength.rawValue)"))
            gpu = GPUAsk(count: 1, milli: 1000, sharing: .any)  // a stand-in: the error above is the answer
            return
        }
        let location = reader.location(.model)
        let billions = model.parameters.total / 1e9
        _ = reader.attempt { () throws(InputError) in
            let compute = try WorkloadClassification.classify(parametersBillions: billions, batch: batch, sequence: sequence, policy: classification)
            let classTypes = compute.preferredGPU.map(catalogIDs(matching:)) ?? []
            // The memory share on the GPU it will most likely get: the smallest allowed type (so the share holds on
            // any of them), else the first preferred, else the class's.
            let device =
                gpuTypes.isEmpty
                ? (preferred + classTypes).lazy.compactMap(gpuModel(id:)).first
                : gpuTypes.compactMap(gpuModel(id:)).min { $0.memoryBytes < $1.memoryBytes }
            let result: WorkloadClassification
            do throws(InputError) {
                result = try WorkloadClassification.classify(
                    parametersBillions: billions, batch: batch, sequence: sequence, memoryNeededBytes: device == nil ? nil : sizing.gpuMemoryBytes,
                    gpuMemoryBytes: device?.memoryBytes, policy: classification)
            } catch {
                throw InputError(location, "\(model.name) on \(device?.id ?? "the GPU"): \(error.problem)", expected: error.expected)
            }
            if result.share >= 100 {
                gpu = GPUAsk(count: 1, milli: 1000, sharing: .exclusive)
            } else {
                gpu = GPUAsk(count: 1, milli: result.share * 10, sharing: .mps)
            }
            if preferred.isEmpty {
                preferred = gpuTypes.isEmpty ? classTypes : classTypes.filter(gpuTypes.contains)
            }
            sizing.profile = [sizing.profile, "\(result.explanation)\(device.map { " on \($0.id)" } ?? "")"].compactMap { $0 }.joined(separator: "; ")
        }
    }

    /// The catalog GPUs whose id contains `name` (`a100` → every A100 variant), in catalog order.
    func catalogIDs(matching name: String) -> [String] {
        let token = name.lowercased()
        return hardware.models.map(\.id).filter { $0.lowercased().contains(token) }
    }

    func gpuModel(id: String) -> GPUModel? { hardware.models.first { $0.id == id } }
}
