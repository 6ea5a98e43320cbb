import ArgumentParser

@main
struct ModelPlane: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modelplane",
        abstract: "A model-aware GPU control plane: MFU, memory fit and placement for GPU fleets.",
        subcommands: [MFUCommand.self, FitCommand.self, CatalogCommand.self, TelemetryCommand.self, SimulateCommand.self, PlaceCommand.self]
    )
}
