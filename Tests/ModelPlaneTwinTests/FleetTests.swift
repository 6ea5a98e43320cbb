import ModelPlaneCore
import ModelPlaneTelemetry
import Testing

@testable import ModelPlaneTwin

/// A small mixed fleet: whole-GPU training across a domain, inference on whole GPUs, MIG and MPS.
let mixedScenarioJSON = """
    {
      "name": "mixed", "seed": 42, "duration": "1h", "step": "10s",
      "pools": [
        {"name": "hgx", "count": 2, "gpu": "h100-sxm", "gpus_per_node": 8, "rack_power_kw": 6, "nodes_per_rack": 2},
        {"name": "mig", "count": 1, "gpu": "a100-80gb", "gpus_per_node": 2, "sharing": {"mig": ["3g.40gb", "2g.20gb", "1g.10gb", "1g.10gb"]}},
        {"name": "mps", "count": 1, "gpu": "l40s", "gpus_per_node": 2, "sharing": "mps"}
      ],
      "workloads": [
        {"name": "train", "model": "llama-3.1-8b", "phase": "training", "batch": 128, "sequence": 4096, "gpus": 8},
        {"name": "chat", "model": "llama-3.1-8b", "max_num_seqs": 64, "prompt_tokens": 1024, "output_tokens": 256,
         "requests": {"bursty": {"quiet": 2, "burst": 25, "burst_seconds": 60, "quiet_seconds": 300}},
         "sla": {"ttft_seconds": 1, "itl_seconds": 0.05}, "replicas": 2},
        {"name": "small", "model": "qwen2.5-0.5b", "sharing": {"mig": "1g.10gb"}, "requests": {"poisson": 10}, "replicas": 2},
        {"name": "shared", "model": "llama-3.2-1b", "sharing": {"mps": {"sm_percent": 40, "memory_gib": 12}}, "requests": {"poisson": 4}, "replicas": 3},
        {"name": "late", "model": "llama-3.2-3b", "phase": "training", "batch": 16, "sequence": 2048, "gpus": 4, "start": "20m", "end": "50m"}
      ],
      "faults": [
        {"at": "10m", "zombie": "chat-1"},
        {"at": "15m", "thermal_throttle": {"node": "hgx-0000", "gpu": 1, "factor": 1.8}},
        {"at": "30m", "xid": {"node": "hgx-0001", "gpu": 0, "code": 79}},
        {"at": "40m", "node_loss": "mps-0000"}
      ]
    }
    """

func scenario(_ json: String, seed: UInt64? = nil) throws -> Scenario {
    var result = try ScenarioReader.scenario(from: ConfigCursor(try JSONReader.parse(json, source: "test.json"), path: "test.json:"))
    if let seed { result.seed = seed }
    return result
}

@Suite("Twin fleet simulation")
struct FleetTests {
    @Test("the same seed gives the same bytes; another seed gives other bytes")
    func determinism() throws {
        func run(_ seed: UInt64) throws -> String {
            var simulation = try FleetSimulation(scenario: try scenario(mixedScenarioJSON, seed: seed))
            simulation.run()
            let dcgm = (0..<simulation.nodes.count).compactMap { TwinExposition.dcgm(simulation, node: $0) }.joined()
            return FleetSummary(simulation).json.jsonText() + dcgm
        }
        let first = try run(7)
        #expect(first == (try run(7)))
        #expect(first != (try run(8)))
    }

    @Test("invariants hold after every step, over many seeds and every fault")
    func invariants() throws {
        for seed in UInt64(1)...12 {
            var simulation = try FleetSimulation(scenario: try scenario(mixedScenarioJSON, seed: seed))
            while !simulation.isFinished {
                simulation.advance(to: simulation.now + 10_000)
                let problems = simulation.invariantViolations()
                #expect(problems.isEmpty, "seed \(seed) at \(simulation.seconds) s: \(problems.prefix(3))")
                if !problems.isEmpty { return }
            }
            #expect(simulation.timeline.count == 360)
        }
    }

    @Test("faults: XID 79 removes the GPU and restarts its workload elsewhere; a lost node stops answering; a zombie burns execution-idle power")
    func faults() throws {
        var simulation = try FleetSimulation(scenario: try scenario(mixedScenarioJSON))
        simulation.advance(to: 11 * 60_000)
        let zombie = simulation.workloads.firstIndex { $0.spec.name == "chat-1" }!
        let zombieGPU = simulation.gpus[simulation.workloads[zombie].slots[0].gpu]
        #expect(zombieGPU.resident && zombieGPU.smActive == 0)
        #expect(abs(zombieGPU.watts - 0.65 * 700) < 1)
        simulation.advance(to: 31 * 60_000)
        let lostGPU = simulation.nodes[1].firstGPU
        #expect(simulation.gpus[lostGPU].health == .fallenOff)
        let text = TwinExposition.dcgm(simulation, node: 1)!
        #expect(!text.contains("gpu=\"0\""))
        #expect(text.contains("gpu=\"1\""))
        #expect(simulation.log.contains { $0.message.contains("fell off the bus") })
        simulation.advance(to: 41 * 60_000)
        let mpsNode = simulation.nodes.firstIndex { $0.name == "mps-0000" }!
        #expect(TwinExposition.dcgm(simulation, node: mpsNode) == nil)
        #expect(simulation.workloads.filter { $0.spec.name.hasPrefix("shared") }.allSatisfy { $0.status == .pending && $0.restarts == 1 })
        simulation.run()
        let summary = FleetSummary(simulation)
        #expect(summary.failures >= 4)
        #expect(summary.throttledGPUHours > 0)
        // Two A100s split 3g+2g+1g+1g; only the two 1g slices are held: 5 of 7 slices idle on one GPU, all 7 on the
        // other, for the hour.
        #expect(abs(summary.idleMIGGPUHours - 12.0 / 7) < 0.01, "\(summary.idleMIGGPUHours)")
    }

    @Test("a rack over its power budget caps its GPUs and the cap slows them")
    func rackBudget() throws {
        var simulation = try FleetSimulation(scenario: try scenario(mixedScenarioJSON))
        simulation.advance(to: 5 * 60_000)
        // 6 kW for 16 H100s: the 8-GPU training job alone draws about 5.3 kW (8 × 660 W).
        #expect(simulation.racks[0].overBudgetSeconds > 0)
        #expect(simulation.gpus[0].rackCapWatts != nil)
        #expect(simulation.gpus[0].clockFactor < 1)
        #expect(simulation.racks[0].watts <= 6_000 * 1.1)
    }

    @Test("a model that does not fit its slice is OOM-killed with the sizes in the reason")
    func outOfMemory() throws {
        let json = """
            {"duration": "10m", "pools": [{"name": "mig", "count": 1, "gpu": "a100-80gb", "gpus_per_node": 1, "sharing": {"mig": ["1g.10gb"]}}],
             "workloads": [{"name": "big", "model": "llama-3.1-8b", "sharing": {"mig": "1g.10gb"}}]}
            """
        var simulation = try FleetSimulation(scenario: try scenario(json))
        simulation.run()
        #expect(simulation.workloads[0].status == .outOfMemory)
        #expect(simulation.workloads[0].failures[0].contains("out of memory"))
        #expect(simulation.gpus[0].isFree)
    }

    @Test("every endpoint the twin serves parses and normalizes with the telemetry code, without issues")
    func exposition() throws {
        var simulation = try FleetSimulation(scenario: try scenario(mixedScenarioJSON))
        simulation.advance(to: 5 * 60_000)
        var devices = 0
        var powered = 0
        for node in simulation.nodes.indices {
            let text = try #require(TwinExposition.dcgm(simulation, node: node))
            var parser = ExpositionParser(options: .init(strict: true))
            let reading = try ExpositionReading.read(Array(text.utf8), parser: &parser)
            #expect(reading.normalized.problemCount == 0, "\(reading.normalized.issues.prefix(3))")
            #expect(reading.normalized.unmappedSamples == 0)
            devices += reading.normalized.devices.count
            // MIG instances carry profiling fields only; each physical GPU carries power and temperature.
            powered += reading.normalized.devices.filter { $0.values[.power] != nil && $0.values[.gpuTemperature] != nil }.count
        }
        // 16 H100 + 2 A100 (each as 1 GPU + 4 MIG instances) + 2 L40S.
        #expect(devices == 16 + 2 * 5 + 2)
        #expect(powered == 20)
        let chat = simulation.workloads.firstIndex { $0.spec.name == "chat-0" }!
        let text = try #require(TwinExposition.vllm(simulation, workload: chat))
        var parser = ExpositionParser(options: .init(strict: true))
        let reading = try ExpositionReading.read(Array(text.utf8), parser: &parser)
        #expect(reading.normalized.problemCount == 0, "\(reading.normalized.issues.prefix(3))")
        let workload = try #require(reading.normalized.workloads.first)
        #expect(workload.key.modelName == "llama-3.1-8b")
        #expect(workload.values[.generationTokens] ?? 0 > 0)
        #expect(workload.latencies[.timeToFirstToken]?.count ?? 0 > 0)
    }

    @Test(
        "bad scenarios are refused with the field at fault",
        arguments: [
            (#"{"pools": [{"name": "p", "count": 1, "gpu": "h1000"}]}"#, "test.json: pools[0].gpu", "unknown GPU type"),
            (#"{"pools": [{"name": "p", "count": -2, "gpu": "h100"}]}"#, "test.json: pools[0].count", "-2"),
            (#"{"pools": [{"name": "p", "count": 1, "gpu": "h100", "colour": "red"}]}"#, "test.json: pools[0].colour", "unknown field"),
            (
                #"{"pools": [{"name": "p", "count": 1, "gpu": "h100", "sharing": {"mig": ["9g.99gb"]}}]}"#, "test.json: pools[0].sharing.mig[0]",
                "not a profile"
            ),
            (
                #"{"pools": [{"name": "p", "count": 1, "gpu": "h100"}], "workloads": [{"name": "w", "model": "gpt-7"}]}"#,
                "test.json: workloads[0].model", "unknown model"
            ),
            (#"{"pools": [{"name": "p", "count": 1, "gpu": "h100"}], "duration": "soon"}"#, "test.json: duration", "not a duration"),
            (
                #"{"pools": [{"name": "p", "count": 1, "gpu": "h100"}], "constants": {"idle_power_fraction": 2}}"#,
                "test.json: constants.idle_power_fraction", "above 1"
            ),
            (#"{"pools": [{"name": "p", "count": 1, "gpu": "h100"}], "faults": [{"at": 5}]}"#, "test.json: faults[0]", "no fault kind"),
            (
                #"{"pools": [{"name": "p", "count": 1, "gpu": "h100"}], "workloads": [{"name": "w", "model": "llama-3.1-8b", "requests": {"poisson": -1}}]}"#,
                "test.json: workloads[0].requests.poisson", "-1"
            ),
        ])
    func badScenario(json: String, location: String, problem: String) {
        do {
            _ = try scenario(json)
            Issue.record("accepted \(json)")
        } catch let error as InputError {
            #expect(error.location == location, "\(error)")
            #expect(error.description.contains(problem), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("impossible fleets are refused when the simulation is built: unknown nodes, GPUs and workloads in faults; MIG layouts that do not fit")
    func impossible() throws {
        let base =
            #"{"pools": [{"name": "p", "count": 1, "gpu": "h100", "gpus_per_node": 2}], "workloads": [{"name": "w", "model": "llama-3.2-1b"}], "#
        let cases: [(String, String)] = [
            (#""faults": [{"at": 1, "node_loss": "q-0000"}]}"#, "faults[0].node_loss.node"),
            (#""faults": [{"at": 1, "xid": {"node": "p-0000", "gpu": 2, "code": 79}}]}"#, "faults[0].xid.gpu"),
            (#""faults": [{"at": 1, "zombie": "nobody"}]}"#, "faults[0].zombie.workload"),
        ]
        for (tail, location) in cases {
            #expect(throws: InputError.self) { _ = try FleetSimulation(scenario: try scenario(base + tail)) }
            do { _ = try FleetSimulation(scenario: try scenario(base + tail)) } catch let error as InputError { #expect(error.location == location) }
        }
        let mig = #"{"pools": [{"name": "p", "count": 1, "gpu": "a100-80gb", "sharing": {"mig": ["7g.80gb", "1g.10gb"]}}]}"#
        #expect(throws: InputError.self) { _ = try FleetSimulation(scenario: try scenario(mig)) }
    }
}
