import Foundation
public import ModelPlaneTwin
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The twin served live: a simulation advanced against the wall clock (or as fast as possible) while its nodes answer
/// as dcgm-exporter and its inference workloads as vLLM, over HTTP on loopback.
///
/// Paths: `/nodes/NODE/metrics` (dcgm-exporter text; 503 once the node is lost), `/workloads/NAME/metrics` (vLLM text;
/// 404 when not running), `/targets` (every endpoint in Prometheus `http_sd_config` form), `/healthz`.
public final class LiveTwin: Sendable {
    struct Published {
        var simulation: FleetSimulation
        var cache: [String: String] = [:]
    }

    final class Store: Sendable {
        let state: Mutex<Published>
        init(_ simulation: FleetSimulation) { state = Mutex(Published(simulation: simulation)) }
    }

    private let published: Store
    private let channel: any Channel
    public let host: String
    public let port: Int

    /// Binds `address` (`HOST:PORT`, port 0 picks a free one); only loopback hosts are accepted.
    public init(_ simulation: FleetSimulation, address: String) async throws {
        let parts = address.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = Int(parts[1]), (0...65535).contains(port) else {
            throw LiveTwinError("--serve \(address): expected HOST:PORT, e.g. 127.0.0.1:9400")
        }
        let host = String(parts[0])
        guard ["127.0.0.1", "localhost", "::1"].contains(host) else {
            throw LiveTwinError("--serve \(address): the twin serves on loopback only (127.0.0.1, localhost or ::1)")
        }
        let published = Store(simulation)
        self.published = published
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap { channel.pipeline.addHandler(Handler(published: published)) }
            }
        channel = try await bootstrap.bind(host: host, port: port).get()
        self.host = host == "localhost" ? "127.0.0.1" : host
        self.port = channel.localAddress?.port ?? port
    }

    public var baseURL: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// Replaces the state the endpoints show.
    public func publish(_ simulation: FleetSimulation) {
        published.state.withLock { $0 = Published(simulation: simulation) }
    }

    public func shutdown() async throws { try await channel.close() }

    /// Runs `simulation` to its end while serving it; `speed` simulated seconds per wall second, 0 for as fast as
    /// possible. Returns the finished simulation.
    public static func serve(
        _ simulation: FleetSimulation, address: String, speed: Double, announce: @Sendable (String) -> Void = { _ in }
    ) async throws -> FleetSimulation {
        let twin = try await LiveTwin(simulation, address: address)
        announce(
            "serving \(simulation.nodes.count) dcgm-exporter and \(simulation.workloads.count) vLLM endpoints at \(twin.baseURL) (list: \(twin.baseURL)/targets)"
        )
        var simulation = simulation
        let step = FleetSimulation.milliseconds(simulation.scenario.stepSeconds)
        let clock = ContinuousClock()
        let start = clock.now
        while !simulation.isFinished {
            if speed == 0 {
                simulation.advance(to: simulation.now + step)
                twin.publish(simulation)
                await Task.yield()
            } else {
                let next = simulation.now + step
                let due = start + .milliseconds(Int64((Double(next) / speed).rounded()))
                try await Task.sleep(until: due, clock: clock)
                simulation.advance(to: next)
                twin.publish(simulation)
            }
        }
        try await twin.shutdown()
        return simulation
    }

    /// What a path answers: status, content type, body.
    static func respond(_ path: String, _ state: inout Published) -> (Int, String, String) {
        let text = "text/plain; version=0.0.4; charset=utf-8"
        if let cached = state.cache[path] { return (200, path == "/targets" ? "application/json" : text, cached) }
        let parts = path.split(separator: "/").map(String.init)
        let simulation = state.simulation
        if path == "/healthz" { return (200, "text/plain", "ok\n") }
        if path == "/targets" {
            let body = targets(simulation)
            state.cache[path] = body
            return (200, "application/json", body)
        }
        if parts.count == 3, parts[0] == "nodes", parts[2] == "metrics" {
            guard let index = simulation.nodes.firstIndex(where: { $0.name == parts[1] }) else { return (404, "text/plain", "no node \(parts[1])\n") }
            guard let body = TwinExposition.dcgm(simulation, node: index) else { return (503, "text/plain", "node \(parts[1]) is lost\n") }
            state.cache[path] = body
            return (200, text, body)
        }
        if parts.count == 3, parts[0] == "workloads", parts[2] == "metrics" {
            guard let index = simulation.workloads.firstIndex(where: { $0.spec.name == parts[1] }) else {
                return (404, "text/plain", "no workload \(parts[1])\n")
            }
            guard let body = TwinExposition.vllm(simulation, workload: index) else {
                return (404, "text/plain", "workload \(parts[1]) is not serving\n")
            }
            state.cache[path] = body
            return (200, text, body)
        }
        return (404, "text/plain", "not found: try /targets\n")
    }

    /// Prometheus HTTP service discovery: one group per endpoint with its metrics path and identity labels.
    static func targets(_ simulation: FleetSimulation) -> String {
        var groups: [String] = []
        for node in simulation.nodes {
            groups.append(
                #"{"targets":["TARGET"],"labels":{"__metrics_path__":"/nodes/\#(node.name)/metrics","job":"dcgm-exporter","node":"\#(node.name)"}}"#)
        }
        for workload in simulation.workloads where workload.spec.phase == .inference {
            let name = workload.spec.name
            groups.append(
                #"{"targets":["TARGET"],"labels":{"__metrics_path__":"/workloads/\#(name)/metrics","job":"vllm","namespace":"\#(workload.spec.namespace)","pod":"\#(name)"}}"#
            )
        }
        return "[" + groups.joined(separator: ",") + "]\n"
    }

    private final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let published: Store

        init(published: Store) {
            self.published = published
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .head(let head) = unwrapInboundIn(data) else { return }
            let path = String(head.uri.prefix { $0 != "?" })
            var (status, type, body) = published.state.withLock { Self.answer(path, &$0) }
            if path == "/targets", let host = head.headers["Host"].first { body = body.replacingOccurrences(of: "TARGET", with: host) }
            let bytes = Array(body.utf8)
            var headers = HTTPHeaders([("Content-Type", type), ("Content-Length", String(bytes.count))])
            if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
            let response = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status), headers: headers)
            context.write(wrapOutboundOut(.head(response)), promise: nil)
            if head.method != .HEAD {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
            }
            let keepAlive = head.isKeepAlive
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in if !keepAlive { bound.value.close(promise: nil) } }
        }

        static func answer(_ path: String, _ state: inout Published) -> (Int, String, String) { LiveTwin.respond(path, &state) }
    }
}

public struct LiveTwinError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
