import KeelCore

extension ManifestReader {
    /// The `genesis:` section: `alloc`, a map of address to balance in wei.
    mutating func readGenesis(_ value: YAMLValue?) -> [GenesisAccount]? {
        guard let value else { return [] }
        guard let fields = fields(of: value, path: "genesis", known: ["alloc"]) else { return nil }
        guard let allocValue = fields["alloc"] else { return [] }
        guard let entries = allocValue.entries else {
            wrongType(allocValue, path: "genesis.alloc", expected: "a mapping of address to balance in wei")
            return nil
        }
        var accounts: [GenesisAccount] = []
        var seen: [Address: SourceLocation] = [:]
        var valid = true
        for entry in entries {
            let address = genesisAddress(entry.key)
            let balance = genesisBalance(entry.value, address: entry.name ?? "?")
            if let address {
                if let earlier = seen[address] {
                    error(at: entry.key.location, "`genesis.alloc` lists \(address) twice (first at line "
                          + "\(earlier.line), column \(earlier.column)); give each account one entry")
                    valid = false
                    continue
                }
                seen[address] = entry.key.location
            }
            guard let address, let balance else {
                valid = false
                continue
            }
            accounts.append(GenesisAccount(address: address, balance: balance, location: entry.key.location))
        }
        return valid ? accounts : nil
    }

    private mutating func genesisAddress(_ key: YAMLValue) -> Address? {
        guard let text = key.scalar?.text else {
            error(at: key.location, "`genesis.alloc` keys must be addresses, but one is \(key.kindDescription)")
            return nil
        }
        if let address = Address(hex: text) { return address }
        if Address(hex: text.lowercased()) != nil {
            error(at: key.location, "`\(text)` in `genesis.alloc` mixes upper and lower case but fails its "
                  + "EIP-55 checksum, so a digit may be mistyped; copy the address again, or write it all "
                  + "in lowercase to skip the check")
        } else {
            error(at: key.location, "`\(ManifestText.abbreviated(text))` in `genesis.alloc` is not an address; "
                  + "write `0x` followed by 40 hex digits")
        }
        return nil
    }

    /// A balance: a plain integer or a string of decimal digits, at most 2^128 - 1 wei.
    private mutating func genesisBalance(_ value: YAMLValue, address: String) -> UInt128? {
        let path = "genesis.alloc.\(address)"
        guard let scalar = value.scalar else {
            wrongType(value, path: path, expected: "a balance in wei")
            return nil
        }
        let digits: String
        switch scalar.coreValue {
        case .integer(let decimal):
            digits = decimal
        case .string where !scalar.text.isEmpty && scalar.text.allSatisfy(ManifestText.isDigit):
            digits = scalar.text
        default:
            wrongType(value, path: path, expected: "a balance in wei, written as decimal digits (e.g. "
                      + "`\"1000000000000000000\"` for 1 ether)")
            return nil
        }
        if digits.hasPrefix("-") {
            error(at: value.location, "`\(path)` is negative (\(digits)); a balance is 0 or more wei")
            return nil
        }
        guard let balance = UInt128(digits) else {
            error(at: value.location, "`\(path)` is \(digits) wei, more than the largest balance, "
                  + "2^128 - 1 = \(UInt128.max) wei")
            return nil
        }
        return balance
    }
}
