import CBrotli

/// Brotli streams (RFC 7932) through system libbrotli: one-shot compression, bounded streaming decompression.
enum BrotliStream {
    /// The smallest window that holds the whole input (2^10 ... 2^24 bytes): a larger one buys no
    /// ratio, and a small window keeps the decoder's ring buffer small.
    static func windowBits(for count: Int) -> Int32 {
        var bits: Int32 = 10
        while bits < 24, (1 << bits) - 16 < count { bits += 1 }
        return bits
    }

    static func compress(_ input: UnsafeRawBufferPointer, quality: Int) throws -> [UInt8] {
        let bound = BrotliEncoderMaxCompressedSize(input.count)
        // 0 means "too large to say"; the one-shot encoder still needs some room to start with.
        var capacity = bound == 0 ? input.count + input.count / 2 + 1024 : bound
        var output = [UInt8](repeating: 0, count: capacity)
        let ok = output.withUnsafeMutableBufferPointer { out in
            BrotliEncoderCompress(Int32(quality), windowBits(for: input.count), BROTLI_MODE_GENERIC, input.count,
                                  input.baseAddress?.assumingMemoryBound(to: UInt8.self), &capacity, out.baseAddress)
        }
        guard ok == BROTLI_TRUE else {
            throw CompressionError(.libraryFailure, codec: .brotli, offset: 0, produced: 0, detail: "BrotliEncoderCompress failed")
        }
        output.removeSubrange(capacity...)
        return output
    }

    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws -> [UInt8] {
        guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else {
            throw CompressionError(.libraryFailure, codec: .brotli, offset: 0, produced: 0, detail: "cannot create a decoder")
        }
        defer { BrotliDecoderDestroyInstance(state) }

        var nextIn = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        var availableIn = input.count
        var output = BoundedOutput(limit: limit)

        while true {
            let result = output.withFreeSpace { space -> (BrotliDecoderResult, written: Int) in
                var nextOut = space.baseAddress?.assumingMemoryBound(to: UInt8.self)
                var availableOut = space.count
                let result = BrotliDecoderDecompressStream(state, &availableIn, &nextIn, &availableOut, &nextOut, nil)
                return (result, space.count - availableOut)
            }
            let consumed = input.count - availableIn
            if output.passedLimit {
                throw CompressionError(.exceedsBound, codec: .brotli, offset: consumed, produced: output.count, limit: limit)
            }
            switch result {
            case BROTLI_DECODER_RESULT_SUCCESS:
                guard availableIn == 0 else {
                    throw CompressionError(.trailingBytes, codec: .brotli, offset: consumed, produced: output.count)
                }
                return output.finish()
            case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
                continue
            case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
                throw CompressionError(.truncated, codec: .brotli, offset: consumed, produced: output.count)
            default:
                let code = BrotliDecoderGetErrorCode(state)
                let name = BrotliDecoderErrorString(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
                // Codes -30...-21 are allocation failures, not the input's fault.
                let kind: CompressionError.Kind = (-30 ... -21).contains(code.rawValue) ? .libraryFailure : .corrupt
                throw CompressionError(kind, codec: .brotli, offset: consumed, produced: output.count, detail: name)
            }
        }
    }
}
