import ModelPlaneCore

extension FleetSimulation {
    /// Fleet-wide integrals since the start.
    public struct Totals: Sendable, Equatable {
        /// ∫ Σ achieved model FLOP/s dt.
        public var modelFLOPs = 0.0
        /// ∫ Σ reference peak of usable GPUs dt.
        public var peakFLOPs = 0.0
        public var gpuSeconds = 0.0
        public var allocatedGPUSeconds = 0.0
        public var usableGPUSeconds = 0.0
        public var costUSD = 0.0
        public var idleCostUSD = 0.0
        public var rackOverBudgetSeconds = 0.0
        public var throttledGPUSeconds = 0.0
        /// ∫ the share of MIG-partitioned GPUs in slices nobody holds (or never carved out), in GPU-seconds: the
        /// capacity MIG strands when its instances do not match the demand.
        public var idleMIGGPUSeconds = 0.0
    }

    /// Moves the fleet from `lastIntegrated` to `time` at constant placement: workloads progress, GPUs draw power.
    mutating func integrate(to time: Int64) {
        let milliseconds = time - lastIntegrated
        guard milliseconds > 0 else { return }
        let dt = Double(milliseconds) / 1000
        let start = Double(lastIntegrated) / 1000
        lastIntegrated = time
        gpus.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices {
                buffer[index].graphicsActive = 0
                buffer[index].smActive = 0
                buffer[index].tensorActive = 0
                buffer[index].dramActive = 0
                buffer[index].memoryUsedBytes = 0
                buffer[index].resident = false
                buffer[index].achievedFLOPS = 0
            }
        }
        let contention = mpsContention()
        stepRequests = (0, 0)
        for index in workloads.indices where workloads[index].status == .running {
            progress(index, from: start, seconds: dt, contention: contention)
        }
        updatePower(seconds: dt)
    }

    /// Per MPS GPU with several clients: busy clients and the sum of their SM percentages (bandwidth is shared in that
    /// proportion).
    func mpsContention() -> [Int: (clients: Int, percent: Int)] {
        var result: [Int: (clients: Int, percent: Int)] = [:]
        for index in mpsGPUs {
            guard let clients = gpus[index].mps, clients.count > 1 else { continue }
            var busy = 0
            var percent = 0
            for client in clients where isBusy(client.workload) {
                busy += 1
                percent += client.smPercent
            }
            result[index] = (busy, percent)
        }
        return result
    }

    func isBusy(_ index: Int) -> Bool {
        guard workloads[index].status == .running, !workloads[index].zombie, workloads[index].stall < 1 else { return false }
        guard workloads[index].engine != nil else { return true }
        let queued = (workloads[index].engine?.running ?? 0) + (workloads[index].engine?.waitingCount ?? 0)
        return queued > 0 || (workloads[index].arrivals?.rate(at: seconds) ?? 0) > 0
    }

    /// What the workload's slots offer, apart from what changes every step (clocks, MPS contention, stalls).
    func baseContext(_ index: Int) -> ExecutionContext {
        let workload = workloads[index]
        let first = workload.slots[0]
        let gpu = gpus[first.gpu]
        let model = gpuModels[gpu.modelIndex]
        var context = ExecutionContext(gpu: model, precision: workload.spec.precision, devices: workload.slots.count)
        switch first.kind {
        case .whole: break
        case .mig(let position):
            let profile = gpu.mig[position].profile
            context.computeFraction = model.computeFraction(of: profile)
            context.bandwidthFraction = Double(profile.memorySlices) / 8
        case .mps(let percent, _):
            context.computeFraction = Double(percent) / 100
        }
        if workload.slots.count > 1 { context.fabricBytesPerSecond = fabricBandwidth(workload.slots) }
        return context
    }

    /// The context of this step: the base with the slowest slot's clock, MPS contention and the input stall.
    func executionContext(_ index: Int, contention: [Int: (clients: Int, percent: Int)]) -> ExecutionContext {
        var context = workloads[index].context ?? baseContext(index)
        context.inputStall = workloads[index].stall
        var clock = 1.0
        for slot in workloads[index].slots { clock = min(clock, gpus[slot.gpu].clockFactor) }
        context.clockFactor = clock
        let first = workloads[index].slots[0]
        if case .mps(let percent, _) = first.kind, let shared = contention[first.gpu], shared.clients > 1, shared.percent > 0 {
            context.bandwidthFraction = min(1, Double(percent) / Double(shared.percent))
            context.interference = PerformanceModel.mpsInterference(busyClients: shared.clients, constants: constants)
        }
        return context
    }

    /// Per-GPU, per-direction bandwidth between a job's GPUs: NVLink inside one domain, PCIe inside one node (halved
    /// across NUMA nodes), the network across nodes.
    func fabricBandwidth(_ slots: [Slot]) -> Double {
        let first = gpus[slots[0].gpu]
        let node = nodes[first.node]
        let model = gpuModels[first.modelIndex]
        guard slots.allSatisfy({ gpus[$0.gpu].node == first.node }) else { return constants.crossNodeBandwidthBytesPerSecond }
        let domain = first.index / node.nvlinkDomainSize
        if node.nvlinkDomainSize > 1, slots.allSatisfy({ gpus[$0.gpu].index / node.nvlinkDomainSize == domain }),
            let nvlink = model.interconnect.bandwidthBytesPerSecond
        {
            return nvlink / 2 * node.nvlinkFactor
        }
        var pcie = constants.pcieGen4BandwidthBytesPerSecond * ((model.pcieGeneration ?? 4) >= 5 ? 2 : 1)
        let perNUMA = max(1, node.gpuCount / node.numaNodes)
        if Set(slots.map { gpus[$0.gpu].index / perNUMA }).count > 1 { pcie /= 2 }
        return pcie
    }

    mutating func progress(_ index: Int, from start: Double, seconds dt: Double, contention: [Int: (clients: Int, percent: Int)]) {
        let context = executionContext(index, contention: contention)
        let step = Self.advance(&workloads[index], context: context, from: start, seconds: dt, constants: constants)
        stepRequests.running += step.running
        stepRequests.waiting += step.waiting
        for position in workloads[index].slots.indices {
            let gpu = workloads[index].slots[position].gpu
            gpus[gpu].resident = true
            gpus[gpu].memoryUsedBytes += step.memoryPerGPU
            gpus[gpu].graphicsActive += step.busy
            gpus[gpu].smActive += step.smActive
            gpus[gpu].tensorActive += step.tensorActive
            gpus[gpu].dramActive += step.memoryActivity
            gpus[gpu].achievedFLOPS += step.flopsPerGPU
        }
    }

    /// What a workload's step adds to each of its GPUs, and its engine's queue after the step.
    struct WorkloadStep {
        var memoryPerGPU = 0.0
        var busy = 0.0
        var smActive = 0.0
        var tensorActive = 0.0
        var memoryActivity = 0.0
        var flopsPerGPU = 0.0
        var running = 0
        var waiting = 0
    }

    /// Advances one workload in place (static, so the workload is borrowed, never copied with its engine).
    static func advance(
        _ workload: inout SimWorkload, context: ExecutionContext, from start: Double, seconds dt: Double, constants: TwinConstants
    ) -> WorkloadStep {
        var step = WorkloadStep()
        guard let profile = workload.profile else { return step }
        let devices = Double(context.devices)
        let slicePeak = context.peakFLOPS * context.computeFraction
        workload.gpuSeconds += dt * devices * context.computeFraction
        workload.runningSeconds += dt
        workload.peakFLOPs += slicePeak * devices * dt
        step.memoryPerGPU = workload.memoryPerGPUBytes
        guard !workload.zombie else {
            workload.lastMFU = 0
            workload.lastBusy = 0
            workload.lastMemoryActivity = 0
            return step
        }
        var flopsPerSecond = 0.0
        var busy = 0.0
        var memoryActivity = 0.0
        switch workload.spec.phase {
        case .training:
            let rate = PerformanceModel.training(
                profile: profile, batch: workload.spec.batch, sequence: workload.spec.sequence, context: context, constants: constants)
            flopsPerSecond = rate.modelFLOPS
            busy = rate.busyFraction
            memoryActivity = busy * context.bandwidthFraction * constants.trainingMemoryActivity
            workload.tokens += rate.tokensPerSecond * dt
        case .inference:
            guard workload.engine != nil else { return step }
            let arrived = workload.arrivals?.arrivals(from: start, seconds: dt, using: &workload.generator) ?? 0
            let mean = workload.engine!.meanContextTokens
            let result = workload.engine!.step(
                now: start, seconds: dt, arrivals: arrived, serving: workload.stall < 1, sla: workload.spec.serviceLevel
            ) { running in
                PerformanceModel.inference(profile: profile, running: running, contextTokens: mean, context: context, constants: constants)
            }
            step.running = workload.engine!.running
            step.waiting = workload.engine!.waitingCount
            flopsPerSecond = 2 * profile.parameters * (result.promptTokens + result.generatedTokens) / dt
            busy = result.busySeconds / dt
            memoryActivity = busy * context.bandwidthFraction * (result.memoryBound ? constants.decodeBandwidthEfficiency : 0.5)
            workload.tokens += result.generatedTokens
            workload.requestsCompleted += result.completed
            workload.preemptions += result.preempted
            workload.requestsLost += result.aborted
            workload.slaViolations += result.slaViolations
        }
        workload.modelFLOPs += flopsPerSecond * dt
        workload.lastMFU = slicePeak > 0 ? flopsPerSecond / (slicePeak * devices) : 0
        workload.lastBusy = busy
        workload.lastMemoryActivity = memoryActivity
        step.busy = busy
        step.smActive = busy * context.computeFraction
        step.flopsPerGPU = flopsPerSecond / devices
        step.tensorActive = context.peakFLOPS > 0 ? step.flopsPerGPU / context.peakFLOPS : 0
        step.memoryActivity = memoryActivity
        return step
    }

    /// One pass over the GPUs: power under caps, energy, temperature and clocks, the rack sums, the fleet integrals
    /// and the figures of the step.
    mutating func updatePower(seconds dt: Double) {
        let constants = self.constants
        var rackWatts = [Double](repeating: 0, count: racks.count)
        var totals = self.totals
        var step = StepFigures()
        let nodeRacks = nodes.map(\.rack)
        let idleCap = scenario.idlePowerCapWatts
        gpus.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices {
                totals.gpuSeconds += dt
                totals.costUSD += buffer[index].pricePerHourUSD * dt / 3600
                if buffer[index].isFree {
                    totals.idleCostUSD += buffer[index].pricePerHourUSD * dt / 3600
                } else {
                    totals.allocatedGPUSeconds += dt
                    step.allocatedGPUs += 1
                }
                if buffer[index].health == .fallenOff || buffer[index].health == .lost {
                    buffer[index].watts = 0
                    buffer[index].celsius = PowerModel.temperature(
                        from: buffer[index].celsius, watts: 0, seconds: dt, coolingFactor: 1, constants: constants)
                    continue
                }
                let graphics = min(1, buffer[index].graphicsActive)
                let sm = min(1, buffer[index].smActive)
                let dram = min(1, buffer[index].dramActive)
                buffer[index].graphicsActive = graphics
                buffer[index].smActive = sm
                buffer[index].tensorActive = min(1, buffer[index].tensorActive)
                buffer[index].dramActive = dram
                let activity = PowerModel.Activity(resident: buffer[index].resident, smActive: sm, dramActive: dram)
                var cap = buffer[index].rackCapWatts
                if let idleCap, graphics == 0 { cap = min(cap ?? idleCap, idleCap) }
                let draw = PowerModel.draw(tdp: buffer[index].tdp, activity: activity, capWatts: cap, constants: constants)
                let celsius = PowerModel.temperature(
                    from: buffer[index].celsius, watts: draw.watts, seconds: dt, coolingFactor: buffer[index].coolingFactor, constants: constants)
                let heat = PowerModel.thermalClockFactor(celsius: celsius, constants: constants)
                buffer[index].watts = draw.watts
                buffer[index].energyJoules += draw.watts * dt
                buffer[index].celsius = celsius
                buffer[index].throttledByHeat = heat < 1
                buffer[index].clockFactor = draw.clockFactor * heat
                rackWatts[nodeRacks[buffer[index].node]] += draw.watts
                let achieved = buffer[index].achievedFLOPS
                totals.modelFLOPs += achieved * dt
                step.watts += draw.watts
                step.achievedFLOPS += achieved
                if heat < 1 { totals.throttledGPUSeconds += dt }
                if !buffer[index].mig.isEmpty, buffer[index].health == .healthy {
                    var held = 0
                    for slot in buffer[index].mig where slot.owner != nil { held += slot.profile.computeSlices }
                    totals.idleMIGGPUSeconds += Double(7 - min(7, held)) / 7 * dt
                }
                if buffer[index].health == .healthy {
                    totals.usableGPUSeconds += dt
                    totals.peakFLOPs += buffer[index].referencePeakFLOPS * dt
                    step.usableGPUs += 1
                    step.peakFLOPS += buffer[index].referencePeakFLOPS
                }
            }
        }
        self.totals = totals
        lastStep = step
        // A rack over its budget caps its GPUs in proportion for the next step; the cap lifts below 95 % of budget.
        for rackIndex in racks.indices {
            racks[rackIndex].watts = rackWatts[rackIndex]
            let rack = racks[rackIndex]
            guard let budget = rack.budgetWatts else { continue }
            if rack.watts > budget {
                racks[rackIndex].overBudgetSeconds += dt
                self.totals.rackOverBudgetSeconds += dt
            }
            let ratio = rack.watts > 0 ? budget / rack.watts : 1
            guard ratio < 1 || (rack.capped && rack.watts < 0.95 * budget) else { continue }
            racks[rackIndex].capped = ratio < 1
            for node in rack.nodes {
                for gpu in nodes[node].gpuRange {
                    gpus[gpu].rackCapWatts = ratio < 1 ? max(constants.idlePowerFraction * gpus[gpu].tdp, gpus[gpu].watts * ratio) : nil
                }
            }
        }
    }
}

/// Fleet figures of the last integrated step (what a timeline point records).
struct StepFigures: Sendable, Equatable {
    var allocatedGPUs = 0
    var usableGPUs = 0
    var watts = 0.0
    var achievedFLOPS = 0.0
    var peakFLOPS = 0.0
}
