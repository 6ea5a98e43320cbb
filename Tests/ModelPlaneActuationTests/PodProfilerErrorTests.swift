import ModelPlaneActuation
import ModelPlaneCore
import Testing

/// A bad pod, where its (first) error must point, and a fragment of the message.
struct BadPodRow: Sendable, CustomTestStringConvertible {
    let name: String
    let spec: PodSpecRow
    let location: String
    let fragment: String
    var testDescription: String { name }
}

func annotation(_ key: String) -> String { "pod ns/p: annotation modelplane.io/\(key)" }

let badPodRows: [BadPodRow] = [
    BadPodRow(
        name: "share with two GPUs", spec: .gpus("2", ["modelplane.io/gpu-share": "40"]), location: "pod ns/p",
        fragment: "modelplane.io/gpu-share 40 % with nvidia.com/gpu: 2; expected nvidia.com/gpu: 1"),
    BadPodRow(
        name: "share not a number", spec: .gpus("1", ["modelplane.io/gpu-share": "abc"]), location: annotation("gpu-share"),
        fragment: "\"abc\" is not a percentage"),
    BadPodRow(
        name: "share NaN", spec: .gpus("1", ["modelplane.io/gpu-share": "NaN"]), location: annotation("gpu-share"),
        fragment: "NaN is not a finite percentage"),
    BadPodRow(
        name: "share infinite", spec: .gpus("1", ["modelplane.io/gpu-share": "inf"]), location: annotation("gpu-share"),
        fragment: "is not a finite percentage"),
    BadPodRow(
        name: "share negative", spec: .gpus("1", ["modelplane.io/gpu-share": "-10"]), location: annotation("gpu-share"),
        fragment: "-10 % is not positive"),
    BadPodRow(
        name: "share zero", spec: .gpus("1", ["modelplane.io/gpu-share": "0"]), location: annotation("gpu-share"), fragment: "0 % is not positive"),
    BadPodRow(
        name: "share over 100", spec: .gpus("1", ["modelplane.io/gpu-share": "150"]), location: annotation("gpu-share"),
        fragment: "150 % exceeds a whole GPU"),
    BadPodRow(
        name: "share too fine", spec: .gpus("1", ["modelplane.io/gpu-share": "12.55"]), location: annotation("gpu-share"),
        fragment: "finer than 0.1 %"),
    BadPodRow(
        name: "share without a GPU", spec: PodSpecRow(annotations: ["modelplane.io/gpu-share": "40"]), location: "pod ns/p",
        fragment: "but no GPU resource"),
    BadPodRow(
        name: "share and MIG profile", spec: .gpus("1", ["modelplane.io/gpu-share": "40", "modelplane.io/mig-profile": "1g.10gb"]),
        location: "pod ns/p", fragment: "not both"),
    BadPodRow(
        name: "share on a MIG instance", spec: PodSpecRow(annotations: ["modelplane.io/gpu-share": "40"], limits: ["nvidia.com/mig-1g.10gb": "1"]),
        location: "pod ns/p", fragment: "with a MIG instance"),
    BadPodRow(
        name: "exclusive with a share", spec: .gpus("1", ["modelplane.io/gpu-share": "40", "modelplane.io/sharing": "exclusive"]),
        location: "pod ns/p", fragment: "modelplane.io/sharing exclusive conflicts with modelplane.io/gpu-share 40 %"),
    BadPodRow(
        name: "mps without a share or a model shape", spec: .gpus("1", ["modelplane.io/sharing": "mps"]), location: annotation("sharing"),
        fragment: "mps without modelplane.io/gpu-share or a model shape to size the share from"),
    BadPodRow(
        name: "mig without a profile", spec: .gpus("1", ["modelplane.io/sharing": "mig"]), location: "pod ns/p",
        fragment: "sharing mig without a profile"),
    BadPodRow(
        name: "unknown sharing", spec: .gpus("1", ["modelplane.io/sharing": "shared"]), location: annotation("sharing"),
        fragment: "expected one of exclusive, mps, mig, any"),
    BadPodRow(
        name: "unknown priority", spec: PodSpecRow(annotations: ["modelplane.io/priority": "P7"]), location: annotation("priority"),
        fragment: "\"P7\" is not a priority; expected P0 (highest)"),
    BadPodRow(
        name: "priority word", spec: PodSpecRow(annotations: ["modelplane.io/priority": "urgent"]), location: annotation("priority"),
        fragment: "is not a priority"),
    BadPodRow(
        name: "batch negative", spec: .gpus("1", ["modelplane.io/model": "gpt2", "modelplane.io/batch": "-1"]), location: annotation("batch"),
        fragment: "-1 is not positive"),
    BadPodRow(
        name: "batch fraction", spec: .gpus("1", ["modelplane.io/model": "gpt2", "modelplane.io/batch": "8.5"]), location: annotation("batch"),
        fragment: "8.5 is not a whole number"),
    BadPodRow(
        name: "batch NaN", spec: .gpus("1", ["modelplane.io/model": "gpt2", "modelplane.io/batch": "nan"]), location: annotation("batch"),
        fragment: "nan is not a finite number"),
    BadPodRow(
        name: "sequence too long", spec: .gpus("1", ["modelplane.io/model": "gpt2", "modelplane.io/sequence-length": "1000000000"]),
        location: annotation("sequence-length"), fragment: "is more than 100000000"),
    BadPodRow(
        name: "batch without a model", spec: .gpus("1", ["modelplane.io/batch": "8"]), location: annotation("batch"),
        fragment: "is set without modelplane.io/model"),
    BadPodRow(
        name: "unknown model", spec: .gpus("1", ["modelplane.io/model": "llama-3.1-9b"]), location: annotation("model"),
        fragment: "\"llama-3.1-9b\" is not a catalog model; expected one of the closest: llama-3.1-8b"),
    BadPodRow(
        name: "unknown precision", spec: .gpus("1", ["modelplane.io/model": "gpt2", "modelplane.io/precision": "fp7"]),
        location: annotation("precision"), fragment: "\"fp7\" is not a known precision"),
    BadPodRow(
        name: "unknown GPU type", spec: .gpus("1", ["modelplane.io/gpu-types": "h100-sxm,h900"]), location: annotation("gpu-types"),
        fragment: "\"h900\" is not a known GPU"),
    BadPodRow(
        name: "empty GPU type entry", spec: .gpus("1", ["modelplane.io/gpu-types": "h100-sxm,,l4"]), location: annotation("gpu-types"),
        fragment: "has an empty entry"),
    BadPodRow(
        name: "GPU type with a MIG suffix", spec: .gpus("1", ["modelplane.io/gpu-types": "NVIDIA-H100-80GB-HBM3-MIG-1g.10gb"]),
        location: annotation("gpu-types"), fragment: "names a MIG profile"),
    BadPodRow(
        name: "preferred outside allowed", spec: .gpus("1", ["modelplane.io/gpu-types": "l4", "modelplane.io/preferred-gpu-types": "h100-sxm"]),
        location: "pod ns/p", fragment: "preferred GPU types"),
    BadPodRow(
        name: "GPU types on a CPU pod", spec: PodSpecRow(annotations: ["modelplane.io/gpu-types": "l4"]), location: annotation("gpu-types"),
        fragment: "is set but the pod requests no GPU"),
    BadPodRow(
        name: "NVLink on a CPU pod", spec: PodSpecRow(annotations: ["modelplane.io/topology": "nvlink-required"]), location: annotation("topology"),
        fragment: "nvlink-required but the pod requests no GPU"),
    BadPodRow(
        name: "unknown MIG profile", spec: .gpus("1", ["modelplane.io/mig-profile": "9g.99gb"]), location: annotation("mig-profile"),
        fragment: "\"9g.99gb\" is not a MIG profile of any catalog GPU"),
    BadPodRow(
        name: "MIG profile not of the allowed GPU",
        spec: .gpus("1", ["modelplane.io/gpu-types": "a100-40gb-sxm", "modelplane.io/mig-profile": "3g.40gb"]), location: annotation("mig-profile"),
        fragment: "\"3g.40gb\" is not a MIG profile of nvidia_a100_40gb_sxm; expected one of 1g.5gb, 1g.5gb+me, 1g.10gb"),
    BadPodRow(
        name: "two MIG instances", spec: PodSpecRow(limits: ["nvidia.com/mig-1g.10gb": "2"]), location: "pod ns/p: resources.nvidia.com/mig-1g.10gb",
        fragment: "2 MIG instances asked"),
    BadPodRow(
        name: "unknown MIG resource profile", spec: PodSpecRow(limits: ["nvidia.com/mig-5g.5gb": "1"]),
        location: "pod ns/p: resources.nvidia.com/mig-5g.5gb", fragment: "is not a MIG profile"),
    BadPodRow(
        name: "MIG resource and annotation differ",
        spec: PodSpecRow(annotations: ["modelplane.io/mig-profile": "2g.20gb"], limits: ["nvidia.com/mig-1g.10gb": "1"]), location: "pod ns/p",
        fragment: "differs from the resource"),
    BadPodRow(
        name: "two kinds of GPU resource", spec: PodSpecRow(limits: ["nvidia.com/gpu": "1", "nvidia.com/mig-1g.10gb": "1"]),
        location: "pod ns/p: resources", fragment: "conflicting GPU resources nvidia.com/gpu: 1, nvidia.com/mig-1g.10gb: 1"),
    BadPodRow(
        name: "half a GPU", spec: PodSpecRow(limits: ["nvidia.com/gpu": "0.5"]), location: "pod: spec.containers[0].resources.limits.nvidia.com/gpu",
        fragment: "0.5 is not a whole number"),
    BadPodRow(
        name: "negative CPU", spec: PodSpecRow(requests: ["cpu": "-1"]), location: "pod: spec.containers[0].resources.requests.cpu",
        fragment: "-1 is negative"),
    BadPodRow(
        name: "GPU request differs from limit", spec: PodSpecRow(requests: ["nvidia.com/gpu": "1"], limits: ["nvidia.com/gpu": "2"]),
        location: "pod: spec.containers[0].resources", fragment: "nvidia.com/gpu request 1 differs from its limit 2"),
    BadPodRow(
        name: "memory beyond 64 bits", spec: PodSpecRow(requests: ["memory": "100Ei"]), location: "pod: spec.containers[0].resources.requests.memory",
        fragment: "100Ei is too large"),
    BadPodRow(
        name: "gpushare memory without a share", spec: PodSpecRow(limits: ["aliyun.com/gpu-mem": "8"]), location: "pod ns/p",
        fragment: "aliyun.com/gpu-mem: 8 without a compute share"),
    BadPodRow(
        name: "unknown topology", spec: .gpus("2", ["modelplane.io/topology": "ring"]), location: annotation("topology"),
        fragment: "\"ring\" is not known; expected one of nvlink-required, preferred, none"),
    BadPodRow(
        name: "throttling not a boolean", spec: .gpus("1", ["modelplane.io/throttling": "yes"]), location: annotation("throttling"),
        fragment: "\"yes\" is not a boolean"),
    BadPodRow(
        name: "negative duration", spec: PodSpecRow(annotations: ["modelplane.io/expected-duration": "-1h"]),
        location: annotation("expected-duration"), fragment: "is negative"),
    BadPodRow(
        name: "unknown duration unit", spec: PodSpecRow(annotations: ["modelplane.io/expected-duration": "2w"]),
        location: annotation("expected-duration"), fragment: "unknown unit \"w\""),
    BadPodRow(
        name: "zero duration", spec: PodSpecRow(annotations: ["modelplane.io/expected-duration": "0s"]), location: annotation("expected-duration"),
        fragment: "is not a positive duration"),
    BadPodRow(
        name: "GPU memory not a quantity", spec: .gpus("1", ["modelplane.io/gpu-memory": "lots"]), location: annotation("gpu-memory"),
        fragment: "\"lots\" is not a Kubernetes quantity"),
    BadPodRow(
        name: "GPU memory zero", spec: .gpus("1", ["modelplane.io/gpu-memory": "0"]), location: annotation("gpu-memory"),
        fragment: "is not a positive size"),
    BadPodRow(
        name: "empty tenant", spec: PodSpecRow(annotations: ["modelplane.io/tenant": " "]), location: annotation("tenant"), fragment: "is empty"),
    BadPodRow(
        name: "misspelt annotation", spec: PodSpecRow(annotations: ["modelplane.io/gpu_share": "40"]), location: annotation("gpu_share"),
        fragment: "is not a ModelPlane annotation; expected one of the closest: modelplane.io/gpu-share"),
]

@Suite("Pod profiling: bad input")
struct PodProfilerErrorTests {
    @Test("each problem is an error naming the annotation or resource and what was expected", arguments: badPodRows)
    func rejects(_ row: BadPodRow) throws {
        let pod = try row.spec.pod()
        do {
            let request = try PodProfiler().profile(pod)
            Issue.record("profiled as \(request)")
        } catch {
            let first = try #require(error.errors.first)
            #expect(first.location == row.location, "\(error)")
            #expect(first.description.contains(row.fragment), "\(error)")
        }
    }
}
