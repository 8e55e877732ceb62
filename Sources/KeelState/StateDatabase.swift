import KeelCore
import GRDB
import GRDBSQLite

/// The state store's SQL, and thin calls on GRDB's prepared statements for the hot path: binding
/// and reading blobs in place, without building `StatementArguments` or `Data` for every row.
enum StateSQL {
    /// `PRAGMA user_version` of a file in this layout.
    static let layoutVersion = 4

    /// SQLite's page size for a new file. Big pages make a block's appended rows fewer, larger
    /// writes (docs/PERFORMANCE.md); a file made before keeps its own.
    static let pageSize = 16384

    static let schema = [
        """
        CREATE TABLE IF NOT EXISTS state_version (
            version INTEGER PRIMARY KEY,
            root BLOB NOT NULL,
            root_node INTEGER NOT NULL,
            update_count INTEGER NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS state_node (
            id INTEGER PRIMARY KEY,
            data BLOB NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS state_value (
            id INTEGER PRIMARY KEY,
            value BLOB NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS state_stale (
            version INTEGER PRIMARY KEY,
            nodes BLOB NOT NULL,
            value_rows BLOB NOT NULL)
        """,
    ]

    /// A node's row id is one past the largest (`StateStore.nextNodeID`): SQLite picks it, which
    /// takes its append path (no search for the id); `write` checks it is the one expected.
    static let insertNode = "INSERT INTO state_node (data) VALUES (?)"
    static let selectNode = "SELECT data FROM state_node WHERE id = ?"
    static let deleteNodes = "DELETE FROM state_node WHERE id BETWEEN ? AND ?"
    static let insertValue = "INSERT INTO state_value (id, value) VALUES (?, ?)"
    static let selectValue = "SELECT value FROM state_value WHERE id = ?"
    static let deleteValues = "DELETE FROM state_value WHERE id BETWEEN ? AND ?"
    static let insertVersion = "INSERT INTO state_version (version, root, root_node, update_count) VALUES (?, ?, ?, ?)"
    static let selectVersion = "SELECT root, root_node FROM state_version WHERE version = ?"
    static let insertStale = "INSERT INTO state_stale (version, nodes, value_rows) VALUES (?, ?, ?)"
}

extension Statement {
    /// Binds `bytes` to parameter `index` (1-based); the bytes must stay alive until `reset`.
    func bindBlob(_ index: Int32, _ bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress {
            // SQLITE_STATIC (a nil destructor): the statement is stepped before the buffer goes away.
            sqlite3_bind_blob(sqliteStatement, index, base, Int32(bytes.count), nil)
        } else {
            // An empty array has no address, and a nil blob would bind as NULL.
            sqlite3_bind_zeroblob(sqliteStatement, index, 0)
        }
    }

    func bindInt(_ index: Int32, _ value: UInt64) {
        sqlite3_bind_int64(sqliteStatement, index, Int64(bitPattern: value))
    }

    func bindNull(_ index: Int32) {
        sqlite3_bind_null(sqliteStatement, index)
    }

    /// Runs a statement that returns no rows, then resets it.
    func run(_ db: Database) throws {
        defer { sqlite3_reset(sqliteStatement) }
        let code = sqlite3_step(sqliteStatement)
        guard code == SQLITE_DONE else { throw StateStoreError.database(Self.message(db, code: code, sql: sql)) }
    }

    /// Steps to the first row and hands `body` the blob in column `column` (`nil` for NULL), or
    /// returns `nil` when there is no row. The buffer is valid only inside `body`.
    func firstBlob<T>(_ db: Database, column: Int32 = 0, _ body: (UnsafeRawBufferPointer?) throws -> T) throws -> T? {
        defer { sqlite3_reset(sqliteStatement) }
        let code = sqlite3_step(sqliteStatement)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else { throw StateStoreError.database(Self.message(db, code: code, sql: sql)) }
        guard sqlite3_column_type(sqliteStatement, column) != SQLITE_NULL else { return try body(nil) }
        let count = Int(sqlite3_column_bytes(sqliteStatement, column))
        guard let pointer = sqlite3_column_blob(sqliteStatement, column) else {
            return try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    private static func message(_ db: Database, code: Int32, sql: String) -> String {
        let detail = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "no connection"
        return "SQLite error \(code) (\(detail)) running `\(sql)`"
    }
}
