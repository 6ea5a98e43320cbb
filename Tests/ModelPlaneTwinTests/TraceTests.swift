import Foundation
import ModelPlaneCore
import ModelPlaneTestSupport
import Testing

@testable import ModelPlaneTwin

@Suite("Alibaba GPU trace")
struct TraceTests {
    static let folder = Fixtures.shared.appendingPathComponent("traces/alibaba-gpu-v2023/csv")

    static func load(_ file: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
    }

    @Test("the GPU node list: 1,213 nodes, 6,212 GPUs, seven models (PROVENANCE.md)")
    func gpuNodes() throws {
        let nodes = try OpenBTrace.nodes(csv: Self.load("openb_node_list_gpu_node.csv"), source: "gpu_node.csv")
        #expect(nodes.count == 1_213)
        #expect(nodes.map(\.gpuCount).reduce(0, +) == 6_212)
        #expect(Set(nodes.compactMap(\.gpuModel)) == ["A10", "G2", "G3", "P100", "T4", "V100M16", "V100M32"])
        #expect(nodes[0] == TraceNode(name: "openb-node-0000", cpuMilli: 64_000, memoryMiB: 262_144, gpuCount: 2, gpuModel: "P100"))
        let all = try OpenBTrace.nodes(csv: Self.load("openb_node_list_all_node.csv"), source: "all_node.csv")
        #expect(all.count == 1_523 && all.filter { $0.gpuCount == 0 }.count == 310)
        #expect(all.filter { $0.gpuCount == 0 }.allSatisfy { $0.gpuModel == nil })
    }

    @Test(
        "every pod list loads, the 5-column multigpu file included",
        arguments: [
            ("openb_pod_list_default.csv", 8_152), ("openb_pod_list_cpu0.csv", 7_064), ("openb_pod_list_cpu037.csv", 7_336),
            ("openb_pod_list_cpu050.csv", 7_439), ("openb_pod_list_cpu072.csv", 7_608), ("openb_pod_list_cpu235.csv", 9_240),
            ("openb_pod_list_cpu300.csv", 10_094), ("openb_pod_list_gpushare20.csv", 8_152), ("openb_pod_list_gpushare40.csv", 8_152),
            ("openb_pod_list_gpuspec05.csv", 8_152), ("openb_pod_list_gpuspec10.csv", 8_152), ("openb_pod_list_multigpu20.csv", 8_324),
        ])
    func podLists(file: String, rows: Int) throws {
        let pods = try OpenBTrace.pods(csv: Self.load(file), source: file)
        #expect(pods.count == rows)
        #expect(pods.allSatisfy { $0.gpuCount <= 1 || $0.gpuMilli == 1000 })
        if file.contains("multigpu") { #expect(pods.allSatisfy { $0.creationTime == nil && $0.gpuSpec.isEmpty }) }
    }

    @Test("the default list: first rows, CPU-only share 13.3 %, GPU-sharing share of the GPU request 28.5 %")
    func defaultPods() throws {
        let pods = try OpenBTrace.pods(csv: Self.load("openb_pod_list_default.csv"), source: "default.csv")
        #expect(
            pods[1]
                == TracePod(
                    name: "openb-pod-0001", cpuMilli: 6_000, memoryMiB: 12_288, gpuCount: 1, gpuMilli: 460, qos: "LS", phase: "Running",
                    creationTime: 427_061, deletionTime: 12_902_960, scheduledTime: 427_061))
        let cpuOnly = Double(pods.filter(\.isCPUOnly).count) / Double(pods.count)
        #expect(close(cpuOnly, 0.133, within: 0.0005))
        let request = pods.map(\.totalGPUMilli).reduce(0, +)
        let sharing = pods.filter(\.isSharing).map(\.totalGPUMilli).reduce(0, +)
        #expect(close(Double(sharing) / Double(request), 0.285, within: 0.0005))
    }

    @Test("gpu_spec alternatives are split and deduplicated")
    func gpuSpec() throws {
        let pods = try OpenBTrace.pods(csv: Self.load("openb_pod_list_gpuspec10.csv"), source: "gpuspec10.csv")
        #expect(pods.contains { $0.gpuSpec == ["V100M16", "V100M32"] })
        #expect(OpenBTrace.models("V100M16|V100M32|V100M32") == ["V100M16", "V100M32"])
    }

    @Test(
        "malformed CSV is a named error with file, line and column",
        arguments: [
            ("sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,2\n", "x.csv:2", "4 fields"),
            ("sn,cpu_milli,memory_mib,gpu,model\nn0,-1,262144,2,T4\n", "x.csv:2 cpu_milli", "-1"),
            ("sn,cpu_milli,memory_mib,gpu,model\nn0,64000,lots,2,T4\n", "x.csv:2 memory_mib", "\"lots\""),
            ("sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,2,\n", "x.csv:2 model", "empty for a node with 2 GPUs"),
            ("sn,cpu_milli,memory_mib,gpu,model\nn0,1,1,0,\nn0,1,1,0,\n", "x.csv:3 sn", "appears twice"),
            ("sn,cpu,memory_mib,gpu,model\n", "x.csv", "no column cpu_milli"),
            ("sn,cpu_milli,memory_mib,gpu,model\n\"n0,1,1,0,\n", "x.csv:2", "not closed"),
        ])
    func badNodes(text: String, location: String, problem: String) {
        #expect {
            _ = try OpenBTrace.nodes(csv: text, source: "x.csv")
        } throws: { error in
            let error = error as? InputError
            return error?.location == location && error?.problem.contains(problem) == true
        }
    }

    @Test("a pod that shares more than one GPU, or a CPU pod with a GPU share, is refused")
    func badPods() {
        let header = "name,cpu_milli,memory_mib,num_gpu,gpu_milli\n"
        #expect(throws: InputError.self) { try OpenBTrace.pods(csv: header + "p,1,1,2,500\n", source: "p.csv") }
        #expect(throws: InputError.self) { try OpenBTrace.pods(csv: header + "p,1,1,0,500\n", source: "p.csv") }
        #expect(throws: InputError.self) { try OpenBTrace.pods(csv: header + "p,1,1,1,1500\n", source: "p.csv") }
    }
}
