import type { ModelInput, NamedModelInput } from '../models/index.js'
import type { Inflection } from '../naming/index.js'
import type { Plugin } from '../plugins/index.js'

/** The configuration file's shape (v3, camelCase). Every key is optional but `models`. */
export interface UserConfig {
  /** Drizzle tables (or `{ table, ...options }`), keyed by model name, or a list. */
  models: Record<string, ModelInput> | readonly ModelInput[]
  /** Absent `url` → embedded PGlite (in memory, or in `dataDir`). */
  database?: { url?: string; dataDir?: string; poolSize?: number; statementTimeoutMs?: number }
  mutations?: { enabled?: boolean; bulkOperations?: boolean; softDelete?: boolean }
  queries?: {
    pagination?: 'relay' | 'legacy'
    filtering?: 'advanced' | 'basic'
    ordering?: boolean
    queryOptimization?: boolean
    defaultPageSize?: number
    maxPageSize?: number
    /** Deepest nesting of `and`/`or`/`not` and relation filters accepted (default 10). */
    maxFilterDepth?: number
  }
  security?: { authenticationRequired?: boolean; permissionClasses?: string[]; rateLimiting?: boolean }
  performance?: {
    enableQueryAnalysis?: boolean
    maxQueryComplexity?: number
    enableAutomaticOptimization?: boolean
  }
  subscriptions?: { enabled?: boolean; transport?: 'websocket'; authenticationRequired?: boolean }
  plugins?: Plugin[]
  /** Replaces naming rules; see `Inflection`. */
  naming?: Partial<Inflection>
  server?: { port?: number; host?: string; graphqlPath?: string; graphiql?: boolean }
}

/** The programmatic shortcut of the design source: `new SchemaConfig({ models: [...], enableMutations })`. */
export interface ProgrammaticConfig extends Omit<UserConfig, 'models'> {
  models: Record<string, ModelInput> | readonly ModelInput[]
  enableMutations?: boolean
  enableSubscriptions?: boolean
}

/** Configuration after validation, with every default filled in. */
export interface ResolvedConfig {
  models: NamedModelInput[]
  database: { url?: string; dataDir?: string; poolSize: number; statementTimeoutMs: number }
  mutations: { enabled: boolean; bulkOperations: boolean; softDelete: boolean }
  queries: {
    pagination: 'relay' | 'legacy'
    filtering: 'advanced' | 'basic'
    ordering: boolean
    queryOptimization: boolean
    defaultPageSize: number
    maxPageSize: number
    maxFilterDepth: number
  }
  security: { authenticationRequired: boolean; permissionClasses: string[]; rateLimiting: boolean }
  performance: {
    enableQueryAnalysis: boolean
    maxQueryComplexity: number
    enableAutomaticOptimization: boolean
  }
  subscriptions: { enabled: boolean; transport: 'websocket'; authenticationRequired: boolean }
  plugins: Plugin[]
  naming: Partial<Inflection>
  server: { port: number; host: string; graphqlPath: string; graphiql: boolean }
}
