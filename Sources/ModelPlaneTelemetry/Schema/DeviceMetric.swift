/// A measurement of one accelerator (a whole GPU, a MIG instance or an AMD partition), in ModelPlane's units.
public enum DeviceMetric: Int, CaseIterable, Sendable, CustomStringConvertible {
    case power, energy
    case gpuUtilization, memoryCopyUtilization, encoderUtilization, decoderUtilization
    case graphicsEngineActive, smActive, smOccupancy, tensorActive, dramActive, fp64Active, fp32Active, fp16Active
    case memoryUsed, memoryFree, memoryReserved, memoryTotal
    case pcieTransmit, pcieReceive, nvlinkTransmit, nvlinkReceive
    case gpuTemperature, memoryTemperature, hotspotTemperature
    case smClock, memoryClock
    case lastXid, pcieReplays, nvlinkBandwidthTotal
    case remappedRowsCorrectable, remappedRowsUncorrectable, rowRemapFailure, eccCorrectable, eccUncorrectable

    /// The field name used in JSON and tables.
    public var description: String {
        switch self {
        case .power: "power_w"
        case .energy: "energy_j"
        case .gpuUtilization: "gpu_util"
        case .memoryCopyUtilization: "mem_copy_util"
        case .encoderUtilization: "encoder_util"
        case .decoderUtilization: "decoder_util"
        case .graphicsEngineActive: "gr_engine_active"
        case .smActive: "sm_active"
        case .smOccupancy: "sm_occupancy"
        case .tensorActive: "tensor_active"
        case .dramActive: "dram_active"
        case .fp64Active: "fp64_active"
        case .fp32Active: "fp32_active"
        case .fp16Active: "fp16_active"
        case .memoryUsed: "memory_used_bytes"
        case .memoryFree: "memory_free_bytes"
        case .memoryReserved: "memory_reserved_bytes"
        case .memoryTotal: "memory_total_bytes"
        case .pcieTransmit: "pcie_tx_bytes_per_second"
        case .pcieReceive: "pcie_rx_bytes_per_second"
        case .nvlinkTransmit: "nvlink_tx_bytes_per_second"
        case .nvlinkReceive: "nvlink_rx_bytes_per_second"
        case .gpuTemperature: "gpu_temp_c"
        case .memoryTemperature: "memory_temp_c"
        case .hotspotTemperature: "hotspot_temp_c"
        case .smClock: "sm_clock_hz"
        case .memoryClock: "memory_clock_hz"
        case .lastXid: "last_xid"
        case .pcieReplays: "pcie_replays"
        case .nvlinkBandwidthTotal: "nvlink_bandwidth_total"
        case .remappedRowsCorrectable: "remapped_rows_correctable"
        case .remappedRowsUncorrectable: "remapped_rows_uncorrectable"
        case .rowRemapFailure: "row_remap_failure"
        case .eccCorrectable: "ecc_correctable"
        case .eccUncorrectable: "ecc_uncorrectable"
        }
    }

    public var unit: MetricUnit {
        switch self {
        case .power: .watts
        case .energy: .joules
        case .gpuUtilization, .memoryCopyUtilization, .encoderUtilization, .decoderUtilization, .graphicsEngineActive, .smActive, .smOccupancy,
            .tensorActive, .dramActive, .fp64Active, .fp32Active, .fp16Active:
            .ratio
        case .memoryUsed, .memoryFree, .memoryReserved, .memoryTotal: .bytes
        case .pcieTransmit, .pcieReceive, .nvlinkTransmit, .nvlinkReceive: .bytesPerSecond
        case .gpuTemperature, .memoryTemperature, .hotspotTemperature: .celsius
        case .smClock, .memoryClock: .hertz
        case .lastXid: .code
        case .pcieReplays, .nvlinkBandwidthTotal, .remappedRowsCorrectable, .remappedRowsUncorrectable, .eccCorrectable, .eccUncorrectable: .count
        case .rowRemapFailure: .flag
        }
    }

    public var kind: MetricKind {
        switch self {
        case .energy, .pcieReplays, .nvlinkBandwidthTotal, .remappedRowsCorrectable, .remappedRowsUncorrectable, .eccCorrectable, .eccUncorrectable:
            .counter
        default: .gauge
        }
    }

    /// The values a real device can report, after conversion; anything outside is refused as absurd.
    /// Power up to 5 kW covers every accelerator in the catalog with margin (GB200 is 1.2 kW per GPU); ratios may
    /// overshoot 1 by rounding in the exporter, so up to 1.05 is accepted (and clamped to 1).
    public var plausibleRange: ClosedRange<Double> {
        switch unit {
        case .watts: 0...5_000
        case .ratio: 0...1.05
        case .celsius: -60...250
        case .hertz: 0...20e9
        case .bytes: 0...16e12
        case .bytesPerSecond: 0...10e12
        case .code: 0...100_000
        case .flag: 0...1
        default: 0...Double.greatestFiniteMagnitude
        }
    }
}
