import Foundation
import ModelPlaneConfig
import ModelPlaneCore
import Testing

@Suite("Operator files")
struct ConfigFileTests {
    func temporaryFile(_ name: String, _ contents: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelplane-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a YAML override file sets prices and adds a device")
    func yamlOverrides() throws {
        let path = try temporaryFile(
            "gpus.yaml",
            """
            gpus:
              - id: h100-sxm
                price_per_hour_usd: 2.25
              - id: acme_x1
                display_name: ACME X1
                vendor: other
                peak_tflops: {bf16: 500, fp8: 1000}
                memory_gb: 96
                memory_bandwidth_tb_s: 3.2
                names: ["ACME X1 96GB"]
            prices:
              NVIDIA L4: 0.65
            """)
        let catalog = try Catalogs.hardware(overrides: path)
        #expect(try catalog.resolve("h100").model.pricePerHourUSD == 2.25)
        #expect(try catalog.resolve("l4").model.pricePerHourUSD == 0.65)
        #expect(try catalog.resolve("ACME X1 96GB").model.peak(for: .fp8) == 1000e12)
    }

    @Test("YAML errors, NaN values, missing and non-UTF-8 files are named errors")
    func badFiles() throws {
        let broken = try temporaryFile("broken.yaml", "gpus:\n  - id: [unclosed\n")
        #expect(throws: InputError.self) { try Catalogs.hardware(overrides: broken) }
        let nan = try temporaryFile("nan.yaml", "gpus:\n  - id: h100\n    price_per_hour_usd: .nan\n")
        do {
            _ = try Catalogs.hardware(overrides: nan)
            Issue.record("accepted NaN")
        } catch {
            #expect(error.location.contains("price_per_hour_usd"), "\(error)")
        }
        #expect(throws: InputError(path: "/nonexistent/gpus.yaml")) { try Catalogs.hardware(overrides: "/nonexistent/gpus.yaml") }
        let binary = try temporaryFile("bin.yaml", "")
        try Data([0xFF, 0xFE, 0x00, 0x80]).write(to: URL(fileURLWithPath: binary))
        #expect(throws: InputError.self) { try Catalogs.hardware(overrides: binary) }
    }

    @Test("a config.json path (or its directory) imports as a model")
    func configPath() throws {
        let path = try temporaryFile(
            "config.json",
            #"{"model_type": "llama", "hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 16, "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 128256, "tie_word_embeddings": true, "torch_dtype": "bfloat16"}"#
        )
        let model = try Catalogs.model(path)
        // Llama 3.2 1B shape: 1,235,814,400 parameters.
        #expect(model.parameters.total == 1_235_814_400)
        #expect(try Catalogs.model((path as NSString).deletingLastPathComponent).parameters.total == 1_235_814_400)
        #expect(throws: InputError.self) { try Catalogs.model("/nonexistent/config.json") }
        #expect(throws: InputError.self) { try Catalogs.model("no-such-model") }
    }
}

extension InputError {
    init(path: String) { self.init(path, "no such file") }
}
