import Foundation
import KeelPluginKit

/// da erasure: Reed-Solomon over `k + m` locations, committed by a Merkle root over the chunks.
///
/// `submit` splits the blob into `k` chunks, adds `m` parity chunks (ISA-L), and writes chunk `i`
/// with its Merkle proof to location `i`; `retrieve` rebuilds the blob from any `k` chunks whose
/// proofs hold. Config and formats: docs/plugins/erasure.md. Thread-safe: the code is immutable and
/// every file is written under a unique temporary name and renamed into place.
final class ErasureDA: DAProvider, @unchecked Sendable {
    // @unchecked: every stored property is immutable, and ReedSolomonCode is itself thread-safe.
    static let name = "erasure"
    static let version = "1.0.0"
    static let capabilities = ["thread-safe", "da:offchain"]
    static let providerID: UInt8 = ErasureCommitment.providerID

    let code: ReedSolomonCode
    let locations: [ChunkDirectory]
    let maxBlobSize: UInt64
    let host: PluginHostServices

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        let settings = try ErasureSettings(config)
        do {
            code = try ReedSolomonCode(dataChunks: settings.dataChunks, parityChunks: settings.parityChunks)
        } catch {
            throw PluginError.config("parity_chunks", error.description)
        }
        var locations: [ChunkDirectory] = []
        for (index, written) in settings.locations.enumerated() {
            let directory: ChunkDirectory
            do {
                directory = try ChunkDirectory(written)
            } catch {
                throw PluginError.config("locations[\(index)]", error.description)
            }
            if let earlier = locations.firstIndex(where: { $0.path == directory.path }) {
                throw PluginError.config("locations[\(index)]", "`\(written)` is the same directory as locations[\(earlier)] "
                    + "(\(directory.path)); each chunk needs its own location")
            }
            locations.append(directory)
        }
        self.locations = locations
        maxBlobSize = settings.maxBlobSize
        self.host = host
    }

    func submit(_ blob: [UInt8]) throws(PluginError) -> [UInt8] {
        guard UInt64(blob.count) <= maxBlobSize else {
            throw PluginError(.tooLarge, "the blob is \(blob.count) bytes; this provider takes at most \(maxBlobSize) (max_blob_bytes)")
        }
        let chunks = code.encode(blob)
        let leaves = parallelMap(chunks.count) { Keccak256.hash(chunks[$0]) }
        let tree = MerkleTree(leaves: leaves)
        let commitment = ErasureCommitment(dataChunks: code.dataChunks, parityChunks: code.parityChunks,
                                           blobLength: UInt64(blob.count), root: tree.root)
        let name = commitment.chunkFileName
        let failures = parallelMap(chunks.count) { index -> (index: Int, summary: String, detail: String?)? in
            let header: [UInt8]
            do {
                header = ChunkRecord(index: index, proof: try tree.proof(index: index), chunk: []).headerBytes
            } catch {
                return (index, "no proof", "\(error)")
            }
            let location = locations[index]
            do throws(ChunkStoreError) {
                // The same blob again: keep an intact record, rewrite a damaged one.
                if let existing = try location.read(name), existing.count == header.count + chunks.chunkSize,
                   existing[..<header.count].elementsEqual(header), existing[header.count...].elementsEqual(chunks[index]) {
                    return nil
                }
                try location.write(name, [header[...], chunks[index]])
                return nil
            } catch {
                return (index, "cannot \(error.action) (\(error.reason))", nil)
            }
        }.compactMap { $0 }
        guard failures.isEmpty else {
            let text = message("could not store \(failures.count) of \(chunks.count) chunks, so the blob is not committed; ", failures,
                               tail: "; retry once every location is writable")
            throw PluginError(.unavailable, text)
        }
        host.increment("chunks_written_total", by: UInt64(chunks.count))
        return commitment.bytes
    }

    func retrieve(_ bytes: [UInt8]) throws(PluginError) -> [UInt8] {
        let commitment = try ErasureCommitment(bytes: bytes)
        guard commitment.dataChunks == code.dataChunks, commitment.parityChunks == code.parityChunks else {
            throw PluginError(.invalidArgument, "the commitment \(commitment) is for \(commitment.dataChunks) data and "
                + "\(commitment.parityChunks) parity chunks; this provider is configured with \(code.dataChunks) and \(code.parityChunks)")
        }
        guard commitment.blobLength <= ErasureSettings.largestBlobSize else {
            throw PluginError(.invalidArgument, "the commitment \(commitment) claims a blob of \(commitment.blobLength) bytes, "
                + "more than any erasure provider stores (\(ErasureSettings.largestBlobSize))")
        }
        var outcomes = fetch(commitment, indices: Array(0..<code.dataChunks), into: Array(repeating: nil, count: code.totalChunks))
        if outcomes.prefix(code.dataChunks).contains(where: { $0?.chunk == nil }) {
            outcomes = fetch(commitment, indices: Array(code.dataChunks..<code.totalChunks), into: outcomes)
        }
        let problems = outcomes.enumerated().compactMap { index, outcome in outcome?.problem.map { (index, $0) } }
        let usable = outcomes.map { $0?.chunk }
        let usableCount = usable.lazy.filter { $0 != nil }.count
        if !problems.isEmpty {
            host.increment("chunks_unusable_total", by: UInt64(problems.count))
        }
        guard usableCount >= code.dataChunks else {
            throw unrecoverable(commitment, usable: usableCount, problems: problems)
        }
        if !problems.isEmpty {
            host.log(.warning, "rebuilt \(commitment) without " + describe(problems.map { ($0.0, $0.1.summary, $0.1.detail) }) + "; submitting the blob again rewrites them")
        }
        do {
            return try code.decode(usable, blobLength: Int(commitment.blobLength))
        } catch {
            throw PluginError(.internalError, "could not decode \(commitment) from verified chunks: \(error)")
        }
    }

    func health() -> DAHealth {
        let started = DispatchTime.now()
        var problems: [String] = []
        for (index, location) in locations.enumerated() {
            if let problem = location.writeProblem() { problems.append("location \(index) (\(location.written)) \(problem)") }
        }
        let milliseconds = (DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000
        guard problems.isEmpty else {
            return DAHealth(healthy: false, latencyMilliseconds: milliseconds,
                            detail: "submit needs every location: " + problems.joined(separator: "; "))
        }
        return DAHealth(healthy: true, latencyMilliseconds: milliseconds,
                        detail: "ok: \(code.dataChunks)+\(code.parityChunks) chunks over \(locations.count) directories")
    }
}

@_cdecl("keel_plugin_entry_v1")
public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: ErasureDA.self) }
