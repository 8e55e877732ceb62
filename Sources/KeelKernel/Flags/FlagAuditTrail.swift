import GRDB

/// One recorded change to a flag: when, who, what it was, what it became.
public struct FlagAuditRecord: Sendable, Equatable {
    /// What kind of change this was.
    public enum Action: String, Sendable, Equatable, CaseIterable {
        /// The manifest declared the flag, or declared it differently than at the last start.
        case manifest
        /// A consensus flag was scheduled (or moved) to a height.
        case schedule
        /// A rollout flag's share was set.
        case rollout
        /// The kill switch: a rollout flag set to 0, or a pending consensus flag cancelled.
        case kill
    }

    /// The record's position in the trail (1, 2, 3 …): changes are re-applied in this order.
    public let sequence: Int64
    /// When the change was made, in milliseconds since 1970-01-01 UTC.
    public let timeMilliseconds: Int64
    /// Who made it: an operator, an admin token's name, or `manifest`.
    public let actor: String
    /// The flag changed.
    public let flag: String
    /// What kind of change it was.
    public let action: Action
    /// The value before, in `FlagSetting.auditText` form; `nil` when the flag was new.
    public let oldValue: String?
    /// The value after, in `FlagSetting.auditText` form.
    public let newValue: String
    /// Why, when the change says: a guard's verdict (`guard` actor), or an operator's note.
    public let reason: String?

    public init(sequence: Int64, timeMilliseconds: Int64, actor: String, flag: String,
                action: Action, oldValue: String?, newValue: String, reason: String? = nil) {
        self.reason = reason
        self.sequence = sequence
        self.timeMilliseconds = timeMilliseconds
        self.actor = actor
        self.flag = flag
        self.action = action
        self.oldValue = oldValue
        self.newValue = newValue
    }
}

/// The audit trail in SQLite: an append-only table, one transaction per change.
struct FlagAuditTrail: Sendable {
    static let table = "keel_flag_audit"

    let database: any DatabaseWriter
    /// Where the trail lives, for error messages.
    let location: String

    init(database: any DatabaseWriter) throws(FlagError) {
        self.database = database
        self.location = database.path
        do {
            try database.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS \(Self.table) (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        time_ms INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        flag TEXT NOT NULL,
                        action TEXT NOT NULL,
                        old_value TEXT,
                        new_value TEXT NOT NULL,
                        reason TEXT
                    )
                    """)
                // A trail written before reasons were kept gains the column.
                let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(Self.table))").map { $0["name"] as String }
                if !columns.contains("reason") {
                    try db.execute(sql: "ALTER TABLE \(Self.table) ADD COLUMN reason TEXT")
                }
            }
        } catch {
            throw FlagError(code: .storage, flag: nil, message:
                "could not create the flag audit trail in \(location): \(error); check that the data directory is writable")
        }
    }

    /// Appends the records in one transaction and returns them numbered; nothing is kept if it throws.
    func append(_ entries: [Entry]) throws(FlagError) -> [FlagAuditRecord] {
        do {
            return try database.write { db in
                try entries.map { entry in
                    try db.execute(sql: """
                        INSERT INTO \(Self.table) (time_ms, actor, flag, action, old_value, new_value, reason)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [entry.timeMilliseconds, entry.actor, entry.flag,
                                         entry.action.rawValue, entry.oldValue, entry.newValue, entry.reason])
                    return FlagAuditRecord(sequence: db.lastInsertedRowID, timeMilliseconds: entry.timeMilliseconds,
                                           actor: entry.actor, flag: entry.flag, action: entry.action,
                                           oldValue: entry.oldValue, newValue: entry.newValue, reason: entry.reason)
                }
            }
        } catch {
            let flags = entries.map { "`\($0.flag)`" }.joined(separator: ", ")
            throw FlagError(code: .storage, flag: entries.first?.flag, message:
                "could not record the change to flag \(flags) in \(location): \(error); the flag was not changed, retry once the database is writable")
        }
    }

    /// Every record, oldest first.
    func records() throws(FlagError) -> [FlagAuditRecord] {
        do {
            return try database.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM \(Self.table) ORDER BY sequence").map { row in
                    let actionText = try row.decode(String.self, forColumn: "action")
                    let sequence = try row.decode(Int64.self, forColumn: "sequence")
                    guard let action = FlagAuditRecord.Action(rawValue: actionText) else {
                        throw FlagError(code: .storage, flag: nil, message:
                            "record \(sequence) of the flag audit trail in \(location) has the unknown action `\(actionText)`; was it written by a newer Keel?")
                    }
                    return FlagAuditRecord(
                        sequence: sequence,
                        timeMilliseconds: try row.decode(Int64.self, forColumn: "time_ms"),
                        actor: try row.decode(String.self, forColumn: "actor"),
                        flag: try row.decode(String.self, forColumn: "flag"),
                        action: action,
                        oldValue: try row.decode(String?.self, forColumn: "old_value"),
                        newValue: try row.decode(String.self, forColumn: "new_value"),
                        reason: try row.decode(String?.self, forColumn: "reason"))
                }
            }
        } catch let error as FlagError {
            throw error
        } catch {
            throw FlagError(code: .storage, flag: nil, message:
                "could not read the flag audit trail in \(location): \(error); check the file is a Keel data directory's database")
        }
    }

    /// A change about to be recorded.
    struct Entry: Sendable {
        var timeMilliseconds: Int64
        var actor: String
        var flag: String
        var action: FlagAuditRecord.Action
        var oldValue: String?
        var newValue: String
        var reason: String? = nil
    }
}
