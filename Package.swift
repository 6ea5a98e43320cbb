// swift-tools-version: 6.1
import PackageDescription

let strictSwift6: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "ModelPlane",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "modelplane", targets: ["ModelPlaneCLI"]),
        .library(name: "ModelPlaneCore", targets: ["ModelPlaneCore"]),
        .library(name: "ModelPlaneConfig", targets: ["ModelPlaneConfig"]),
        .library(name: "ModelPlaneTelemetry", targets: ["ModelPlaneTelemetry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // Pure domain values and math. No I/O, no clocks; Foundation only for JSON.
        .target(
            name: "ModelPlaneCore",
            swiftSettings: strictSwift6
        ),
        // Reading operator files (YAML, JSON, Hugging Face config.json) into Core values.
        .target(
            name: "ModelPlaneConfig",
            dependencies: [
                "ModelPlaneCore",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSwift6
        ),
        // Exporter text into one vendor-neutral schema: exposition parser and writer, normalizers, windows.
        .target(
            name: "ModelPlaneTelemetry",
            dependencies: ["ModelPlaneCore"],
            swiftSettings: strictSwift6
        ),
        // Argument parsing only; every subcommand calls library code.
        .executableTarget(
            name: "ModelPlaneCLI",
            dependencies: [
                "ModelPlaneCore",
                "ModelPlaneConfig",
                "ModelPlaneTelemetry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift6
        ),
        // Shared by the test targets: paths to ../shared fixtures, tolerance helpers.
        .target(
            name: "ModelPlaneTestSupport",
            path: "Tests/ModelPlaneTestSupport",
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "ModelPlaneCoreTests",
            dependencies: ["ModelPlaneCore", "ModelPlaneTestSupport"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "ModelPlaneConfigTests",
            dependencies: ["ModelPlaneConfig"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "ModelPlaneTelemetryTests",
            dependencies: ["ModelPlaneTelemetry", "ModelPlaneTestSupport"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "ModelPlaneCLITests",
            dependencies: ["ModelPlaneCLI"],
            swiftSettings: strictSwift6
        ),
    ],
    swiftLanguageModes: [.v6]
)
