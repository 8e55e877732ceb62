import Foundation
import KeelKernel
import KeelPluginKit
import KeelPluginTesting
import Testing

/// A local bridge on a fresh (or shared) L1 file, with a committee of attestors 1, 2 and 3.
struct LocalBridgeFixture {
    typealias F = AttestFixtures

    let folder: String
    let database: String
    let members: [UInt8]
    let threshold: Int

    /// The config JSON: this L1 file, `blockTime` ms per block, the committee unless `committee` is false.
    func config(blockTime: UInt64 = 0, committee: Bool = true, extra: String = "") throws -> String {
        var members = ""
        if committee {
            members = #", "committee": {"members": \#(try F.membersJSON(self.members)), "threshold": \#(threshold)}"#
        }
        return #"{"l1_db": "\#(database)", "block_time_ms": \#(blockTime)\#(members)\#(extra)}"#
    }

    /// Another instance on the same file, as another process would open it.
    func bridge(blockTime: UInt64 = 0, committee: Bool = true, extra: String = "", chainID: UInt64 = F.chainID) throws -> BridgeClient {
        BridgeClient(try PluginUnderTest.create(path: try F.library(.bridge, "local").path,
                                                configJSON: try config(blockTime: blockTime, committee: committee, extra: extra),
                                                dataDirectory: folder, chainID: chainID))
    }

    /// Attestor `seed`'s signature over `transition`, made by the real `attest` plugin.
    func attestation(_ seed: UInt8, _ transition: Transition) throws -> [UInt8] {
        try F.attest(members: members.contains(seed) ? members : members + [seed], threshold: 1, signer: seed, folder: folder)
            .prove(transition, state: MemoryState())
    }

    /// A config error's path and message from creating a bridge with `config`, or nil if it was created.
    func refusal(_ config: String, chainID: UInt64 = F.chainID) throws -> PluginCallError? {
        do {
            _ = try PluginUnderTest.create(path: try F.library(.bridge, "local").path, configJSON: config,
                                           dataDirectory: folder, chainID: chainID)
            return nil
        } catch let error as PluginCallError {
            return error
        }
    }
}

extension LocalBridgeFixture {
    /// A fresh L1 file in a new folder named after `label`.
    init(_ label: String, members: [UInt8] = [1, 2, 3], threshold: Int = 2) throws {
        let folder = try AttestFixtures.folder(label)
        self.init(folder: folder, database: "\(folder)/l1.sqlite", members: members, threshold: threshold)
    }
}
