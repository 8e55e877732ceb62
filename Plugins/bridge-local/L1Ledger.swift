import Foundation
import GRDB
import KeelPluginKit

/// The embedded L1's money (docs/FAULT_PROOFS.md, §5): a balance per account, moved only by
/// double entry, so the sum over every account never changes except by minting.
///
/// Accounts are users (their 20-byte addresses) and the bridge's own pools, named in ASCII:
/// `escrow` (what deposits locked and withdrawals pay from), `bonds` (stakes, bonds and pots),
/// `burned`, and `minted` (what the development faucet created, counted up: every other balance
/// sums to it).
enum L1Ledger {
    enum Account: Hashable, CustomStringConvertible {
        case user(Address)
        case escrow, bonds, burned, minted

        var key: Data {
            switch self {
            case .user(let address): Data(address.bytes)
            case .escrow: Data("escrow".utf8)
            case .bonds: Data("bonds".utf8)
            case .burned: Data("burned".utf8)
            case .minted: Data("minted".utf8)
            }
        }

        var description: String {
            switch self {
            case .user(let address): "\(address)"
            case .escrow: "escrow"
            case .bonds: "bonds"
            case .burned: "burned"
            case .minted: "minted"
            }
        }
    }

    static func balance(_ db: Database, _ account: Account) throws -> UInt128 {
        guard let bytes = try Data.fetchOne(db, sql: "SELECT balance FROM ledger WHERE account = ?", arguments: [account.key]) else { return 0 }
        return LocalBridge.amount(fromBigEndian: [UInt8](bytes))
    }

    private static func setBalance(_ db: Database, _ account: Account, _ amount: UInt128) throws {
        try db.execute(sql: """
            INSERT INTO ledger (account, balance) VALUES (?, ?)
            ON CONFLICT (account) DO UPDATE SET balance = excluded.balance
            """, arguments: [account.key, Data(LocalBridge.bigEndian(amount))])
    }

    /// Moves `amount` from one account to another; refused if `from` holds less.
    static func move(_ db: Database, _ amount: UInt128, from: Account, to: Account, for purpose: String) throws {
        guard amount > 0 else { return }
        let available = try balance(db, from)
        guard available >= amount else {
            throw PluginError(.rejected, "\(purpose) needs \(amount) wei from \(from), which holds \(available) wei on the L1")
        }
        try setBalance(db, from, available - amount)
        let (total, overflow) = try balance(db, to).addingReportingOverflow(amount)
        guard !overflow else { throw PluginError(.rejected, "\(purpose) would overflow \(to)'s balance") }
        try setBalance(db, to, total)
    }

    /// Creates `amount` in `account` (the development faucet), counted in `minted`.
    static func mint(_ db: Database, _ amount: UInt128, to account: Account) throws {
        let (minted, overflow) = try balance(db, .minted).addingReportingOverflow(amount)
        let (credited, late) = try balance(db, account).addingReportingOverflow(amount)
        guard !overflow, !late else { throw PluginError(.rejected, "minting \(amount) wei would overflow the L1's ledger") }
        try setBalance(db, .minted, minted)
        try setBalance(db, account, credited)
    }

    /// Checks and advances a signed call's nonce: each call of an account is accepted once, in order.
    static func useNonce(_ db: Database, _ account: Address, _ nonce: UInt64) throws {
        let expected = UInt64(bitPattern: try Int64.fetchOne(db, sql: "SELECT nonce FROM ledger WHERE account = ?", arguments: [Data(account.bytes)]) ?? 0)
        guard nonce == expected else {
            throw PluginError(.rejected, "nonce \(nonce) for \(account) on the L1: the next is \(expected) (a replayed or skipped call)")
        }
        try db.execute(sql: """
            INSERT INTO ledger (account, balance, nonce) VALUES (?, ?, 1)
            ON CONFLICT (account) DO UPDATE SET nonce = nonce + 1
            """, arguments: [Data(account.bytes), Data(LocalBridge.bigEndian(0))])
    }

    /// A payment that becomes the account's `airgap` blocks later (`credits.claim` pays it).
    static func credit(_ db: Database, _ amount: UInt128, to account: Address, availableAt block: UInt64, reason: String) throws {
        guard amount > 0 else { return }
        try db.execute(sql: "INSERT INTO credits (account, amount, available_l1_block, reason) VALUES (?, ?, ?, ?)",
                       arguments: [Data(account.bytes), Data(LocalBridge.bigEndian(amount)), block.sql, reason])
    }
}
