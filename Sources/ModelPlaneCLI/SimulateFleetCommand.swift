import ArgumentParser
import Foundation
import ModelPlaneConfig
import ModelPlaneCore
import ModelPlaneTwin
import ModelPlaneTwinService

extension SimulateCommand {
    struct Fleet: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fleet",
            abstract: "Run a time-based twin scenario: a fleet, its workloads and faults, with MFU, energy, cost and SLA results.",
            discussion: """
                SCENARIO is a YAML (or JSON) file: node pools, workloads (training and inference, with their request patterns), \
                faults to inject, the duration and the step. See examples/ and docs/twin-fleet.md. The same seed gives the \
                same output, byte for byte. With --serve the fleet is also served as dcgm-exporter and vLLM endpoints on \
                loopback, in real time (--speed) or as fast as possible.
                """)

        @Argument(help: "Scenario file (YAML or JSON).") var scenario: String
        @Option(help: "Override the scenario's seed.") var seed: UInt64?
        @Option(help: "Write the fleet timeline (one line per step) as CSV.") var timeline: String?
        @Flag(help: "Print JSON instead of tables.") var json = false
        @Option(help: "Serve exporter endpoints on HOST:PORT (port 0 picks one) while the twin runs.") var serve: String?
        @Option(help: "With --serve: simulated seconds per wall-clock second (1 = real time); 0 runs as fast as possible.")
        var speed: Double = 1

        func run() async throws {
            let loaded: (LocatedConfig, Scenario)
            do throws(InputError) {
                loaded = try Self.load(scenario, seed: seed)
                guard speed.isFinite, speed >= 0, speed <= 1e6 else {
                    throw InputError("--speed", "\(speed)", expected: "0 (as fast as possible) or a speed-up 0…1e6")
                }
            } catch {
                printError("modelplane: error: \(error.description)")
                throw ExitCode(1)
            }
            var simulation: FleetSimulation
            do throws(InputError) { simulation = try FleetSimulation(scenario: loaded.1) } catch {
                printError("modelplane: error: \(loaded.0.locate(error).description)")
                throw ExitCode(1)
            }
            if let serve {
                do {
                    simulation = try await LiveTwin.serve(simulation, address: serve, speed: speed) { printError("modelplane: \($0)") }
                } catch let error as LiveTwinError {
                    printError("modelplane: error: \(error.description)")
                    throw ExitCode(1)
                } catch {
                    printError("modelplane: error: --serve \(serve): cannot serve (\(error))")
                    throw ExitCode(1)
                }
            } else {
                let steps = 100
                let progress = ProgressBar(total: steps, label: "simulating")
                for part in 1...steps {
                    simulation.advance(to: simulation.endMilliseconds * Int64(part) / Int64(steps))
                    progress.advance()
                }
                progress.finish()
            }
            if let timeline {
                do { try FleetReport.timelineCSV(simulation).write(toFile: timeline, atomically: true, encoding: .utf8) } catch {
                    printError("modelplane: error: \(timeline): cannot write the timeline (\(error.localizedDescription))")
                    throw ExitCode(1)
                }
            }
            let summary = FleetSummary(simulation)
            print(json ? summary.json.jsonText() : FleetReport.text(summary, simulation: simulation))
        }

        /// Reads and validates a scenario; errors carry the file, the line and the field.
        static func load(_ path: String, seed: UInt64? = nil) throws(InputError) -> (LocatedConfig, Scenario) {
            let config = try LocatedConfig.read(path)
            do {
                var scenario = try ScenarioReader.scenario(from: config.root)
                if let seed { scenario.seed = seed }
                return (config, scenario)
            } catch {
                throw config.locate(error)
            }
        }
    }
}

extension SimulateCommand {
    struct WhatIfCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "what-if",
            abstract: "Run a scenario with and without a proposed action over several seeds and report the differences.",
            discussion: """
                Actions: move WORKLOAD NODE; mps-share WORKLOAD PERCENT; gpu-tier WORKLOAD POOL; repack NODE (drain it); \
                power-cap-idle WATTS. Each seed runs twice, without and with the action, and the differences are paired: \
                the mean change and its 95 % interval (Student's t over the seeds) for fleet MFU, allocated GPU-hours, \
                energy, cost (allocated GPU-hours and energy), SLA violations, OOM risk, tokens and failures.
                """)

        @Argument(help: "Scenario file (YAML or JSON).") var scenario: String
        @Option(help: "The proposed action, quoted (\"mps-share chat-0 60\").") var action: String
        @Option(help: "Seeds: a range (1-5) or a comma list.") var seeds: String = "1-5"
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() async throws {
            let result: WhatIf.Result
            do throws(InputError) {
                let proposed = try WhatIfAction(parsing: action)
                let seedList = try Arrivals.seeds(seeds).map { seed throws(InputError) -> UInt64 in
                    guard seed >= 0 else { throw InputError("--seeds", "\(seed)", expected: "seeds ≥ 0") }
                    return UInt64(seed)
                }
                let (config, base) = try Fleet.load(scenario)
                do { result = try await WhatIf.run(base, action: proposed, seeds: seedList) } catch { throw config.locate(error) }
            } catch {
                printError("modelplane: error: \(error.description)")
                throw ExitCode(1)
            }
            print(json ? FleetReport.whatIfJSON(result) : FleetReport.whatIfText(result))
        }
    }
}
