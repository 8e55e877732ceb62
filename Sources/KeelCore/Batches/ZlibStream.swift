import CZlib

/// zlib streams (RFC 1950) through system zlib: one-shot compression, bounded streaming decompression.
enum ZlibStream {
    static func compress(_ input: UnsafeRawBufferPointer, level: Int) throws -> [UInt8] {
        var capacity = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { out in
            CZlib.compress2(out.baseAddress, &capacity, input.baseAddress?.assumingMemoryBound(to: Bytef.self),
                            uLong(input.count), Int32(level))
        }
        guard status == Z_OK else {
            throw CompressionError(.libraryFailure, codec: .zlib, offset: 0, produced: 0, detail: "compress2 returned \(status)")
        }
        output.removeSubrange(Int(capacity)...)
        return output
    }

    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        let initStatus = inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            throw CompressionError(.libraryFailure, codec: .zlib, offset: 0, produced: 0, detail: "inflateInit returned \(initStatus)")
        }
        defer { inflateEnd(&stream) }

        // zlib never writes through next_in; the cast only satisfies its non-const prototype.
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = 0
        var remaining = input.count
        var output = BoundedOutput(limit: limit)

        while true {
            // avail_in is 32 bits wide; feed very large inputs in slices.
            if stream.avail_in == 0, remaining > 0 {
                let slice = min(remaining, Int(UInt32.max))
                stream.avail_in = uInt(slice)
                remaining -= slice
            }
            let consumedBefore = Int(stream.total_in)
            let status = output.withFreeSpace { space -> (Int32, written: Int) in
                stream.next_out = space.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(min(space.count, Int(UInt32.max)))
                let before = stream.avail_out
                let status = inflate(&stream, Z_NO_FLUSH)
                return (status, Int(before - stream.avail_out))
            }
            let consumed = Int(stream.total_in)
            if output.passedLimit {
                throw CompressionError(.exceedsBound, codec: .zlib, offset: consumed, produced: output.count, limit: limit)
            }
            switch status {
            case Z_STREAM_END:
                guard stream.avail_in == 0, remaining == 0 else {
                    throw CompressionError(.trailingBytes, codec: .zlib, offset: consumed, produced: output.count)
                }
                return output.finish()
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.avail_in == 0 && remaining == 0:
                throw CompressionError(.truncated, codec: .zlib, offset: consumed, produced: output.count)
            case Z_BUF_ERROR where consumed == consumedBefore:
                throw CompressionError(.libraryFailure, codec: .zlib, offset: consumed, produced: output.count,
                                       detail: "inflate made no progress")
            case Z_BUF_ERROR:
                continue
            case Z_DATA_ERROR, Z_NEED_DICT:
                let message = stream.msg.map { String(cString: $0) } ?? (status == Z_NEED_DICT ? "needs a preset dictionary" : "invalid data")
                throw CompressionError(.corrupt, codec: .zlib, offset: consumed, produced: output.count, detail: message)
            default:
                throw CompressionError(.libraryFailure, codec: .zlib, offset: consumed, produced: output.count,
                                       detail: "inflate returned \(status)")
            }
        }
    }
}
