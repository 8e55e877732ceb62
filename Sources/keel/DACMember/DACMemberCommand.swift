import ArgumentParser
import Foundation
import KeelCore
import Logging
import ServiceLifecycle
import UnixSignals

/// `keel dac-member --key-file F --dir DIR --port N [--host H]`: one member of a data availability
/// committee (docs/plugins/dac.md). Stores each batch the `dac` plugin sends and signs that it holds
/// it; serves the batches back by hash. Runs until SIGTERM or SIGINT.
struct DACMemberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dac-member",
        abstract: "Run a data availability committee member: store batches, sign that you hold them, serve them back.")

    @Option(name: .long, help: "This member's signing key: `0x` and 64 hex digits, in a file with mode 0600.")
    var keyFile: String

    @Option(name: .long, help: "Where the member keeps the batches (created if missing).")
    var dir: String

    @Option(name: .long, help: "The port to listen on (0 picks a free port, printed at start).")
    var port: Int

    @Option(name: .long, help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Sign for this chain id only (default: any chain the request names).")
    var chainId: UInt64?

    @Option(name: .long, help: "The largest batch accepted, in bytes.")
    var maxBlobBytes = 64 << 20

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, not \(port)") }
        guard maxBlobBytes >= 1, maxBlobBytes <= Int(UInt32.max) else {
            throw ValidationError("--max-blob-bytes must be from 1 to \(UInt32.max), not \(maxBlobBytes)")
        }
    }

    func run() async throws {
        try await reportingUserErrors { try await runCommand() }
    }

    private func runCommand() async throws {
        let key: PrivateKey
        do {
            key = try PrivateKey(contentsOfFile: keyFile)
        } catch {
            throw UserError("\(error)")
        }
        let store = try DACBlobStore(directory: dir)
        let signer = DACMemberSigner(key: key, chainID: chainId)
        let logger = NodeLogging.logger(label: "keel.dac-member")
        let (host, chain) = (self.host, chainId.map { "chain \($0)" } ?? "any chain")
        let server = DACMemberServer(host: host, port: port, store: store, signer: signer, maxBlobBytes: maxBlobBytes,
                                     logger: logger) { bound in
            // One write, so a reader of the output never sees half a line.
            let banner = "keel dac-member \(signer.address), signing for \(chain), batches in \(store.directory)\nListening on http://\(host):\(bound)\n"
            FileHandle.standardOutput.write(Data(banner.utf8))
        }
        let group = ServiceGroup(configuration: .init(services: [.init(service: server)], gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        do {
            try await group.run()
        } catch {
            throw UserError("the dac member stopped: \(error)")
        }
        print("keel dac-member: stopped cleanly")
    }
}
