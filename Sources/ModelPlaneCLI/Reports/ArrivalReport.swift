import Foundation
import ModelPlaneCore
import ModelPlaneTwin

/// Output of `modelplane simulate arrivals`: a table per policy (per seed and the median), JSON, an SVG plot.
enum ArrivalReport {
    struct PolicyResult {
        let policy: ArrivalPolicy
        let metrics: [ArrivalMetrics]
        /// Running tasks moved per seed (ModelPlane with --migrations).
        let migrations: [Int]

        init(policy: ArrivalPolicy, runs: [ArrivalRun]) {
            self.policy = policy
            metrics = runs.map(ArrivalMetrics.init)
            migrations = runs.map(\.migrations)
        }

        var moves: Bool { migrations.contains { $0 > 0 } }

        var medianAt100: Double? { ArrivalMetrics.median(metrics.compactMap(\.unallocatedAt100)) }
        var medianAt130: Double? { ArrivalMetrics.median(metrics.compactMap(\.unallocatedAt130)) }
        var medianFailed: Double? { ArrivalMetrics.median(metrics.map { Double($0.failedTasks) }) }
        var medianFragmentation: Double? { ArrivalMetrics.median(metrics.compactMap(\.fragmentationTotalAt100)) }
    }

    static func text(_ results: [PolicyResult], trace: String, inflation: Double, svg: String?) -> String {
        var sections: [String] = []
        for result in results {
            var table = TextTable(
                header: ["seed", "unallocated GPU % @100", "@130", "failed pods", "frag/total % @100"] + (result.moves ? ["migrations"] : []),
                numeric: [0, 1, 2, 3, 4, 5])
            for (metrics, moved) in zip(result.metrics, result.migrations) {
                table.rows.append(
                    [
                        String(metrics.seed), percent(metrics.unallocatedAt100), percent(metrics.unallocatedAt130), String(metrics.failedTasks),
                        percent(metrics.fragmentationTotalAt100),
                    ] + (result.moves ? [String(moved)] : []))
            }
            table.rows.append(
                [
                    "median", percent(result.medianAt100), percent(result.medianAt130), number(result.medianFailed),
                    percent(result.medianFragmentation),
                ] + (result.moves ? [number(ArrivalMetrics.median(result.migrations.map(Double.init)))] : []))
            sections.append(
                "\(result.policy.paperName) (\(result.policy.rawValue)) on \(trace), arrivals to \(number(inflation * 100)) % of GPU capacity\n"
                    + table.render())
        }
        if results.count > 1 {
            var summary = TextTable(header: ["policy", "median unallocated GPU % @100", "@130", "failed pods"], numeric: [1, 2, 3])
            for result in results.sorted(by: { ($0.medianAt100 ?? .infinity) > ($1.medianAt100 ?? .infinity) }) {
                summary.rows.append([result.policy.paperName, percent(result.medianAt100), percent(result.medianAt130), number(result.medianFailed)])
            }
            sections.append("medians over \(results[0].metrics.count) seed(s)\n" + summary.render())
        }
        if let svg { sections.append("plot: \(svg)") }
        return sections.joined(separator: "\n\n")
    }

    /// One object per policy (`{"policy", "trace", "seeds": [...], "median": {...}}`); several policies make a list.
    static func json(_ results: [PolicyResult], trace: String) -> String {
        func fields(_ at100: Double?, _ at130: Double?, _ failed: Double?, _ fragmentation: Double?) -> [String: ConfigValue] {
            [
                "unallocated_gpu_pct_at_100": at100.map(ConfigValue.number) ?? .null,
                "unallocated_gpu_pct_at_130": at130.map(ConfigValue.number) ?? .null,
                "failed_pods": failed.map(ConfigValue.number) ?? .null,
                "frag_total_pct_at_100": fragmentation.map(ConfigValue.number) ?? .null,
            ]
        }
        let objects = results.map { result -> ConfigValue in
            let seeds = result.metrics.map { metrics -> ConfigValue in
                var entry = fields(metrics.unallocatedAt100, metrics.unallocatedAt130, Double(metrics.failedTasks), metrics.fragmentationTotalAt100)
                entry["seed"] = .number(Double(metrics.seed))
                if result.moves, let index = result.metrics.firstIndex(of: metrics) {
                    entry["migrations"] = .number(Double(result.migrations[index]))
                }
                return .object(entry)
            }
            return .object([
                "policy": .string(result.policy.rawValue), "trace": .string(trace), "seeds": .array(seeds),
                "median": .object(fields(result.medianAt100, result.medianAt130, result.medianFailed, result.medianFragmentation)),
            ])
        }
        return (objects.count == 1 ? objects[0] : .array(objects)).jsonText()
    }

    /// The offline limit per seed: the relaxation bound and the best offline packer, with medians.
    static func offlineText(_ packings: [OfflinePacking]) -> String {
        var table = TextTable(header: ["seed", "lower bound % @100", "offline packer % @100", "@130", "packer"], numeric: [0, 1, 2, 3])
        for packing in packings {
            table.rows.append([
                String(packing.seed), percent(packing.lowerBoundAt100), percent(packing.packedAt100), percent(packing.packedAt130), packing.packer,
            ])
        }
        table.rows.append([
            "median", percent(ArrivalMetrics.median(packings.map(\.lowerBoundAt100))), percent(ArrivalMetrics.median(packings.map(\.packedAt100))),
            percent(ArrivalMetrics.median(packings.compactMap(\.packedAt130))), "",
        ])
        return "offline, all tasks known in advance (unallocated GPU %): a relaxation bound no policy can beat, and the best of "
            + "first-fit and best-fit decreasing\n" + table.render()
    }

    static func offlineJSON(_ packings: [OfflinePacking]) -> ConfigValue {
        .object([
            "seeds": .array(
                packings.map {
                    .object([
                        "seed": .number(Double($0.seed)), "lower_bound_pct_at_100": .number($0.lowerBoundAt100),
                        "offline_packer_pct_at_100": .number($0.packedAt100),
                        "offline_packer_pct_at_130": $0.packedAt130.map(ConfigValue.number) ?? .null,
                        "packer": .string($0.packer),
                    ])
                }),
            "median": .object([
                "lower_bound_pct_at_100": ArrivalMetrics.median(packings.map(\.lowerBoundAt100)).map(ConfigValue.number) ?? .null,
                "offline_packer_pct_at_100": ArrivalMetrics.median(packings.map(\.packedAt100)).map(ConfigValue.number) ?? .null,
                "offline_packer_pct_at_130": ArrivalMetrics.median(packings.compactMap(\.packedAt130)).map(ConfigValue.number) ?? .null,
            ]),
        ])
    }

    /// Which target-workload coverage the tuning seeds chose for ModelPlane, and what each candidate left.
    static func tuningText(_ chosen: Double, _ trials: [ArrivalExperiment.CoverageTrial], seeds: [Int64]) -> String {
        let tried = trials.map { "\(String(format: "%g", $0.coverage * 100)) % → \(percent($0.unallocatedAt100)) / \(percent($0.unallocatedAt130))" }
        return "ModelPlane's target workload covers \(String(format: "%g", chosen * 100)) % of tasks, tuned on seeds \(seedList(seeds)) "
            + "(unallocated GPU % at 100 / 130 % arrived, median: \(tried.joined(separator: "; ")))"
    }

    static func tuningJSON(_ chosen: Double, _ trials: [ArrivalExperiment.CoverageTrial], seeds: [Int64]) -> ConfigValue {
        .object([
            "coverage": .number(chosen), "seeds": .array(seeds.map { .number(Double($0)) }),
            "trials": .array(
                trials.map {
                    .object([
                        "coverage": .number($0.coverage), "unallocated_gpu_pct_at_100": .number($0.unallocatedAt100),
                        "unallocated_gpu_pct_at_130": .number($0.unallocatedAt130),
                    ])
                }),
        ])
    }

    /// "0–9" for a run of seeds, else the list.
    static func seedList(_ seeds: [Int64]) -> String {
        guard let first = seeds.first, let last = seeds.last, seeds == Array(first...last), seeds.count > 2 else {
            return seeds.map(String.init).joined(separator: ", ")
        }
        return "\(first)–\(last)"
    }

    /// Unallocated GPU % (median over seeds) against arrived % of capacity, one line per policy.
    static func svg(_ results: [PolicyResult], trace: String) -> String {
        let width = 720.0
        let height = 440.0
        let left = 60.0
        let right = 150.0
        let top = 30.0
        let bottom = 50.0
        let xMaximum = 130.0
        var curves: [(ArrivalPolicy, [(Double, Double)])] = []
        var yMaximum = 5.0
        for result in results {
            let length = result.metrics.map(\.allocationCurve.count).max() ?? 0
            var points: [(Double, Double)] = []
            for arrived in stride(from: 50, to: length, by: 1) {
                let values = result.metrics.compactMap { $0.allocationCurve.indices.contains(arrived) ? $0.allocationCurve[arrived] : nil }
                guard let median = ArrivalMetrics.median(values.map { 100 - $0 }) else { continue }
                points.append((Double(arrived), median))
                yMaximum = max(yMaximum, median)
            }
            curves.append((result.policy, points))
        }
        yMaximum = (yMaximum / 5).rounded(.up) * 5
        func x(_ value: Double) -> Double { left + (value - 50) / (xMaximum - 50) * (width - left - right) }
        func y(_ value: Double) -> Double { top + (1 - value / yMaximum) * (height - top - bottom) }
        let colors = ["#d62728", "#9467bd", "#8c564b", "#ff7f0e", "#1f77b4", "#2ca02c"]
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="18" font-size="14">Unallocated GPU % vs arrived workload (\(escape(trace)), median over seeds)</text>

            """
        for tick in stride(from: 50.0, through: xMaximum, by: 10) {
            svg += "<line x1=\"\(x(tick))\" y1=\"\(top)\" x2=\"\(x(tick))\" y2=\"\(height - bottom)\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(x(tick))\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\">\(Int(tick))</text>\n"
        }
        for tick in stride(from: 0.0, through: yMaximum, by: 5) {
            svg += "<line x1=\"\(left)\" y1=\"\(y(tick))\" x2=\"\(width - right)\" y2=\"\(y(tick))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\">\(Int(tick))</text>\n"
        }
        svg += "<text x=\"\((left + width - right) / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">arrived GPU request, % of capacity</text>\n"
        svg += "<text transform=\"translate(16 \((top + height - bottom) / 2)) rotate(-90)\" text-anchor=\"middle\">unallocated GPU %</text>\n"
        for (position, (policy, points)) in curves.enumerated() {
            let color = colors[position % colors.count]
            let path = points.map { String(format: "%.1f,%.1f", x($0.0), y($0.1)) }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            let legendY = top + 10 + Double(position) * 18
            svg +=
                "<line x1=\"\(width - right + 12)\" y1=\"\(legendY)\" x2=\"\(width - right + 36)\" y2=\"\(legendY)\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            svg += "<text x=\"\(width - right + 42)\" y=\"\(legendY + 4)\">\(policy.paperName)</text>\n"
        }
        return svg + "</svg>\n"
    }

    private static func percent(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "—" }
    private static func number(_ value: Double?) -> String {
        guard let value else { return "—" }
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }
}
