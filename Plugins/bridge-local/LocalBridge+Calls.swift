import Foundation
import GRDB
import KeelPluginKit

/// Settlement calls (`keel_bridge_table.call`, ABI 1.2): the entry points of the contracts this L1
/// stands for beyond the fixed functions (docs/FAULT_PROOFS.md, "Settlement calls").
extension LocalBridge {
    static let answersCalls = true

    func call(_ request: [UInt8]) throws(PluginError) -> [UInt8] {
        let body = try CallBody(request: request, chainID: genesis.chainID)
        let response: [String: Any]
        switch body.method {
        case "ledger.balance": response = try ledgerBalance(body)
        case "ledger.totals": response = try ledgerTotals()
        case "ledger.fund": response = try ledgerFund(body)
        case "escrow.genesis": response = try escrowGenesis(body)
        case "credits.claim": response = try claimCredits(body)
        case "stake.deposit": response = try depositStake(body)
        case "stake.withdraw": response = try withdrawStake(body)
        case "fault.parameters": response = try faultParameterList()
        case "batch.post": response = try postBatch(body)
        case "batch.status": response = try batchStatus(body)
        case "game.open": response = try openGame(body)
        case "game.reveal": response = try reveal(body)
        case "game.step": response = try step(body)
        case "game.resolve": response = try resolveGame(body)
        case "game.list": response = try listGames(body)
        case "forced.request": response = try requestForcedWithdrawal(body)
        case "escape.status": response = try escapeStatus()
        case "escape.trigger": response = try triggerEscape()
        case "escape.exit": response = try exit(body)
        case "escape.refund": response = try refund(body)
        case "game.show": response = try showGame(body)
        default:
            throw PluginError(.unsupported, "the local L1 has no settlement call `\(body.method)`; docs/FAULT_PROOFS.md lists them")
        }
        return try CallResponse.encode(response)
    }

    /// Runs a signed call's write: checks and uses the caller's nonce in the same transaction.
    func signedWrite<T>(_ body: CallBody, _ action: String, _ work: (Database, Address) throws -> T) throws(PluginError) -> T {
        let caller = try body.signer()
        let nonce = try body.uint64("nonce")
        return try database.write(action) { db in
            try L1Ledger.useNonce(db, caller, nonce)
            return try work(db, caller)
        }
    }

    private func faultParameterList() throws(PluginError) -> [String: Any] {
        let parameters = try faultParameters()
        return ["challenge_window": parameters.challengeWindow, "clock": parameters.clock, "clock_extension": parameters.clockExtension,
                "airgap": parameters.airgap, "proposer_stake": "\(parameters.proposerStake)", "challenger_bond": "\(parameters.challengerBond)"]
    }

    private func ledgerBalance(_ body: CallBody) throws(PluginError) -> [String: Any] {
        let account = try body.address("account")
        return try database.read("read a balance") { db in
            let nonce = try Int64.fetchOne(db, sql: "SELECT nonce FROM ledger WHERE account = ?", arguments: [Data(account.bytes)]) ?? 0
            let pending = try Data.fetchAll(db, sql: "SELECT amount FROM credits WHERE account = ? AND paid = 0", arguments: [Data(account.bytes)])
                .reduce(UInt128(0)) { $0 + Self.amount(fromBigEndian: [UInt8]($1)) }
            let stake = try Data.fetchOne(db, sql: "SELECT amount FROM stakes WHERE proposer = ?", arguments: [Data(account.bytes)])
            return ["balance": "\(try L1Ledger.balance(db, .user(account)))", "nonce": nonce, "credits": "\(pending)",
                    "stake": "\(stake.map { Self.amount(fromBigEndian: [UInt8]($0)) } ?? 0)"]
        }
    }

    /// The pools, for solvency checks: escrow, bonds (stakes, bonds, pots and unpaid credits), burned, minted.
    private func ledgerTotals() throws(PluginError) -> [String: Any] {
        try database.read("read the ledger's totals") { db in
            var totals: [String: Any] = [:]
            for account in [L1Ledger.Account.escrow, .bonds, .burned, .minted] {
                totals[account.description] = "\(try L1Ledger.balance(db, account))"
            }
            let users = try Data.fetchAll(db, sql: "SELECT balance FROM ledger WHERE length(account) = 20")
                .reduce(UInt128(0)) { $0 + Self.amount(fromBigEndian: [UInt8]($1)) }
            totals["users"] = "\(users)"
            return totals
        }
    }

    /// The development faucet: mints L1 money into an account.
    private func ledgerFund(_ body: CallBody) throws(PluginError) -> [String: Any] {
        let account = try body.address("account"), amount = try body.amount("amount")
        let balance = try database.write("fund \(account) on the L1") { db -> UInt128 in
            try L1Ledger.mint(db, amount, to: .user(account))
            return try L1Ledger.balance(db, .user(account))
        }
        return ["balance": "\(balance)"]
    }

    /// Backs the L2's genesis supply in escrow, once (a real rollup's genesis is funded by a deposit).
    private func escrowGenesis(_ body: CallBody) throws(PluginError) -> [String: Any] {
        let amount = try body.amount("amount")
        return try database.write("back the L2 genesis in escrow") { db -> [String: Any] in
            if let registered = try String.fetchOne(db, sql: "SELECT value FROM parameters WHERE name = 'escrow.genesis'") {
                guard registered == "\(amount)" else {
                    throw PluginError(.rejected, "this L1 backs an L2 genesis of \(registered) wei, not \(amount): another chain's genesis, or a changed manifest")
                }
                return ["escrow": registered, "new": false]
            }
            try L1Ledger.mint(db, amount, to: .escrow)
            try db.execute(sql: "INSERT INTO parameters (name, value) VALUES ('escrow.genesis', ?)", arguments: ["\(amount)"])
            return ["escrow": "\(amount)", "new": true]
        }
    }

    /// Pays an account every credit whose airgap has passed.
    private func claimCredits(_ body: CallBody) throws(PluginError) -> [String: Any] {
        let account = try body.address("account")
        let paid = try database.write("pay credits to \(account)") { db -> UInt128 in
            let head = try headNumber(db)
            let due = try Row.fetchAll(db, sql: "SELECT id, amount FROM credits WHERE account = ? AND paid = 0 AND available_l1_block <= ?",
                                       arguments: [Data(account.bytes), head.sql])
            var total: UInt128 = 0
            for row in due {
                let amount = Self.amount(fromBigEndian: [UInt8](row["amount"] as Data))
                try L1Ledger.move(db, amount, from: .bonds, to: .user(account), for: "credit \(row["id"] as Int64)")
                try db.execute(sql: "UPDATE credits SET paid = 1 WHERE id = ?", arguments: [row["id"] as Int64])
                total += amount
            }
            return total
        }
        return ["paid": "\(paid)"]
    }

    private func depositStake(_ body: CallBody) throws(PluginError) -> [String: Any] {
        let amount = try body.amount("amount")
        let stake = try signedWrite(body, "stake as a proposer") { db, caller -> UInt128 in
            try L1Ledger.move(db, amount, from: .user(caller), to: .bonds, for: "the stake of \(caller)")
            let old = try Data.fetchOne(db, sql: "SELECT amount FROM stakes WHERE proposer = ?", arguments: [Data(caller.bytes)])
                .map { Self.amount(fromBigEndian: [UInt8]($0)) } ?? 0
            try db.execute(sql: "INSERT OR REPLACE INTO stakes (proposer, amount, l1_block) VALUES (?, ?, ?)",
                           arguments: [Data(caller.bytes), Data(Self.bigEndian(old + amount)), try headNumber(db).sql])
            return old + amount
        }
        return ["stake": "\(stake)"]
    }

    private func withdrawStake(_ body: CallBody) throws(PluginError) -> [String: Any] {
        let returned = try signedWrite(body, "withdraw a stake") { db, caller -> UInt128 in
            guard let bytes = try Data.fetchOne(db, sql: "SELECT amount FROM stakes WHERE proposer = ?", arguments: [Data(caller.bytes)]) else {
                throw PluginError(.notFound, "\(caller) has no stake on this L1")
            }
            let settled = try Self.frozen(db) != nil ? UInt64.max >> 1 : try finalCount(db)
            if let open = try Int64.fetchOne(db, sql: "SELECT MIN(idx) FROM batches WHERE proposer = ? AND rejected_l1_block IS NULL AND idx >= ?",
                                             arguments: [Data(caller.bytes), settled.sql]) {
                throw PluginError(.rejected, "\(caller)'s stake backs batch \(open), which is not final yet; withdraw once its batches are final")
            }
            let amount = Self.amount(fromBigEndian: [UInt8](bytes))
            try L1Ledger.move(db, amount, from: .bonds, to: .user(caller), for: "returning the stake of \(caller)")
            try db.execute(sql: "DELETE FROM stakes WHERE proposer = ?", arguments: [Data(caller.bytes)])
            return amount
        }
        return ["returned": "\(returned)"]
    }
}
