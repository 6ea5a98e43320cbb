import ModelPlaneCore

/// The per-GPU memory a model needs at a batch and sequence length, from Core's memory fit.
///
/// It is the fit's `requiredBytes`: weights split over the GPUs (tensor parallel = the GPU count), the KV cache of
/// `batch` sequences of `sequence` tokens, the activations of one forward pass and 1 GiB of runtime overhead. That
/// sum does not depend on the device, so the device passed only makes the call well-formed.
enum ServingMemory {
    static func bytesPerGPU(
        model: ModelSpec, weights: WeightFormat, batch: Int, sequence: Int, gpus: Int, device: GPUModel
    ) throws(InputError) -> Double {
        let request = MemoryFitRequest(model: model, weights: weights, context: sequence, concurrentSequences: batch, tensorParallel: max(1, gpus))
        return try request.fit(on: .whole(device)).requiredBytes
    }

    /// The weights a model is served in unless the pod says otherwise: its published quantization, else its native
    /// precision, else bf16.
    static func defaultWeights(of model: ModelSpec) -> WeightFormat {
        model.quantization ?? WeightFormat(precision: model.nativePrecision ?? .bf16)
    }
}
