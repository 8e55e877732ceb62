import Foundation
import KeelKernel
import KeelPluginKit
import KeelPluginTesting
import Testing

/// `keel da sample` (a real `keel` process) over stores the `erasure` plugin wrote.
@Suite struct ErasureSamplingTests {
    /// A store of 4 data + 2 parity chunks holding one blob of 10,001 bytes, and its commitment.
    func storeWithABlob(_ label: String) throws -> (ErasureStore, String) {
        let store = try ErasureStore(label)
        let commitment = try store.client().submit(ErasureStore.blob(10_001))
        return (store, Hex.encode(commitment))
    }

    @Test func aCompleteStoreVerifiesEverySampleAndPrintsTheConfidenceBound() throws {
        let (store, commitment) = try storeWithABlob("sample-complete")
        let result = try TestProcess.keel(["da", "sample", commitment, "--samples", "3", "--locations"] + store.locations)
        #expect(result.status == 0, "\(result.output)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "commitment \(commitment)")
        #expect(lines.contains("  4 data + 2 parity chunks of 2501 bytes (a blob of 10001 bytes)"))
        #expect(lines.contains("sampled 3 of 6 chunks:"))
        #expect(lines.filter { $0.hasPrefix("  chunk") && $0.hasSuffix("  verified") }.count == 3)
        #expect(lines.contains("3 of 3 sampled chunks verified"))
        #expect(lines.contains("confidence that the whole batch is available: 87.5000% = 1 − (1 − 3/6)^3 "
                               + "(if it were not, this result had a chance of at most 0.125)"))
        #expect(result.standardError == "")
    }

    @Test func theManifestGivesTheLocationsRelativeToTheWorkingDirectory() throws {
        let (store, commitment) = try storeWithABlob("sample-manifest")
        let relative = store.locations.map { ($0 as NSString).lastPathComponent }
        let manifest = """
            rollup: { name: sampled, chain_id: 901, mode: attested }
            node: { data_dir: data }
            plugins:
              execution: { plugin: transfer }
              sequencer: { plugin: single, config: { key_file: k } }
              da:
                - { plugin: sqlite }
                - { plugin: erasure, config: { data_chunks: 4, parity_chunks: 2, locations: [\(relative.joined(separator: ", "))] } }
              proof: { plugin: attest, config: { members: ["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"], threshold: 1 } }
              bridge: { plugin: local }
            """
        try manifest.write(toFile: store.folder + "/rollup.yaml", atomically: true, encoding: .utf8)
        let result = try TestProcess.keel(["da", "sample", commitment, "--manifest", "rollup.yaml", "--samples", "10"], in: store.folder)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.standardOutput.contains("sampled 6 of 6 chunks (all of them: --samples 10 is more than n = 6):"))
        #expect(result.standardOutput.contains("  chunk   5  location-5  verified"))
        #expect(result.standardOutput.contains("confidence that the whole batch is available: 100% (6 verified chunks are k = 4 of them: "
                                               + "they rebuild the batch; the sampling bound alone, 1 − (1 − 3/6)^6, gives 98.4375%)"))
    }

    @Test func aDamagedStoreNamesEveryFailedSampleAndExitsWithStatus1() throws {
        let (store, commitment) = try storeWithABlob("sample-damaged")
        let bytes = try #require(Hex.decode(commitment))
        try store.deleteChunk(bytes, 1)
        try store.corruptChunk(bytes, 4)
        let result = try TestProcess.keel(["da", "sample", commitment, "--samples", "6", "--locations", store.locations.joined(separator: ",")])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("4 of 6 sampled chunks verified"))
        #expect(result.standardOutput.contains("confidence that the whole batch is available: none (a sampled chunk is missing or corrupt)"))
        #expect(result.standardError == "keel da sample: 2 of 6 sampled chunks failed: "
                + "chunk 1 at \(store.locations[1]) is missing (no file \(store.chunkFile(bytes, 1))); "
                + "chunk 4 at \(store.locations[4]) is corrupt (its Merkle proof does not lead to the commitment's root). "
                + "The batch may not be available: it can be rebuilt only while at least k = 4 of its 6 chunks are intact\n")
    }

    @Test func wrongInputsAreRefusedWithWhatToDo() throws {
        let (store, commitment) = try storeWithABlob("sample-refusals")
        let tooFew = try TestProcess.keel(["da", "sample", commitment, "--locations"] + store.locations.prefix(5))
        #expect(tooFew.status == 1)
        #expect(tooFew.standardError == "keel da sample: the commitment has 4 data and 2 parity chunks, so n = 6 locations are needed; "
                + "--locations gives 5\n")
        let sqlite = try TestProcess.keel(["da", "sample", "0x01" + String(repeating: "ab", count: 32), "--locations", "a"])
        #expect(sqlite.status == 1)
        #expect(sqlite.standardError.hasSuffix("is not an erasure commitment (43 bytes starting 0x05: 0x05 ‖ k ‖ m ‖ length ‖ root); "
                                               + "only the erasure provider's batches can be sampled\n"))
        let neither = try TestProcess.keel(["da", "sample", commitment])
        #expect(neither.status == 1)
        #expect(neither.standardError.contains("give --manifest FILE (the rollup's manifest) or --locations DIR… (the n locations in order)"))
    }
}
