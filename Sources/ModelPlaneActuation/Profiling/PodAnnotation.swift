/// ModelPlane's pod annotations (`modelplane.io/…`): what a workload declares beyond its resource requests.
///
/// The table of meanings, formats, examples and defaults is docs/placement-annotations.md; `PodProfiler` reads them.
public enum PodAnnotation: String, CaseIterable, Sendable {
    /// Catalog name of the model served or trained (`llama-3.1-8b`).
    case model = "modelplane.io/model"
    /// Sequences in flight at once (serving) or per step (training); a whole number ≥ 1.
    case batch = "modelplane.io/batch"
    /// Tokens per sequence (prompt + output); a whole number ≥ 1.
    case sequenceLength = "modelplane.io/sequence-length"
    /// Weight format / precision (`bf16`, `fp8`, `int8`, `awq`, `gptq`).
    case precision = "modelplane.io/precision"
    /// `P0`…`P4` (P0 highest).
    case priority = "modelplane.io/priority"
    /// Who pays and whose quota it counts against; default the namespace.
    case tenant = "modelplane.io/tenant"
    /// Expected run time (`90m`, `2h`, `1h30m`, `3600`).
    case expectedDuration = "modelplane.io/expected-duration"
    /// MPS share of one GPU in percent (`40`, `40%`, `12.5`).
    case gpuShare = "modelplane.io/gpu-share"
    /// MIG profile (`1g.10gb`) when GPUs are exposed as `nvidia.com/gpu` (the `single` MIG strategy).
    case migProfile = "modelplane.io/mig-profile"
    /// `exclusive`, `mps`, `mig` or `any`.
    case sharing = "modelplane.io/sharing"
    /// GPU types allowed (comma-separated catalog or reported names): a hard constraint.
    case gpuTypes = "modelplane.io/gpu-types"
    /// GPU types preferred, best first: a soft constraint.
    case preferredGPUTypes = "modelplane.io/preferred-gpu-types"
    /// Replicas in one group never share a node.
    case replicaGroup = "modelplane.io/replica-group"
    /// `nvlink-required`, `preferred` or `none`.
    case topology = "modelplane.io/topology"
    /// Node names or zone/rack labels where the data lives (comma-separated).
    case dataLocality = "modelplane.io/data-locality"
    /// `true` when the workload tolerates throttling (its MPS share may be oversubscribed).
    case throttling = "modelplane.io/throttling"
    /// GPU memory needed per GPU, as a quantity (`40Gi`) or bytes: overrides the model-aware estimate.
    case gpuMemory = "modelplane.io/gpu-memory"

    /// Every ModelPlane annotation starts with this.
    public static let prefix = "modelplane.io/"
}
