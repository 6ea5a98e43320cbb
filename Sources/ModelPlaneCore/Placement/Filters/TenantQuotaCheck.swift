/// A tenant's quota: GPUs held at once (fractions count) and GPU-hours (the request's GPUs × its expected
/// duration). A request over quota is unschedulable everywhere, with the amount it misses by.
public enum TenantQuotaCheck {
    public static let name = "tenant-quota"

    public static func check(_ request: PlacementRequest, _ snapshot: FleetSnapshot) -> String? {
        guard let quota = snapshot.tenants[request.tenant], !request.isCPUOnly else { return nil }
        let gpus = Double(request.totalGPUMilli) / 1_000
        if let limit = quota.maxGPUs, quota.usedGPUs + gpus > limit + 1e-9 {
            return "tenant \(request.tenant): \(number(quota.usedGPUs)) GPUs held + \(number(gpus)) asked > quota \(number(limit)) "
                + "(over by \(number(quota.usedGPUs + gpus - limit)))"
        }
        if let limit = quota.maxGPUHours, let seconds = request.expectedDurationSeconds {
            let hours = gpus * seconds / 3_600
            if quota.usedGPUHours + hours > limit + 1e-9 {
                return "tenant \(request.tenant): \(number(quota.usedGPUHours)) GPU-hours used + \(number(hours)) expected > quota \(number(limit)) "
                    + "(over by \(number(quota.usedGPUHours + hours - limit)))"
            }
        }
        return nil
    }

    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? "\(Int(rounded))" : "\(rounded)"
    }
}
