import ArgumentParser
import ModelPlaneConfig
import ModelPlaneCore

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "List the GPUs and models ModelPlane knows.", subcommands: [GPUs.self, Models.self])

    struct GPUs: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "gpus", abstract: "Accelerators with dense peaks, memory, MIG profiles, prices.")
        @Option(help: "Hardware catalog overrides (YAML or JSON).") var catalog: String?
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() throws {
            try reportingInputErrors { () throws(InputError) in
                let hardware = try Catalogs.hardware(overrides: catalog)
                print(json ? CatalogReport.gpusJSON(hardware) : CatalogReport.gpusTable(hardware))
            }
        }
    }

    struct Models: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "models", abstract: "Built-in models with derived parameter counts.")
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() throws {
            print(json ? CatalogReport.modelsJSON(.builtin) : CatalogReport.modelsTable(.builtin))
        }
    }
}
