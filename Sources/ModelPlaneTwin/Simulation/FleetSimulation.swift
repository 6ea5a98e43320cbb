public import ModelPlaneCore

/// The time-based twin: a fleet built from a scenario, advanced by discrete events on a virtual clock.
///
/// Events (workload starts and ends, faults, and a tick every `stepSeconds`) sit on a heap ordered by (time,
/// sequence). Before any event takes effect the fleet is integrated up to its time: workloads progress at the rate
/// the performance model gives them, GPUs draw power and heat up, energy accumulates. The only randomness is each
/// workload's own generator, forked from the scenario seed by index, so one seed gives the same bytes every time.
public struct FleetSimulation: Sendable {
    public enum Event: Sendable, Equatable {
        case tick
        case start(Int)
        case end(Int)
        case fault(Int)
    }

    public let scenario: Scenario
    public var constants: TwinConstants { scenario.constants }
    public internal(set) var nodes: [SimNode] = []
    public internal(set) var gpus: [SimGPU] = []
    /// The GPU models of the fleet, one per pool type; `SimGPU.modelIndex` points here.
    public internal(set) var gpuModels: [GPUModel] = []
    public internal(set) var workloads: [SimWorkload] = []
    public internal(set) var racks: [RackState] = []
    /// Virtual time in milliseconds since the start.
    public internal(set) var now: Int64 = 0
    public internal(set) var timeline: [TimelinePoint] = []
    public internal(set) var log: [LogEntry] = []
    /// Bumped whenever the state changes; exporters cache their text per version.
    public internal(set) var version = 0
    public internal(set) var totals = Totals()
    var queue = EventQueue<Event>()
    var lastIntegrated: Int64 = 0
    var nodeIndex: [String: Int] = [:]
    var workloadIndex: [String: Int] = [:]
    /// Record one timeline point every this many ticks (1 = every tick).
    public var timelineEvery = 1
    var ticks = 0
    var lastStep = StepFigures()
    /// Requests running and waiting over all engines after the last step.
    var stepRequests = (running: 0, waiting: 0)
    /// GPUs offered to MPS clients (the only ones with contention to compute each step).
    var mpsGPUs: [Int] = []
    /// Every node before this one has no free usable GPU (see `findWholeGPUs`).
    var wholeHint = 0

    public struct RackState: Sendable, Equatable {
        public var name: String
        public var budgetWatts: Double?
        /// Its nodes (contiguous: racks fill in node order).
        public var nodes: Range<Int>
        public var watts = 0.0
        public var overBudgetSeconds = 0.0
        /// Its GPUs carry a budget cap.
        public var capped = false
    }

    /// Fleet-wide figures at one instant.
    public struct TimelinePoint: Sendable, Equatable {
        public var seconds: Double
        public var allocatedGPUs: Int
        public var usableGPUs: Int
        public var watts: Double
        public var achievedFLOPS: Double
        public var peakFLOPS: Double
        public var runningRequests: Int
        public var waitingRequests: Int
        public var mfu: Double { peakFLOPS > 0 ? achievedFLOPS / peakFLOPS : 0 }
    }

    /// Something that happened: a placement, a fault, a failure.
    public struct LogEntry: Sendable, Equatable {
        public var seconds: Double
        public var message: String
    }

    /// Builds the fleet and schedules every workload and fault; throws when the scenario is impossible.
    public init(scenario: Scenario) throws(InputError) {
        self.scenario = scenario
        try buildFleet()
        for (index, spec) in scenario.workloads.enumerated() {
            if workloadIndex[spec.name] != nil {
                throw InputError("workloads[\(index)].name", "\"\(spec.name)\" is used twice", expected: "unique workload names")
            }
            workloadIndex[spec.name] = index
            let seed = scenario.seed &+ UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15
            var workload = SimWorkload(spec: spec, stall: spec.inputStallFraction, generator: SeededGenerator(seed: seed))
            if let pattern = spec.requests { workload.arrivals = RequestArrivals(pattern: pattern) }
            workloads.append(workload)
            if let node = spec.node, nodeIndex[node] == nil {
                throw InputError(
                    "workloads[\(index)].node", "no node \"\(node)\" in the fleet", expected: "a node name such as \(nodes.first?.name ?? "-")")
            }
            queue.schedule(.start(index), at: Self.milliseconds(spec.startSeconds))
            if let end = spec.endSeconds { queue.schedule(.end(index), at: Self.milliseconds(end)) }
        }
        for (index, fault) in scenario.faults.enumerated() {
            try validate(fault, at: "faults[\(index)]")
            queue.schedule(.fault(index), at: Self.milliseconds(fault.atSeconds))
        }
        queue.schedule(.tick, at: Self.milliseconds(scenario.stepSeconds))
    }

    /// Seconds as the engine's millisecond clock.
    public static func milliseconds(_ seconds: Double) -> Int64 { Int64((seconds * 1000).rounded()) }

    public var seconds: Double { Double(now) / 1000 }
    public var endMilliseconds: Int64 { Self.milliseconds(scenario.durationSeconds) }
    public var isFinished: Bool { now >= endMilliseconds }

    /// Runs every event up to `time` (milliseconds), then integrates up to it.
    public mutating func advance(to time: Int64) {
        let limit = min(time, endMilliseconds)
        while let next = queue.nextTime, next <= limit, let entry = queue.pop() {
            integrate(to: entry.time)
            now = entry.time
            handle(entry.event)
        }
        integrate(to: limit)
        now = max(now, limit)
        version += 1
        assert(invariantViolations().isEmpty, "twin invariants broken: \(invariantViolations().prefix(3))")
    }

    /// Runs the whole scenario.
    public mutating func run() {
        advance(to: endMilliseconds)
    }

    mutating func handle(_ event: Event) {
        switch event {
        case .tick:
            ticks += 1
            if ticks % max(1, timelineEvery) == 0 { recordTimeline() }
            let next = now + Self.milliseconds(scenario.stepSeconds)
            if next <= endMilliseconds { queue.schedule(.tick, at: next) }
        case .start(let index):
            guard workloads[index].status == .scheduled else { return }
            workloads[index].status = .pending
            placePending()
        case .end(let index):
            if workloads[index].status == .running || workloads[index].status == .pending {
                release(index)
                workloads[index].status = .finished
                note("\(workloads[index].spec.name) finished")
                placePending()
            } else if workloads[index].status == .scheduled {
                workloads[index].status = .finished
            }
        case .fault(let index):
            apply(scenario.faults[index])
        }
    }

    mutating func note(_ message: String) {
        log.append(LogEntry(seconds: seconds, message: message))
    }

    mutating func recordTimeline() {
        let point = TimelinePoint(
            seconds: seconds, allocatedGPUs: lastStep.allocatedGPUs, usableGPUs: lastStep.usableGPUs, watts: lastStep.watts,
            achievedFLOPS: lastStep.achievedFLOPS, peakFLOPS: lastStep.peakFLOPS, runningRequests: stepRequests.running,
            waitingRequests: stepRequests.waiting)
        timeline.append(point)
    }

    public func model(of gpu: SimGPU) -> GPUModel { gpuModels[gpu.modelIndex] }

    /// The peak fleet MFU is measured against: dense BF16 (FP16 where a device has no BF16).
    static func referencePeak(_ gpu: GPUModel) -> Double {
        gpu.peakFLOPS[.bf16] ?? gpu.peakFLOPS[.fp16] ?? gpu.peakFLOPS[.fp32] ?? 0
    }
}
