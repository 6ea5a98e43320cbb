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
    }

    /// Moves the fleet from `lastIntegrated` to `time` at constant placement: workloads progress, GPUs draw power.
    mutating func integrate(to time: Int64) {
        let milliseconds = time - lastIntegrated
        guard milliseconds > 0 else { return }
        let dt = Double(milliseconds) / 1000
        let start = Double(lastIntegrated) / 1000
        lastIntegrated = time
        for index in gpus.indices {
            gpus[index].graphicsActive = 0
            gpus[index].smActive = 0
            gpus[index].tensorActive = 0
            gpus[index].dramActive = 0
            gpus[index].memoryUsedBytes = 0
            gpus[index].resident = false
            gpus[index].achievedFLOPS = 0
        }
        let contention = mpsContention()
        for index in workloads.indices where workloads[index].status == .running {
            progress(index, from: start, seconds: dt, contention: contention)
        }
        updatePower(seconds: dt)
        accumulateTotals(seconds: dt)
    }

    /// Per MPS GPU: busy clients and the sum of their SM percentages (bandwidth is shared in that proportion).
    func mpsContention() -> [Int: (clients: Int, percent: Int)] {
        var result: [Int: (clients: Int, percent: Int)] = [:]
        for (index, gpu) in gpus.enumerated() {
            guard let clients = gpu.mps, clients.count > 1 else { continue }
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
        let workload = workloads[index]
        guard workload.status == .running, !workload.zombie, workload.stall < 1 else { return false }
        if let engine = workload.engine { return engine.running + engine.waitingCount > 0 || (workload.arrivals?.rate(at: seconds) ?? 0) > 0 }
        return true
    }

    /// What the workload's slots offer right now.
    func executionContext(_ index: Int, contention: [Int: (clients: Int, percent: Int)]) -> ExecutionContext {
        let workload = workloads[index]
        let first = workload.slots[0]
        let gpu = gpus[first.gpu]
        var context = ExecutionContext(gpu: gpu.model, devices: workload.slots.count, inputStall: workload.stall)
        switch first.kind {
        case .whole: break
        case .mig(let position):
            let profile = gpu.mig[position].profile
            context.computeFraction = gpu.model.computeFraction(of: profile)
            context.bandwidthFraction = Double(profile.memorySlices) / 8
        case .mps(let percent, _):
            context.computeFraction = Double(percent) / 100
            if let shared = contention[first.gpu], shared.clients > 1, shared.percent > 0 {
                context.bandwidthFraction = min(1, Double(percent) / Double(shared.percent))
                context.interference = PerformanceModel.mpsInterference(busyClients: shared.clients, constants: constants)
            }
        }
        context.clockFactor = workload.slots.reduce(1.0) { min($0, gpus[$1.gpu].clockFactor) }
        if workload.slots.count > 1 { context.fabricBytesPerSecond = fabricBandwidth(workload.slots) }
        return context
    }

    /// Per-GPU, per-direction bandwidth between a job's GPUs: NVLink inside one domain, PCIe inside one node (halved
    /// across NUMA nodes), the network across nodes.
    func fabricBandwidth(_ slots: [Slot]) -> Double {
        let first = gpus[slots[0].gpu]
        let node = nodes[first.node]
        guard slots.allSatisfy({ gpus[$0.gpu].node == first.node }) else { return constants.crossNodeBandwidthBytesPerSecond }
        let domain = first.index / node.nvlinkDomainSize
        if node.nvlinkDomainSize > 1, slots.allSatisfy({ gpus[$0.gpu].index / node.nvlinkDomainSize == domain }),
            let nvlink = first.model.interconnect.bandwidthBytesPerSecond
        {
            return nvlink / 2 * node.nvlinkFactor
        }
        var pcie = constants.pcieGen4BandwidthBytesPerSecond * ((first.model.pcieGeneration ?? 4) >= 5 ? 2 : 1)
        let perNUMA = max(1, node.gpuCount / node.numaNodes)
        if Set(slots.map { gpus[$0.gpu].index / perNUMA }).count > 1 { pcie /= 2 }
        return pcie
    }

    mutating func progress(_ index: Int, from start: Double, seconds dt: Double, contention: [Int: (clients: Int, percent: Int)]) {
        let context = executionContext(index, contention: contention)
        let spec = workloads[index].spec
        let devices = Double(context.devices)
        let slicePeak = context.peak(spec.precision) * context.computeFraction
        workloads[index].gpuSeconds += dt * devices * context.computeFraction
        workloads[index].runningSeconds += dt
        workloads[index].peakFLOPs += slicePeak * devices * dt
        let memory = workloads[index].memoryPerGPUBytes
        for slot in workloads[index].slots {
            gpus[slot.gpu].resident = true
            gpus[slot.gpu].memoryUsedBytes += memory
        }
        guard !workloads[index].zombie else {
            workloads[index].lastMFU = 0
            workloads[index].lastBusy = 0
            workloads[index].lastMemoryActivity = 0
            return
        }
        var flopsPerSecond = 0.0
        var busy = 0.0
        var memoryActivity = 0.0
        switch spec.phase {
        case .training:
            let rate = PerformanceModel.training(
                model: spec.model, precision: spec.precision, batch: spec.batch, sequence: spec.sequence, context: context, constants: constants)
            flopsPerSecond = rate.modelFLOPS
            busy = rate.busyFraction
            memoryActivity = busy * context.bandwidthFraction * constants.trainingMemoryActivity
            workloads[index].tokens += rate.tokensPerSecond * dt
        case .inference:
            guard var engine = workloads[index].engine else { return }
            var generator = workloads[index].generator
            let arrived = workloads[index].arrivals?.arrivals(from: start, seconds: dt, using: &generator) ?? 0
            workloads[index].generator = generator
            let constants = self.constants
            let mean = engine.meanContextTokens
            let result = engine.step(now: start, seconds: dt, arrivals: arrived, serving: workloads[index].stall < 1, sla: spec.serviceLevel) {
                running in
                PerformanceModel.inference(
                    model: spec.model, precision: spec.precision, running: running, contextTokens: mean, context: context, constants: constants)
            }
            workloads[index].engine = engine
            let parameters = PerformanceModel.parameters(spec.model)
            flopsPerSecond = 2 * parameters * (result.promptTokens + result.generatedTokens) / dt
            busy = result.busySeconds / dt
            memoryActivity = busy * context.bandwidthFraction * (result.memoryBound ? constants.decodeBandwidthEfficiency : 0.5)
            workloads[index].tokens += result.generatedTokens
            workloads[index].requestsArrived += result.arrived
            workloads[index].requestsCompleted += result.completed
            workloads[index].preemptions += result.preempted
            workloads[index].slaViolations += result.slaViolations
        }
        workloads[index].modelFLOPs += flopsPerSecond * dt
        workloads[index].lastMFU = slicePeak > 0 ? flopsPerSecond / (slicePeak * devices) : 0
        workloads[index].lastBusy = busy
        workloads[index].lastMemoryActivity = memoryActivity
        let perGPU = flopsPerSecond / devices
        let wholePeak = context.peak(spec.precision)
        for slot in workloads[index].slots {
            gpus[slot.gpu].graphicsActive += busy
            gpus[slot.gpu].smActive += busy * context.computeFraction
            gpus[slot.gpu].tensorActive += wholePeak > 0 ? perGPU / wholePeak : 0
            gpus[slot.gpu].dramActive += memoryActivity
            gpus[slot.gpu].achievedFLOPS += perGPU
        }
    }

    mutating func updatePower(seconds dt: Double) {
        for index in racks.indices { racks[index].watts = 0 }
        let constants = self.constants
        for index in gpus.indices {
            var gpu = gpus[index]
            if gpu.health == .fallenOff || gpu.health == .lost {
                gpu.watts = 0
                gpu.celsius = PowerModel.temperature(from: gpu.celsius, watts: 0, seconds: dt, coolingFactor: 1, constants: constants)
                gpus[index] = gpu
                continue
            }
            gpu.graphicsActive = min(1, gpu.graphicsActive)
            gpu.smActive = min(1, gpu.smActive)
            gpu.tensorActive = min(1, gpu.tensorActive)
            gpu.dramActive = min(1, gpu.dramActive)
            let activity = PowerModel.Activity(resident: gpu.resident, smActive: gpu.smActive, dramActive: gpu.dramActive)
            let cap = [gpu.capWatts, gpu.rackCapWatts].compactMap { $0 }.min()
            let draw = PowerModel.draw(tdp: gpu.tdp, activity: activity, capWatts: cap, constants: constants)
            gpu.watts = draw.watts
            gpu.energyJoules += draw.watts * dt
            gpu.celsius = PowerModel.temperature(
                from: gpu.celsius, watts: draw.watts, seconds: dt, coolingFactor: gpu.coolingFactor, constants: constants)
            let heat = PowerModel.thermalClockFactor(celsius: gpu.celsius, constants: constants)
            gpu.throttledByHeat = heat < 1
            gpu.clockFactor = draw.clockFactor * heat
            gpus[index] = gpu
            racks[nodes[gpu.node].rack].watts += draw.watts
        }
        // A rack over its budget caps its GPUs in proportion for the next step; the cap lifts below 95 % of budget.
        for (rackIndex, rack) in racks.enumerated() {
            guard let budget = rack.budgetWatts else { continue }
            if rack.watts > budget {
                racks[rackIndex].overBudgetSeconds += dt
                totals.rackOverBudgetSeconds += dt
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

    mutating func accumulateTotals(seconds dt: Double) {
        for gpu in gpus {
            let price = gpu.model.pricePerHourUSD ?? 0
            totals.gpuSeconds += dt
            totals.costUSD += price * dt / 3600
            totals.modelFLOPs += gpu.achievedFLOPS * dt
            if gpu.throttledByHeat { totals.throttledGPUSeconds += dt }
            if gpu.isUsable {
                totals.usableGPUSeconds += dt
                totals.peakFLOPs += Self.referencePeak(gpu.model) * dt
            }
            if gpu.isFree {
                totals.idleCostUSD += price * dt / 3600
            } else {
                totals.allocatedGPUSeconds += dt
            }
        }
    }
}
