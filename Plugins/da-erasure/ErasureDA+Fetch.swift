import Foundation
import KeelPluginKit

/// What reading one chunk gave: its verified bytes, or why it cannot be used.
struct ChunkOutcome: Sendable {
    var chunk: [UInt8]?
    var problem: ChunkRecordProblem?
}

extension ErasureDA {
    /// Reads and verifies the chunks at `indices` (in parallel) into a copy of `outcomes`.
    func fetch(_ commitment: ErasureCommitment, indices: [Int], into outcomes: [ChunkOutcome?]) -> [ChunkOutcome?] {
        let name = commitment.chunkFileName
        let fetched = parallelMap(indices.count) { position -> ChunkOutcome in
            let index = indices[position]
            let location = locations[index]
            do {
                guard let bytes = try location.read(name) else {
                    return ChunkOutcome(problem: .missing)
                }
                let record = try ChunkRecord(parsing: bytes)
                try record.verify(against: commitment, expectedIndex: index)
                return ChunkOutcome(chunk: record.chunk)
            } catch let error as ChunkStoreError {
                return ChunkOutcome(problem: .unavailable(error.reason))
            } catch let problem as ChunkRecordProblem {
                return ChunkOutcome(problem: problem)
            } catch {
                return ChunkOutcome(problem: .unavailable("\(error)"))
            }
        }
        var merged = outcomes
        for (position, index) in indices.enumerated() { merged[index] = fetched[position] }
        return merged
    }

    /// The error for a blob that fewer than `k` good chunks remain of: names every bad chunk and
    /// its location (as many as the ABI's 512-byte message holds; the log gets them all).
    func unrecoverable(_ commitment: ErasureCommitment, usable: Int, problems: [(Int, ChunkRecordProblem)]) -> PluginError {
        let code: PluginError.Code
        if problems.allSatisfy({ $0.1 == .missing }) {
            code = .notFound
        } else if problems.contains(where: { !$0.1.isMissing }) {
            code = .corrupt
        } else {
            code = .unavailable
        }
        let subject = problems.count == commitment.totalChunks && code == .notFound
            ? "no location holds a chunk of this commitment"
            : "cannot rebuild the blob: \(usable) of \(commitment.totalChunks) chunks are usable and \(commitment.dataChunks) "
              + "are needed (k = \(commitment.dataChunks), m = \(commitment.parityChunks))"
        return PluginError(code, message(subject + "; ", problems.map { ($0.0, $0.1.summary, $0.1.detail) }, context: commitment))
    }

    /// `lead` and the chunks (see `describe`), cut to what `keel_error.message` holds (512 bytes
    /// with its NUL) with a count of the chunks left out; when cut, the whole text goes to the log.
    func message(_ lead: String, _ items: [(index: Int, summary: String, detail: String?)], tail: String = "",
                 context: ErasureCommitment? = nil) -> String {
        let whole = lead + describe(items) + tail
        guard whole.utf8.count > 480 else { return whole }
        host.log(.error, (context.map { "\($0): " } ?? "") + whole)
        var kept = items.count - 1
        while kept > 0, (lead + describe(Array(items.prefix(kept))) + tail).utf8.count > 440 { kept -= 1 }
        return lead + describe(Array(items.prefix(kept))) + " … and \(items.count - kept) more (the node's log lists all)" + tail
    }

    /// `missing: chunk 1 at da/1, chunk 4 at da/4; corrupt (its Merkle proof fails): chunk 0 at da/0`:
    /// chunks grouped by summary, in order of first appearance.
    func describe(_ items: [(index: Int, summary: String, detail: String?)]) -> String {
        var summaries: [String] = []
        var chunks: [String: [String]] = [:]
        for (index, summary, detail) in items {
            if chunks[summary] == nil { summaries.append(summary) }
            chunks[summary, default: []].append("chunk \(index) at \(locations[index].written)" + (detail.map { " (\($0))" } ?? ""))
        }
        return summaries.map { "\($0): " + (chunks[$0] ?? []).joined(separator: ", ") }.joined(separator: "; ")
    }
}

/// `body(0) … body(count − 1)`, run on as many threads as Dispatch offers, results in order.
func parallelMap<Result>(_ count: Int, _ body: @Sendable (Int) -> Result) -> [Result] {
    guard count > 1 else { return (0..<count).map(body) }
    let slots = ParallelSlots<Result>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { slots.set($0, body($0)) }
    return slots.values
}

/// One result slot per iteration of `parallelMap`.
private final class ParallelSlots<Result>: @unchecked Sendable {
    // @unchecked: each iteration writes only its own slot, and `values` is read after all have finished.
    private let slots: UnsafeMutableBufferPointer<Result?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ index: Int, _ value: Result) { slots[index] = value }

    var values: [Result] { slots.compactMap { $0 } }
}
