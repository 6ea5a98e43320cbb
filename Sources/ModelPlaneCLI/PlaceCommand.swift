import ArgumentParser
import ModelPlaneActuation
import ModelPlaneConfig
import ModelPlaneCore

struct PlaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "place",
        abstract: "Run the placement engine once: place a request (or a pod) into a fleet snapshot and print the decision and its trace.",
        discussion: """
            SNAPSHOT is a YAML or JSON file: nodes (GPU type from the catalog, count, NVLink domains, NUMA, CPU, memory, \
            MPS, MIG layouts, health, rack, zone), the workloads running on them, tenants' quotas, racks' power budgets and \
            the fleet's task shapes. The request is a YAML or JSON file (--request) or a Kubernetes Pod with modelplane.io/ \
            annotations (--pod), profiled as the scheduler extender would. Formats: docs/placement-snapshot.md and \
            docs/placement-annotations.md; examples in examples/placement/.

            Prints the outcome (placed, needs-mps-reconfiguration, repacked, preempting, queued, unschedulable), where the \
            request goes (node, GPUs, MIG instance or MPS share), the changes to the pod (nodeSelector, resources, env, \
            annotations), the reasons, and the engine's trace: every node's filter verdict and its weighted scores per tier.

            Exit status: 0 when a decision was made, whatever it is (queued and unschedulable included: read "outcome" \
            from --json in scripts); 1 on an input error (one line per problem on standard error, naming file, line and \
            field).
            """)

    enum TraceLevelOption: String, ExpressibleByArgument, CaseIterable {
        case full, summary
    }

    @Option(help: "Fleet snapshot file (YAML or JSON).") var snapshot: String
    @Option(help: "Placement request file (YAML or JSON).") var request: String?
    @Option(help: "A Pod (JSON or YAML) to profile into the request, instead of --request.") var pod: String?
    @Flag(help: "Print JSON instead of text.") var json = false
    @Option(help: "full: every node's verdict and scores; summary: filter failures counted, the best 5 nodes in full.")
    var trace: TraceLevelOption = .full
    @Option(name: .customLong("weight"), help: "Set a score plugin's weight, PLUGIN=N (repeatable; e.g. fragmentation=5).")
    var weights: [String] = []
    @Option(help: "Path B: move at most N running workloads to make room (0: no repacking).") var migrations = 0
    @Flag(help: "Never preempt lower-priority workloads (path C only queues).") var noPreemption = false
    @Option(help: "Hardware catalog overrides (YAML or JSON).") var catalog: String?

    func run() throws {
        let decision: PlacementDecision
        do throws(InputErrors) {
            decision = try place()
        } catch {
            for problem in error.errors { printError("modelplane: error: \(problem.description)") }
            throw ExitCode(1)
        }
        print(json ? PlacementReport.json(decision) : PlacementReport.text(decision))
    }

    /// One input error, or every problem of a pod that cannot be profiled.
    struct InputErrors: Error {
        var errors: [InputError]
    }

    func place() throws(InputErrors) -> PlacementDecision {
        let policy: PlacementPolicy
        let hardware: HardwareCatalog
        let fleet: FleetSnapshot
        do throws(InputError) {
            if request != nil, pod != nil { throw InputError("--pod", "given with --request", expected: "one of --request FILE and --pod FILE") }
            if request == nil, pod == nil { throw InputError("--request", "is missing", expected: "--request FILE or --pod FILE") }
            policy = try self.policy()
            hardware = try Catalogs.hardware(overrides: catalog)
            fleet = try Self.snapshot(snapshot, hardware: hardware)
        } catch {
            throw InputErrors(errors: [error])
        }
        let asked: PlacementRequest
        if let pod {
            asked = try Self.request(pod: pod, hardware: hardware)
        } else {
            do throws(InputError) { asked = try Self.request(request ?? "", hardware: hardware) } catch { throw InputErrors(errors: [error]) }
        }
        return PlacementEngine(policy: policy, snapshot: fleet).place(asked, in: fleet)
    }

    /// The standard policy with the flags applied.
    func policy() throws(InputError) -> PlacementPolicy {
        var policy = PlacementPolicy.standard
        policy.trace = trace == .full ? .full : .summary(top: 5)
        guard (0...100).contains(migrations) else { throw InputError("--migrations", "\(migrations)", expected: "0…100 workloads moved") }
        policy.maxMigrationsPerPlacement = migrations
        policy.preemption = !noPreemption
        for setting in weights {
            let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let weight = Int(parts[1]) else {
                throw InputError("--weight", "\"\(setting)\"", expected: "PLUGIN=N with a whole number N (e.g. fragmentation=5)")
            }
            do { policy = try policy.settingWeight(parts[0], to: weight) } catch {
                throw InputError("--weight \(setting)", error.problem, expected: error.expected)
            }
        }
        return policy
    }

    static func snapshot(_ path: String, hardware: HardwareCatalog) throws(InputError) -> FleetSnapshot {
        let config = try LocatedConfig.read(path)
        do { return try PlacementSnapshotReader.snapshot(from: config.root, hardware: hardware) } catch { throw config.locate(error) }
    }

    static func request(_ path: String, hardware: HardwareCatalog) throws(InputError) -> PlacementRequest {
        let config = try LocatedConfig.read(path)
        do { return try PlacementRequestReader.request(from: config.root, hardware: hardware) } catch { throw config.locate(error) }
    }

    /// A Pod profiled into its request; every profiling problem is reported, each at its annotation's line.
    static func request(pod path: String, hardware: HardwareCatalog) throws(InputErrors) -> PlacementRequest {
        let config: LocatedConfig
        let kubePod: KubePod
        do throws(InputError) {
            config = try LocatedConfig.read(path)
            do { kubePod = try KubePod(RawJSON(value: config.value), path: config.root.path) } catch { throw config.locate(error) }
        } catch {
            throw InputErrors(errors: [error])
        }
        do {
            return try PodProfiler(hardware: hardware).profile(kubePod)
        } catch {
            let prefix = "pod \(kubePod.key): annotation "
            throw InputErrors(
                errors: error.errors.map { problem in
                    var line: Int?
                    if problem.location.hasPrefix(prefix) { line = config.lines["metadata.annotations.\(problem.location.dropFirst(prefix.count))"] }
                    return InputError("\(path)\(line.map { ":\($0)" } ?? ""): \(problem.location)", problem.problem, expected: problem.expected)
                })
        }
    }
}
