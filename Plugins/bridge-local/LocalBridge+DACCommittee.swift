import Foundation
import GRDB
import KeelPluginKit

/// The data availability committee the L1 checks `dac` certificates against
/// (docs/plugins/local-bridge.md, "Data availability certificates"): the members' addresses **in
/// the order the certificate's bitmap uses** and how many must sign.
struct DACommittee: Sendable, Equatable {
    let members: [Address]
    let threshold: Int

    /// Reads the bridge's optional `dac: { members: [0x…], threshold: k }`; nil when absent.
    init?(optionalIn config: PluginConfig) throws(PluginError) {
        guard let value = config.values["dac"], value != .null else { return nil }
        let object = try config.object("dac")
        try object.allowKeys(["members", "threshold"])
        var members: [Address] = []
        for (path, item) in try object.list("members") {
            guard case .string(let text) = item, let address = Address(hex: text) else {
                throw PluginError.config(path, "a DAC member is an address string: 0x and 40 hex digits (mixed case must carry a valid EIP-55 checksum)")
            }
            guard !members.contains(address) else {
                throw PluginError.config(path, "\(address) is listed twice; each DAC member counts once, remove the repeat")
            }
            members.append(address)
        }
        guard !members.isEmpty else {
            throw PluginError.config(object.path(of: "members"), "missing `members`: list the DAC members' addresses in the order of the dac plugin's `members`")
        }
        let threshold = try object.uint64("threshold")
        guard threshold >= 1, threshold <= UInt64(members.count) else {
            throw PluginError.config(object.path(of: "threshold"), "`threshold` must be from 1 to the number of DAC members (\(members.count)), not \(threshold)")
        }
        self.init(members: members, threshold: Int(threshold))
    }

    init(members: [Address], threshold: Int) {
        self.members = members
        self.threshold = threshold
    }

    var summary: String { "\(threshold) of \(members.count) (\(members.map(\.description).joined(separator: ", ")))" }
}

extension LocalBridge {
    /// Registers the config's DAC on an L1 that has none and no batch yet, or checks it against
    /// the registered one; as with the attestors, the first process to name it registers it and
    /// later processes may leave `dac` out or must repeat it exactly.
    func registerDACommittee(_ proposed: DACommittee?) throws(PluginError) {
        let file = database.path
        try database.write("register the data availability committee") { db in
            try Self.createDACTables(db)
            let registered = try Self.registeredDAC(db)
            switch (registered, proposed) {
            case (let registered?, let proposed?) where registered != proposed:
                throw PluginError.config("dac", "\(file) registered the DAC \(registered.summary); this config names another (members and order must match): "
                                         + "remove `dac` to use the registered one, or start a new l1_db")
            case (nil, let proposed?):
                let batches = try Self.batchCount(db)
                guard batches == 0 else {
                    throw PluginError.config("dac", "\(file) has recorded \(batches) batches without a DAC; a DAC is registered before the first batch, "
                                             + "as a contract's committee is fixed when it is deployed: start a new l1_db")
                }
                try db.execute(sql: "INSERT INTO dac (id, threshold) VALUES (1, ?)", arguments: [proposed.threshold])
                for (position, member) in proposed.members.enumerated() {
                    try db.execute(sql: "INSERT INTO dac_members (position, address) VALUES (?, ?)", arguments: [position, Data(member.bytes)])
                }
            default:
                break
            }
        }
    }

    /// The registered DAC, or nil when the L1 has none.
    static func registeredDAC(_ db: Database) throws -> DACommittee? {
        guard try db.tableExists("dac"), let threshold = try Int.fetchOne(db, sql: "SELECT threshold FROM dac WHERE id = 1") else { return nil }
        let members = try Data.fetchAll(db, sql: "SELECT address FROM dac_members ORDER BY position").compactMap { Address(bytes: $0) }
        return DACommittee(members: members, threshold: threshold)
    }

    /// The DAC's tables, beside schema 1's (an L1 file made before them simply has no DAC).
    private static func createDACTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS dac (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                threshold INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS dac_members (
                position INTEGER PRIMARY KEY,
                address BLOB NOT NULL UNIQUE
            );
            """)
    }
}
