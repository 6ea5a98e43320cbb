import ArgumentParser
import Foundation
import ModelPlaneCore
import ModelPlaneTwin

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Run the digital twin.", subcommands: [Arrivals.self, Replay.self, Fleet.self, WhatIfCommand.self])

    struct Arrivals: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "arrivals",
            abstract: "Replay a trace under the arrival protocol of Weng et al. (USENIX ATC'23) and report unallocated GPUs.",
            discussion: """
                Tasks arrive in a seeded random order, resampled with replacement until the GPU request reaches --inflate × \
                the cluster's GPU capacity; no departures, no retries. Reports, per seed and as the median, the unallocated \
                GPU % when 100 % and 130 % of capacity has arrived, the failed tasks and the fragmentation (Frag/Total) at \
                100 %. Seeds and draws follow the paper's artifact (Go math/rand), so a seed gives the artifact's task order.
                """)

        @Option(help: "Node list CSV (sn, cpu_milli, memory_mib, gpu, model).") var nodes: String
        @Option(help: "Pod list CSV (name, cpu_milli, memory_mib, num_gpu, gpu_milli[, gpu_spec, …]).") var pods: String
        @Option(
            help: "Policies, comma-separated: \(ArrivalPolicy.allCases.map(\.rawValue).joined(separator: ", ")), or all.")
        var policy: String = "all"
        @Option(help: "Seeds: a range (42-51) or a comma list.") var seeds: String = "42-51"
        @Option(help: "Arrive until this multiple of the GPU capacity is requested.") var inflate: Double = 1.3
        @Option(help: "Write an SVG plot of unallocated GPU % against arrived % (median over seeds) per policy.") var svg: String?
        @Option(help: "Among nodes with the same best score: first (node order) or random.") var ties: TieBreak = .firstNode
        @Option(help: "ModelPlane only: running tasks one arrival may move to make room (path B); 0 is the paper's protocol.")
        var migrations = 0
        @Option(help: "ModelPlane only: the share of tasks its fragmentation measure counts shapes for, most frequent first (0.5…1).")
        var coverage = 0.95
        @Option(
            help: ArgumentHelp(
                "ModelPlane only: pick --coverage (0.95 or 1) by replaying these seeds first, the twin's way; must not overlap --seeds.",
                valueName: "seeds"))
        var tuneSeeds: String?
        @Flag(help: "Also report the offline limit per seed: a relaxation lower bound and the best offline packer.") var offline = false
        @Flag(help: "Print JSON instead of tables.") var json = false

        func run() async throws {
            var experiment: ArrivalExperiment
            var tuning: [Int64] = []
            let policies: [ArrivalPolicy]
            let seedList: [Int64]
            do throws(InputError) {
                policies = try Self.policies(policy)
                seedList = try Self.seeds(seeds)
                guard inflate.isFinite, inflate >= 1, inflate <= 3 else {
                    throw InputError("--inflate", "\(inflate)", expected: "a multiple of capacity between 1 and 3")
                }
                let nodeList = try OpenBTrace.nodes(csv: Self.text(nodes), source: nodes)
                let podList = try OpenBTrace.pods(csv: Self.text(pods), source: pods)
                guard nodeList.contains(where: { $0.gpuCount > 0 }) else { throw InputError(nodes, "no node has a GPU", expected: "GPU nodes") }
                guard !podList.isEmpty else { throw InputError(pods, "no pods", expected: "at least one pod") }
                guard (0...64).contains(migrations) else { throw InputError("--migrations", "\(migrations)", expected: "0…64 moves per arrival") }
                guard coverage.isFinite, (0.5...1).contains(coverage) else {
                    throw InputError("--coverage", "\(coverage)", expected: "a share of tasks between 0.5 and 1")
                }
                if let tuneSeeds {
                    tuning = try Self.seeds(tuneSeeds)
                    let shared = Set(tuning).intersection(seedList).sorted()
                    guard shared.isEmpty else {
                        throw InputError(
                            "--tune-seeds", "shares seeds \(shared.map(String.init).joined(separator: ", ")) with --seeds",
                            expected: "other seeds: tuning on the reported seeds would fit the result")
                    }
                    guard policies.contains(.modelplane) else {
                        throw InputError("--tune-seeds", "without --policy modelplane", expected: "modelplane")
                    }
                }
                experiment = ArrivalExperiment(
                    nodes: nodeList, pods: podList, inflation: inflate, ties: ties, maxMigrations: migrations, modelplaneCoverage: coverage)
            } catch {
                printError("modelplane: error: \(error.description)")
                throw ExitCode(1)
            }
            var tuned: (coverage: Double, trials: [ArrivalExperiment.CoverageTrial])?
            if !tuning.isEmpty {
                let progress = ProgressBar(total: 2 * tuning.count, label: "tuning")
                tuned = await experiment.tunedCoverage(seeds: tuning) { progress.advance() }
                progress.finish()
                experiment = experiment.with(modelplaneCoverage: tuned!.coverage)
            }
            let progress = ProgressBar(total: policies.count * seedList.count, label: "simulating")
            var results: [ArrivalReport.PolicyResult] = []
            for policy in policies {
                let runs = await experiment.run(policy, seeds: seedList) { progress.advance() }
                results.append(.init(policy: policy, runs: runs))
            }
            progress.finish()
            let trace = URL(fileURLWithPath: pods).deletingPathExtension().lastPathComponent
            if let svg {
                do {
                    try ArrivalReport.svg(results, trace: trace).write(toFile: svg, atomically: true, encoding: .utf8)
                } catch {
                    printError("modelplane: error: \(svg): cannot write the plot (\(error.localizedDescription))")
                    throw ExitCode(1)
                }
            }
            let packings = offline ? seedList.map { OfflinePacking(nodes: experiment.nodes, sequence: experiment.sequence(seed: $0)) } : []
            if json {
                let report = ArrivalReport.json(results, trace: trace)
                var parts: [String] = []
                if offline { parts.append("\"offline\": \(ArrivalReport.offlineJSON(packings).jsonText())") }
                if let tuned { parts.append("\"tuning\": \(ArrivalReport.tuningJSON(tuned.coverage, tuned.trials, seeds: tuning).jsonText())") }
                print(parts.isEmpty ? report : "{\"results\": \(report), \(parts.joined(separator: ", "))}")
            } else {
                var report = ArrivalReport.text(results, trace: trace, inflation: inflate, svg: svg)
                if let tuned { report = ArrivalReport.tuningText(tuned.coverage, tuned.trials, seeds: tuning) + "\n\n" + report }
                print(offline ? report + "\n\n" + ArrivalReport.offlineText(packings) : report)
            }
        }

        static func text(_ path: String) throws(InputError) -> String {
            let file = try MappedFile(path: path)
            guard let text = file.withUnsafeBytes({ String(validating: $0, as: UTF8.self) }) else {
                throw InputError(path, "not valid UTF-8", expected: "a CSV file")
            }
            return text
        }

        static func policies(_ text: String, allowed: [ArrivalPolicy] = ArrivalPolicy.allCases) throws(InputError) -> [ArrivalPolicy] {
            if text == "all" { return allowed }
            var result: [ArrivalPolicy] = []
            for name in text.split(separator: ",") {
                guard let policy = ArrivalPolicy(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()), allowed.contains(policy) else {
                    throw InputError("--policy", "\"\(name)\"", expected: "one of \(allowed.map(\.rawValue).joined(separator: ", ")) or all")
                }
                if !result.contains(policy) { result.append(policy) }
            }
            guard !result.isEmpty else { throw InputError("--policy", "empty", expected: "a policy name") }
            return result
        }

        static func seeds(_ text: String) throws(InputError) -> [Int64] {
            var result: [Int64] = []
            for part in text.split(separator: ",") {
                let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
                if bounds.count == 2, let low = Int64(bounds[0]), let high = Int64(bounds[1]), low <= high, high - low < 10_000 {
                    result += Array(low...high)
                } else if bounds.count == 1, let seed = Int64(bounds[0]) {
                    result.append(seed)
                } else {
                    throw InputError("--seeds", "\"\(part)\"", expected: "a seed (42), a range (42-51) or a comma list of them")
                }
            }
            guard !result.isEmpty, result.count <= 1_000 else { throw InputError("--seeds", "\(result.count) seeds", expected: "1 to 1000 seeds") }
            return result
        }
    }
}
