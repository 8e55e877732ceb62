/// The RLP encoding of block headers (docs/FORMATS.md, "Block header").
extension BlockHeader {
    /// The number of items in a signed header's list; the unsigned list has the first ten.
    static let signedFieldCount = 11

    /// The RLP list of the ten fields without the signature; `hash` is its keccak.
    public var unsignedEncoding: [UInt8] {
        var encoder = RLPEncoder(reservingCapacity: 320)
        encoder.appendList { list in appendFields(to: &list) }
        return encoder.bytes
    }

    /// The RLP list of all eleven fields: the ten of `unsignedEncoding`, then the signature as a
    /// 65-byte string `r ‖ s ‖ yParity`, or the empty string when unsigned.
    public var encoded: [UInt8] {
        var encoder = RLPEncoder(reservingCapacity: 400)
        append(to: &encoder)
        return encoder.bytes
    }

    /// Decodes what `encoded` makes, and nothing else: exactly eleven fields, canonical integers,
    /// 32-byte hashes, a signature of 0 or 65 bytes, no trailing bytes.
    ///
    /// Throws `RLPError` naming the field and the byte offset.
    public init(rlp bytes: [UInt8]) throws(RLPError) {
        var reader = try RLPReader(bytes)
        self = try BlockHeader(reading: &reader)
        try reader.finish()
    }

    /// Appends the signed header list.
    func append(to encoder: inout RLPEncoder) {
        encoder.appendList { list in
            appendFields(to: &list)
            if let signature = sequencerSignature {
                list.append(bytes: signature.compactBytes)
            } else {
                list.append(bytes: [])
            }
        }
    }

    private func appendFields(to list: inout RLPEncoder) {
        list.append(parentHash)
        list.append(number)
        list.append(timestamp)
        list.append(stateRoot)
        list.append(transactionsRoot)
        list.append(receiptsRoot)
        list.append(withdrawalsRoot)
        list.append(baseFee)
        list.append(gasUsed)
        list.append(gasLimit)
    }

    /// Reads one signed header list from `reader`.
    init(reading reader: inout RLPReader) throws(RLPError) {
        let start = reader.position
        var fields = try reader.readList(field: "header")
        let count = try fields.remainingItemCount()
        guard count == Self.signedFieldCount else {
            throw RLPError(.wrongItemCount(expected: Self.signedFieldCount, found: count), at: start, field: "header")
        }
        parentHash = try fields.readHash32(field: "header.parentHash")
        number = try fields.readUInt64(field: "header.number")
        timestamp = try fields.readUInt64(field: "header.timestamp")
        stateRoot = try fields.readHash32(field: "header.stateRoot")
        transactionsRoot = try fields.readHash32(field: "header.transactionsRoot")
        receiptsRoot = try fields.readHash32(field: "header.receiptsRoot")
        withdrawalsRoot = try fields.readHash32(field: "header.withdrawalsRoot")
        baseFee = try fields.readUInt128(field: "header.baseFee")
        gasUsed = try fields.readUInt64(field: "header.gasUsed")
        gasLimit = try fields.readUInt64(field: "header.gasLimit")
        let signatureAt = fields.position
        let signature = try fields.readBytes(field: "header.sequencerSignature")
        switch signature.count {
        case 0:
            sequencerSignature = nil
        case 65:
            let base = signature.startIndex
            sequencerSignature = Signature(
                r: Hash32(bytes: signature[base..<base + 32]) ?? .zero,
                s: Hash32(bytes: signature[base + 32..<base + 64]) ?? .zero,
                yParity: signature[base + 64])
        default:
            throw RLPError(.wrongByteCount(expected: 65, found: signature.count), at: signatureAt, field: "header.sequencerSignature")
        }
        try fields.finish()
    }
}
