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
        .library(name: "ModelPlaneTwin", targets: ["ModelPlaneTwin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.30.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
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
        // Exporter text into one vendor-neutral schema: exposition parser and writer, normalizers, windows, and the
        // scrape and PromQL sources that feed them.
        .target(
            name: "ModelPlaneTelemetry",
            dependencies: [
                "ModelPlaneCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift6
        ),
        // The digital twin: a deterministic simulator of a fleet, trace loaders (Alibaba GPU trace), the ATC'23
        // arrival protocol and its baseline policies, what-if runs.
        .target(
            name: "ModelPlaneTwin",
            dependencies: ["ModelPlaneCore", "ModelPlaneTelemetry"],
            swiftSettings: strictSwift6
        ),
        // The twin served live: exporter endpoints over HTTP on loopback, advanced against the wall clock.
        .target(
            name: "ModelPlaneTwinService",
            dependencies: [
                "ModelPlaneTwin",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSwift6
        ),
        // Changing the world: kube-scheduler extender wire types, Kubernetes object views, and pod profiling into
        // placement requests.
        .target(
            name: "ModelPlaneActuation",
            dependencies: ["ModelPlaneCore"],
            swiftSettings: strictSwift6
        ),
        // Argument parsing only; every subcommand calls library code.
        .executableTarget(
            name: "ModelPlaneCLI",
            dependencies: [
                "ModelPlaneCore",
                "ModelPlaneConfig",
                "ModelPlaneActuation",
                "ModelPlaneTelemetry",
                "ModelPlaneTwin",
                "ModelPlaneTwinService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift6
        ),
        // Release-mode benchmarks for the performance targets of the issues (scripts/bench-*). Prints figures only.
        .executableTarget(
            name: "modelplane-bench",
            dependencies: ["ModelPlaneTelemetry"],
            path: "Benchmarks/TelemetryBench",
            swiftSettings: strictSwift6
        ),
        // Release-mode decision latency of the placement engine (issue 5): scripts/bench-placement runs it.
        .executableTarget(
            name: "modelplane-bench-placement",
            dependencies: ["ModelPlaneCore", "ModelPlaneTwin"],
            path: "Benchmarks/PlacementBench",
            swiftSettings: strictSwift6
        ),
        // Shared by the test targets: paths to ../shared fixtures, tolerance helpers.
        .target(
            name: "ModelPlaneTestSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
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
            name: "ModelPlaneTwinTests",
            dependencies: ["ModelPlaneTwin", "ModelPlaneTelemetry", "ModelPlaneTestSupport"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "ModelPlaneTwinServiceTests",
            dependencies: ["ModelPlaneTwinService", "ModelPlaneTelemetry", "ModelPlaneTestSupport"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "ModelPlaneActuationTests",
            dependencies: ["ModelPlaneActuation", "ModelPlaneConfig", "ModelPlaneTestSupport"],
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
