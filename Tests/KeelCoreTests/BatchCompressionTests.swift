import KeelCore
import PropertyBased
import Testing

/// The compression layer under batches: every codec restores exactly, and decoding refuses
/// bombs, corruption, truncation and trailing bytes with an error that says which.
@Suite struct BatchCompressionTests {
    static let compressing: [CompressionCodec] = [.zlib, .brotli]

    @Test func codecBytesAreTheFormatsNumbers() {
        #expect(CompressionCodec.none.rawValue == 0)
        #expect(CompressionCodec.zlib.rawValue == 1)
        #expect(CompressionCodec.brotli.rawValue == 2)
        #expect(CompressionCodec(rawValue: 3) == nil)
    }

    @Test(arguments: CompressionCodec.allCases)
    func randomBytesRoundTrip(codec: CompressionCodec) async {
        await propertyCheck(count: 60, input: Gen.uint8().array(of: 0...4096)) { bytes in
            let packed = try codec.compress(bytes)
            #expect(try codec.decompress(packed, limit: bytes.count) == bytes)
        }
    }

    @Test(arguments: CompressionCodec.allCases)
    func repetitiveBytesRoundTripAtEveryLevel(codec: CompressionCodec) async throws {
        // A small alphabet compresses well, so the decoder's back-references get exercised.
        await propertyCheck(count: 30, input: Gen.uint8(in: 0...3).array(of: 0...8000), Gen.int(in: codec.levels)) { bytes, level in
            let packed = try codec.compress(bytes, level: level)
            // zlib level 0 stores; every other level must shrink two bits of entropy per byte.
            if codec != .none, level > 0 || codec == .brotli, bytes.count > 1000 { #expect(packed.count < bytes.count / 2) }
            #expect(try codec.decompress(packed, limit: bytes.count) == bytes)
        }
    }

    @Test(arguments: compressing)
    func outputExactlyAtTheBoundIsAccepted(codec: CompressionCodec) throws {
        let bytes = [UInt8](repeating: 7, count: 100_000)
        let packed = try codec.compress(bytes)
        #expect(try codec.decompress(packed, limit: 100_000) == bytes)
        let error = try #require(throws: CompressionError.self) { try codec.decompress(packed, limit: 99_999) }
        #expect(error.kind == .exceedsBound)
    }

    @Test(arguments: compressing)
    func aBombStopsAtTheBoundBeforeReadingItAll(codec: CompressionCodec) throws {
        // 16 MiB of zeros packs into a few kilobytes (zlib) or bytes (brotli); the bound is 64 KiB.
        let bomb = try codec.compress([UInt8](repeating: 0, count: 16 << 20))
        #expect(bomb.count < 20_000)
        let error = try #require(throws: CompressionError.self) { try codec.decompress(bomb, limit: 64 << 10) }
        #expect(error.kind == .exceedsBound)
        #expect(error.limit == 64 << 10)
        // It held one byte past the bound, the byte that proved the overflow, and never more.
        #expect(error.produced == (64 << 10) + 1)
        if codec == .zlib {
            // The decoder quit after a small part of the stream: it never expanded the rest.
            #expect(error.offset < bomb.count / 8)
        }
        #expect(error.description.contains("more than the bound of 65536 bytes"))
    }

    @Test func storedDataPastTheBoundIsRefused() throws {
        let error = try #require(throws: CompressionError.self) {
            try CompressionCodec.none.decompress([UInt8](repeating: 1, count: 11), limit: 10)
        }
        #expect(error.kind == .exceedsBound)
    }

    @Test(arguments: compressing)
    func truncatedStreamsAreRefusedAtEveryCut(codec: CompressionCodec) throws {
        let bytes = (0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7 / 3) }
        let packed = try codec.compress(bytes)
        for cut in Set([0, 1, 2, packed.count / 2, packed.count - 1]) {
            let error = try #require(throws: CompressionError.self, "cut at \(cut)") {
                try codec.decompress(Array(packed[..<cut]), limit: 1 << 20)
            }
            #expect([.truncated, .corrupt].contains(error.kind), "cut at \(cut): \(error)")
        }
    }

    @Test(arguments: compressing)
    func trailingBytesAreRefused(codec: CompressionCodec) throws {
        let packed = try codec.compress(Array("a batch payload".utf8))
        let error = try #require(throws: CompressionError.self) {
            try codec.decompress(packed + [0x00], limit: 1 << 20)
        }
        #expect(error.kind == .trailingBytes)
        #expect(error.offset == packed.count)
    }

    @Test func corruptZlibNamesTheProblem() throws {
        var packed = try CompressionCodec.zlib.compress((0..<2000).map { UInt8(truncatingIfNeeded: $0) })
        packed[packed.count - 1] ^= 0xFF // the Adler-32 trailer
        let error = try #require(throws: CompressionError.self) { try CompressionCodec.zlib.decompress(packed, limit: 1 << 20) }
        #expect(error.kind == .corrupt)
        #expect(error.description.contains("incorrect data check"))

        let header = try #require(throws: CompressionError.self) {
            try CompressionCodec.zlib.decompress([0x12, 0x34, 0x56], limit: 1 << 20)
        }
        #expect(header.kind == .corrupt)
        #expect(header.offset <= 2)
    }

    @Test(arguments: compressing)
    func flippedBytesNeverCrashAndNeverPassTheBound(codec: CompressionCodec) async throws {
        let original = (0..<3000).map { UInt8(truncatingIfNeeded: ($0 * $0) >> 3) }
        let packed = try codec.compress(original)
        await propertyCheck(count: 200, input: Gen.int(in: 0...(packed.count - 1)), Gen.uint8(in: 1...255)) { index, mask in
            var damaged = packed
            damaged[index] ^= mask
            do {
                let restored = try codec.decompress(damaged, limit: 4096)
                #expect(restored.count <= 4096)
            } catch let error as CompressionError {
                #expect(error.kind != .libraryFailure, "\(error)")
            }
        }
    }

    @Test(arguments: CompressionCodec.allCases)
    func levelsOutsideTheRangeAreRefused(codec: CompressionCodec) throws {
        let error = try #require(throws: CompressionError.self) { try codec.compress([1, 2, 3], level: codec.levels.upperBound + 1) }
        #expect(error.kind == .invalidLevel)
        #expect(error.description.contains("use \(codec.levels.lowerBound)...\(codec.levels.upperBound)"))
    }
}
