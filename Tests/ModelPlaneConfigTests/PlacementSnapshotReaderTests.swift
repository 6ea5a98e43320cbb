import ModelPlaneConfig
import ModelPlaneCore
import Testing

@Suite("Placement snapshot and request files")
struct PlacementSnapshotReaderTests {
    func snapshot(_ yaml: String) throws -> FleetSnapshot {
        try PlacementSnapshotReader.snapshot(from: ConfigCursor(ConfigFile.parseYAML(yaml, source: "fleet.yaml"), path: "fleet.yaml:"))
    }

    func request(_ yaml: String) throws -> PlacementRequest {
        try PlacementRequestReader.request(from: ConfigCursor(ConfigFile.parseYAML(yaml, source: "request.yaml"), path: "request.yaml:"))
    }

    static let h100Node = """
        nodes:
          - name: gpu-1
            gpu: NVIDIA H100 80GB HBM3
            gpus: 8
            nvlink_domain_size: 4
            numa_size: 2
            cpu: 96000m
            memory: 1Ti
            rack: r1
            zone: z1
        """

    @Test("a node's GPUs come from the catalog: type id, usable memory, TDP, TFLOP/s per watt, NVLink and NUMA groups")
    func nodeFromCatalog() throws {
        let fleet = try snapshot(Self.h100Node)
        let node = try #require(fleet.nodes.first)
        let h100 = try #require(HardwareCatalog.builtin.lookup("h100-sxm"))
        #expect(node.name == "gpu-1" && node.gpuType == "nvidia_h100_sxm" && node.gpus.count == 8)
        #expect(node.cpuCapacityMilli == 96_000 && node.cpuFreeMilli == 96_000)
        #expect(node.memoryCapacityBytes == 1_099_511_627_776)
        #expect(node.gpus.allSatisfy { $0.memoryBytes == h100.usableMemoryBytes && $0.freeMilli == 1_000 && $0.sharing == .whole && $0.healthy })
        #expect(node.gpus.map(\.nvlinkDomain) == [0, 0, 0, 0, 1, 1, 1, 1])
        #expect(node.gpus.map(\.numaNode) == [0, 0, 1, 1, 2, 2, 3, 3])
        #expect(node.tdpWatts == 700)
        #expect(abs((node.tflopsPerWatt ?? 0) - 989.4 / 700) < 1e-9)
        #expect(node.mpsEnabled && !node.cordoned && node.unhealthyReason == nil && node.rack == "r1" && node.zone == "z1")
        #expect(fleet.shapes.shapes.isEmpty && fleet.tenants.isEmpty && fleet.racks.isEmpty)
    }

    @Test("running workloads are allocated through a Statement: free CPU, memory, shares, MPS clients and MIG slots are derived")
    func workloadsDeriveFreeCapacity() throws {
        let fleet = try snapshot(
            """
            tenants: {team-a: {max_gpus: 8, max_gpu_hours: 100, used_gpu_hours: 10}}
            nodes:
              - name: a100
                gpu: a100-80gb
                gpus: 4
                cpu: 64
                memory: 512Gi
                mig: {"3": [3g.40gb, 2g.20gb, 1g.10gb, 1g.10gb]}
                sm_activity: {"0": 0.35}
                unhealthy_gpus: [1]
                workloads:
                  - {id: train, tenant: team-a, priority: P1, gpus: [0], cpu: 8, memory: 64Gi, movable: false}
                  - {id: chat, tenant: team-a, gpus: [2], share: 40, gpu_memory: 20Gi, cpu: "1.5", memory: 16Gi, replica_group: chat}
                  - {id: embed, tenant: team-b, priority: p3, gpus: [3], mig_profile: 1g.10gb, cpu: 500m, memory: 4Gi}
            """)
        let node = try #require(fleet.nodes.first)
        #expect(node.cpuFreeMilli == 64_000 - 8_000 - 1_500 - 500)
        #expect(node.memoryFreeBytes == (512 - 64 - 16 - 4) * gibibyte)
        #expect(node.gpus[0].freeMilli == 0 && node.gpus[0].smActivity == 0.35 && node.gpus[1].smActivity == nil)
        #expect(!node.gpus[1].healthy)
        #expect(node.gpus[2].sharing == .mps && node.gpus[2].freeMilli == 600)
        #expect(node.gpus[2].mpsClients == [MPSClient(workload: "chat", milli: 400, memoryLimitBytes: 20 * gibibyte, tenant: "team-a")])
        #expect(node.gpus[3].sharing == .mig && node.gpus[3].migSlots.map(\.profile) == ["3g.40gb", "2g.20gb", "1g.10gb", "1g.10gb"])
        #expect(node.gpus[3].migSlots.map(\.milli) == [429, 286, 143, 143])
        #expect(node.gpus[3].migSlots[2].holder == "embed" && node.gpus[3].migSlots[3].holder == nil)
        #expect(node.gpus[3].migSlots[0].memoryBytes == 39.25 * gibibyte)
        #expect(node.workloads.map(\.id) == ["train", "chat", "embed"])
        #expect(node.workloads.map(\.priority) == [.p1, .p2, .p3])
        #expect(node.workloads.map(\.movable) == [false, true, true])
        #expect(node.workloads[1].replicaGroup == "chat" && node.workloads[2].migProfile == "1g.10gb")
        let quota = try #require(fleet.tenants["team-a"])
        #expect(quota.maxGPUs == 8 && quota.maxGPUHours == 100 && quota.usedGPUHours == 10)
        #expect(abs(quota.usedGPUs - 1.4) < 1e-9)
        #expect(abs((fleet.tenants["team-b"]?.usedGPUs ?? 0) - 0.143) < 1e-9)
        // The task shapes default to the running workloads' requests, one each.
        #expect(fleet.shapes.shapes.count == 3)
        #expect(Set(fleet.shapes.shapes.map(\.gpuMilli)) == [1_000, 400, 143])
    }

    @Test("explicit shapes are normalized; racks and explicit tenant use are read")
    func fleetWide() throws {
        let fleet = try snapshot(
            Self.h100Node + """

                    workloads:
                      - {id: w, tenant: t, gpus: [0, 1]}
                tenants: {t: {max_gpus: 4, used_gpus: 3}}
                racks: {r1: {budget_watts: 20000, draw_watts: 12000}}
                shapes:
                  - {gpus: 1, share: 40, cpu: 4, popularity: 3}
                  - {gpus: 8, cpu: 96, gpu_types: [h100-sxm], popularity: 1}
                  - {gpus: 0, cpu: 2, popularity: 1}
                """)
        #expect(fleet.tenants["t"] == TenantQuota(maxGPUs: 4, usedGPUs: 3))
        #expect(fleet.racks["r1"] == RackPower(budgetWatts: 20_000, drawWatts: 12_000))
        #expect(
            fleet.shapes.shapes == [
                .init(cpuMilli: 4_000, gpuMilli: 400, gpuCount: 1, popularity: 0.6),
                .init(cpuMilli: 96_000, gpuMilli: 1_000, gpuCount: 8, gpuTypes: ["nvidia_h100_sxm"], popularity: 0.2),
                .init(cpuMilli: 2_000, gpuMilli: 0, gpuCount: 0, popularity: 0.2),
            ])
    }

    @Test("Kubernetes quantities: binary and decimal suffixes, exponents, millis, plain bytes, rounded up")
    func quantities() throws {
        for (memory, bytes) in [
            ("1.5Gi", 1.5 * gibibyte), ("500M", 500e6), ("1e3", 1_000), ("12345", 12_345), ("0.5", 1), ("128974848", 128_974_848),
        ] {
            let fleet = try snapshot("nodes: [{name: n, cpu: 1, memory: \"\(memory)\"}]")
            #expect(fleet.nodes[0].memoryCapacityBytes == bytes, "\(memory)")
        }
        for (cpu, milli) in [("0.1", 100), ("100m", 100), ("2", 2_000), ("1k", 1_000_000), ("0.0005", 1)] {
            let fleet = try snapshot("nodes: [{name: n, cpu: \"\(cpu)\", memory: 1Gi}]")
            #expect(fleet.nodes[0].cpuCapacityMilli == milli, "\(cpu)")
        }
        #expect(try snapshot("nodes: [{name: n, cpu: 0.25, memory: 1Gi}]").nodes[0].cpuCapacityMilli == 250)
    }

    struct BadSnapshot: Sendable, CustomTestStringConvertible {
        let yaml: String
        let location: String
        let problem: String
        var testDescription: String { location }
    }

    @Test(
        "every bad field is an error naming it",
        arguments: [
            BadSnapshot(
                yaml: "nodes: [{name: n, gpu: h1000, gpus: 8, cpu: 8, memory: 1Gi}]", location: "nodes[0].gpu", problem: "unknown GPU type \"h1000\""),
            BadSnapshot(yaml: "nodes: [{name: n, cpu: 8, memory: 1Gi, cpus: 8}]", location: "nodes[0].cpus", problem: "unknown field"),
            BadSnapshot(yaml: "nodes: [{name: n, cpu: 8, memory: 64Gx}]", location: "nodes[0].memory", problem: "\"64Gx\" is not a size"),
            BadSnapshot(yaml: "nodes: [{name: n, cpu: -2, memory: 1Gi}]", location: "nodes[0].cpu", problem: "\"-2\" is not a CPU amount"),
            BadSnapshot(yaml: "nodes: [{name: n, memory: 1Gi}]", location: "nodes[0]", problem: "missing field \"cpu\""),
            BadSnapshot(yaml: "nodes: [{name: n, gpu: h100, cpu: 8, memory: 1Gi}]", location: "nodes[0]", problem: "missing field \"gpus\""),
            BadSnapshot(yaml: "nodes: [{name: n, gpus: 4, cpu: 8, memory: 1Gi}]", location: "nodes[0].gpus", problem: "4 GPUs without a GPU type"),
            BadSnapshot(yaml: "nodes: []", location: "nodes", problem: "an empty list"),
            BadSnapshot(yaml: "racks: {}", location: "fleet.yaml:", problem: "missing field \"nodes\""),
            BadSnapshot(
                yaml: "nodes: [{name: n, cpu: 8, memory: 1Gi}, {name: n, cpu: 8, memory: 1Gi}]", location: "nodes[1].name", problem: "listed twice"),
            BadSnapshot(
                yaml: "nodes: [{name: n, gpu: h100, gpus: 8, nvlink_domain_size: 16, cpu: 8, memory: 1Gi}]", location: "nodes[0].nvlink_domain_size",
                problem: "16"),
            BadSnapshot(
                yaml: "nodes: [{name: n, gpu: l40s, gpus: 2, cpu: 8, memory: 1Gi, mig: {\"0\": [1g.10gb]}}]", location: "nodes[0].mig.0[0]",
                problem: "does not support MIG"),
            BadSnapshot(
                yaml: "nodes: [{name: n, gpu: h100, gpus: 2, cpu: 8, memory: 1Gi, mig: {\"0\": [2g.10gb]}}]", location: "nodes[0].mig.0[0]",
                problem: "not a profile"),
            BadSnapshot(
                yaml: "nodes: [{name: n, gpu: h100, gpus: 2, cpu: 8, memory: 1Gi, mig: {\"2\": [1g.10gb]}}]", location: "nodes[0].mig.2",
                problem: "GPU 2"),
            BadSnapshot(
                yaml: "nodes: [{name: n, gpu: h100, gpus: 2, cpu: 8, memory: 1Gi, mig: {\"0\": [4g.40gb, 4g.40gb]}}]", location: "nodes[0].mig.0[1]",
                problem: "more than 1 4g.40gb"),
            BadSnapshot(
                yaml: "nodes: [{name: n, gpu: h100, gpus: 2, cpu: 8, memory: 1Gi, mig: {\"0\": [3g.40gb, 3g.40gb, 1g.10gb]}}]",
                location: "nodes[0].mig.0",
                problem: "9 of 8 memory slices"),
            BadSnapshot(
                yaml: "nodes: [{name: n, gpu: h100, gpus: 2, cpu: 8, memory: 1Gi, sm_activity: 1.5}]", location: "nodes[0].sm_activity",
                problem: "1.5"),
            BadSnapshot(
                yaml:
                    "nodes: [{name: n, gpu: h100, gpus: 2, cpu: 8, memory: 1Gi, workloads: [{id: a, gpus: [0], share: 60}, {id: b, gpus: [0], share: 60}]}]",
                location: "nodes[0].workloads[1].share", problem: "GPU 0 has 60 % given already"),
            BadSnapshot(
                yaml: "nodes: [{name: n, gpu: h100, gpus: 2, cpu: 8, memory: 1Gi, workloads: [{id: a, gpus: [0]}, {id: b, gpus: [0], share: 10}]}]",
                location: "nodes[0].workloads[1].share", problem: "held whole"),
            BadSnapshot(
                yaml: "nodes: [{name: n, gpu: h100, gpus: 2, cpu: 8, memory: 1Gi, workloads: [{id: a, gpus: [0, 1]}, {id: b, gpus: [1]}]}]",
                location: "nodes[0].workloads[1].gpus", problem: "GPU 1 is already in use"),
            BadSnapshot(
                yaml: "nodes: [{name: n, gpu: h100, gpus: 2, cpu: 8, memory: 1Gi, mps: false, workloads: [{id: a, gpus: [0], share: 50}]}]",
                location: "nodes[0].workloads[0].share", problem: "mps: false"),
            BadSnapshot(
                yaml: "nodes: [{name: n, gpu: h100, gpus: 2, cpu: 8, memory: 1Gi, workloads: [{id: a, gpus: [0], mig_profile: 1g.10gb}]}]",
                location: "nodes[0].workloads[0].mig_profile", problem: "not MIG-partitioned"),
            BadSnapshot(
                yaml: "nodes: [{name: n, gpu: h100, gpus: 2, cpu: 8, memory: 1Gi, mig: {\"0\": [7g.80gb]}, workloads: [{id: a, gpus: [0]}]}]",
                location: "nodes[0].workloads[0].gpus", problem: "MIG-partitioned"),
            BadSnapshot(
                yaml: "nodes: [{name: n, gpu: h100, gpus: 2, cpu: 8, memory: 1Gi, workloads: [{id: a, gpus: [5]}]}]",
                location: "nodes[0].workloads[0].gpus[0]",
                problem: "GPU 5"),
            BadSnapshot(
                yaml: "nodes: [{name: n, gpu: h100, gpus: 2, cpu: 8, memory: 1Gi, workloads: [{id: a, gpus: [0], cpu: 9}]}]",
                location: "nodes[0].workloads[0].cpu",
                problem: "9000m is more than the 8000m left"),
            BadSnapshot(
                yaml:
                    "nodes: [{name: n, gpu: h100, gpus: 2, cpu: 8, memory: 1Gi, workloads: [{id: a, gpus: [0]}]}, {name: m, cpu: 1, memory: 1Gi, workloads: [{id: a}]}]",
                location: "nodes[1].workloads[0].id", problem: "already runs on n"),
            BadSnapshot(
                yaml:
                    "nodes: [{name: n, gpu: h100, gpus: 2, cpu: 8, memory: 1Gi, workloads: [{id: a, tenant: t, gpus: [0, 1]}]}]\ntenants: {t: {used_gpus: 1}}",
                location: "tenants.t.used_gpus", problem: "1 is less than the 2 GPUs"),
            BadSnapshot(
                yaml: "nodes: [{name: n, cpu: 8, memory: 1Gi}]\nracks: {r: {draw_watts: 10}}", location: "racks.r.budget_watts", problem: "missing"),
            BadSnapshot(
                yaml: "nodes: [{name: n, cpu: 8, memory: 1Gi}]\nshapes: [{gpus: 2, share: 50, popularity: 1}]", location: "shapes[0].share",
                problem: "50 % of 2 GPUs"),
            BadSnapshot(yaml: "nodes: [{name: n, cpu: 8, memory: 1Gi}]\nshapes: [{gpus: 1}]", location: "shapes[0].popularity", problem: "missing"),
        ])
    func badSnapshot(_ row: BadSnapshot) throws {
        do {
            _ = try snapshot(row.yaml)
            Issue.record("accepted \(row.yaml)")
        } catch let error as InputError {
            let expectedLocation = row.location.hasPrefix("fleet.yaml") ? row.location : "fleet.yaml: \(row.location)"
            #expect(error.location == expectedLocation, "\(error)")
            #expect(error.problem.contains(row.problem), "\(error)")
        }
    }

    @Test("an unknown GPU type suggests the closest catalog names")
    func unknownGPUSuggests() throws {
        do {
            _ = try snapshot("nodes: [{name: n, gpu: h1000, gpus: 8, cpu: 8, memory: 1Gi}]")
            Issue.record("accepted h1000")
        } catch let error as InputError {
            #expect(error.expected.contains("h100"), "\(error)")
        }
    }

    @Test("a request file: every field, catalog ids for GPU types, defaults by what is asked")
    func requestFields() throws {
        let full = try request(
            """
            id: search/chat
            tenant: team-search
            priority: P1
            gpus: 1
            share: 40
            gpu_memory: 20Gi
            cpu: 4
            memory: 32Gi
            gpu_types: NVIDIA L40S, h100-sxm
            preferred_gpu_types: [l40s]
            replica_group: chat
            topology: none
            data_locality: [z1, rack-2]
            expected_duration: 1h30m
            throttling: true
            profile: llama-3.1-8b, batch 8
            """)
        #expect(
            full
                == PlacementRequest(
                    id: "search/chat", tenant: "team-search", priority: .p1, gpuCount: 1, gpuMilli: 400, gpuMemoryBytes: 20 * gibibyte, sharing: .mps,
                    cpuMilli: 4_000, memoryBytes: 32 * gibibyte, gpuTypes: ["nvidia_l40s", "nvidia_h100_sxm"], preferredGPUTypes: ["nvidia_l40s"],
                    replicaGroup: "chat", topology: TopologyRequirement.none, dataLocality: ["z1", "rack-2"], expectedDurationSeconds: 5_400,
                    throttlingDeclared: true, profile: "llama-3.1-8b, batch 8"))
        let whole = try request("id: train\ngpus: 8\ntopology: nvlink-required\n")
        #expect(whole.gpuCount == 8 && whole.gpuMilli == 1_000 && whole.sharing == .exclusive && whole.topology == .nvlinkRequired)
        #expect(whole.tenant == "default" && whole.priority == .p2 && whole.gpuMemoryBytes == nil)
        let mig = try request("id: embed\nmig_profile: 3g.40gb\n")
        #expect(mig.gpuCount == 1 && mig.gpuMilli == 429 && mig.sharing == .mig && mig.migProfile == "3g.40gb")
        let cpuOnly = try request("id: etl\ngpus: 0\ncpu: 500m\nexpected_duration: 90\n")
        #expect(cpuOnly.isCPUOnly && cpuOnly.cpuMilli == 500 && cpuOnly.sharing == .any && cpuOnly.expectedDurationSeconds == 90)
        #expect(try request("id: x\nshare: \"12.5%\"\n").gpuMilli == 125)
        #expect(try request("id: x\nshare: 100\n").sharing == .exclusive)
    }

    @Test(
        "a bad request field is an error naming it",
        arguments: [
            ("gpus: 1", "request.yaml:", "missing field \"id\""),
            ("id: x\ngpu: 1", "request.yaml: gpu", "unknown field"),
            ("id: x\ngpu_types: [h1000]", "request.yaml: gpu_types", "unknown GPU type \"h1000\""),
            ("id: x\nmig_profile: 1g.10gb\ngpu_types: [l40s]", "request.yaml: mig_profile", "not a MIG profile of nvidia_l40s"),
            ("id: x\nshare: 140", "request.yaml: share", "140 %"),
            ("id: x\nshare: 12.34", "request.yaml: share", "12.34 %"),
            ("id: x\nshare: 40\nmig_profile: 1g.10gb", "request.yaml: share", "a share with mig_profile 1g.10gb"),
            ("id: x\npriority: P7", "request.yaml: priority", "\"P7\" is not a priority"),
            ("id: x\nsharing: shared", "request.yaml: sharing", "\"shared\""),
            ("id: x\ntopology: nvlink", "request.yaml: topology", "\"nvlink\""),
            ("id: x\nmemory: 4GB", "request.yaml: memory", "\"4GB\" is not a size"),
            ("id: x\nexpected_duration: 1x", "request.yaml: expected_duration", "\"1x\" is not a duration"),
            ("id: x\ngpus: 0\nshare: 50", "request.yaml: share", "asks for no GPU"),
            ("id: x\ngpus: 2\nshare: 40", "request.yaml:", "a fractional share is for one GPU"),
            ("id: x\nsharing: mig", "request.yaml:", "MIG sharing without a MIG profile"),
        ])
    func badRequest(_ yaml: String, _ location: String, _ problem: String) throws {
        do {
            _ = try request(yaml)
            Issue.record("accepted \(yaml)")
        } catch let error as InputError {
            #expect(error.location == location, "\(error)")
            #expect(error.problem.contains(problem), "\(error)")
        }
    }
}
