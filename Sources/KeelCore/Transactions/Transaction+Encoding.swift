extension Transaction {
    /// The bytes whose Keccak-256 is signed.
    ///
    /// - legacy: `rlp([nonce, gasPrice, gasLimit, to, value, data])`, and with EIP-155
    ///   `rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0])`;
    /// - EIP-2930: `0x01 ‖ rlp([chainId, nonce, gasPrice, gasLimit, to, value, data, accessList])`;
    /// - EIP-1559: `0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList])`.
    public var signingPayload: [UInt8] {
        var encoder = RLPEncoder(reservingCapacity: data.count + 128)
        appendTypeByte(to: &encoder)
        encoder.appendList { list in
            appendFields(to: &list)
            if type == .legacy, let chainId {
                list.append(chainId)
                list.append(UInt64(0))
                list.append(UInt64(0))
            }
        }
        return encoder.bytes
    }

    /// The signed encoding: the fields followed by `v, r, s` (legacy) or `yParity, r, s` (typed).
    func encode(signature: Signature) -> [UInt8] {
        var encoder = RLPEncoder(reservingCapacity: data.count + 192)
        appendTypeByte(to: &encoder)
        encoder.appendList { list in
            appendFields(to: &list)
            let parity = UInt64(signature.yParity)
            if type == .legacy {
                list.append(chainId.map { 35 + 2 * $0 + parity } ?? 27 + parity)
            } else {
                list.append(parity)
            }
            list.append(scalar: signature.r)
            list.append(scalar: signature.s)
        }
        return encoder.bytes
    }

    private func appendTypeByte(to encoder: inout RLPEncoder) {
        if type != .legacy { encoder.append(encoded: [type.rawValue]) }
    }

    private func appendFields(to list: inout RLPEncoder) {
        if type != .legacy { list.append(chainId ?? 0) }
        list.append(nonce)
        switch fees {
        case .gasPrice(let price):
            list.append(price)
        case .dynamic(let tip, let cap):
            list.append(tip)
            list.append(cap)
        }
        list.append(gasLimit)
        if let to { list.append(to) } else { list.append(bytes: [UInt8]()) }
        list.append(value)
        list.append(bytes: data)
        if type != .legacy {
            list.appendList { entries in
                for entry in accessList {
                    entries.appendList { pair in
                        pair.append(entry.address)
                        pair.appendList { keys in
                            for key in entry.storageKeys { keys.append(key) }
                        }
                    }
                }
            }
        }
    }
}
