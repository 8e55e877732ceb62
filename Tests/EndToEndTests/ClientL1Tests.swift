import Foundation
import Testing

/// `keel l1 status|deposit|advance` against a real `local` bridge library on a temporary copy of
/// the devnet manifest whose L1 file is in a temporary folder (its clock moves only by command).
@Suite struct ClientL1Tests {
    /// A temporary devnet: the manifest and its L1 file, removed at the end.
    struct TemporaryDevnet {
        let folder: String
        let manifest: String

        init() throws {
            folder = try KeelProcess.temporaryFolder("l1")
            manifest = folder + "/devnet.yaml"
            let original = try String(contentsOfFile: KeelProcess.repositoryRoot + "/manifests/devnet.yaml", encoding: .utf8)
            let l1Line = "l1_db: ../.keel/devnet/l1.sqlite"
            let dataLine = "data_dir: ../.keel/devnet"
            try #require(original.contains(l1Line) && original.contains(dataLine), "manifests/devnet.yaml changed its L1 or data_dir lines")
            let text = original
                .replacingOccurrences(of: l1Line, with: "l1_db: \(folder)/l1.sqlite\n      block_time_ms: 0")
                .replacingOccurrences(of: dataLine, with: "data_dir: \(folder)/data")
            try Data(text.utf8).write(to: URL(fileURLWithPath: manifest))
        }

        func keel(_ arguments: [String]) throws -> KeelProcess.Result {
            try KeelProcess.keel(arguments + ["--manifest", manifest])
        }

        func remove() {
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    static let alice = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    static let bob = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"

    @Test func aFreshL1HasNothingRecorded() throws {
        let devnet = try TemporaryDevnet()
        defer { devnet.remove() }
        let status = try devnet.keel(["l1", "status"])
        #expect(status.status == 0, "\(status.transcript)")
        #expect(status.output.contains("L1 of chain 901 (bridge local "))
        #expect(status.output.contains("head:              block 0 at "))
        #expect(status.output.contains("batches recorded:  0\n"))
        #expect(status.output.contains("batches final:     0\n"))
        #expect(status.output.contains("deposits queued:   0\n"))
        #expect(status.output.contains("development L1:    yes"))
    }

    @Test func depositsAreQueuedInOrderAndCounted() throws {
        let devnet = try TemporaryDevnet()
        defer { devnet.remove() }
        let first = try devnet.keel(["l1", "deposit", "--to", Self.alice, "--value", "1.5eth"])
        #expect(first.status == 0, "\(first.transcript)")
        #expect(first.output.contains("queued deposit 0 at L1 block 0: 1500000000000000000 wei (1.5 ETH) from \(Self.alice) (L1) to \(Self.alice) (L2)"))
        let second = try devnet.keel(["l1", "deposit", "--to", Self.alice, "--from", Self.bob, "--value", "20gwei"])
        #expect(second.status == 0, "\(second.transcript)")
        #expect(second.output.contains("queued deposit 1 at L1 block 0: 20000000000 wei (0.00000002 ETH) from \(Self.bob) (L1)"))
        let third = try devnet.keel(["l1", "deposit", "--to", Self.bob.lowercased(), "--value", "7"])
        #expect(third.status == 0, "\(third.transcript)")
        #expect(third.output.contains("queued deposit 2 at L1 block 0: 7 wei (0.000000000000000007 ETH)"))
        let status = try devnet.keel(["l1", "status"])
        #expect(status.output.contains("deposits queued:   3\n"), "\(status.transcript)")
    }

    @Test func advanceMovesTheHeadForEveryProcess() throws {
        let devnet = try TemporaryDevnet()
        defer { devnet.remove() }
        let advance = try devnet.keel(["l1", "advance", "5"])
        #expect(advance.status == 0, "\(advance.transcript)")
        #expect(advance.output == "advanced the L1 by 5 blocks: head 0 → 5\n")
        let once = try devnet.keel(["l1", "advance"])
        #expect(once.output == "advanced the L1 by 1 block: head 5 → 6\n", "\(once.transcript)")
        let status = try devnet.keel(["l1", "status"])
        #expect(status.output.contains("head:              block 6 at "), "\(status.transcript)")
        let deposit = try devnet.keel(["l1", "deposit", "--to", Self.alice, "--value", "1wei"])
        #expect(deposit.output.contains("queued deposit 0 at L1 block 6: 1 wei"), "\(deposit.transcript)")
    }

    @Test func advancingByZeroIsRefused() throws {
        let devnet = try TemporaryDevnet()
        defer { devnet.remove() }
        let result = try devnet.keel(["l1", "advance", "0"])
        #expect(result.status == 1)
        #expect(result.error.contains("BLOCKS must be 1 or more"))
    }

    @Test func aDepositOfNothingIsRefused() throws {
        let devnet = try TemporaryDevnet()
        defer { devnet.remove() }
        let result = try devnet.keel(["l1", "deposit", "--to", Self.alice, "--value", "0eth"])
        #expect(result.status == 1)
        #expect(result.error.contains("keel l1 deposit: a deposit of 0 wei is refused"))
        let status = try devnet.keel(["l1", "status"])
        #expect(status.output.contains("deposits queued:   0\n"), "\(status.transcript)")
    }

    @Test func aManifestIsNeededOutsideTheRepository() throws {
        let folder = try KeelProcess.temporaryFolder("l1-nomanifest")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try KeelProcess.tool(KeelProcess.keel, ["l1", "status"], in: folder)
        #expect(outcome.status == 1)
        #expect(outcome.error.contains("keel l1 status: no manifest given and there is no manifests/devnet.yaml in "))
        #expect(outcome.error.contains("pass --manifest FILE"))
    }

    @Test func aBrokenManifestIsReportedAtItsLine() throws {
        let devnet = try TemporaryDevnet()
        defer { devnet.remove() }
        try Data("rollup: { name: x, chain_id: 901, mode: attested }\nplugins: 3\n".utf8).write(to: URL(fileURLWithPath: devnet.manifest))
        let result = try devnet.keel(["l1", "status"])
        #expect(result.status == 1)
        #expect(result.error.contains("\(devnet.manifest):2:"))
        #expect(result.error.contains("keel validate"))
    }
}
