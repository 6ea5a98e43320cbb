import ModelPlaneActuation
import ModelPlaneCore
import Testing

/// A malformed body, the type it is sent as, and the error it must give.
struct BadBody: Sendable, CustomTestStringConvertible {
    let goType: String
    let body: String
    let location: String
    let fragment: String

    var testDescription: String { "\(goType): \(body.prefix(60))" }
}

let badBodies: [BadBody] = [
    BadBody(goType: "ExtenderArgs", body: "", location: "ExtenderArgs:1:1", fragment: "unexpected end of input"),
    BadBody(goType: "ExtenderArgs", body: "not json", location: "ExtenderArgs:1:1", fragment: "invalid JSON"),
    BadBody(goType: "ExtenderArgs", body: #"{"Pod": {"metadata": {}}"#, location: "ExtenderArgs:1:25", fragment: "inside an object"),
    BadBody(goType: "ExtenderArgs", body: "[]", location: "ExtenderArgs", fragment: "found a list; expected an ExtenderArgs object"),
    BadBody(
        goType: "ExtenderArgs", body: #"{"NodeNames":["a"]}"#, location: "ExtenderArgs.Pod", fragment: "is missing; expected the Pod being scheduled"),
    BadBody(goType: "ExtenderArgs", body: #"{"Pod":null}"#, location: "ExtenderArgs.Pod", fragment: "is missing"),
    BadBody(goType: "ExtenderArgs", body: #"{"Pod":"p"}"#, location: "ExtenderArgs.Pod", fragment: "found a string; expected a Pod object"),
    BadBody(goType: "ExtenderArgs", body: #"{"Pod":{"kind":"Node"}}"#, location: "ExtenderArgs.Pod.kind", fragment: "found kind Node"),
    BadBody(
        goType: "ExtenderArgs", body: #"{"Pod":{},"NodeNames":5}"#, location: "ExtenderArgs.NodeNames",
        fragment: "found a number; expected a list of strings"),
    BadBody(goType: "ExtenderArgs", body: #"{"Pod":{},"NodeNames":["a",1]}"#, location: "ExtenderArgs.NodeNames[1]", fragment: "expected a string"),
    BadBody(
        goType: "ExtenderArgs", body: #"{"Pod":{},"Nodes":{"items":{}}}"#, location: "ExtenderArgs.Nodes.items",
        fragment: "expected a list of Node objects"),
    BadBody(
        goType: "ExtenderArgs", body: #"{"Pod":{},"Nodes":{"items":[{"metadata":{"name":7}}, 3]}}"#, location: "ExtenderArgs.Nodes.items[1]",
        fragment: "expected a Node object"),
    BadBody(
        goType: "ExtenderArgs", body: #"{"Pod":{},"Nodes":{"kind":"PodList","items":[]}}"#, location: "ExtenderArgs.Nodes.kind",
        fragment: "found kind PodList"),
    BadBody(
        goType: "ExtenderArgs", body: #"{"Pod":{"spec":{"containers":[{"resources":{"requests":{"cpu":"5x"}}}]}}}"#,
        location: "ExtenderArgs.Pod.spec.containers[0].resources.requests.cpu", fragment: "\"5x\" is not a Kubernetes quantity"),
    BadBody(
        goType: "ExtenderArgs", body: #"{"Pod":{"metadata":{"labels":{"a":[]}}}}"#, location: "ExtenderArgs.Pod.metadata.labels.a",
        fragment: "found a list; expected a string"),
    BadBody(
        goType: "ExtenderArgs", body: #"{"Pod":{"spec":{"priority":"high"}}}"#, location: "ExtenderArgs.Pod.spec.priority",
        fragment: "expected a whole number"),
    BadBody(
        goType: "ExtenderFilterResult", body: #"{"FailedNodes":{"n":1}}"#, location: "ExtenderFilterResult.FailedNodes.n",
        fragment: "expected a string"),
    BadBody(goType: "ExtenderFilterResult", body: #"{"Error":false}"#, location: "ExtenderFilterResult.Error", fragment: "found a boolean"),
    BadBody(goType: "HostPriority", body: #"{"Host":"h","Score":11}"#, location: "HostPriority.Score", fragment: "11 is outside 0…10"),
    BadBody(goType: "HostPriority", body: #"{"Host":"h","Score":-1}"#, location: "HostPriority.Score", fragment: "-1 is outside 0…10"),
    BadBody(goType: "HostPriority", body: #"{"Host":"h","Score":1.5}"#, location: "HostPriority.Score", fragment: "1.5 is not a whole number"),
    BadBody(goType: "HostPriority", body: #"{"Host":"h","Score":"1"}"#, location: "HostPriority.Score", fragment: "found a string"),
    BadBody(goType: "HostPriorityList", body: #"{"Host":"h"}"#, location: "HostPriorityList", fragment: "expected a list of HostPriority objects"),
    BadBody(
        goType: "HostPriorityList", body: #"[{"Host":"h","Score":3},{"Host":"g","Score":99}]"#, location: "HostPriorityList[1].Score",
        fragment: "99 is outside"),
    BadBody(goType: "ExtenderBindingArgs", body: #"{"PodName":"p"}"#, location: "ExtenderBindingArgs.Node", fragment: "is missing or empty"),
    BadBody(goType: "ExtenderBindingArgs", body: #"{"Node":"n"}"#, location: "ExtenderBindingArgs.PodName", fragment: "is missing or empty"),
    BadBody(
        goType: "ExtenderBindingArgs", body: #"{"PodName":"p","Node":"n","PodUID":{}}"#, location: "ExtenderBindingArgs.PodUID",
        fragment: "found an object"),
    BadBody(
        goType: "ExtenderPreemptionArgs", body: #"{"Pod":{},"NodeNameToVictims":{"n":{"Pods":{}}}}"#,
        location: "ExtenderPreemptionArgs.NodeNameToVictims.n.Pods", fragment: "expected a list of Pod objects"),
    BadBody(
        goType: "ExtenderPreemptionArgs", body: #"{"Pod":{},"NodeNameToVictims":{"n":{"Pods":[null]}}}"#,
        location: "ExtenderPreemptionArgs.NodeNameToVictims.n.Pods[0]", fragment: "found null; expected a Pod object"),
    BadBody(
        goType: "ExtenderPreemptionArgs", body: #"{"Pod":{},"NodeNameToMetaVictims":{"n":{"NumPDBViolations":"2"}}}"#,
        location: "ExtenderPreemptionArgs.NodeNameToMetaVictims.n.NumPDBViolations", fragment: "found a string; expected a whole number"),
    BadBody(
        goType: "ExtenderPreemptionResult", body: #"{"NodeNameToMetaVictims":{"n":null}}"#,
        location: "ExtenderPreemptionResult.NodeNameToMetaVictims.n",
        fragment: "found null; expected an object"),
    BadBody(
        goType: "ExtenderPreemptionResult", body: #"{"NodeNameToMetaVictims":{"n":{"Pods":[{"UID":5}]}}}"#,
        location: "ExtenderPreemptionResult.NodeNameToMetaVictims.n.Pods[0].UID", fragment: "expected a string"),
]

@Suite("kube-scheduler extender: malformed bodies")
struct ExtenderErrorTests {
    @Test("each gives an InputError naming the field path", arguments: badBodies)
    func malformed(_ row: BadBody) {
        do {
            _ = try reencode(row.goType, row.body)
            Issue.record("decoded without an error")
        } catch let error as InputError {
            #expect(error.location == row.location, "\(error)")
            #expect(error.description.contains(row.fragment), "\(error)")
        } catch {
            Issue.record("not an InputError: \(error)")
        }
    }

    @Test("a body over the size limit is refused before parsing")
    func oversized() throws {
        let body = try extenderFixture("ExtenderArgs")
        let small = ExtenderDecodingOptions(maxBodyBytes: 100)
        #expect(throws: InputError("ExtenderArgs body", "is \(body.utf8.count) bytes", expected: "at most 100 bytes")) {
            try ExtenderArgs.decode(body, options: small)
        }
        #expect(throws: InputError.self) { try ExtenderArgs.decode(bytes: Array(body.utf8), options: small) }
        #expect(try ExtenderArgs.decode(bytes: Array(body.utf8)).pod.name == "podname")
        #expect(ExtenderDecodingOptions().maxBodyBytes == 8 * 1_048_576)
    }

    @Test("deep nesting and unknown fields: refused and ignored, never a crash")
    func deepAndUnknown() throws {
        #expect(throws: InputError.self) { try ExtenderArgs.decode("{\"Pod\":" + String(repeating: "[", count: 10_000)) }
        let args = try ExtenderArgs.decode(#"{"Pod":{"metadata":{"name":"p"}},"Extra":[1,2,{"x":"}"}],"nodenames":["a"]}"#)
        #expect(args.nodeNames == ["a"])
        #expect(args.jsonText() == #"{"Pod":{"metadata":{"name":"p"}},"Nodes":null,"NodeNames":["a"]}"#)
    }

    @Test("a later duplicate key wins, as in Go; whitespace around the body is ignored")
    func duplicates() throws {
        let args = try ExtenderArgs.decode(" \n{\"Pod\":{\"metadata\":{\"name\":\"first\"}}, \"pod\" : {\"metadata\":{\"name\":\"second\"}} }\n")
        #expect(args.pod.name == "second")
        #expect(args.pod.raw.text == #"{"metadata":{"name":"second"}}"#)
    }
}

@Suite("HostPriority scores")
struct HostPriorityTests {
    @Test("0…10 are scores; anything else is refused")
    func range() throws {
        #expect(try HostPriority(host: "n", score: 0).score == 0)
        #expect(try HostPriority(host: "n", score: 10).score == 10)
        #expect(throws: InputError.self) { try HostPriority(host: "n", score: 11) }
        #expect(throws: InputError.self) { try HostPriority(host: "n", score: -1) }
    }

    @Test("fractions round to 0…10, slop is clamped, clearly outside or NaN is refused")
    func fractions() throws {
        #expect(try HostPriority(host: "n", fraction: 0.44).score == 4)
        #expect(try HostPriority(host: "n", fraction: 0.45).score == 5)
        #expect(try HostPriority(host: "n", fraction: 1.0005).score == 10)
        #expect(try HostPriority(host: "n", fraction: -0.0005).score == 0)
        for bad in [1.5, -0.2, Double.nan, .infinity] {
            #expect(throws: InputError.self) { try HostPriority(host: "n", fraction: bad) }
        }
    }

    @Test("a list is a JSON array; null and [] read as empty")
    func list() throws {
        let list = HostPriorityList([try HostPriority(host: "a", score: 3), try HostPriority(host: "b", score: 10)])
        #expect(list.jsonText() == #"[{"Host":"a","Score":3},{"Host":"b","Score":10}]"#)
        #expect(try HostPriorityList.decode(list.jsonText()) == list)
        #expect(try HostPriorityList.decode("null").priorities.isEmpty)
        #expect(HostPriorityList([]).jsonText() == "[]")
        #expect(try HostPriorityList.decode(#"[{"host":"a","score":3}]"#).priorities == [try HostPriority(host: "a", score: 3)])
    }
}
