/*
 * schema.h - the SQLite schema of the store as ordered migrations, included
 * by sqlite.c only.  Migration i (0-based) takes a database from schema
 * version i to i + 1; each runs in its own transaction together with the
 * update of meta.schema_version, so a failure leaves the previous version
 * intact.  Never edit a migration that has shipped: append a new one.  A
 * PostgreSQL backend keeps its own array with the same version numbers, and
 * version N must mean the same tables and columns in both (docs/store.md).
 * The text holds no values: everything variable is bound at run time.
 */
#ifndef TM_STORE_SCHEMA_H
#define TM_STORE_SCHEMA_H

/* 'TMap': PRAGMA application_id of a trustmap database (and the same in decimal, for the PRAGMA). */
#define STORE_SQLITE_APP_ID 0x544d6170
#define STORE_SQLITE_SET_APP_ID "PRAGMA application_id = 1414357360"

static const char *const store_sqlite_migrations[] = {
	/* 0 -> 1: the first schema. */
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL);"
	"INSERT INTO meta(key, value) VALUES ('schema_version', 0);"

	"CREATE TABLE runs ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  args TEXT NOT NULL DEFAULT '',"
	"  started INTEGER NOT NULL,"
	"  finished INTEGER,"
	"  n_obs INTEGER NOT NULL DEFAULT 0,"
	"  n_skipped INTEGER NOT NULL DEFAULT 0,"
	"  status TEXT NOT NULL DEFAULT 'running');"

	"CREATE TABLE observations ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER REFERENCES runs(id),"
	"  time INTEGER NOT NULL,"
	"  source TEXT NOT NULL,"
	"  addr TEXT NOT NULL,"
	"  scope TEXT NOT NULL,"
	"  mac TEXT NOT NULL,"
	"  ref TEXT NOT NULL,"
	"  site TEXT NOT NULL,"
	"  port INTEGER NOT NULL,"
	"  proto INTEGER NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  probe TEXT NOT NULL,"
	"  value BLOB NOT NULL,"
	"  flags INTEGER NOT NULL);"
	"CREATE INDEX observations_run ON observations(run_id);"

	"CREATE TABLE sites ("
	"  id TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  lat REAL,"
	"  lon REAL,"
	"  operator TEXT NOT NULL,"
	"  region TEXT NOT NULL);"

	"CREATE TABLE assets ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL UNIQUE,"
	"  mac TEXT NOT NULL,"
	"  addr TEXT NOT NULL,"
	"  scope TEXT NOT NULL,"
	"  ref TEXT NOT NULL,"
	"  site TEXT NOT NULL,"
	"  vendor TEXT NOT NULL,"
	"  family TEXT NOT NULL,"
	"  product TEXT NOT NULL,"
	"  model TEXT NOT NULL,"
	"  version TEXT NOT NULL,"
	"  role TEXT NOT NULL,"
	"  conf REAL NOT NULL,"
	"  flags INTEGER NOT NULL,"
	"  declared_vendor TEXT NOT NULL,"
	"  component_vendor TEXT NOT NULL,"
	"  hint_vendor TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  n_obs INTEGER NOT NULL);"
	"CREATE INDEX assets_vendor ON assets(vendor);"
	"CREATE INDEX assets_family ON assets(family);"
	"CREATE INDEX assets_site ON assets(site);"

	"CREATE TABLE evidence ("
	"  id INTEGER PRIMARY KEY,"
	"  asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
	"  obs_id INTEGER REFERENCES observations(id),"
	"  kind TEXT NOT NULL,"
	"  vendor TEXT NOT NULL,"
	"  vendor_raw TEXT NOT NULL,"
	"  product TEXT NOT NULL,"
	"  version TEXT NOT NULL,"
	"  rule TEXT NOT NULL,"
	"  strength INTEGER NOT NULL,"
	"  conf REAL NOT NULL,"
	"  conflict INTEGER NOT NULL);"
	"CREATE INDEX evidence_asset ON evidence(asset_id, strength DESC, conf DESC);"
	"CREATE INDEX evidence_obs ON evidence(obs_id);",

	/* 1 -> 2: topology links (LLDP/CDP neighbours seen by sniff, later inventory). */
	"CREATE TABLE links ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER REFERENCES runs(id),"
	"  a_key TEXT NOT NULL,"
	"  a_port TEXT NOT NULL,"
	"  b_key TEXT NOT NULL,"
	"  b_port TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  UNIQUE (a_key, a_port, b_key, b_port));"
	"CREATE INDEX links_b ON links(b_key);",

	/* 2 -> 3: site tags ("military;border"), for policy zones by tag. */
	"ALTER TABLE sites ADD COLUMN tags TEXT NOT NULL DEFAULT '';",

	/* 3 -> 4: the knowledge each run used ("rules=...; ieee-data=...; ..."), as
	 * `trustmap --version` prints it, so a finding can be traced to its sources. */
	"ALTER TABLE runs ADD COLUMN kb TEXT NOT NULL DEFAULT '';",

	/* 4 -> 5: named, sharded scans (issue #7): the runs of one scan share its
	 * name, each with its shard I of N and its progress in (host, port) pairs,
	 * committed with its observations; tx_done holds the token of every batch
	 * a PostgreSQL client committed, so that a batch whose COMMIT was cut off
	 * by a lost connection is retried only when it did not land. */
	"ALTER TABLE runs ADD COLUMN scan TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE runs ADD COLUMN shard INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE runs ADD COLUMN nshards INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE runs ADD COLUMN pairs_total INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE runs ADD COLUMN pairs_done INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX runs_scan ON runs(scan, shard);"
	"CREATE TABLE tx_done ("
	"  token TEXT PRIMARY KEY,"
	"  at INTEGER NOT NULL);",

	/* 5 -> 6: a scan's resume state (issue #7): its full arguments, seed and
	 * which (host, port) pairs are finished, written in the transaction of
	 * those pairs' observations (text opaque to the store; docs/scan.md). */
	"ALTER TABLE runs ADD COLUMN resume TEXT NOT NULL DEFAULT '';",

	/* 6 -> 7: evidence_obs goes: nothing reads evidence by observation (no
	 * observation is ever deleted), and each rebuild built it anew over
	 * every evidence row.  The foreign keys stay here (a deferred check
	 * costs SQLite little); PostgreSQL's schema drops them (pg_schema.h). */
	"DROP INDEX IF EXISTS evidence_obs;",
};

#define STORE_SQLITE_VERSION ((int)(sizeof(store_sqlite_migrations) / sizeof(store_sqlite_migrations[0])))

#endif
