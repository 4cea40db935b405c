import type { GraphQLSchema } from 'graphql'
import type { ModelNames, SchemaNames } from '../naming/index.js'
import type { SelectionContext } from './collectFields.js'
import type { VisibilityContext } from './relationSql.js'
import type { SqlParams } from './sql.js'

/** Page-size and pagination settings the compiler obeys. */
export interface CompileOptions {
  /** Rows per page when the client gives neither `first` nor `last`. */
  defaultPageSize: number
  /** Larger `first`/`last`/`limit` values are capped to this. */
  maxPageSize: number
  /** `relay` connections or deprecated `legacy` lists. */
  pagination: 'relay' | 'legacy'
  /** `advanced` operator filters (default) or deprecated `basic` equality filters. */
  filtering?: 'advanced' | 'basic'
  /** Deepest filter nesting accepted (default 10). */
  maxFilterDepth?: number
  /** Refuse `regex`/`iregex` patterns that could run for long (see regexGuard.ts): PGlite has no statement timeout. */
  guardRegex?: boolean
  /**
   * Render enum columns as their GraphQL names (`'pending'` → `"PENDING"`), as the API serializes
   * them: for answers sent as the database wrote them, without graphql-js (see schema/fastRead.ts).
   */
  enumNames?: boolean
}

/**
 * What one caller may see, decided per request by auth/ and obeyed by every read the compiler
 * writes: row conditions per model and the guarded fields this caller may not read.
 */
export interface RowAccess {
  /** Per model name: a filter (filter language) every row must match, or `false` (no row at all). */
  rowFilters?: ReadonlyMap<string, unknown>
  /** `model.fieldKey` of fields rendered NULL and refused (FORBIDDEN) in filter and orderBy. */
  deniedFields?: ReadonlySet<string>
}

/** State shared while compiling one root field into one statement. */
export interface CompileContext extends SelectionContext, VisibilityContext {
  schema: GraphQLSchema
  names: SchemaNames
  options: CompileOptions
  params: SqlParams
  /** Guarded fields this caller may not read (see {@link RowAccess}). */
  deniedFields?: ReadonlySet<string>
  /** Whether the caller's row policy filters rows of a model (see {@link RowAccess}). */
  restricts?(names: ModelNames): boolean
  /** Hands out unique table aliases within the statement. */
  nextAlias(prefix: string): string
}
