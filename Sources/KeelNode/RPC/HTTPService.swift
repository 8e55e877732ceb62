import Hummingbird
import Logging
import NIOCore

/// Serves `router` on `host:port` until the task is cancelled or the service group shuts down
/// gracefully: the one way Keel's HTTP servers start (the JSON-RPC server, `keel da-server`,
/// `keel dac-member`). Logs "`name` listening" with the bound address, and hands `onListening`
/// the bound port (the one asked for, or the one the system picked for port 0).
public func serveHTTP<ResponderBuilder: HTTPResponderBuilder>(
    _ router: ResponderBuilder, name: String, host: String, port: Int, logger: Logger,
    onListening: @escaping @Sendable (Int) -> Void
) async throws where ResponderBuilder.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    let application = Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
        onServerRunning: { channel in
            logger.info("\(name) listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
            onListening(channel.localAddress?.port ?? port)
        },
        logger: logger)
    try await application.run()
}
