import Foundation
import KeelKernel
import KeelPluginKit
import KeelPluginTesting
import Testing

/// The `erasure` DA provider through the plugin ABI: k data + m parity chunks over k + m
/// directories, any k verified chunks rebuild the blob (docs/plugins/erasure.md).
@Suite struct ErasureDATests {
    @Test func passesTheDAConformanceSuiteAcrossARestart() throws {
        let store = try ErasureStore("erasure-conformance")
        let library = try ErasureStore.library()
        #expect(library.capabilities == ["thread-safe", "da:offchain"])
        let client = try store.client()
        #expect(client.providerID == 0x05)
        #expect(client.maxBlobSize == 3_000_000)
        let failures = DAConformance.run(client, reopen: { try store.client() })
        #expect(failures.map(\.description) == [])
    }

    @Test func theCommitmentNamesTheShapeTheLengthAndAMerkleRootEachStoredChunkProvesItselfAgainst() throws {
        let store = try ErasureStore("erasure-commitment")
        let blob = ErasureStore.blob(10_001)
        let commitment = try store.client().submit(blob)
        #expect(commitment.count == 43)
        #expect(Array(commitment[0..<3]) == [0x05, 4, 2])
        #expect(commitment[3..<11].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } == 10_001)
        let root = try #require(Hash32(bytes: commitment[11...]))

        // A third party with one chunk file and the commitment alone, following the documented record format.
        let chunkSize = (10_001 + 3) / 4
        for index in 0..<store.totalChunks {
            let record = [UInt8](try Data(contentsOf: URL(fileURLWithPath: store.chunkFile(commitment, index))))
            #expect(Array(record[0..<4]) == Array("KRS1".utf8))
            #expect(Int(record[4]) == index)
            let depth = Int(record[5])
            #expect(depth == 3)
            let proof = (0..<depth).compactMap { Hash32(bytes: record[(6 + 32 * $0)..<(38 + 32 * $0)]) }
            let chunk = Array(record[(6 + 32 * depth)...])
            #expect(chunk.count == chunkSize)
            if index < store.dataChunks {
                let slice = Array(blob[min(blob.count, index * chunkSize)..<min(blob.count, (index + 1) * chunkSize)])
                #expect(chunk == slice + [UInt8](repeating: 0, count: chunkSize - slice.count), "data chunk \(index) is the blob's slice, zero-padded")
            }
            #expect(MerkleTree.verify(root: root, leaf: Keccak256.hash(chunk), index: index, proof: proof))
            #expect(!MerkleTree.verify(root: root, leaf: Keccak256.hash(chunk + [0]), index: index, proof: proof))
        }
    }

    @Test func anyMChunksDeletedStillRebuildTheBlob() throws {
        let store = try ErasureStore("erasure-any-m", dataChunks: 3, parityChunks: 3)
        let blobs = [ErasureStore.blob(1), ErasureStore.blob(65_537, seed: 2), ErasureStore.blob(9_000, seed: 3)]
        let writer = try store.client()
        let commitments = try blobs.map { try writer.submit($0) }
        // Every set of m = 3 of the 6 chunks, data and parity alike: 20 sets.
        for a in 0..<6 { for b in (a + 1)..<6 { for c in (b + 1)..<6 {
            let lost = [a, b, c]
            let folder = try TestProcess.temporaryFolder("erasure-subset")
            let copies = store.locations.indices.map { "\(folder)/\($0)" }
            for (index, location) in store.locations.enumerated() {
                try FileManager.default.copyItem(atPath: location, toPath: copies[index])
            }
            for (commitment, index) in commitments.flatMap({ commitment in lost.map { (commitment, $0) } }) {
                try FileManager.default.removeItem(atPath: "\(copies[index])/\(Hex.encode(commitment, prefix: false)).chunk")
            }
            let reader = try store.client(locations: copies)
            for (commitment, blob) in zip(commitments, blobs) {
                #expect(try reader.retrieve(commitment) == blob, "chunks \(lost) deleted")
            }
        } } }
    }

    @Test func mPlusOneChunksDeletedIsNotFoundNamingEachMissingChunkAndItsLocation() throws {
        let store = try ErasureStore("erasure-m-plus-one")
        let client = try store.client()
        let commitment = try client.submit(ErasureStore.blob(50_000))
        for index in [1, 4, 5] { try store.deleteChunk(commitment, index) }
        let error = try #require(erasureRefusal { _ = try client.retrieve(commitment) })
        #expect(error.codeName == "not found")
        #expect(error.message == "cannot rebuild the blob: 3 of 6 chunks are usable and 4 are needed (k = 4, m = 2); missing: "
                + "chunk 1 at \(store.locations[1]), chunk 4 at \(store.locations[4]), chunk 5 at \(store.locations[5])")
        for index in [0, 1, 2, 3, 4, 5] { try? store.deleteChunk(commitment, index) }
        let none = try #require(erasureRefusal { _ = try client.retrieve(commitment) })
        #expect(none.codeName == "not found")
        #expect(none.message.hasPrefix("no location holds a chunk of this commitment; missing: chunk 0 at \(store.locations[0]), "))
    }

    @Test func aCorruptedChunkIsDetectedAndTheBlobStillRebuildsFromTheOthers() throws {
        let store = try ErasureStore("erasure-corrupt")
        let client = try store.client()
        let blob = ErasureStore.blob(200_000)
        let commitment = try client.submit(blob)
        try store.corruptChunk(commitment, 0)
        try store.corruptChunk(commitment, 2)
        #expect(try client.retrieve(commitment) == blob)

        try store.corruptChunk(commitment, 3)
        let error = try #require(erasureRefusal { _ = try client.retrieve(commitment) })
        #expect(error.codeName == "corrupt")
        #expect(error.message == "cannot rebuild the blob: 3 of 6 chunks are usable and 4 are needed (k = 4, m = 2); "
                + "corrupt (its Merkle proof fails): chunk 0 at \(store.locations[0]), chunk 2 at \(store.locations[2]), chunk 3 at \(store.locations[3])")
    }

    @Test func submittingTheSameBlobAgainRewritesADamagedChunk() throws {
        let store = try ErasureStore("erasure-repair")
        let client = try store.client()
        let blob = ErasureStore.blob(4096)
        let commitment = try client.submit(blob)
        let intact = try Data(contentsOf: URL(fileURLWithPath: store.chunkFile(commitment, 5)))
        try store.corruptChunk(commitment, 5)
        try store.deleteChunk(commitment, 1)
        #expect(try client.submit(blob) == commitment)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.chunkFile(commitment, 5))) == intact)
        #expect(FileManager.default.fileExists(atPath: store.chunkFile(commitment, 1)))
    }

    @Test func locationsListedInAnotherOrderAreReportedAsMisplaced() throws {
        let store = try ErasureStore("erasure-order")
        let commitment = try store.client().submit(ErasureStore.blob(999))
        var swapped = store.locations
        swapped.swapAt(0, 1)
        swapped.swapAt(2, 3)
        swapped.swapAt(4, 5)
        let error = try #require(erasureRefusal { _ = try store.client(locations: swapped).retrieve(commitment) })
        #expect(error.codeName == "corrupt")
        #expect(error.message.hasPrefix("cannot rebuild the blob: 0 of 6 chunks are usable and 4 are needed (k = 4, m = 2); "
                                        + "misplaced (is the locations list in another order than when the chunks were written?): "
                                        + "chunk 0 at \(store.locations[1]) (holds chunk 1), chunk 1 at \(store.locations[0]) (holds chunk 0)"))
        // Six long paths do not fit in the ABI's 512-byte message: it says how many it left out.
        #expect(error.message.utf8.count < 512)
        #expect(error.message.range(of: #" … and \d more \(the node's log lists all\)$"#, options: .regularExpression) != nil)
    }

    @Test func aCommitmentOfAnotherShapeOrProviderIsAnInvalidArgument() throws {
        let store = try ErasureStore("erasure-shape")
        let client = try store.client()
        var commitment = try client.submit([1, 2, 3])
        commitment[2] = 3
        let otherShape = try #require(erasureRefusal { _ = try client.retrieve(commitment) })
        #expect(otherShape.codeName == "invalid argument")
        #expect(otherShape.message.hasSuffix("is for 4 data and 3 parity chunks; this provider is configured with 4 and 2"))
        let sqlite = try #require(erasureRefusal { _ = try client.retrieve([0x01] + [UInt8](repeating: 7, count: 32)) })
        #expect(sqlite.message == "not an erasure commitment: expected 43 bytes starting 0x05 (0x05 ‖ k ‖ m ‖ length ‖ root), got 33 bytes starting 0x01")
    }

    @Test func theConfigIsCheckedKeyByKey() throws {
        let store = try ErasureStore("erasure-config")
        let path = try ErasureStore.library().path
        func refused(_ config: String) -> (String?, String)? {
            do {
                _ = try PluginUnderTest.create(path: path, configJSON: config, dataDirectory: store.folder)
                return nil
            } catch let error as PluginCallError {
                return (error.configPath, error.message)
            } catch {
                return (nil, "\(error)")
            }
        }
        let five = Array(store.locations.prefix(5)).map { "\"\($0)\"" }.joined(separator: ", ")
        #expect(refused(#"{"data_chunks": 4, "parity_chunks": 2, "locations": [\#(five)]}"#)
            ?? (nil, "") == ("locations", "needs exactly data_chunks + parity_chunks = 6 entries (chunk i goes to location i), got 5"))
        #expect(refused(#"{"data_chunks": 0, "parity_chunks": 2, "locations": []}"#) ?? (nil, "") == ("data_chunks", "must be between 1 and 254, not 0"))
        #expect(refused(#"{"data_chunks": 4, "locations": []}"#) ?? (nil, "") == ("parity_chunks", "missing required key `parity_chunks` (a whole number)"))
        #expect(refused(#"{"data_chunks": 1, "parity_chunks": 1, "locations": ["\#(store.folder)/a", "\#(store.folder)/b/../a"]}"#)
            ?? (nil, "") == ("locations[1]", "`\(store.folder)/b/../a` is the same directory as locations[0] (\(store.folder)/a); each chunk needs its own location"))
        #expect(refused(#"{"data_chunks": 1, "parity_chunks": 1, "locations": ["a", "b"], "chunks": 3}"#)?.0 == "chunks")
    }

    @Test func healthNamesALocationThatIsGone() throws {
        let store = try ErasureStore("erasure-health", dataChunks: 1, parityChunks: 1)
        let client = try store.client()
        #expect(try client.health().healthy)
        try FileManager.default.removeItem(atPath: store.locations[1])
        let health = try client.health()
        #expect(!health.healthy)
        #expect(health.detail == "submit needs every location: location 1 (\(store.locations[1])) is gone")
    }
}
