import ArgumentParser
import Foundation
import KeelNode
import Logging

/// `keel attest MANIFEST --key-file F [--data-dir DIR]`: an attestor beside a node (docs/NODE.md).
struct AttestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attest",
        abstract: "Run an attestor: replay each batch from DA and attest the ones it reproduces.")

    @Argument(help: "The rollup's manifest.")
    var manifest: String

    @Option(name: .long, help: "This attestor's key: `0x` and 64 hex digits, in a file with mode 0600.")
    var keyFile: String

    @Option(name: .long, help: "Where the attestor keeps its replayed chain (default: DATA_DIR/attestor-ADDRESS).")
    var dataDir: String?

    @Flag(name: .long, help: "Attest what is waiting, then exit.")
    var once = false

    func run() async throws {
        try await reportingUserErrors { try await runCommand() }
    }

    private func runCommand() async throws {
        let logger = NodeLogging.logger(label: "keel.attest")
        let attestor: AttestorNode
        do {
            attestor = try AttestorNode.open(manifestPath: manifest, keyFile: keyFile, dataDirectory: dataDir, logger: logger)
        } catch {
            throw UserError("\(error)")
        }
        if once {
            do {
                let count = try attestor.attestWaiting()
                print("attested \(count) batch\(count == 1 ? "" : "es"); next batch to check: \(attestor.nextBatch)")
            } catch {
                throw UserError("\(error)")
            }
            return
        }
        print("attesting batches from \(manifest); next batch to check: \(attestor.nextBatch) (Ctrl-C stops)")
        do { try await attestor.run() } catch { throw UserError("\(error)") }
    }
}
