import ModelPlaneActuation
import ModelPlaneCore
import Testing

/// `sharing: mps` without a share: the profiler sizes the share from the seed's classification and the model's
/// memory on the target GPU (the larger of the two, on the 20/40/60/80/100 steps).
@Suite("Pod profiling: MPS shares from the workload classification")
struct PodClassificationTests {
    static func pod(_ model: String, batch: Int, sequence: Int, _ extra: [String: String] = [:]) -> PodSpecRow {
        .gpus(
            "1",
            [
                "modelplane.io/sharing": "mps", "modelplane.io/model": model, "modelplane.io/batch": "\(batch)",
                "modelplane.io/sequence-length": "\(sequence)",
            ].merging(extra) { $1 })
    }

    static let rows: [ProfileRow] = [
        // llama-3.2-1b: 1.24 × 10 + 1 × 512 / 100 = 17.5 → small (20 %). No GPU named: the class prefers A100, the
        // first of them (A100 40GB SXM) sizes the memory: 2.3 GiB weights + KV + 1 GiB ≈ 3.4 GiB of 40 → 9 % → 20 %.
        ProfileRow(name: "small model, no GPU named: 20 %, A100 preferred", spec: pod("llama-3.2-1b", batch: 1, sequence: 512)) {
            $0.gpuMilli == 200 && $0.sharing == .mps && $0.preferredGPUTypes.first == "nvidia_a100_40gb_sxm"
                && $0.preferredGPUTypes.allSatisfy { $0.contains("a100") } && ($0.profile ?? "").contains("→ small (20 %)")
        },
        // llama-3.1-8b: 80.3 + 5.12 = 85.4 → small (20 %). On an H200 (141 GiB) its 16.07 GiB is 11 % → 20 %: share 20 %.
        // The class's A100 is not among the allowed types, so no preference is added.
        ProfileRow(
            name: "small on a large GPU: the compute share",
            spec: pod("llama-3.1-8b", batch: 1, sequence: 512, ["modelplane.io/gpu-types": "h200-sxm"])
        ) {
            $0.gpuMilli == 200 && $0.sharing == .mps && $0.preferredGPUTypes.isEmpty && $0.gpuTypes == ["nvidia_h200_sxm"]
        },
        // The same model on an L4 (24 GiB): 16.07 GiB is 67 % of it → 80 %, larger than the compute share of 20 %.
        ProfileRow(
            name: "small compute, large memory: the memory share",
            spec: pod("llama-3.1-8b", batch: 1, sequence: 512, ["modelplane.io/gpu-types": "l4"])
        ) {
            $0.gpuMilli == 800 && $0.sharing == .mps && ($0.profile ?? "").contains("share 80 %")
        },
        // Allowed L4 and H200: the share must hold on the smaller (L4), so 80 % again.
        ProfileRow(
            name: "several allowed types: sized for the smallest",
            spec: pod("llama-3.1-8b", batch: 1, sequence: 512, ["modelplane.io/gpu-types": "h200-sxm,l4"])
        ) { $0.gpuMilli == 800 },
        // 80.3 + 8 × 2048 / 100 = 244.1 → medium (40 %); the medium class prefers no GPU, so only compute counts.
        ProfileRow(name: "medium: 40 %", spec: pod("llama-3.1-8b", batch: 8, sequence: 2048)) {
            $0.gpuMilli == 400 && $0.sharing == .mps && $0.preferredGPUTypes.isEmpty
        },
        // 80.3 + 16 × 4096 / 100 = 735.7 → large (100 %): an exclusive GPU, H100 preferred.
        ProfileRow(name: "large: an exclusive GPU, H100 preferred", spec: pod("llama-3.1-8b", batch: 16, sequence: 4096)) {
            $0.gpuMilli == 1000 && $0.sharing == .exclusive && !$0.isFractional && $0.preferredGPUTypes.first == "nvidia_h100_sxm"
        },
        // A stated preference is kept.
        ProfileRow(
            name: "the pod's own preference wins", spec: pod("llama-3.2-1b", batch: 1, sequence: 512, ["modelplane.io/preferred-gpu-types": "l40s"])
        ) { $0.preferredGPUTypes == ["nvidia_l40s"] && $0.gpuMilli == 200 },
    ]

    @Test("classified shares", arguments: rows)
    func classified(_ row: ProfileRow) throws {
        let request = try PodProfiler().profile(row.spec.pod())
        #expect(row.check(request), "\(request)")
    }

    @Test("configurable: thresholds and shares come from the policy")
    func configurable() throws {
        var policy = ClassificationPolicy()
        policy.smallShare = 40  // small workloads get 40 % in this fleet
        let request = try PodProfiler(classification: policy).profile(Self.pod("llama-3.2-1b", batch: 1, sequence: 512).pod())
        #expect(request.gpuMilli == 400)
    }

    @Test("no share and no model shape: the error names both ways out")
    func unsized() throws {
        for annotations in [["modelplane.io/sharing": "mps"], ["modelplane.io/sharing": "mps", "modelplane.io/model": "llama-3.1-8b"]] {
            #expect {
                try PodProfiler().profile(PodSpecRow.gpus("1", annotations).pod())
            } throws: { error in
                let text = "\(error)"
                return text.contains("annotation modelplane.io/sharing") && text.contains("modelplane.io/gpu-share")
                    && text.contains("modelplane.io/batch")
            }
        }
    }

    @Test("a model larger than the GPU is an error at the model, with the percentage")
    func tooLarge() throws {
        // llama-3.1-70b in bf16 needs about 138 GiB on one GPU: 172 % of an H100's 80 GB.
        #expect {
            try PodProfiler().profile(Self.pod("llama-3.1-70b", batch: 8, sequence: 2048).pod())
        } throws: { error in
            let text = "\(error)"
            return text.contains("annotation modelplane.io/model") && text.contains("% of the GPU's memory") && text.contains("tensor parallelism")
        }
    }

    @Test("mps without a share on two GPUs is an error")
    func twoGPUs() throws {
        #expect {
            try PodProfiler().profile(PodSpecRow.gpus("2", ["modelplane.io/sharing": "mps"]).pod())
        } throws: { error in "\(error)".contains("sharing mps with nvidia.com/gpu: 2") }
    }
}
