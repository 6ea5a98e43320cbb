import NIOCore
import NIOHTTP1
import NIOPosix

/// A tiny HTTP/1.1 server on 127.0.0.1 for tests: each path answers as its route says, including the ways real
/// exporters misbehave (hanging, endless bodies, error statuses).
public final class LoopbackHTTPServer: Sendable {
    public enum Route: Sendable {
        case body(String, contentType: String = "text/plain; version=0.0.4; charset=utf-8")
        case bytes([UInt8], contentType: String = "text/plain; version=0.0.4; charset=utf-8")
        case status(Int)
        /// Accepts the request and never answers.
        case hang
        /// Sends `chunk` `count` times, without a Content-Length.
        case stream(chunk: String, count: Int)
    }

    private let channel: any Channel
    public let port: Int

    public init(routes: [String: Route]) async throws {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap { channel.pipeline.addHandler(Handler(routes: routes)) }
            }
        channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    public func shutdown() async throws { try await channel.close() }

    private final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let routes: [String: Route]

        init(routes: [String: Route]) { self.routes = routes }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .head(let head) = unwrapInboundIn(data) else { return }
            let path = String(head.uri.prefix { $0 != "?" })
            switch routes[path] ?? .status(404) {
            case .hang: return
            case .status(let code):
                respond(context, status: HTTPResponseStatus(statusCode: code), body: Array("status \(code)\n".utf8), type: "text/plain")
            case .body(let text, let type): respond(context, status: .ok, body: Array(text.utf8), type: type)
            case .bytes(let bytes, let type): respond(context, status: .ok, body: bytes, type: type)
            case .stream(let chunk, let count):
                var headers = HTTPHeaders([("Content-Type", "text/plain; version=0.0.4")])
                headers.add(name: "Transfer-Encoding", value: "chunked")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
                let buffer = context.channel.allocator.buffer(string: chunk)
                for _ in 0..<count { context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil) }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }

        private func respond(_ context: ChannelHandlerContext, status: HTTPResponseStatus, body: [UInt8], type: String) {
            let headers = HTTPHeaders([("Content-Type", type), ("Content-Length", String(body.count))])
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
