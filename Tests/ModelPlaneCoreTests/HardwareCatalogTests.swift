import Foundation
import ModelPlaneCore
import ModelPlaneTestSupport
import Testing

@Suite("Hardware catalog")
struct HardwareCatalogTests {
    let catalog = HardwareCatalog.builtin

    @Test("every modelName in the dcgm-exporter fixtures resolves")
    func dcgmModelNames() throws {
        var names = Set<String>()
        for file in Fixtures.files(in: "dcgm-exporter/metrics", suffix: ".prom") {
            for line in try Fixtures.text(file).split(separator: "\n") {
                guard let start = line.firstRange(of: "modelName=\"") else { continue }
                let rest = line[start.upperBound...]
                names.insert(String(rest[..<rest.firstIndex(of: "\"")!]))
            }
        }
        #expect(names.count >= 3)
        for name in names { _ = try catalog.resolve(name) }
        #expect(try catalog.resolve("Tesla T4").model.id == "nvidia_t4")
        #expect(try catalog.resolve("NVIDIA H100 80GB HBM3").model.id == "nvidia_h100_sxm")
    }

    @Test("every nvidia.com/gpu.product in the GPU Feature Discovery and Kubernetes fixtures resolves")
    func featureDiscoveryProducts() throws {
        var products = Set<String>()
        let files = Fixtures.files(in: "gpu-feature-discovery", suffix: ".json") + Fixtures.files(in: "kubernetes-api", suffix: ".json")
        for file in files {
            let text = try Fixtures.text(file)
            var rest = Substring(text)
            while let range = rest.firstRange(of: "product\": \"") {
                let tail = rest[range.upperBound...]
                let end = tail.firstIndex(of: "\"")!
                products.insert(String(tail[..<end]))
                rest = tail[end...]
            }
        }
        #expect(products.contains("NVIDIA-H100-80GB-HBM3-MIG-1g.10gb"))
        for product in products { _ = try catalog.resolve(product) }
    }

    struct NameRow: Sendable, CustomTestStringConvertible {
        let name: String, id: String, mig: String?, shared: Bool, vgpu: String?
        var testDescription: String { name }
    }

    @Test(
        "names real systems report",
        arguments: [
            NameRow(name: "NVIDIA H100 80GB HBM3", id: "nvidia_h100_sxm", mig: nil, shared: false, vgpu: nil),
            NameRow(name: "NVIDIA-H100-80GB-HBM3", id: "nvidia_h100_sxm", mig: nil, shared: false, vgpu: nil),
            NameRow(name: "NVIDIA-H100-80GB-HBM3-SHARED", id: "nvidia_h100_sxm", mig: nil, shared: true, vgpu: nil),
            NameRow(name: "NVIDIA-H100-80GB-HBM3-MIG-3g.40gb", id: "nvidia_h100_sxm", mig: "3g.40gb", shared: false, vgpu: nil),
            NameRow(name: "A100-SXM4-40GB-MIG-1g.5gb-SHARED", id: "nvidia_a100_40gb_sxm", mig: "1g.5gb", shared: true, vgpu: nil),
            NameRow(name: "NVIDIA-H100-80GB-HBM3-MIG-1g.10gb.me", id: "nvidia_h100_sxm", mig: "1g.10gb+me", shared: false, vgpu: nil),
            NameRow(name: "Tesla-T4-SHARED", id: "nvidia_t4", mig: nil, shared: true, vgpu: nil),
            NameRow(name: "NVIDIA-A16-4Q", id: "nvidia_a16", mig: nil, shared: false, vgpu: "4Q"),
            NameRow(name: "NVIDIA A100-SXM4-80GB", id: "nvidia_a100_80gb_sxm", mig: nil, shared: false, vgpu: nil),
            NameRow(name: "NVIDIA A100 80GB PCIe", id: "nvidia_a100_80gb_pcie", mig: nil, shared: false, vgpu: nil),
            NameRow(name: "NVIDIA H200", id: "nvidia_h200_sxm", mig: nil, shared: false, vgpu: nil),
            NameRow(name: "NVIDIA B200", id: "nvidia_b200", mig: nil, shared: false, vgpu: nil),
            NameRow(name: "AMD Instinct MI300X", id: "amd_mi300x", mig: nil, shared: false, vgpu: nil),
            NameRow(name: "AMD Instinct MI300X OAM", id: "amd_mi300x", mig: nil, shared: false, vgpu: nil),
            NameRow(name: "AMD_Instinct_MI300X_OAM", id: "amd_mi300x", mig: nil, shared: false, vgpu: nil),
            NameRow(name: "h100-sxm", id: "nvidia_h100_sxm", mig: nil, shared: false, vgpu: nil),
            NameRow(name: "L4", id: "nvidia_l4", mig: nil, shared: false, vgpu: nil),
            NameRow(name: "mi325x", id: "amd_mi325x", mig: nil, shared: false, vgpu: nil),
        ])
    func reportedNames(_ row: NameRow) throws {
        let resolved = try catalog.resolve(row.name)
        #expect(resolved.model.id == row.id)
        #expect(resolved.mig?.name == row.mig)
        #expect(resolved.shared == row.shared)
        #expect(resolved.vgpuProfile == row.vgpu)
    }

    @Test("an unknown name is an error listing the closest known names")
    func unknownName() {
        do {
            _ = try catalog.resolve("NVIDIA H100 80GB HBM4")
            Issue.record("expected an error")
        } catch {
            #expect(error.problem == "unknown device")
            #expect(error.expected.contains("NVIDIA H100 80GB HBM3"))
        }
        #expect(throws: InputError.self) { try catalog.resolve("") }
        #expect(throws: InputError.self) { try catalog.resolve("NVIDIA-H100-80GB-HBM3-MIG-5g.50gb") }
    }

    @Test("dense peaks: sparse datasheet headlines are halved, A100 and AMD are dense")
    func densePeaks() throws {
        #expect(try catalog.resolve("h100-sxm").model.peak(for: .bf16) == 989.4e12)
        #expect(try catalog.resolve("h100-sxm").model.peak(for: .fp8) == 1978.9e12)
        #expect(try catalog.resolve("a100").model.peak(for: .bf16) == 312e12)
        #expect(try catalog.resolve("mi300x").model.peak(for: .bf16) == 1307.4e12)
        #expect(try catalog.resolve("l4").model.peak(for: .bf16) == 121e12)
        #expect(throws: InputError.self) { try catalog.resolve("t4").model.peak(for: .bf16) }
    }

    @Test("MIG profiles of A100, H100, H200 and B200, with SM-based compute fractions")
    func migProfiles() throws {
        for name in ["a100", "a100-40gb", "h100-sxm", "h200", "b200"] {
            let gpu = try catalog.resolve(name).model
            #expect(gpu.migProfiles.count == 7, "\(name)")
            #expect(gpu.migProfiles.filter { !$0.name.hasSuffix("+me") }.allSatisfy { $0.maxCount * $0.computeSlices <= 7 })
        }
        let h100 = try catalog.resolve("h100-sxm").model
        let slice = try h100.migProfile(named: "1g.10gb")
        // 16 of 132 SMs.
        #expect(close(h100.computeFraction(of: slice), 16.0 / 132.0, within: 1e-12))
        #expect(slice.maxCount == 7)
        #expect(try catalog.resolve("l4").model.migProfiles.isEmpty)
    }

    @Test("operator overrides: prices, a new device, and precise errors that leave the catalog untouched")
    func overrides() throws {
        let file = try JSONReader.parse(
            #"""
            {"gpus": [{"id": "h100-sxm", "price_per_hour_usd": 2.1},
                      {"id": "acme_x1", "display_name": "ACME X1", "peak_tflops": {"bf16": 500}, "memory_gb": 96,
                       "memory_bandwidth_tb_s": 3.2, "names": ["ACME X1 96GB"]}],
             "prices": {"l4": 0.7}}
            """#, source: "gpus.json")
        let updated = try catalog.applying(file, source: "gpus.json")
        #expect(try updated.resolve("NVIDIA H100 80GB HBM3").model.pricePerHourUSD == 2.1)
        #expect(try updated.resolve("l4").model.pricePerHourUSD == 0.7)
        #expect(try updated.resolve("ACME X1 96GB").model.peak(for: .bf16) == 500e12)
        #expect(catalog.lookup("acme_x1") == nil)

        let bad: [(String, String)] = [
            (#"{"gpus": [{"id": "h100", "price_per_hour_usd": -1}]}"#, "gpus.json: gpus[0].price_per_hour_usd"),
            (#"{"gpus": [{"id": "h100", "memroy_gb": 80}]}"#, "gpus.json: gpus[0].memroy_gb"),
            (#"{"gpus": [{"id": "h100", "peak_tflops": {"bf17": 1}}]}"#, "gpus.json: gpus[0].peak_tflops.bf17"),
            (#"{"gpus": [{"id": "new", "memory_gb": 10}]}"#, "gpus.json: gpus[1]"),
            (#"{"gpus": [{"id": "h100", "peak_tflops": {"bf16": "fast"}}]}"#, "gpus.json: gpus[0].peak_tflops.bf16"),
            (#"{"prices": {"h900": 1}}"#, "GPU \"h900\""),
            (#"{"gpu": []}"#, "gpus.json: gpu"),
        ]
        for (text, location) in bad {
            do {
                _ = try catalog.applying(try JSONReader.parse(text, source: "gpus.json"), source: "gpus.json")
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.location.hasPrefix(location.replacingOccurrences(of: "gpus[1]", with: "gpus[0]")), "\(error)")
            }
        }
    }
}
