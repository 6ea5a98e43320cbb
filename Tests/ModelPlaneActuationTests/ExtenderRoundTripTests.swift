import Foundation
import ModelPlaneActuation
import ModelPlaneCore
import ModelPlaneTestSupport
import Testing

/// Decodes a body of the named Go type and writes it back.
func reencode(_ goType: String, _ text: String) throws -> String {
    switch goType {
    case "ExtenderArgs": try ExtenderArgs.decode(text).jsonText()
    case "ExtenderFilterResult": try ExtenderFilterResult.decode(text).jsonText()
    case "HostPriority": try HostPriority.decode(text).jsonText()
    case "HostPriorityList": try HostPriorityList.decode(text).jsonText()
    case "ExtenderBindingArgs": try ExtenderBindingArgs.decode(text).jsonText()
    case "ExtenderBindingResult": try ExtenderBindingResult.decode(text).jsonText()
    case "ExtenderPreemptionArgs": try ExtenderPreemptionArgs.decode(text).jsonText()
    case "ExtenderPreemptionResult": try ExtenderPreemptionResult.decode(text).jsonText()
    default: throw InputError(goType, "no such extender type")
    }
}

/// The upstream compatibility test's golden bodies, one per Go type.
let extenderFixtures = [
    "ExtenderArgs", "ExtenderBindingArgs", "ExtenderBindingResult", "ExtenderFilterResult", "ExtenderPreemptionArgs",
    "ExtenderPreemptionResult", "HostPriority",
]

func extenderFixture(_ goType: String) throws -> String {
    let url = Fixtures.shared.appendingPathComponent("fixtures/kube-scheduler-extender/\(goType).json")
    var text = try Fixtures.text(url)
    if text.hasSuffix("\n") { text.removeLast() }
    return text
}

/// Go field names of the extender types (the keys a lower-casing sender would change; Kubernetes objects inside keep theirs).
let goFieldNames = [
    "Pod", "Nodes", "NodeNames", "FailedNodes", "FailedAndUnresolvableNodes", "Error", "Host", "Score", "PodName", "PodNamespace", "PodUID",
    "Node", "NodeNameToVictims", "NodeNameToMetaVictims", "Pods", "NumPDBViolations", "UID",
]

@Suite("kube-scheduler extender wire types")
struct ExtenderRoundTripTests {
    @Test("every upstream fixture decodes and encodes back to the same bytes", arguments: extenderFixtures)
    func roundTrip(_ goType: String) throws {
        let text = try extenderFixture(goType)
        #expect(try reencode(goType, text) == text)
    }

    @Test("the fixture directory holds no extender body this suite misses")
    func everyFixtureCovered() {
        let names = Fixtures.files(in: "kube-scheduler-extender", suffix: ".json").map { $0.deletingPathExtension().lastPathComponent }
        #expect(!names.isEmpty)
        #expect(Set(names.filter { !$0.hasPrefix("gpushare") }) == Set(extenderFixtures))
    }

    @Test("lower-cased Go field names decode (encoding/json matches case-insensitively)", arguments: extenderFixtures)
    func lowerCaseKeys(_ goType: String) throws {
        let text = try extenderFixture(goType)
        var lowered = text
        for name in goFieldNames { lowered = lowered.replacing("\"\(name)\":", with: "\"\(name.lowercased())\":") }
        #expect(lowered != text)
        #expect(try reencode(goType, lowered) == text)
    }

    @Test("ExtenderArgs: typed views of the pod and nodes beside their raw text")
    func argsAccessors() throws {
        let args = try ExtenderArgs.decode(try extenderFixture("ExtenderArgs"))
        #expect(args.pod.name == "podname")
        #expect(args.pod.containers.isEmpty)
        #expect(args.pod.raw.text == #"{"metadata":{"name":"podname"},"spec":{"containers":null},"status":{}}"#)
        #expect(args.nodes?.names == ["nodename"])
        #expect(args.nodeNames == ["node1"])
        #expect(args.candidateNodeNames == ["node1"])
    }

    @Test("preemption victims: pods typed, meta victims by UID")
    func preemptionAccessors() throws {
        let args = try ExtenderPreemptionArgs.decode(try extenderFixture("ExtenderPreemptionArgs"))
        #expect(args.nodeNameToVictims?["foo"]?.pods?.map(\.name) == ["podname"])
        #expect(args.nodeNameToVictims?["foo"]?.numPDBViolations == 1)
        #expect(args.nodeNameToMetaVictims?["foo"]?.pods == [MetaPod(uid: "myuid")])
        let result = try ExtenderPreemptionResult.decode(try extenderFixture("ExtenderPreemptionResult"))
        #expect(result.nodeNameToMetaVictims == args.nodeNameToMetaVictims)
    }

    @Test("a real kubectl node list and the API's every-field Pod pass through a filter byte for byte")
    func realObjectsPassThrough() throws {
        let pod = try Fixtures.text(Fixtures.shared.appendingPathComponent("fixtures/kubernetes-api/apimachinery-roundtrip-core.v1.Pod.json"))
        let nodes = try Fixtures.text(Fixtures.shared.appendingPathComponent("fixtures/kubernetes-api/nodelist-gpu-vgpu-a16-rke2-kubectl.json"))
        let trimmedPod = pod.trimmingCharacters(in: .whitespacesAndNewlines)
        let trimmedNodes = nodes.trimmingCharacters(in: .whitespacesAndNewlines)
        let body = "{\"Pod\":\(trimmedPod),\"Nodes\":\(trimmedNodes),\"NodeNames\":null}"
        let args = try ExtenderArgs.decode(body)
        #expect(args.jsonText() == body)
        #expect(args.pod.key == "namespaceValue/nameValue")
        let node = try #require(args.nodes?.items.first)
        #expect(node.name == "nori")
        #expect(node.allocatable["nvidia.com/gpu"]?.value == 1)
        #expect(node.capacity["memory"]?.value == 16_760_492_032)
        #expect(node.labels["nvidia.com/gpu.product"] == "NVIDIA-A16-4Q")

        let passed = ExtenderFilterResult.filtering(args) { _ in nil }
        #expect(
            passed.jsonText()
                == "{\"Nodes\":\(trimmedNodes),\"NodeNames\":null,\"FailedNodes\":{},\"FailedAndUnresolvableNodes\":null,\"Error\":\"\"}")
        let failed = ExtenderFilterResult.filtering(args) { $0 == "nori" ? "no H100 <here> & none free" : nil }
        #expect(failed.nodes?.items.isEmpty == true)
        #expect(failed.failedNodes == ["nori": "no H100 <here> & none free"])
        let text = failed.jsonText()
        #expect(text.contains(#""items":[]"#))
        let envelope = "{\"apiVersion\":\"v1\",\"items\":[],\"kind\":\"List\",\"metadata\":{\n        \"resourceVersion\": \"\"\n    }}"
        #expect(text.hasPrefix("{\"Nodes\":\(envelope),"), "the envelope's members keep their bytes")
        #expect(text.contains(#""FailedNodes":{"nori":"no H100 \u003chere\u003e \u0026 none free"}"#))
        let reread = try ExtenderFilterResult.decode(text)
        #expect(reread.failedNodes == failed.failedNodes)
        #expect(reread.jsonText() == text)
    }

    @Test("a filter over node names answers with names; a new node list is written as Go writes v1.NodeList")
    func filterByNames() throws {
        let args = ExtenderArgs(pod: try KubePod(parsing: #"{"metadata":{"name":"p"}}"#, source: "pod"), nodeNames: ["b", "a", "c"])
        let result = ExtenderFilterResult.filtering(args) { $0 == "a" ? "full" : nil }
        #expect(result.jsonText() == #"{"Nodes":null,"NodeNames":["b","c"],"FailedNodes":{"a":"full"},"FailedAndUnresolvableNodes":null,"Error":""}"#)
        let node = try KubeNode(parsing: #"{"metadata":{"name":"n1"}}"#, source: "node")
        #expect(KubeNodeList(items: [node]).jsonText() == #"{"metadata":{},"items":[{"metadata":{"name":"n1"}}]}"#)
    }

    @Test("a 5,000-node NodeList decodes, filters and echoes the passing nodes byte for byte")
    func largeList() throws {
        let node =
            #"{"metadata":{"name":"node-N","labels":{"nvidia.com/gpu.product":"NVIDIA-H100-80GB-HBM3"}},"status":{"allocatable":{"nvidia.com/gpu":"8","memory":"1Ti"}}}"#
        let items = (0..<5_000).map { node.replacing("node-N", with: "node-\($0)") }
        let body = #"{"Pod":{"metadata":{"name":"p"}},"Nodes":{"metadata":{},"items":["# + items.joined(separator: ",") + #"]},"NodeNames":null}"#
        let args = try ExtenderArgs.decode(body)
        #expect(args.nodes?.items.count == 5_000)
        #expect(args.nodes?.items.last?.allocatable["memory"]?.value == 1 << 40)
        #expect(args.jsonText() == body)
        let result = ExtenderFilterResult.filtering(args) { $0.hasSuffix("7") ? "no GPU free" : nil }
        let passing = items.filter { !$0.contains(#"7","#) }
        #expect(result.nodes?.items.count == 4_500)
        #expect(result.nodes?.jsonText() == #"{"metadata":{},"items":["# + passing.joined(separator: ",") + "]}")
        #expect(result.failedNodes?.count == 500)
    }

    @Test("Go string escaping and sorted map keys")
    func goEncoding() throws {
        let result = ExtenderFilterResult(failedNodes: ["b": "x", "a": "<&>\u{2028}\u{01}\t\"\\é"], error: "e")
        #expect(
            result.jsonText()
                == #"{"Nodes":null,"NodeNames":null,"FailedNodes":{"a":"\u003c\u0026\u003e\u2028\u0001\t\"\\é","b":"x"},"FailedAndUnresolvableNodes":null,"Error":"e"}"#
        )
        #expect(try ExtenderFilterResult.decode(result.jsonText()) == result)
    }
}
