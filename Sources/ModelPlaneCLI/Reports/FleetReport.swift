import ModelPlaneCore
import ModelPlaneTwin

/// Terminal and CSV renderings of a fleet run.
enum FleetReport {
    static func text(_ summary: FleetSummary, simulation: FleetSimulation) -> String {
        var block = KeyValueBlock()
        block.add("scenario", "\(summary.scenario) (seed \(summary.seed), \(Quantity.significant(summary.seconds / 3600, 3)) h simulated)")
        block.add("fleet", "\(summary.nodes) nodes, \(summary.gpus) GPUs")
        block.add("fleet MFU", "\(Quantity.percent(summary.fleetMFU)) of dense BF16 peak (allocated GPUs: \(Quantity.percent(summary.allocatedMFU)))")
        block.add(
            "GPU-hours",
            "\(Quantity.significant(summary.gpuHours, 4)) (allocated \(Quantity.significant(summary.allocatedGPUHours, 4)))")
        block.add("energy", "\(Quantity.significant(summary.energyKWh, 4)) kWh")
        block.add("cost", "$\(Quantity.significant(summary.costUSD, 4)) (idle GPUs $\(Quantity.significant(summary.idleCostUSD, 4)))")
        block.add(
            "requests",
            "\(summary.requestsCompleted) completed, \(summary.requestsLost) lost, \(summary.slaViolations) over SLA, \(summary.preemptions) preempted"
        )
        block.add("tokens", Quantity.significant(summary.tokens, 4))
        block.add(
            "failures",
            "\(summary.failures) (OOM-killed \(summary.outOfMemory), OOM risk \(summary.oomRisk), pending at end \(summary.pendingAtEnd))")
        if summary.idleMIGGPUHours > 0 {
            block.add("MIG", "\(Quantity.significant(summary.idleMIGGPUHours, 3)) GPU-hours in slices nobody held")
        }
        if summary.rackOverBudgetSeconds > 0 || summary.throttledGPUHours > 0 {
            block.add(
                "power",
                "racks over budget \(Quantity.significant(summary.rackOverBudgetSeconds, 3)) s, heat-throttled \(Quantity.significant(summary.throttledGPUHours, 3)) GPU-h"
            )
        }
        var table = TextTable(
            header: [
                "workload", "phase", "status", "placement", "MFU", "GPU-h", "tokens/s", "TTFT p50", "TTFT p99", "ITL p50", "over SLA", "restarts",
            ],
            numeric: [4, 5, 6, 7, 8, 9, 10, 11])
        let shown = summary.workloads.prefix(40)
        for line in shown {
            table.rows.append([
                line.name, line.phase.rawValue, line.status.rawValue, line.placement, Quantity.percent(line.mfu),
                Quantity.significant(line.gpuHours, 3),
                Quantity.significant(line.tokensPerSecond, 4), line.ttftP50.map { seconds($0) } ?? "-", line.ttftP99.map { seconds($0) } ?? "-",
                line.itlP50.map { seconds($0) } ?? "-", String(line.slaViolations), String(line.restarts),
            ])
        }
        var out = block.render() + "\n\n" + table.render()
        if summary.workloads.count > shown.count { out += "\n… \(summary.workloads.count - shown.count) more workloads (use --json)" }
        let events = simulation.log.filter { !$0.message.contains(" placed on ") }.suffix(20)
        if !events.isEmpty {
            out += "\n\nevents:\n" + events.map { "  \(clock($0.seconds))  \($0.message)" }.joined(separator: "\n")
        }
        return out
    }

    static func seconds(_ value: Double) -> String {
        value < 1 ? "\(Quantity.significant(value * 1000, 3)) ms" : "\(Quantity.significant(value, 3)) s"
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let text = [total / 3600, total / 60 % 60, total % 60].map { $0 < 10 ? "0\($0)" : String($0) }
        return text.joined(separator: ":")
    }

    static func timelineCSV(_ simulation: FleetSimulation) -> String {
        var out = "seconds,allocated_gpus,usable_gpus,watts,achieved_flops,peak_flops,mfu,running_requests,waiting_requests\n"
        for point in simulation.timeline {
            let fields: [String] = [
                ConfigValue.number(point.seconds).jsonText(), String(point.allocatedGPUs), String(point.usableGPUs),
                ConfigValue.number((point.watts * 10).rounded() / 10).jsonText(), ConfigValue.number(point.achievedFLOPS.rounded()).jsonText(),
                ConfigValue.number(point.peakFLOPS.rounded()).jsonText(), ConfigValue.number((point.mfu * 1e6).rounded() / 1e6).jsonText(),
                String(point.runningRequests), String(point.waitingRequests),
            ]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }
}

extension FleetReport {
    static func whatIfText(_ result: WhatIf.Result) -> String {
        var table = TextTable(header: ["figure", "without", "with", "change", "95 % interval"], numeric: [1, 2, 3, 4])
        for delta in result.deltas {
            let sign = delta.delta > 0 ? "+" : ""
            table.rows.append([
                delta.name, Quantity.significant(delta.baseline, 4), Quantity.significant(delta.proposed, 4),
                sign + Quantity.significant(delta.delta, 3), "± " + Quantity.significant(delta.interval, 2),
            ])
        }
        let seeds = result.seeds.map(String.init).joined(separator: ",")
        return "what-if: \(result.action) (\(result.seeds.count) seeds: \(seeds))\n\n" + table.render()
    }

    static func whatIfJSON(_ result: WhatIf.Result) -> String {
        func round(_ value: Double) -> ConfigValue { .number((value * 1e6).rounded() / 1e6) }
        let deltas = result.deltas.map { delta -> ConfigValue in
            .object([
                "figure": .string(delta.name), "without": round(delta.baseline), "with": round(delta.proposed), "delta": round(delta.delta),
                "interval_95": round(delta.interval),
            ])
        }
        return ConfigValue.object([
            "action": .string(result.action.description), "seeds": .array(result.seeds.map { .number(Double($0)) }), "deltas": .array(deltas),
        ]).jsonText()
    }
}
