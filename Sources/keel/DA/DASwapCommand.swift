import ArgumentParser
import Foundation
import KeelJSONRPC

/// `keel da swap NAME [--config JSON]`: `admin_swapDA` on a running node. The new provider is
/// loaded and health-checked first and takes over at the next batch; nothing changes on an error.
struct DASwapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "swap",
                                                    abstract: "Swap the node's DA provider at the next batch (admin API).")

    @Argument(help: "The da plugin to swap to, e.g. file, altda.")
    var plugin: String

    @Option(name: .long, help: #"The plugin's config as a JSON object, e.g. '{"dir": ".keel/devnet/blobs"}'."#)
    var config: String = "{}"

    @OptionGroup var admin: AdminOptions

    func run() async throws {
        try await reportingUserErrors {
            let configValue = try JSONText.configObject(config, command: "keel da swap")
            let reply = try await admin.call("admin_swapDA", [.object(["plugin": .string(plugin), "config": configValue])],
                                             command: "keel da swap")
            let batch = reply.value["batchIndex"].flatMap { $0.integerValue } ?? 0
            let height = reply.value["height"].flatMap { $0.integerValue } ?? 0
            print("swapped DA to \(plugin): batches from \(batch) on go to it (recorded at height \(height)); "
                  + "earlier batches stay readable from their providers")
        }
    }
}
