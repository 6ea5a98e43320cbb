/// How a model's weights are stored in GPU memory, which sets bytes per parameter.
///
/// Quantized formats apply to the transformer's linear layers only: AWQ, GPTQ and vLLM's FP8 keep the token
/// embedding and the output head in 16-bit, so those are counted at 2 bytes (see `weightBytes`).
public enum WeightFormat: Sendable, Equatable, CustomStringConvertible {
    case fp32
    case bf16
    case fp16
    /// FP8 (E4M3) weights with per-tensor or per-channel scales (negligible overhead).
    case fp8
    /// INT8 weights (W8A8 / LLM.int8) with per-channel scales (negligible overhead).
    case int8
    /// 4-bit weights in groups, each group carrying an FP16 scale and a 4-bit zero point (AWQ, GPTQ).
    case int4(method: String, groupSize: Int)

    /// Bytes per quantized parameter, group overhead included: 4 bits + (16-bit scale + 4-bit zero) / group.
    ///
    /// AWQ (Lin et al. 2023) and GPTQ (Frantar et al. 2022) with group size 128: 0.5 + 2.5/128 = 0.5195 bytes.
    public var bytesPerParameter: Double {
        switch self {
        case .fp32: 4
        case .bf16, .fp16: 2
        case .fp8, .int8: 1
        case .int4(_, let groupSize): 0.5 + 2.5 / Double(max(groupSize, 1))
        }
    }

    public var isQuantized: Bool {
        switch self {
        case .fp8, .int8, .int4: true
        default: false
        }
    }

    /// The precision the matrix math of this format runs in, for choosing the peak: FP8 runs on FP8 tensor cores,
    /// W8A8 on INT8, weight-only INT4 dequantizes to 16-bit.
    public var computePrecision: Precision {
        switch self {
        case .fp32: .fp32
        case .bf16: .bf16
        case .fp16, .int4: .fp16
        case .fp8: .fp8
        case .int8: .int8
        }
    }

    public var description: String {
        switch self {
        case .fp32: "fp32"
        case .bf16: "bf16"
        case .fp16: "fp16"
        case .fp8: "fp8"
        case .int8: "int8"
        case .int4(let method, let groupSize): "int4-\(method) (group \(groupSize))"
        }
    }

    /// Parses `bf16`, `fp8`, `int8`, `int4`, `awq`, `gptq`, `int4-awq`, `awq-g64`.
    public init(name: String) throws(InputError) {
        let key = name.lowercased().trimmingSpaces()
        var groupSize = 128
        if let range = key.firstRange(of: "-g"), let size = Int(key[range.upperBound...]), size > 0 { groupSize = size }
        switch key {
        case "fp32", "float32": self = .fp32
        case "bf16", "bfloat16": self = .bf16
        case "fp16", "float16", "half": self = .fp16
        case "fp8", "float8", "fp8-e4m3": self = .fp8
        case "int8", "w8a8", "w8a16": self = .int8
        default:
            if key.hasPrefix("awq") || key.hasPrefix("int4-awq") {
                self = .int4(method: "awq", groupSize: groupSize)
            } else if key.hasPrefix("gptq") || key.hasPrefix("int4") {
                self = .int4(method: "gptq", groupSize: groupSize)
            } else {
                throw InputError(
                    "quantization \"\(name)\"", "unknown weight format",
                    expected: "fp32, bf16, fp16, fp8, int8, int4 (= gptq), awq, gptq, or with a group size: awq-g64")
            }
        }
    }

    /// The unquantized format of a native precision.
    public init(precision: Precision) {
        switch precision {
        case .fp64, .fp32, .tf32: self = .fp32
        case .fp16: self = .fp16
        case .fp8: self = .fp8
        case .int8: self = .int8
        case .fp4: self = .int4(method: "fp4", groupSize: 16)
        default: self = .bf16
        }
    }
}

extension ModelSpec {
    /// Bytes the weights occupy in `format`: linear layers at the format's width, embeddings and head at 16-bit.
    public func weightBytes(_ format: WeightFormat) -> Double {
        let p = parameters
        let unquantized = p.tokenEmbedding + p.positionEmbedding + p.untiedHead
        guard format.isQuantized else { return p.total * format.bytesPerParameter }
        return (p.total - unquantized) * format.bytesPerParameter + unquantized * 2
    }
}
