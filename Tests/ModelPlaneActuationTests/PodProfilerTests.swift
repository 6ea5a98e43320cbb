import Foundation
import ModelPlaneActuation
import ModelPlaneCore
import Testing

/// A pod and the request it must profile to (only the fields the row is about are compared).
struct ProfileRow: Sendable, CustomTestStringConvertible {
    let name: String
    let spec: PodSpecRow
    let check: @Sendable (PlacementRequest) -> Bool
    var testDescription: String { name }
}

let profileRows: [ProfileRow] = [
    ProfileRow(
        name: "plain nvidia.com/gpu: 2, no annotations",
        spec: PodSpecRow(requests: ["cpu": "4", "memory": "16Gi", "nvidia.com/gpu": "2"], limits: ["nvidia.com/gpu": "2"])
    ) {
        $0.gpuCount == 2 && $0.gpuMilli == 1000 && $0.sharing == .exclusive && $0.cpuMilli == 4000 && $0.memoryBytes == 16 * 1_073_741_824
            && $0.priority == .p2 && $0.tenant == "ns" && $0.id == "ns/p" && $0.gpuMemoryBytes == nil && $0.topology == .preferred
            && $0.migProfile == nil
    },
    ProfileRow(name: "requests default to limits", spec: PodSpecRow(limits: ["cpu": "250m", "memory": "1G"])) {
        $0.cpuMilli == 250 && $0.memoryBytes == 1e9 && $0.gpuCount == 0
    },
    ProfileRow(name: "CPU-only", spec: PodSpecRow(requests: ["cpu": "500m", "memory": "1Gi"])) {
        $0.isCPUOnly && $0.gpuMilli == 0 && $0.sharing == .any && $0.cpuMilli == 500 && $0.memoryBytes == 1_073_741_824
    },
    ProfileRow(name: "MPS share of one GPU", spec: .gpus("1", ["modelplane.io/gpu-share": "40"])) {
        $0.gpuCount == 1 && $0.gpuMilli == 400 && $0.sharing == .mps && $0.isFractional
    },
    ProfileRow(name: "MPS share with % and a decimal", spec: .gpus("1", ["modelplane.io/gpu-share": "12.5%", "modelplane.io/sharing": "any"])) {
        $0.gpuMilli == 125 && $0.sharing == .mps
    },
    ProfileRow(
        name: "a 100 % share declared exclusive is a whole GPU",
        spec: .gpus("1", ["modelplane.io/gpu-share": "100", "modelplane.io/sharing": "exclusive"])
    ) {
        $0.gpuMilli == 1000 && $0.sharing == .exclusive
    },
    ProfileRow(name: "MIG resource (mixed strategy)", spec: PodSpecRow(limits: ["nvidia.com/mig-1g.10gb": "1"])) {
        $0.gpuCount == 1 && $0.sharing == .mig && $0.migProfile == "1g.10gb" && $0.gpuMilli == 143
    },
    ProfileRow(name: "MIG profile annotation on nvidia.com/gpu (single strategy)", spec: .gpus("1", ["modelplane.io/mig-profile": "3g.40gb"])) {
        $0.sharing == .mig && $0.migProfile == "3g.40gb" && $0.gpuMilli == 429
    },
    ProfileRow(
        name: "gpushare memory with a compute share",
        spec: PodSpecRow(annotations: ["modelplane.io/gpu-share": "30"], limits: ["aliyun.com/gpu-mem": "8"])
    ) {
        $0.gpuCount == 1 && $0.sharing == .mps && $0.gpuMilli == 300 && $0.gpuMemoryBytes == 8 * 1_073_741_824
    },
    ProfileRow(name: "sharing any keeps whole GPUs open to any form", spec: .gpus("1", ["modelplane.io/sharing": "any"])) {
        $0.sharing == .any && $0.gpuMilli == 1000
    },
    ProfileRow(
        name: "init containers: the larger of apps and the largest init step; sidecars add",
        spec: PodSpecRow(
            requests: ["cpu": "1", "memory": "1Gi"],
            initContainers: [(requests: ["cpu": "500m"], sidecar: true), (requests: ["cpu": "3", "memory": "512Mi"], sidecar: false)])
    ) {
        // apps 1 + sidecar 0.5 = 1.5 cores; init step 3 + sidecar 0.5 = 3.5 cores wins. Memory: apps 1 GiB beats 512 MiB.
        $0.cpuMilli == 3500 && $0.memoryBytes == 1_073_741_824
    },
    ProfileRow(
        name: "model, batch and sequence length: a profile and the fit's memory per GPU",
        spec: .gpus("1", ["modelplane.io/model": "llama-3.1-8b", "modelplane.io/batch": "8", "modelplane.io/sequence-length": "2048"])
    ) {
        $0.profile == "llama-3.1-8b, batch 8, seq 2048, bf16" && ($0.gpuMemoryBytes ?? 0) > 17e9 && ($0.gpuMemoryBytes ?? 0) < 30e9
    },
    ProfileRow(
        name: "tensor parallel over the pod's GPUs halves the weights per GPU",
        spec: .gpus(
            "2",
            [
                "modelplane.io/model": "llama-3.1-8b", "modelplane.io/batch": "1", "modelplane.io/sequence-length": "1024",
                "modelplane.io/precision": "fp8",
            ])
    ) {
        $0.profile == "llama-3.1-8b, batch 1, seq 1024, fp8" && ($0.gpuMemoryBytes ?? 0) > 4e9 && ($0.gpuMemoryBytes ?? 0) < 7e9
    },
    ProfileRow(name: "model without a shape: a profile, no memory", spec: .gpus("1", ["modelplane.io/model": "Qwen/Qwen2.5-7B"])) {
        $0.profile == "qwen2.5-7b, bf16" && $0.gpuMemoryBytes == nil
    },
    ProfileRow(
        name: "explicit GPU memory overrides the estimate",
        spec: .gpus(
            "1",
            [
                "modelplane.io/model": "llama-3.1-8b", "modelplane.io/batch": "8", "modelplane.io/sequence-length": "2048",
                "modelplane.io/gpu-memory": "40Gi",
            ])
    ) { $0.gpuMemoryBytes == 40 * 1_073_741_824 },
    ProfileRow(
        name: "every other annotation",
        spec: .gpus(
            "4",
            [
                "modelplane.io/gpu-types": "h100-sxm, NVIDIA H200", "modelplane.io/preferred-gpu-types": "NVIDIA-H100-80GB-HBM3",
                "modelplane.io/tenant": "team-a", "modelplane.io/expected-duration": "1h30m", "modelplane.io/replica-group": "g1",
                "modelplane.io/topology": "nvlink-required", "modelplane.io/data-locality": "zone-a, rack-12", "modelplane.io/throttling": "TRUE",
                "modelplane.io/priority": "p1",
            ])
    ) {
        $0.gpuTypes == ["nvidia_h100_sxm", "nvidia_h200_sxm"] && $0.preferredGPUTypes == ["nvidia_h100_sxm"] && $0.tenant == "team-a"
            && $0.expectedDurationSeconds == 5400 && $0.replicaGroup == "g1" && $0.topology == .nvlinkRequired
            && $0.dataLocality == ["zone-a", "rack-12"]
            && $0.throttlingDeclared && $0.priority == .p1 && $0.gpuCount == 4
    },
    ProfileRow(
        name: "a ReplicaSet's model pods form a replica group by default",
        spec: PodSpecRow(annotations: ["modelplane.io/model": "llama-3.1-8b"], limits: ["nvidia.com/gpu": "1"], ownerKind: "ReplicaSet")
    ) { $0.replicaGroup == "ns/llama-3.1-8b" },
    ProfileRow(
        name: "a Job's pods form no replica group",
        spec: PodSpecRow(annotations: ["modelplane.io/model": "llama-3.1-8b"], limits: ["nvidia.com/gpu": "1"], ownerKind: "Job")
    ) {
        $0.replicaGroup == nil
    },
    ProfileRow(name: "no namespace: tenant default", spec: PodSpecRow(namespace: "")) { $0.tenant == "default" && $0.id == "p" },
    ProfileRow(name: "durations in seconds and days", spec: PodSpecRow(annotations: ["modelplane.io/expected-duration": "1.5d"])) {
        $0.expectedDurationSeconds == 129_600
    },
]

/// `spec.priority` / class name without the annotation, and the annotation over them.
let priorityRows: [(PodSpecRow, PlacementPriority)] = [
    (PodSpecRow(priority: 2_000_001_000, priorityClassName: "system-node-critical"), .p0),
    (PodSpecRow(priority: 1_000_000_000), .p0),
    (PodSpecRow(priority: 1_000_000), .p1),
    (PodSpecRow(priority: 1_000), .p1),
    (PodSpecRow(priority: 999), .p2),
    (PodSpecRow(priority: 0), .p2),
    (PodSpecRow(), .p2),
    (PodSpecRow(priority: -1), .p3),
    (PodSpecRow(priority: -1_000), .p4),
    (PodSpecRow(priorityClassName: "system-cluster-critical"), .p0),
    (PodSpecRow(priorityClassName: "P3"), .p3),
    (PodSpecRow(priorityClassName: "batch-low"), .p2),
    (PodSpecRow(annotations: ["modelplane.io/priority": "P1"], priority: -5_000), .p1),
    (PodSpecRow(annotations: ["modelplane.io/priority": "4"], priority: 2_000_000_000), .p4),
]

@Suite("Pod profiling")
struct PodProfilerTests {
    @Test("pods profile to the expected requests", arguments: profileRows)
    func profiles(_ row: ProfileRow) throws {
        let request = try PodProfiler().profile(try row.spec.pod())
        #expect(row.check(request), "\(request)")
        #expect(request.contradictions().isEmpty)
    }

    @Test("priority from the annotation, else spec.priority, else the class name", arguments: priorityRows.indices)
    func priorities(_ index: Int) throws {
        let (spec, expected) = priorityRows[index]
        #expect(try PodProfiler().profile(try spec.pod()).priority == expected)
    }

    @Test("the API's every-field Pod profiles as CPU-only at its namespace")
    func everyFieldPod() throws {
        let pod = try KubePod(
            parsing: try String(contentsOf: kubernetesFixture("apimachinery-roundtrip-core.v1.Pod.json"), encoding: .utf8), source: "pod.json")
        let request = try PodProfiler().profile(pod)
        #expect(request.isCPUOnly)
        #expect(request.tenant == "namespaceValue")
        #expect(request.priority == .p2)
    }

    @Test("every problem of a pod is reported at once")
    func allErrors() throws {
        let pod = try PodSpecRow.gpus("2", ["modelplane.io/gpu-share": "40", "modelplane.io/priority": "P9", "modelplane.io/batch": "x"]).pod()
        do {
            _ = try PodProfiler().profile(pod)
            Issue.record("profiled")
        } catch {
            #expect(error.pod == "ns/p")
            #expect(error.errors.count == 4, "\(error)")
            #expect(error.description.split(separator: "\n").count == 4)
        }
    }
}
