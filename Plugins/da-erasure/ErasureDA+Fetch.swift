import Dispatch
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
                    return ChunkOutcome(problem: .missing("no file \(location.filePath(name))"))
                }
                let record = try ChunkRecord(parsing: bytes)
                try record.verify(against: commitment, expectedIndex: index)
                return ChunkOutcome(chunk: record.chunk)
            } catch let error as ChunkStoreError {
                return ChunkOutcome(problem: .unavailable(error.description))
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

    /// The error for a blob that fewer than `k` good chunks remain of: names every bad chunk.
    func unrecoverable(_ commitment: ErasureCommitment, usable: Int, problems: [(Int, ChunkRecordProblem)]) -> PluginError {
        let code: PluginError.Code
        if problems.allSatisfy({ if case .missing = $0.1 { true } else { false } }) {
            code = .notFound
        } else if problems.contains(where: { !$0.1.isMissing }) {
            code = .corrupt
        } else {
            code = .unavailable
        }
        let subject = problems.count == commitment.totalChunks && code == .notFound
            ? "no chunk of \(commitment) is stored at any location"
            : "cannot rebuild \(commitment): \(usable) of \(commitment.totalChunks) chunks are usable and "
              + "\(commitment.dataChunks) are needed (k = \(commitment.dataChunks), m = \(commitment.parityChunks))"
        return PluginError(code, subject + "; " + describe(problems))
    }

    /// `chunk 1 at da/1: missing (…), chunk 4 at da/4: corrupt (…)`.
    func describe(_ problems: [(Int, ChunkRecordProblem)]) -> String {
        problems.map { index, problem in "chunk \(index) at \(locations[index].written): \(problem)" }.joined(separator: ", ")
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
