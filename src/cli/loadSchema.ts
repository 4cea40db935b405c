import { fileURLToPath } from 'node:url'
import type { GraphQLSchema } from 'graphql'
import { importUserModule } from '../config/index.js'
import { loadConfigFile } from '../schema/index.js'
import type { ResolvedConfig, SchemaConfig } from '../schema/index.js'
import { createDatabase } from '../database/index.js'
import type { Database } from '../database/index.js'
import { SchemaBuilder } from '../schema/index.js'
import { suggestion } from '../didYouMean.js'
import { UsageError } from './UsageError.js'

/** The options every command that needs the project's schema accepts. */
export interface SchemaSourceOptions {
  /** Config file; default: graphql-auto-gen.config.ts (or .mts/.js/.mjs) in the working directory. */
  config?: string
  /** A bundled example instead of a config file. */
  example?: string
}

/** A bundled example: its config file, how to prepare an empty database, GraphiQL's first query. */
export interface BundledExample {
  config: string
  prepare: string
  defaultQuery: string
}

/**
 * Bundled examples, by the name `--example` takes (paths relative to this file: src/cli in a
 * checkout, dist/cli in the installed package, both beside examples/). They ship as TypeScript
 * and load through jiti like a user's config, importing the running library as `graphql-auto-gen`.
 */
export const EXAMPLES: Record<string, BundledExample> = {
  shop: {
    config: '../../examples/shop/graphql-auto-gen.config.ts',
    prepare: '../../examples/shop/prepare.ts',
    defaultQuery: `# The shop example: users, profiles, orders, products, tags.
query FirstUsers {
  users(first: 5) {
    totalCount
    edges {
      node {
        username
        profile { firstName lastName }
        orders(first: 3) {
          nodes { status total items { nodes { quantity product { name price } } } }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`,
  },
}

/** Loads and validates the config named by `--config`/`--example` (or found in the working directory). */
export async function loadSchemaConfig(
  options: SchemaSourceOptions,
): Promise<{ schemaConfig: SchemaConfig; example?: BundledExample }> {
  const example = options.example !== undefined ? EXAMPLES[options.example] : undefined
  if (options.example !== undefined && !example) {
    throw new UsageError(
      `Unknown example "${options.example}". Available: ${Object.keys(EXAMPLES).join(', ')}.${suggestion(options.example, Object.keys(EXAMPLES))}`,
    )
  }
  const configPath = example ? examplePath(example.config) : options.config
  const schemaConfig = await loadConfigFile(configPath, process.cwd(), await libraryModules())
  return { schemaConfig, ...(example ? { example } : {}) }
}

/** Creates and seeds an empty database for a bundled example; returns a line for the console. */
export async function prepareExample(example: BundledExample, database: Database): Promise<string> {
  const prepare = (await importUserModule(examplePath(example.prepare), await libraryModules())) as {
    prepareExample(db: Database): Promise<string>
  }
  return prepare.prepareExample(database)
}

/**
 * What a config's `import … from 'graphql-auto-gen'` receives: this running copy of the library.
 * Imported on first use: it is the whole library (server and graphql-yoga included), which a
 * command that reads no config (`schema check` of two files) must not load.
 */
export async function libraryModules(): Promise<Record<string, unknown>> {
  return { 'graphql-auto-gen': await import('../index.js') }
}

function examplePath(relative: string): string {
  return fileURLToPath(new URL(relative, import.meta.url))
}

/** Loads the config and builds its schema (the database it binds connects on first use). */
export async function loadSchema(
  options: SchemaSourceOptions,
): Promise<{ schema: GraphQLSchema; schemaConfig: SchemaConfig; example?: BundledExample }> {
  const loaded = await loadSchemaConfig(options)
  return { ...loaded, schema: await new SchemaBuilder(loaded.schemaConfig).buildAsync() }
}

/** Opens the database a config names, as the schema builder would (for registry commands). */
export function openDatabase(config: ResolvedConfig): Database {
  return createDatabase({
    ...(config.database.url !== undefined ? { url: config.database.url } : {}),
    ...(config.database.dataDir !== undefined ? { dataDir: config.database.dataDir } : {}),
    max: config.database.poolSize,
    statementTimeoutMs: config.database.statementTimeoutMs,
    acquireTimeoutMs: config.database.acquireTimeoutMs,
  })
}
