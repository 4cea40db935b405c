import type { RowAccess, SqlParams } from '../compile/index.js'
import type { PasswordHasher } from '../config/index.js'
import type { Database, Queryable } from '../database/index.js'
import type { SchemaNames } from '../naming/index.js'
import type { Model } from '../models/index.js'
import type { MutationHooks, MutationOperation } from '../plugins/index.js'

/** What every mutation of a schema obeys: names, hooks, limits, soft delete and hashing. */
export interface MutationSettings {
  names: SchemaNames
  /** Plugins whose `beforeMutation` / `afterMutation` hooks run inside each transaction (they force one). */
  plugins: readonly MutationHooks[]
  /** `mutations.softDelete`: delete sets the model's soft-delete timestamp where it has one. */
  softDelete: boolean
  /** `mutations.maxBulkSize`: most inputs per bulk create. */
  maxBulkSize: number
  /** `mutations.allowHardDelete`: `hard: true` may purge soft-delete models. */
  allowHardDelete: boolean
  /** Hashes write-only password fields (scrypt by default). */
  passwordHasher: PasswordHasher
  /** How bulk filters compile (the query settings). */
  filter: { filtering?: 'advanced' | 'basic'; maxFilterDepth?: number; guardRegex?: boolean }
  /**
   * Runs once the write COMMITTED (its one statement returned, or its transaction committed), with
   * every row change it made (subscriptions publish them); never after a failure or rollback. Its
   * failures are logged, never reported to the caller.
   */
  afterCommit?: (changes: readonly CommittedChange[]) => Promise<void>
}

/** Rows one mutation changed, reported after commit. */
export interface CommittedChange {
  model: Model
  operation: MutationOperation
  /** Primary keys (as text), one per row. */
  pks: string[]
  /** Deletes: the rows as they were last (RETURNING *), keyed by column name, in `pks` order. */
  rows?: Array<Record<string, unknown>>
}

/** One mutation call: the database to write through and the GraphQL context hooks receive. */
export interface MutationCall {
  database: Database
  context: unknown
  /**
   * The caller's row policies and guarded fields: targets outside the policy are NOT_FOUND, and
   * rows written must satisfy it (else FORBIDDEN, rolled back).
   */
  access?: RowAccess
  /** Object permission checks of the targeted rows (update, delete, restore), inside the transaction. */
  checkRows?: (tx: Queryable, pks: readonly string[]) => Promise<void>
}

/** One entry of a payload's `errors`. */
export interface MutationFieldError {
  /** The GraphQL input field (or argument: `id`, `inputs`, `filter`) concerned; null for the whole input. */
  field: string | null
  message: string
  /** A code from the catalogue (REQUIRED, TOO_LONG, UNIQUE, …) or one a hook chose. */
  code: string
  /** Bulk calls: index of the input concerned (null when not tied to one input). */
  index?: number | null
}

/** What a mutation reports; the schema shapes it into a payload. */
export interface MutationResult {
  success: boolean
  errors: MutationFieldError[]
  /** Primary keys (as text) of the rows written, in input order for creates. */
  pks: string[]
  /** Rows affected. */
  count: number
}

/**
 * Reads the written row back for the payload; the schema passes one that compiles the client's
 * selection (see PayloadRead) to ONE statement, or to expressions inside the write's statement.
 */
export interface ReadBack {
  /** Reads the row with key text `pk` in its own statement on `tx`, inside the transaction (so it sees the write). */
  read(tx: Queryable, pk: string): Promise<void>
  /**
   * The payload as select-list expressions over `alias`, a row of the write's `RETURNING *`, with
   * values bound into `params` (after the write's): for a write that is one statement.
   */
  inline(params: SqlParams, alias: string): InlineRead
}

/** A payload read compiled into the write's statement. */
export interface InlineRead {
  /** JSON expressions over the written row, one per payload response key. */
  columns: string[]
  /** Takes the columns' JSON texts (NULL: no visible row), in `columns` order. */
  take(texts: ReadonlyArray<string | null>): void
}
