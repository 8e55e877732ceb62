import Foundation
import KeelCore
@testable import KeelState
import Testing

@Suite struct StateOverlayTests {
    @Test func readsSeePendingWritesAndTheRootMatchesTheCommit() throws {
        let folder = try TemporaryStateStore()
        let store = try folder.open()
        try store.apply(version: 1, updates: (0..<50).map { (StateSample.key($0), StateSample.value($0)) })
        var overlay = StateOverlay(store: store)
        overlay.set(StateSample.key(1), [9, 9])
        overlay.set(StateSample.key(2), nil)
        overlay.set(StateSample.key(99), [])
        #expect(try overlay.value(for: StateSample.key(1)) == [9, 9])
        #expect(try overlay.value(for: StateSample.key(2)) == nil)
        #expect(try overlay.value(for: StateSample.key(3)) == StateSample.value(3))
        #expect(try overlay.value(for: StateSample.key(99)) == [])
        let previewed = try overlay.root()
        #expect(store.latestVersion == 1, "previewing writes nothing")
        #expect(try store.value(for: StateSample.key(1)) == StateSample.value(1))
        var model = Dictionary(uniqueKeysWithValues: (0..<50).map { (StateSample.key($0), StateSample.value($0)) })
        model[StateSample.key(1)] = [9, 9]
        model[StateSample.key(2)] = nil
        model[StateSample.key(99)] = []
        #expect(previewed == StateSample.root(of: model))
        #expect(try overlay.commit(version: 2) == previewed)
        #expect(overlay.count == 0)
    }

    @Test func anOverlayOnAnOldVersionCannotCommit() throws {
        let folder = try TemporaryStateStore()
        let store = try folder.open()
        try store.apply(version: 1, updates: [(StateSample.key(1), [1])])
        var overlay = StateOverlay(store: store)
        overlay.set(StateSample.key(2), [2])
        try store.apply(version: 2, updates: [(StateSample.key(3), [3])])
        #expect(throws: StateStoreError.overlayBaseMoved(base: 1, latest: 2)) { try overlay.commit(version: 3) }
    }
}
