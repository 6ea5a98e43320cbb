import Foundation
import ModelPlaneCore
import ModelPlaneTelemetry
import ModelPlaneTestSupport
import Testing

@Suite("Prometheus HTTP API responses")
struct PrometheusResponseTests {
    static func response(_ name: String) throws -> PrometheusQueryResponse {
        let url = Fixtures.shared.appendingPathComponent("fixtures/prometheus-api/\(name)")
        return try PrometheusQueryResponse.parse(try Fixtures.text(url), source: name)
    }

    @Test("docs vector and matrix: labels, millisecond timestamps, string values")
    func docs() throws {
        let vector = try Self.response("docs-query-vector-up.json")
        #expect(vector.resultType == .vector && vector.series.count == 2)
        #expect(vector.series[0].name == "up" && vector.series[0].labels == [Label("instance", "localhost:9090"), Label("job", "prometheus")])
        #expect(vector.series[0].points == [.init(milliseconds: 1_435_781_451_781, value: 1, text: "1")])
        #expect(vector.series[1].points.first?.value == 0)
        let matrix = try Self.response("docs-query-range-matrix-up.json")
        #expect(matrix.resultType == .matrix && matrix.series.map(\.points.count) == [3, 3])
        #expect(matrix.series[0].points.map(\.milliseconds) == [1_435_781_430_781, 1_435_781_445_781, 1_435_781_460_781])
        #expect(matrix.series[1].points.map(\.value) == [0, 0, 1])
        #expect(matrix.series[1].labels.first == Label("instance", "localhost:9091"))
    }

    @Test("dcgm FB_USED through Prometheus with honorLabels: 8 devices, exporter pod dropped, GPU 2's workload kept")
    func dcgmHonorLabels() throws {
        let scrape = try Self.response("query-vector-dcgm-fb-used-h100-honorlabels.json").normalized()
        #expect(scrape.devices.count == 8 && scrape.problemCount == 0)
        let node = "ip-100-64-147-149.ec2.internal"
        for gpu in 0..<8 {
            let device = try #require(scrape.device(DeviceKey(node: node, gpuIndex: gpu)))
            #expect(device[.memoryUsed] == (gpu == 2 ? 77_768_687_616 : 0))  // 74,166 MiB × 1,048,576
            #expect(device.modelName == "NVIDIA H100 80GB HBM3" && device.timestampMilliseconds == 1_772_826_012_900)
            #expect(
                device.pod
                    == (gpu == 2 ? PodReference(namespace: "dynamo-workload", pod: "vllm-agg-0-vllmdecodeworker-wmvrk", container: "main") : nil))
        }
        #expect(scrape.device(DeviceKey(node: node, gpuIndex: 0))?.uuid == "GPU-81d79b08-40a0-40ae-3fc5-82b8ff8b8138")
        #expect(scrape.device(DeviceKey(node: node, gpuIndex: 7))?.pciBusID == "00000000:CA:00.0")
    }

    @Test("vLLM waiting requests through Prometheus: the server is named by its pod")
    func vllmWaiting() throws {
        let scrape = try Self.response("query-vector-vllm-num-requests-waiting.json").normalized()
        let server = try #require(scrape.workloads.first)
        #expect(scrape.workloads.count == 1 && server[.waitingRequests] == 0 && server.timestampMilliseconds == 1_774_011_473_784)
        let namespace = "pod-autoscaling-custom-metric-1774011111"
        #expect(
            server.key == WorkloadKey(target: "\(namespace)/vllm-qwen25-500m-75f997f84c-bbxwq", modelName: "Qwen/Qwen2.5-0.5B-Instruct", engine: "0"))
        #expect(server.pod?.container == "vllm")
    }

    @Test("a matrix normalizes to one scrape per timestamp")
    func matrixByTime() throws {
        let text = """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"__name__":"DCGM_FI_DEV_POWER_USAGE","gpu":"0","Hostname":"n"},"values":[[10,"100.5"],[25,"200"]]},
              {"metric":{"__name__":"DCGM_FI_DEV_GPU_TEMP","gpu":"0","Hostname":"n"},"values":[[10,"9223372036854775808"]]}]}}
            """
        let steps = try PrometheusQueryResponse.parse(text, source: "t").normalizedByTime()
        #expect(steps.map(\.milliseconds) == [10_000, 25_000])
        #expect(steps[0].scrape.devices.first?[.power] == 100.5 && steps[1].scrape.devices.first?[.power] == 200)
        // A DCGM blank after Prometheus' float round trip prints as 2^63: still no data.
        #expect(steps[0].scrape.devices.first?[.gpuTemperature] == nil && steps[0].scrape.problems == [.noData: 1])
    }

    @Test("errors name where: an error status, a missing field, a value that is not a number, broken JSON")
    func errors() {
        let cases: [(String, String)] = [
            (#"{"status":"error","errorType":"bad_data","error":"parse error at char 4"}"#, "bad_data: parse error at char 4"),
            (#"{"status":"success","data":{"resultType":"vector"}}"#, "data.result"),
            (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"abc"]}]}}"#, "data.result[0].value"),
            (#"{"status":"success","data":{"resultType":"heatmap","result":[]}}"#, "resultType"),
            (#"{"status":"success","data":{"resultType":"vector","result":[}"#, "q:1:61: invalid JSON"),
        ]
        for (text, expected) in cases {
            #expect(throws: InputError.self) { try PrometheusQueryResponse.parse(text, source: "q") }
            do {
                _ = try PrometheusQueryResponse.parse(text, source: "q")
            } catch {
                #expect(error.description.contains(expected), "\(error.description)")
            }
        }
    }
}
