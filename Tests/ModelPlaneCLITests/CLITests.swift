import Foundation
import ModelPlaneCore
import Testing

/// Runs the built `modelplane` executable as an operator would and checks its output and exit status.
@Suite("modelplane command line")
struct CLITests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let executable: URL = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("modelplane"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("modelplane"),
            Bundle.main.bundleURL.appendingPathComponent("modelplane"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    static let palm = [
        "mfu", "--params", "540.35B", "--layers", "118", "--heads", "48", "--head-dim", "256", "--seq-len", "2048", "--formula", "palm",
        "--gpu", "tpu-v4", "--devices", "6144", "--tokens-per-second", "238.3K", "--recompute", "palm-remat",
    ]

    @Test("mfu --json gives the documented fields (PaLM 540B: MFU 46.2%, HFU 57.8%)")
    func mfuJSON() throws {
        let result = try run(Self.palm + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let value = try JSONReader.parse(result.stdout, source: "stdout")
        guard case .object(let fields) = value else {
            Issue.record("not an object")
            return
        }
        for key in ["flops_per_token", "hw_flops_per_token", "model_tflops_per_device", "mfu", "hfu", "formula", "peak_flops_per_device"] {
            #expect(fields[key] != nil, "missing \(key)")
        }
        guard case .number(let mfu) = fields["mfu"], case .number(let hfu) = fields["hfu"], case .number(let peak) = fields["peak_flops_per_device"]
        else {
            Issue.record("mfu, hfu or peak not numbers")
            return
        }
        #expect(abs(mfu - 0.4623) < 0.0005 && abs(hfu - 0.5783) < 0.0005 && peak == 275e12)
        #expect(fields["formula"] == .string("palm"))
    }

    @Test("mfu with --model fills the architecture from the catalog; the table names the formula and peak")
    func mfuWithModel() throws {
        let result = try run([
            "mfu", "--model", "llama-3.1-8b", "--formula", "megatron-core", "--seq-len", "8192", "--gpu", "NVIDIA H100 80GB HBM3",
            "--devices", "8", "--tokens-per-second-per-device", "8000",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("megatron-core"))
        #expect(result.stdout.contains("989.4 TFLOP/s"))
        // 51.47 GFLOP/token · 8000 tokens/s / 989.4 TFLOP/s = 41.6%.
        #expect(result.stdout.contains("41.6%"))
    }

    @Test("decode reports memory-bandwidth utilization beside MFU")
    func decodeBandwidth() throws {
        let result = try run([
            "mfu", "--model", "llama-3.1-8b", "--formula", "inference-decode", "--context", "1024", "--gpu", "h100-sxm", "--batch", "1",
            "--tokens-per-second", "100",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("bandwidth util."))
        #expect(result.stdout.contains("memory-bound"))
    }

    @Test("fit: Llama 3.1 70B bf16 does not fit one L4 and the minimum is 8; 8B fits an H100 at 8k with headroom")
    func fit() throws {
        let l4 = try run(["fit", "--model", "llama-3.1-70b", "--gpu", "l4", "--context", "8192"])
        #expect(l4.status == 0, "\(l4.stderr)")
        #expect(l4.stdout.contains("does not fit"))
        #expect(l4.stdout.contains("minimum           8 × NVIDIA L4"))
        let h100 = try run(["fit", "--model", "llama-3.1-8b", "--gpu", "h100", "--context", "8192", "--json"])
        #expect(h100.status == 0, "\(h100.stderr)")
        #expect(h100.stdout.contains("\"verdict\": \"fits\""))
    }

    @Test("catalog listings")
    func catalog() throws {
        let gpus = try run(["catalog", "gpus"])
        #expect(gpus.status == 0)
        #expect(gpus.stdout.contains("nvidia_h100_sxm") && gpus.stdout.contains("amd_mi300x") && gpus.stdout.contains("nvidia_t4"))
        let models = try run(["catalog", "models", "--json"])
        #expect(models.status == 0)
        #expect(models.stdout.contains("deepseek-v3"))
    }

    @Test("--help explains each formula in one line")
    func help() throws {
        let result = try run(["mfu", "--help"])
        for formula in FLOPsFormula.allCases { #expect(result.stdout.contains(formula.rawValue)) }
    }

    struct BadRow: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let mentions: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let base = ["mfu", "--model", "llama-3.1-8b", "--seq-len", "4096", "--gpu", "h100"]

    @Test(
        "bad input exits non-zero with one clear line",
        arguments: [
            BadRow(arguments: ["mfu", "--params", "8B", "--gpu", "h900", "--tokens-per-second", "100"], mentions: "unknown device"),
            BadRow(arguments: ["mfu", "--model", "llama-9", "--gpu", "h100", "--tokens-per-second", "100"], mentions: "unknown model"),
            BadRow(arguments: base + ["--tokens-per-second", "0"], mentions: "not positive"),
            BadRow(arguments: base + ["--tokens-per-second=-3"], mentions: "not positive"),
            BadRow(arguments: base + ["--tokens-per-second", "nan"], mentions: "not a finite number"),
            BadRow(arguments: base + ["--tokens-per-second-per-device", "1e12"], mentions: "impossible"),
            BadRow(arguments: base, mentions: "exactly one of"),
            BadRow(
                arguments: ["mfu", "--params", "8B", "--formula", "megatron", "--gpu", "h100", "--tokens-per-second", "100"], mentions: "--layers"),
            BadRow(arguments: base + ["--precision", "fp7", "--tokens-per-second", "100"], mentions: "unknown precision"),
            BadRow(
                arguments: ["mfu", "--params", "8B", "--gpu", "t4", "--precision", "bf16", "--tokens-per-second", "10"],
                mentions: "no published dense bf16"),
            BadRow(
                arguments: ["mfu", "--model", "/nonexistent/config.json", "--gpu", "h100", "--tokens-per-second", "100"], mentions: "no such file"),
            BadRow(arguments: ["fit", "--model", "llama-3.1-8b", "--gpu", "h100", "--mig", "9g.99gb"], mentions: "not a profile"),
            BadRow(arguments: ["fit", "--model", "llama-3.1-8b", "--gpu", "h100", "--context", "0"], mentions: "--context"),
        ])
    func badInput(_ row: BadRow) throws {
        let result = try run(row.arguments)
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(row.mentions), "\(result.stderr)")
    }

    @Test("an inconsistent config.json is rejected with the field named")
    func inconsistentConfig() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-config-\(UUID().uuidString).json").path
        try
            #"{"hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 6, "vocab_size": 32000, "intermediate_size": 11008}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let result = try run(["fit", "--model", path, "--gpu", "h100"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("key/value heads"), "\(result.stderr)")
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/fixtures")

    @Test("telemetry inspect: a dcgm scrape as normalized devices in ModelPlane's units, and as JSON")
    func telemetryInspect() throws {
        let file = Self.fixtures.appendingPathComponent("dcgm-exporter/metrics/t4-under-load-no-help-lines.prom").path
        let table = try run(["telemetry", "inspect", file])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("node cp-bm14r7") && table.stdout.contains("15152422.938"), "\(table.stdout)")
        #expect(table.stdout.contains("1 device(s), 0 server(s)"))
        let json = try run(["telemetry", "inspect", "--json", file])
        let value = try JSONReader.parse(json.stdout, source: "stdout")
        guard case .object(let top) = value, case .array(let devices)? = top["devices"], case .object(let device)? = devices.first,
            case .object(let metrics)? = device["metrics"]
        else {
            Issue.record("unexpected JSON: \(json.stdout)")
            return
        }
        #expect(
            metrics["gpu_util"] == .number(0.91) && metrics["memory_used_bytes"] == .number(5_368_709_120) && device["node"] == .string("cp-bm14r7"))
    }

    @Test("telemetry inspect: a Prometheus API answer, a missing file, a refused URL")
    func telemetryInspectSources() throws {
        let answer = try run([
            "telemetry", "inspect", Self.fixtures.appendingPathComponent("prometheus-api/query-vector-vllm-num-requests-waiting.json").path,
        ])
        #expect(
            answer.status == 0 && answer.stdout.contains("waiting_requests") && answer.stdout.contains("prometheus-api vector"), "\(answer.stdout)")
        let missing = try run(["telemetry", "inspect", "/nonexistent/metrics.prom"])
        #expect(missing.status == 1 && missing.stderr.contains("/nonexistent/metrics.prom: no such file"))
        let refused = try run(["telemetry", "inspect", "--timeout", "2", "http://127.0.0.1:1/metrics"])
        #expect(
            refused.status == 1 && refused.stderr.split(separator: "\n").count == 1 && refused.stderr.contains("connection failed"),
            "\(refused.stderr)")
    }

    @Test("simulate arrivals --json: the documented object per policy; bad policy and seeds are one-line errors")
    func simulateArrivals() throws {
        let trace = Self.fixtures.deletingLastPathComponent().appendingPathComponent("traces/alibaba-gpu-v2023/csv").path
        let nodes = trace + "/openb_node_list_gpu_node.csv"
        let pods = trace + "/openb_pod_list_multigpu20.csv"
        let result = try run(["simulate", "arrivals", "--nodes", nodes, "--pods", pods, "--policy", "bestfit", "--seeds", "42", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["policy"] as? String == "bestfit" && object["trace"] as? String == "openb_pod_list_multigpu20")
        let seeds = try #require(object["seeds"] as? [[String: Any]])
        let median = try #require(object["median"] as? [String: Any])
        #expect(seeds.count == 1 && seeds[0]["seed"] as? Double == 42)
        for key in ["unallocated_gpu_pct_at_100", "unallocated_gpu_pct_at_130", "failed_pods", "frag_total_pct_at_100"] {
            #expect(seeds[0][key] is Double && median[key] is Double, "\(key)")
        }
        let unallocated = try #require(median["unallocated_gpu_pct_at_100"] as? Double)
        #expect(unallocated > 2 && unallocated < 15)
        let badPolicy = try run(["simulate", "arrivals", "--nodes", nodes, "--pods", pods, "--policy", "tetris"])
        #expect(badPolicy.status == 1 && badPolicy.stderr.contains("--policy") && badPolicy.stderr.contains("fgd"))
        let badSeeds = try run(["simulate", "arrivals", "--nodes", nodes, "--pods", pods, "--seeds", "51-42"])
        #expect(badSeeds.status == 1 && badSeeds.stderr.contains("--seeds"))
        let missing = try run(["simulate", "arrivals", "--nodes", "/nonexistent.csv", "--pods", pods])
        #expect(missing.status == 1 && missing.stderr.contains("/nonexistent.csv: no such file"))
        // Tuning on the reported seeds would fit the result: refused, naming the shared seeds.
        let overlap = try run([
            "simulate", "arrivals", "--nodes", nodes, "--pods", pods, "--policy", "modelplane", "--seeds", "42-44", "--tune-seeds", "40-42",
        ])
        #expect(
            overlap.status == 1 && overlap.stderr.contains("--tune-seeds") && overlap.stderr.contains("shares seeds 42 with --seeds"),
            "\(overlap.stderr)")
        let noModelPlane = try run(["simulate", "arrivals", "--nodes", nodes, "--pods", pods, "--policy", "fgd", "--tune-seeds", "1"])
        #expect(noModelPlane.status == 1 && noModelPlane.stderr.contains("--tune-seeds"))
        let badCoverage = try run(["simulate", "arrivals", "--nodes", nodes, "--pods", pods, "--coverage", "1.5"])
        #expect(badCoverage.status == 1 && badCoverage.stderr.contains("--coverage") && badCoverage.stderr.contains("between 0.5 and 1"))
    }

    @Test("simulate fleet: the example runs, twice to the same bytes; a bad scenario names file, line and field")
    func simulateFleet() throws {
        let scenario = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/fleet-demo.yaml").path
        let first = try run(["simulate", "fleet", scenario, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try run(["simulate", "fleet", scenario, "--json"])
        #expect(first.stdout == second.stdout)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        #expect(object["gpus"] as? Double == 24)
        #expect((object["fleet_mfu"] as? Double ?? 0) > 0.1)
        let reseeded = try run(["simulate", "fleet", scenario, "--json", "--seed", "7"])
        #expect(reseeded.status == 0 && reseeded.stdout != first.stdout)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelplane-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases: [(String, String)] = [
            ("pools:\n  - name: a\n    count: 1\n    gpu: h1000\n", "bad.yaml:4: pools[0].gpu: unknown GPU type \"h1000\""),
            (
                "pools:\n  - name: a\n    count: 1\n    gpu: h100\nworkloads:\n  - name: w\n    model: llama-3.1-8b\n    gpus: -1\n",
                "bad.yaml:8: workloads[0].gpus: -1"
            ),
            (
                "pools:\n  - name: a\n    count: 1\n    gpu: h100\nfaults:\n  - at: 1m\n    node_loss: b-0000\n",
                "bad.yaml:7: faults[0].node_loss.node: no node \"b-0000\""
            ),
            ("pools: [\n", "bad.yaml: not valid YAML"),
        ]
        for (text, message) in cases {
            let file = directory.appendingPathComponent("bad.yaml")
            try text.write(to: file, atomically: true, encoding: .utf8)
            let result = try run(["simulate", "fleet", file.path])
            let stderr = result.stderr.replacingOccurrences(of: directory.path + "/", with: "")
            #expect(result.status == 1 && stderr.contains(message), "\(stderr)")
            #expect(stderr.split(separator: "\n").count == 1)
        }
    }

    static let placementExamples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/placement").path

    @Test("place: each example request and the example pod get the decision the fleet implies, with the trace")
    func placeExamples() throws {
        let snapshot = "\(Self.placementExamples)/snapshot.yaml"
        let share = try run(["place", "--snapshot", snapshot, "--request", "\(Self.placementExamples)/request-inference-share.yaml"])
        #expect(share.status == 0, "\(share.stderr)")
        // The L40S GPU whose MPS daemon already serves the tenant has room for 30 %: it fills the hole.
        #expect(share.stdout.contains("outcome       placed\n"))
        #expect(share.stdout.contains("placement     l40s-mps, GPU 0, MPS share 30 %, pinned memory 12 GiB"))
        #expect(share.stdout.contains("CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=30"))
        #expect(share.stdout.contains("evaluated 4 nodes, 4 feasible as they are, winner l40s-mps by path A (direct)"))
        #expect(share.stdout.contains("placement/mps-compatibility: 100 × 2 = 200  (MPS daemon of tenant team-search)"))

        let training = try run(["place", "--snapshot", snapshot, "--request", "\(Self.placementExamples)/request-training-nvlink.yaml"])
        #expect(training.status == 0, "\(training.stderr)")
        // No H100 node has 8 free GPUs; the P3 fine-tune on h100-b is the only lower-priority work in the way.
        #expect(training.stdout.contains("placed by preempting research/finetune-mistral-7b"))
        #expect(training.stdout.contains("placement     h100-b, GPUs 0, 1, 2, 3, 4, 5, 6, 7"))
        #expect(training.stdout.contains("resources     nvidia.com/gpu=8"))
        #expect(training.stdout.contains("a100-mig: ✗ gpu-type: GPU type nvidia_a100_80gb_sxm is not one of nvidia_h100_sxm"))
        let queued = try run([
            "place", "--snapshot", snapshot, "--request", "\(Self.placementExamples)/request-training-nvlink.yaml", "--no-preemption", "--json",
        ])
        #expect(queued.status == 0, "\(queued.stderr)")
        let queuedObject = try #require(try JSONSerialization.jsonObject(with: Data(queued.stdout.utf8)) as? [String: Any])
        #expect(queuedObject["outcome"] as? String == "queued" && queuedObject["placed"] as? Bool == false)
        let repacked = try run([
            "place", "--snapshot", snapshot, "--request", "\(Self.placementExamples)/request-training-nvlink.yaml", "--no-preemption",
            "--migrations", "2",
        ])
        #expect(repacked.stdout.contains("moves         research/finetune-mistral-7b: h100-b → h100-a, GPUs 4, 5"), "\(repacked.stdout)")

        let mig = try run(["place", "--snapshot", snapshot, "--request", "\(Self.placementExamples)/request-mig.yaml", "--json"])
        #expect(mig.status == 0, "\(mig.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(mig.stdout.utf8)) as? [String: Any])
        #expect(object["outcome"] as? String == "placed")
        let placement = try #require(object["placement"] as? [String: Any])
        #expect(placement["node"] as? String == "a100-mig" && placement["mig_profile"] as? String == "1g.10gb")
        let changes = try #require(object["pod_changes"] as? [String: Any])
        #expect((changes["resources"] as? [String: String]) == ["nvidia.com/mig-1g.10gb": "1"])
        let trace = try #require(object["trace"] as? [String: Any])
        #expect(trace["winner"] as? String == "a100-mig" && trace["feasible_nodes"] as? Double == 1)
        #expect((trace["nodes"] as? [Any])?.count == 4)

        let pod = try run(["place", "--snapshot", snapshot, "--pod", "\(Self.placementExamples)/pod.json"])
        #expect(pod.status == 0, "\(pod.stderr)")
        #expect(pod.stdout.contains("request       search/chat-llama-8b-7d9f: tenant team-search, P2, 30 % of 1 GPU (mps)"))
        #expect(pod.stdout.contains("profile       llama-3.1-8b, batch 4, seq 2048, fp8"))
        #expect(pod.stdout.contains("placement     l40s-mps, GPU 0, MPS share 30 %"))
    }

    @Test("place: a request larger than any node is unschedulable with the reason, and exits 0")
    func placeUnschedulable() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelplane-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("big.yaml")
        try "id: team/huge\ngpus: 16\ngpu_types: [h100-sxm]\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try run(["place", "--snapshot", "\(Self.placementExamples)/snapshot.yaml", "--request", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("outcome      unschedulable"))
        #expect(result.stdout.contains("gpu-type: 4 of 4 nodes"))
        #expect(result.stdout.contains("h100-a: ✗ gpu-type: node has 8 GPUs; 16 asked (short 8)"))
    }

    @Test("place: a bad snapshot, request or flag is one line naming file, line and field, exit 1")
    func placeBadInput() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelplane-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let request = "\(Self.placementExamples)/request-mig.yaml"
        let node = "nodes:\n  - name: a\n    gpu: h100\n    gpus: 8\n    cpu: 8\n"
        let cases: [(String, String)] = [
            (
                "nodes:\n  - name: a\n    gpu: h1000\n    gpus: 8\n",
                "bad.yaml:3: nodes[0].gpu: unknown GPU type \"h1000\"; expected one of the closest known names: h100"
            ),
            (node + "    memory: 64Gi\n    rack_id: r1\n", "bad.yaml:7: nodes[0].rack_id: unknown field"),
            (node + "    memory: 64Gx\n", "bad.yaml:6: nodes[0].memory: \"64Gx\" is not a size"),
            (
                node + "    memory: 64Gi\n    workloads:\n      - id: w\n        gpus: [0]\n        cpu: 12\n",
                "bad.yaml:10: nodes[0].workloads[0].cpu: 12000m is more than the 8000m left on a"
            ),
        ]
        for (text, message) in cases {
            let file = directory.appendingPathComponent("bad.yaml")
            try text.write(to: file, atomically: true, encoding: .utf8)
            let result = try run(["place", "--snapshot", file.path, "--request", request])
            let stderr = result.stderr.replacingOccurrences(of: directory.path + "/", with: "")
            #expect(result.status == 1 && stderr.hasPrefix("modelplane: error: \(message)"), "\(stderr)")
            #expect(stderr.split(separator: "\n").count == 1)
        }
        let badRequest = directory.appendingPathComponent("request.yaml")
        try "id: x\ngpus: 1\nshare: 140\n".write(to: badRequest, atomically: true, encoding: .utf8)
        let result = try run(["place", "--snapshot", "\(Self.placementExamples)/snapshot.yaml", "--request", badRequest.path])
        #expect(result.status == 1 && result.stderr.contains("request.yaml:3: share: 140 %"), "\(result.stderr)")
        let flag = try run(["place", "--snapshot", "\(Self.placementExamples)/snapshot.yaml", "--request", request, "--weight", "fragmentaton=2"])
        #expect(flag.status == 1 && flag.stderr.contains("modelplane: error: --weight fragmentaton=2: \"fragmentaton\"; expected one of"))
        let neither = try run(["place", "--snapshot", "\(Self.placementExamples)/snapshot.yaml"])
        #expect(neither.status == 1 && neither.stderr.contains("--request FILE or --pod FILE"))
    }
}
