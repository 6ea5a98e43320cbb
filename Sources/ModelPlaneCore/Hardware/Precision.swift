/// The numeric format a workload's matrix math runs in, which selects the peak it is measured against.
///
/// Peaks are dense (no 2:4 sparsity). FP8 runs are measured against the FP8 peak, INT8 against INT8 TOPS.
public enum Precision: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case fp64
    case fp32
    case tf32
    case bf16
    case fp16
    case fp8
    case int8
    case fp4

    public var description: String { rawValue }

    /// Bytes one element occupies in memory.
    public var bytes: Double {
        switch self {
        case .fp64: 8
        case .fp32, .tf32: 4
        case .bf16, .fp16: 2
        case .fp8, .int8: 1
        case .fp4: 0.5
        }
    }

    /// Parses the names frameworks and configs use: `bfloat16`, `torch.float16`, `half`, `float8_e4m3fn`, `fp8`.
    public init?(name: String) {
        let key = name.lowercased().replacing(".", with: "").replacing("torch", with: "").replacing("_", with: "")
            .replacing("-", with: "")
        switch key {
        case "fp64", "float64", "double": self = .fp64
        case "fp32", "float32", "float", "single": self = .fp32
        case "tf32", "tensorfloat32": self = .tf32
        case "bf16", "bfloat16": self = .bf16
        case "fp16", "float16", "half": self = .fp16
        case "fp8", "float8", "float8e4m3fn", "float8e4m3", "float8e5m2", "e4m3", "e5m2": self = .fp8
        case "int8", "i8", "w8a8": self = .int8
        case "fp4", "float4", "nvfp4", "mxfp4": self = .fp4
        default: return nil
        }
    }

    /// The accepted spellings, for error messages.
    public static let acceptedNames = "fp64, fp32, tf32, bf16, fp16, fp8, int8, fp4"
}
