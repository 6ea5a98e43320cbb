import Foundation

/// Board power and temperature of one GPU, as pure functions of its activity and the constants.
///
/// Three regimes: no context (idle, `idlePowerFraction` of TDP); a context with no useful work (execution-idle,
/// `executionIdlePowerFraction` of TDP, 60–90 % in the study the seeds cite); and active, rising from the
/// execution-idle floor to TDP in proportion to SM and HBM activity. A power cap clips the result and slows the
/// clocks by the cube root of the dynamic power it removes (dynamic power ∝ f·V², V ∝ f). Temperature follows
/// power through a first-order lag toward `ambient + P · R`; above the slowdown temperature clocks drop.
public enum PowerModel {
    public struct Activity: Sendable, Equatable {
        /// Some process holds a context on the device.
        public var resident: Bool
        /// SM activity 0…1 (dcgm PROF_SM_ACTIVE).
        public var smActive: Double
        /// HBM activity 0…1 (dcgm PROF_DRAM_ACTIVE).
        public var dramActive: Double

        public init(resident: Bool, smActive: Double, dramActive: Double) {
            self.resident = resident
            self.smActive = smActive
            self.dramActive = dramActive
        }
    }

    public struct Draw: Sendable, Equatable {
        public var watts: Double
        /// Clock multiplier imposed by the power cap (1 when the cap does not bind).
        public var clockFactor: Double
    }

    /// Power drawn at this activity under an optional cap.
    public static func draw(tdp: Double, activity: Activity, capWatts: Double?, constants: TwinConstants) -> Draw {
        let idle = constants.idlePowerFraction * tdp
        guard activity.resident else { return Draw(watts: min(idle, capWatts ?? idle), clockFactor: 1) }
        let floor = constants.executionIdlePowerFraction * tdp
        let intensity = min(
            1, constants.powerComputeWeight * activity.smActive + (1 - constants.powerComputeWeight) * activity.dramActive)
        let demand = floor + (tdp - floor) * max(0, intensity)
        guard let cap = capWatts, cap < demand else { return Draw(watts: demand, clockFactor: 1) }
        let watts = max(cap, idle)
        let dynamic = demand - idle
        let allowed = max(0, watts - idle)
        let factor = dynamic > 0 ? Foundation.cbrt(allowed / dynamic) : 1
        return Draw(watts: watts, clockFactor: max(0.1, min(1, factor)))
    }

    /// Temperature after `seconds` at constant power, from `celsius`.
    public static func temperature(
        from celsius: Double, watts: Double, seconds: Double, coolingFactor: Double, constants: TwinConstants
    ) -> Double {
        let target = constants.ambientCelsius + watts * constants.thermalResistanceCelsiusPerWatt * coolingFactor
        let decay = constants.thermalTimeConstantSeconds > 0 ? Foundation.exp(-seconds / constants.thermalTimeConstantSeconds) : 0
        return target + (celsius - target) * decay
    }

    /// Clock multiplier from heat: the slowdown factor above the slowdown temperature, else 1.
    public static func thermalClockFactor(celsius: Double, constants: TwinConstants) -> Double {
        celsius > constants.slowdownCelsius ? constants.thermalSlowdownClockFactor : 1
    }
}
