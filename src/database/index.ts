// The database stage's public door: other stages import from here only.
export type {
  Database,
  PoolStats,
  Queryable,
  QueryResult,
  SqlStatement,
  StatementListener,
} from './Database.js'
export { PgDatabase } from './PgDatabase.js'
export type { PgDatabaseOptions } from './PgDatabase.js'
export { PGliteDatabase } from './PGliteDatabase.js'
export type { PGliteDatabaseOptions } from './PGliteDatabase.js'
export { createDatabase } from './createDatabase.js'
export { ReplicatedDatabase, isReadOnly } from './ReplicatedDatabase.js'
export type { ReplicatedDatabaseOptions } from './ReplicatedDatabase.js'
export type { CreateDatabaseOptions } from './createDatabase.js'
export { countStatements } from './countStatements.js'
export { commitOutcomeUnknown, statementMayHaveRun } from './unavailableError.js'
export { INTERNAL_SCHEMA, withInternalSchema } from './internalSchema.js'
export { describeTarget, probeConnection } from './probeConnection.js'
