import ArgumentParser
import Foundation
import ModelPlaneCore
import ModelPlaneTwin

extension SimulateCommand {
    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replay",
            abstract: "Replay a trace in time order with departures: pods arrive at creation_time and run as long as they did.",
            discussion: """
                Each pod arrives at its creation_time; once placed it runs for deletion_time − scheduled_time, then leaves. A pod \
                that fits nowhere waits (FIFO) and is retried whenever capacity frees up. Reports the time-averaged GPU \
                allocation, pods placed and still waiting at the end, waiting times and the longest queue, per policy.
                """)

        @Option(help: "Node list CSV (sn, cpu_milli, memory_mib, gpu, model).") var nodes: String
        @Option(help: "Pod list CSV with creation_time, deletion_time and scheduled_time.") var pods: String
        @Option(help: "Policies, comma-separated, or all.") var policy: String = "all"
        @Option(help: "Seed for the Random policy's draws.") var seed: Int64 = 42
        @Option(help: "Divide arrival times by this factor, keeping run times (scales the load).") var compression: Double = 1
        @Option(help: "ModelPlane only: running pods one arrival may move to make room (path B).") var migrations = 0
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() async throws {
            let policies: [ArrivalPolicy]
            let nodeList: [TraceNode]
            let podList: [TracePod]
            do throws(InputError) {
                policies = try Arrivals.policies(policy)
                guard (0...64).contains(migrations) else { throw InputError("--migrations", "\(migrations)", expected: "0…64 moves per arrival") }
                nodeList = try OpenBTrace.nodes(csv: Arrivals.text(nodes), source: nodes)
                podList = try OpenBTrace.pods(csv: Arrivals.text(pods), source: pods)
                guard !podList.isEmpty else { throw InputError(pods, "no pods", expected: "at least one pod") }
                guard compression.isFinite, compression >= 1, compression <= 1e6 else {
                    throw InputError("--compression", "\(compression)", expected: "a factor 1…1,000,000")
                }
                if let index = podList.firstIndex(where: { $0.creationTime == nil || $0.deletionTime == nil }) {
                    throw InputError(pods, "pod \(podList[index].name) has no creation_time or deletion_time", expected: "times for a replay in time")
                }
            } catch {
                printError("modelplane: error: \(error.description)")
                throw ExitCode(1)
            }
            let seed = seed
            let compression = compression
            let migrations = migrations
            let replays = await withTaskGroup(of: (Int, TimedReplay).self) { group in
                for (position, policy) in policies.enumerated() {
                    group.addTask {
                        let replay = TimedReplay(
                            nodes: nodeList, pods: podList, policy: policy, seed: seed, compression: compression,
                            maxMigrations: policy == .modelplane ? migrations : 0)
                        return (position, replay)
                    }
                }
                var results: [(Int, TimedReplay)] = []
                for await result in group { results.append(result) }
                return results.sorted { $0.0 < $1.0 }.map(\.1)
            }
            let trace = URL(fileURLWithPath: pods).deletingPathExtension().lastPathComponent
            if json {
                let items = replays.map { replay -> ConfigValue in
                    .object([
                        "policy": .string(replay.policy.rawValue), "trace": .string(trace), "compression": .number(compression),
                        "placed": .number(Double(replay.placed)),
                        "waiting_at_end": .number(Double(replay.neverPlaced)),
                        "mean_allocation_pct": .number((replay.meanAllocation * 10_000).rounded() / 100),
                        "wait_mean_seconds": .number(replay.meanWait.rounded()), "wait_p50_seconds": .number(Double(replay.waitQuantile(0.5))),
                        "wait_p99_seconds": .number(Double(replay.waitQuantile(0.99))), "max_waiting": .number(Double(replay.maximumWaiting)),
                        "migrations": .number(Double(replay.migrations)),
                        "peak_allocation_pct": .number(
                            (Double(replay.peakAllocatedMilli) / Double(max(1, replay.capacityMilli)) * 10_000).rounded() / 100),
                    ])
                }
                print((items.count == 1 ? items[0] : ConfigValue.array(items)).jsonText())
                return
            }
            var table = TextTable(
                header: [
                    "policy", "placed", "waiting at end", "mean GPU allocation", "peak", "wait p50", "wait p99", "wait mean", "longest queue",
                    "migrations",
                ],
                numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9])
            for replay in replays {
                table.rows.append([
                    replay.policy.rawValue, String(replay.placed), String(replay.neverPlaced), Quantity.percent(replay.meanAllocation),
                    Quantity.percent(Double(replay.peakAllocatedMilli) / Double(max(1, replay.capacityMilli))),
                    "\(replay.waitQuantile(0.5)) s", "\(replay.waitQuantile(0.99)) s", "\(Int(replay.meanWait.rounded())) s",
                    String(replay.maximumWaiting), String(replay.migrations),
                ])
            }
            let scaled = compression > 1 ? ", arrivals \(ConfigValue.number(compression).jsonText())× faster" : ""
            print("time-ordered replay of \(trace) on \(nodeList.count) nodes (\(podList.count) pods\(scaled))\n\n" + table.render())
        }
    }
}
