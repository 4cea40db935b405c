import type { GraphQLSchema } from 'graphql'
import type { SchemaNames } from '../naming/index.js'
import type { SelectionContext } from './collectFields.js'
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
}

/** State shared while compiling one root field into one statement. */
export interface CompileContext extends SelectionContext {
  schema: GraphQLSchema
  names: SchemaNames
  options: CompileOptions
  params: SqlParams
  /** Hands out unique table aliases within the statement. */
  nextAlias(prefix: string): string
}
