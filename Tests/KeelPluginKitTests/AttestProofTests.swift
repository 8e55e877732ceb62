import Foundation
import KeelKernel
import KeelPluginKit
import KeelPluginTesting
import Testing

/// proof attest, loaded from the build folder through the kernel's loader: k of n secp256k1
/// attestors sign a batch's transition; `verify` holds with k valid signatures of distinct members.
@Suite struct AttestProofTests {
    typealias F = AttestFixtures

    @Test func itDeclaresAnAttestationProof() throws {
        let library = try F.library(.proof, "attest")
        #expect(library.capabilities == ["thread-safe", "proof:attestation"])
        #expect(F.catalog.refusals.map(\.description) == [])
    }

    @Test func aConfiguredAttestorPassesTheProofConformanceSuite() throws {
        let client = try F.attest(members: [1], threshold: 1, signer: 1, folder: try F.folder("attest-conformance"))
        #expect(ProofConformance.run(client).map(\.description) == [])
    }

    @Test func theSignatureIsOverTheDocumentedMessage() throws {
        let client = try F.attest(members: [1, 2], threshold: 1, signer: 2, folder: try F.folder("attest-message"))
        let t = F.transition(index: 7)
        let proof = try client.prove(t, state: MemoryState())
        #expect(proof.count == 65)
        // docs/plugins/attest.md: keccak256("keel-attest-v1" ‖ chain id ‖ index ‖ previous root ‖ root ‖ keccak256(commitment) ‖ withdrawals root).
        func bigEndian(_ value: UInt64) -> [UInt8] { (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let preimage = Array("keel-attest-v1".utf8) + bigEndian(901) + bigEndian(7) + t.previousRoot + t.root
            + Keccak256.hash(t.daCommitment).bytes + t.withdrawalsRoot
        #expect(preimage.count == 158)
        let signature = Signature(r: try #require(Hash32(bytes: proof[0..<32])), s: try #require(Hash32(bytes: proof[32..<64])), yParity: proof[64])
        #expect(try Secp256k1.recoverAddress(hash: Keccak256.hash(preimage), signature: signature) == (try F.key(2).address))
    }

    @Test func twoOfThreeNeedsTwoDistinctMembers() throws {
        let folder = try F.folder("attest-2of3")
        let verifier = try F.attest(members: [1, 2, 3], threshold: 2, folder: folder)
        let t = F.transition(index: 3)
        let a = try F.attest(members: [1, 2, 3], threshold: 2, signer: 1, folder: folder).prove(t, state: MemoryState())
        let b = try F.attest(members: [1, 2, 3], threshold: 2, signer: 2, folder: folder).prove(t, state: MemoryState())
        let outsider = try F.key(9).sign(hash: Keccak256.hash(Array("anything".utf8))).compactBytes

        F.expectRefusal(.rejected, "1 valid signature of the 2 required") { try verifier.verify(t, proof: a) }
        try verifier.verify(t, proof: a + b)
        try verifier.verify(t, proof: b + a)
        F.expectRefusal(.rejected, "again (a duplicate)") { try verifier.verify(t, proof: a + a) }
        F.expectRefusal(.rejected, "not one of the 3 registered attestors") { try verifier.verify(t, proof: a + outsider) }
        F.expectRefusal(.rejected, "not one of the 3 registered attestors") { try verifier.verify(t, proof: outsider + a + b) }
        var otherBatch = t
        otherBatch.batchIndex += 1
        F.expectRefusal(.rejected, "over another transition") { try verifier.verify(otherBatch, proof: a + b) }
        var otherChain = t
        otherChain.chainID = 902
        F.expectRefusal(.rejected, "registered attestors") { try verifier.verify(otherChain, proof: a + b) }
        F.expectRefusal(.invalidArgument, "65-byte signatures") { try verifier.verify(t, proof: a + b.dropLast()) }
    }

    @Test func anOutsidersSignatureOverTheRightMessageIsRefused() throws {
        let folder = try F.folder("attest-outsider")
        let t = F.transition(index: 1)
        let outsider = try F.attest(members: [9], threshold: 1, signer: 9, folder: folder).prove(t, state: MemoryState())
        let verifier = try F.attest(members: [1, 2, 3], threshold: 1, folder: folder)
        F.expectRefusal(.rejected, "recovers to \(try F.key(9).address), which is not one of the 3 registered attestors") {
            try verifier.verify(t, proof: outsider)
        }
    }

    @Test func withoutAKeyItVerifiesButDoesNotProve() throws {
        let client = try F.attest(members: [1], threshold: 1, folder: try F.folder("attest-nokey"))
        F.expectRefusal(.unsupported, "no `key_file`") { _ = try client.prove(F.transition(), state: MemoryState()) }
    }

    @Test func badConfigurationsNameTheirPath() throws {
        let folder = try F.folder("attest-config")
        let path = try F.library(.proof, "attest").path
        let members = try F.membersJSON([1, 2])
        func refusal(_ config: String) -> PluginCallError? {
            do {
                _ = try PluginUnderTest.create(path: path, configJSON: config, dataDirectory: folder)
                return nil
            } catch {
                return error as? PluginCallError
            }
        }
        let open = try F.keyFile(1, in: try F.folder("attest-open-key"), mode: 0o644)
        let tooOpen = refusal(#"{"members": \#(members), "threshold": 1, "key_file": "\#(open)"}"#)
        #expect(tooOpen?.configPath == "key_file")
        #expect(tooOpen?.message.contains("chmod 600") == true)
        let stranger = refusal(#"{"members": \#(members), "threshold": 1, "key_file": "\#(try F.keyFile(5, in: folder))"}"#)
        #expect(stranger?.configPath == "key_file")
        #expect(stranger?.message.contains("not among `members`") == true)
        let threshold = refusal(#"{"members": \#(members), "threshold": 3}"#)
        #expect(threshold?.configPath == "threshold")
        #expect(threshold?.message == "`threshold` must be from 1 to the number of members (2), not 3")
        #expect(refusal(#"{"members": \#(members), "threshold": 0}"#)?.configPath == "threshold")
        #expect(refusal(#"{"members": \#(members)}"#)?.configPath == "threshold")
        let notAnAddress = refusal(#"{"members": ["\#(try F.key(1).address)", "0x1234"], "threshold": 1}"#)
        #expect(notAnAddress?.configPath == "members[1]")
        let twice = refusal(#"{"members": ["\#(try F.key(1).address)", "\#(try F.key(1).address)"], "threshold": 1}"#)
        #expect(twice?.configPath == "members[1]")
        #expect(twice?.message.contains("listed twice") == true)
        #expect(refusal(#"{"threshold": 1}"#)?.configPath == "members")
        #expect(refusal(#"{"members": \#(members), "threshold": 1, "keyfile": "x"}"#)?.configPath == "keyfile")
    }
}
