/// The node's own tables, kept in the state store's SQLite file (`node.sqlite`) so that a block
/// commits atomically with its state (docs/NODE.md). Integers are SQLite INTEGERs holding the 64-bit
/// pattern; 128-bit amounts are 16 bytes big-endian.
enum ChainSchema {
    /// `PRAGMA`-free statements, run at every open.
    static let statements = [
        """
        CREATE TABLE IF NOT EXISTS chain_block (
            number INTEGER PRIMARY KEY,
            hash BLOB NOT NULL UNIQUE,
            header BLOB NOT NULL,
            size INTEGER NOT NULL,
            tx_count INTEGER NOT NULL,
            next_base_fee BLOB NOT NULL,
            next_deposit INTEGER NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS chain_tx (
            hash BLOB PRIMARY KEY,
            block INTEGER NOT NULL,
            position INTEGER NOT NULL,
            raw BLOB NOT NULL,
            sender BLOB NOT NULL,
            succeeded INTEGER NOT NULL,
            gas_used INTEGER NOT NULL,
            cumulative_gas INTEGER NOT NULL,
            gas_price BLOB NOT NULL,
            message BLOB
        ) WITHOUT ROWID
        """,
        "CREATE INDEX IF NOT EXISTS chain_tx_by_block ON chain_tx (block, position)",
        """
        CREATE TABLE IF NOT EXISTS chain_batch (
            idx INTEGER PRIMARY KEY,
            first_block INTEGER NOT NULL,
            last_block INTEGER NOT NULL,
            codec INTEGER NOT NULL,
            blob BLOB NOT NULL,
            previous_root BLOB NOT NULL,
            root BLOB NOT NULL,
            withdrawals_root BLOB NOT NULL,
            commitment BLOB,
            stage INTEGER NOT NULL,
            provider TEXT
        )
        """,
        "CREATE TABLE IF NOT EXISTS chain_meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)",
    ]
}
