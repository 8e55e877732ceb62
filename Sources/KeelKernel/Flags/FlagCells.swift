import Synchronization

/// One atomic word per flag, read on the hot path without a lock and without touching a
/// reference count: a consensus flag's activation height (`FlagSetting.neverHeight` when not
/// scheduled) or a rollout flag's basis points.
///
/// `Atomic` cannot live in an `Array` (it is not copyable), so the words are one heap block
/// allocated here and freed in `deinit`.
final class FlagCells: @unchecked Sendable {
    // @unchecked: the block is allocated once, never reallocated, only reached through
    // `Atomic`'s operations, and freed when the last reference goes.
    private let words: UnsafeMutablePointer<Atomic<UInt64>>
    let count: Int

    init(_ values: [UInt64]) {
        count = values.count
        words = .allocate(capacity: max(values.count, 1))
        for (index, value) in values.enumerated() {
            (words + index).initialize(to: Atomic(value))
        }
    }

    deinit {
        words.deinitialize(count: count)
        words.deallocate()
    }

    @inline(__always)
    func load(_ index: Int) -> UInt64 {
        words[index].load(ordering: .acquiring)
    }

    func store(_ index: Int, _ value: UInt64) {
        words[index].store(value, ordering: .releasing)
    }
}
