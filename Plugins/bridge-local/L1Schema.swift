import GRDB

/// The embedded L1's schema, one migration per change, in the order they were made. Never edit a
/// migration that has shipped: add a new one. Files written before migrations existed hold the
/// tables of `v1` and `v2` already (created if missing), so those two are written to be idempotent.
enum L1Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-batches-attestations-deposits-claims") { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS chain (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    chain_id INTEGER NOT NULL,
                    genesis_unix_ms INTEGER NOT NULL,
                    block_time_ms INTEGER NOT NULL,
                    advanced_blocks INTEGER NOT NULL DEFAULT 0,
                    finality TEXT NOT NULL,
                    threshold INTEGER NOT NULL,
                    genesis_root BLOB
                );
                CREATE TABLE IF NOT EXISTS committee (
                    position INTEGER PRIMARY KEY,
                    address BLOB NOT NULL UNIQUE
                );
                CREATE TABLE IF NOT EXISTS batches (
                    idx INTEGER PRIMARY KEY,
                    first_block INTEGER NOT NULL,
                    last_block INTEGER NOT NULL,
                    previous_root BLOB NOT NULL,
                    root BLOB NOT NULL,
                    withdrawals_root BLOB NOT NULL,
                    da_commitment BLOB NOT NULL,
                    l1_block INTEGER NOT NULL,
                    attested_l1_block INTEGER
                );
                CREATE TABLE IF NOT EXISTS attestations (
                    batch_idx INTEGER NOT NULL,
                    signer BLOB NOT NULL,
                    signature BLOB NOT NULL,
                    l1_block INTEGER NOT NULL,
                    PRIMARY KEY (batch_idx, signer)
                ) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS deposits (
                    idx INTEGER PRIMARY KEY,
                    l1_block INTEGER NOT NULL,
                    sender BLOB NOT NULL,
                    recipient BLOB NOT NULL,
                    amount BLOB NOT NULL
                );
                CREATE TABLE IF NOT EXISTS claims (
                    message_hash BLOB PRIMARY KEY,
                    batch_idx INTEGER NOT NULL,
                    leaf_index INTEGER NOT NULL,
                    l1_block INTEGER NOT NULL,
                    message BLOB NOT NULL,
                    recipient BLOB,
                    amount BLOB
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-change-log") { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS changes (
                    idx INTEGER PRIMARY KEY,
                    l1_block INTEGER NOT NULL,
                    body BLOB NOT NULL
                );
                """)
        }
        migrator.registerMigration("v3-ledger-fault-proofs") { db in
            try db.execute(sql: """
                CREATE TABLE parameters (
                    name TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE finality_rules (
                    from_batch INTEGER PRIMARY KEY,
                    rule TEXT NOT NULL
                );
                INSERT INTO finality_rules (from_batch, rule) SELECT 0, finality FROM chain WHERE id = 1;
                CREATE TABLE ledger (
                    account BLOB PRIMARY KEY,
                    balance BLOB NOT NULL,
                    nonce INTEGER NOT NULL DEFAULT 0
                ) WITHOUT ROWID;
                CREATE TABLE stakes (
                    proposer BLOB PRIMARY KEY,
                    amount BLOB NOT NULL,
                    l1_block INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE credits (
                    id INTEGER PRIMARY KEY,
                    account BLOB NOT NULL,
                    amount BLOB NOT NULL,
                    available_l1_block INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    paid INTEGER NOT NULL DEFAULT 0
                );
                ALTER TABLE batches ADD COLUMN proposer BLOB;
                ALTER TABLE batches ADD COLUMN trace_commitment BLOB;
                ALTER TABLE batches ADD COLUMN step_count INTEGER;
                ALTER TABLE batches ADD COLUMN deposit_count INTEGER;
                ALTER TABLE batches ADD COLUMN end_leaf BLOB;
                ALTER TABLE batches ADD COLUMN rejected_l1_block INTEGER;
                ALTER TABLE batches ADD COLUMN pot BLOB;
                CREATE TABLE games (
                    id INTEGER PRIMARY KEY,
                    batch_idx INTEGER NOT NULL,
                    challenger BLOB NOT NULL,
                    bond BLOB NOT NULL,
                    commitment BLOB NOT NULL,
                    opened_l1_block INTEGER NOT NULL,
                    lo INTEGER NOT NULL,
                    hi INTEGER NOT NULL,
                    lo_leaf BLOB NOT NULL,
                    proposer_hi_leaf BLOB NOT NULL,
                    challenger_hi_leaf BLOB NOT NULL,
                    round_l1_block INTEGER NOT NULL,
                    proposer_left INTEGER NOT NULL,
                    challenger_left INTEGER NOT NULL,
                    proposer_mid BLOB,
                    proposer_moved_l1_block INTEGER,
                    challenger_mid BLOB,
                    challenger_moved_l1_block INTEGER,
                    moves INTEGER NOT NULL DEFAULT 0,
                    step_leaf BLOB,
                    outcome TEXT,
                    resolved_l1_block INTEGER
                );
                CREATE INDEX games_by_batch ON games (batch_idx);
                """)
        }
        migrator.registerMigration("v4-escape-hatch") { db in
            try db.execute(sql: """
                CREATE TABLE exits (
                    account BLOB PRIMARY KEY,
                    amount BLOB NOT NULL,
                    l1_block INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE deposit_refunds (
                    idx INTEGER PRIMARY KEY,
                    l1_block INTEGER NOT NULL
                );
                """)
        }
        return migrator
    }
}
