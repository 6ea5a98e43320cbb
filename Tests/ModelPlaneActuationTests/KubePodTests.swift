import Foundation
import ModelPlaneActuation
import ModelPlaneConfig
import ModelPlaneCore
import ModelPlaneTestSupport
import Testing

func kubernetesFixture(_ name: String) -> URL { Fixtures.shared.appendingPathComponent("fixtures/kubernetes-api/\(name)") }

@Suite("Kubernetes Pod and Node views")
struct KubePodTests {
    @Test("the API machinery's every-field Pod parses; the fields placement reads are typed")
    func everyFieldPod() throws {
        let text = try Fixtures.text(kubernetesFixture("apimachinery-roundtrip-core.v1.Pod.json"))
        let pod = try KubePod(parsing: text, source: "core.v1.Pod.json")
        #expect(pod.key == "namespaceValue/nameValue")
        #expect(pod.metadata.uid == "uidValue")
        #expect(pod.metadata.labels == ["labelsKey": "labelsValue"])
        #expect(pod.metadata.annotations == ["annotationsKey": "annotationsValue"])
        #expect(pod.metadata.ownerReferences == [KubeOwnerReference(kind: "kindValue", name: "nameValue", controller: true)])
        #expect(pod.containers.count == 1)
        #expect(pod.containers.first?.requests["requestsKey"] == KubeQuantity("0"))
        #expect(pod.containers.first?.limits["limitsKey"] == KubeQuantity("0"))
        #expect(pod.initContainers.count == 1)
        #expect(pod.nodeSelector == ["nodeSelectorKey": "nodeSelectorValue"])
        #expect(pod.priority == 25)
        #expect(pod.priorityClassName == "priorityClassNameValue")
        #expect(pod.overhead["overheadKey"] == KubeQuantity("0"))
        #expect(pod.nodeName == "nodeNameValue")
        #expect(pod.schedulerName == "schedulerNameValue")
        #expect(pod.raw.text == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("the API machinery's every-field Node parses")
    func everyFieldNode() throws {
        let node = try KubeNode(
            parsing: try Fixtures.text(kubernetesFixture("apimachinery-roundtrip-core.v1.Node.json")), source: "core.v1.Node.json")
        #expect(node.name == "nameValue")
        #expect(node.unschedulable)
        #expect(node.capacity["capacityKey"] == KubeQuantity("0"))
        #expect(node.allocatable["allocatableKey"] == KubeQuantity("0"))
    }

    @Test("kubectl's node list (kind: List) parses as a NodeList")
    func kubectlNodeList() throws {
        let list = try KubeNodeList(parsing: try Fixtures.text(kubernetesFixture("nodelist-gpu-vgpu-a16-rke2-kubectl.json")), source: "nodes.json")
        #expect(list.names == ["nori"])
        #expect(list.items.first?.allocatable["cpu"]?.milliValue == 2000)
    }

    @Test("GKE's L4 pod (YAML, read through ModelPlaneConfig) parses and profiles as one whole GPU")
    func gkePod() throws {
        let url = kubernetesFixture("pod-gke-l4-nvidia-gpu-unschedulable.yaml")
        let value = try ConfigFile.read(url.path)
        let pod = try KubePod(RawJSON(value: value), path: "gke-pod.yaml:")
        #expect(pod.key == "kueue-dws/dws-pod")
        #expect(pod.priority == 0)
        #expect(pod.nodeSelector["cloud.google.com/gke-accelerator"] == "nvidia-l4")
        #expect(pod.containers.first?.requests["nvidia.com/gpu"] == KubeQuantity("1"))
        let request = try PodProfiler().profile(pod)
        #expect(request.gpuCount == 1)
        #expect(request.gpuMilli == 1000)
        #expect(request.sharing == .exclusive)
        #expect(request.cpuMilli == 500)
        #expect(request.memoryBytes == 512 * 1_048_576)
        #expect(request.priority == .p2)
        #expect(request.tenant == "kueue-dws")
        #expect(request.id == "kueue-dws/dws-pod")
    }

    @Test("a Pod's wrong kind and malformed fields name the field")
    func errors() {
        #expect(throws: InputError("p.json: kind", "found kind Node", expected: "a Pod")) {
            try KubePod(parsing: #"{"kind":"Node"}"#, source: "p.json")
        }
        #expect(throws: InputError("p.json: spec.containers[0]", "found a string", expected: "a container object")) {
            try KubePod(parsing: #"{"spec":{"containers":["c"]}}"#, source: "p.json")
        }
        #expect(throws: InputError("p.json: spec.overhead.cpu", "found a boolean", expected: "a quantity such as \"500m\" or \"16Gi\"")) {
            try KubePod(parsing: #"{"spec":{"overhead":{"cpu":true}}}"#, source: "p.json")
        }
    }
}
