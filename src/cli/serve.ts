import { fileURLToPath } from 'node:url'
import { loadConfigFile } from '../config/index.js'
import type { ResolvedConfig } from '../config/index.js'
import { SchemaBuilder, getSchemaRuntime } from '../schema/index.js'
import { createServer } from '../server/index.js'
import type { AutoGenServer } from '../server/index.js'

/** Options of `graphql-auto-gen serve`. */
export interface ServeOptions {
  config?: string
  example?: string
  port?: string
  host?: string
}

/** Bundled examples: config file and how to prepare an empty database for them. */
const EXAMPLES: Record<string, { config: string; prepare: string; defaultQuery: string }> = {
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

/**
 * `serve`: loads the config (or a bundled example, seeding its database when empty), builds the
 * schema and starts the HTTP server; SIGTERM/SIGINT shut it down cleanly.
 */
export async function serve(
  options: ServeOptions,
  log: (line: string) => void = console.log,
): Promise<AutoGenServer> {
  const example = options.example !== undefined ? EXAMPLES[options.example] : undefined
  if (options.example !== undefined && !example) {
    throw new UsageError(
      `Unknown example "${options.example}". Available: ${Object.keys(EXAMPLES).join(', ')}.`,
    )
  }
  const configPath = example ? fileURLToPath(new URL(example.config, import.meta.url)) : options.config
  const schemaConfig = await loadConfigFile(configPath)
  const config = schemaConfig.resolved
  const port = parsePort(options.port ?? process.env['PORT'], config)
  const schema = new SchemaBuilder(schemaConfig).build()
  const { database } = getSchemaRuntime(schema)
  if (example) {
    const prepare = (await import(new URL(example.prepare, import.meta.url).href)) as {
      prepareExample(db: typeof database): Promise<string>
    }
    log(await prepare.prepareExample(database))
  }
  const server = createServer({ schema, ...(example ? { defaultQuery: example.defaultQuery } : {}) })
  const url = await server.listen(port, options.host ?? config.server.host)
  const models = [...getSchemaRuntime(schema).names.models.values()].map((m) => m.typeName)
  log(
    `graphql-auto-gen is serving ${models.length} models (${models.join(', ')}) on ${database.kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'}`,
  )
  log(`  GraphQL + GraphiQL: ${url}`)
  log(
    `  Health: ${url.replace(config.server.graphqlPath, '/health')}   Ready: ${url.replace(config.server.graphqlPath, '/ready')}`,
  )
  const stop = (signal: string): void => {
    log(`Received ${signal}, shutting down…`)
    void server.close().then(() => process.exit(0))
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
  return server
}

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {}

function parsePort(value: string | undefined, config: ResolvedConfig): number {
  if (value === undefined || value === '') return config.server.port
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`Invalid port "${value}": expected an integer from 0 to 65535.`)
  }
  return port
}
