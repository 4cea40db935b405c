// Deprecations: one GraphQLDeprecationWarning per code per process, silent in production unless
// GRAPHQL_AUTO_GEN_DEPRECATIONS says otherwise; every deprecated feature emits its code; and
// docs/deprecations.md lists exactly the catalogue.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { graphql, GraphQLString } from 'graphql'
import type { GraphQLSchema } from 'graphql'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deprecatedOptions } from '../cli/diagnose.js'
import { loadConfigFile, SchemaConfig } from '../schema/index.js'
import type { UserConfig } from '../schema/index.js'
import { PGliteDatabase } from '../database/index.js'
import {
  deprecate,
  DEPRECATION_WARNING_TYPE,
  DEPRECATIONS,
  DEPRECATIONS_ENV,
  resetDeprecations,
} from '../deprecations.js'
import { ConfigError } from '../errors.js'
import { SchemaBuilder } from '../schema/index.js'
import { shopConfig, shopConfigWith } from '../testing/shopFixture.js'
import { addQueryFields } from './index.js'

const ROOT = new URL('../..', import.meta.url).pathname
const database = new PGliteDatabase()
afterAll(() => database.close())

type Warning = Error & { code?: string }
let warnings: Warning[] = []
const listen = (warning: Warning): void => {
  if (warning.name === DEPRECATION_WARNING_TYPE) warnings.push(warning)
}
const saved = { nodeEnv: process.env['NODE_ENV'], setting: process.env[DEPRECATIONS_ENV] }

beforeEach(() => {
  resetDeprecations()
  warnings = []
  process.on('warning', listen)
})
afterEach(() => {
  process.off('warning', listen)
  restore('NODE_ENV', saved.nodeEnv)
  restore(DEPRECATIONS_ENV, saved.setting)
})

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
}

/** Warnings are emitted on the next tick: let them arrive. */
const settled = () => new Promise<void>((resolve) => setImmediate(resolve))

/** The codes of the deprecation warnings seen so far. */
const codes = async () => {
  await settled()
  return warnings.map((w) => w.code)
}

const build = (config: UserConfig) => new SchemaBuilder(config, { database }).build()

describe('deprecate()', () => {
  it('emits a GraphQLDeprecationWarning with the code, once per code per process', async () => {
    deprecate('GAG_BASIC_FILTERING', 'first')
    deprecate('GAG_BASIC_FILTERING', 'second')
    deprecate('GAG_LEGACY_PAGINATION', 'other')
    await settled()
    expect(warnings.map((w) => [w.name, w.code, w.message])).toEqual([
      ['GraphQLDeprecationWarning', 'GAG_BASIC_FILTERING', 'first'],
      ['GraphQLDeprecationWarning', 'GAG_LEGACY_PAGINATION', 'other'],
    ])
  })

  it('is silent when NODE_ENV=production', async () => {
    process.env['NODE_ENV'] = 'production'
    build(shopConfigWith({ filtering: 'basic', pagination: 'legacy' }))
    deprecate('GAG_V2_CONFIG', 'direct call')
    expect(await codes()).toEqual([])
  })

  it('shows them in production when GRAPHQL_AUTO_GEN_DEPRECATIONS=show', async () => {
    process.env['NODE_ENV'] = 'production'
    process.env[DEPRECATIONS_ENV] = 'show'
    build(shopConfigWith({ filtering: 'basic' }))
    expect(await codes()).toEqual(['GAG_BASIC_FILTERING'])
  })

  it('hides them in development when GRAPHQL_AUTO_GEN_DEPRECATIONS=hide', async () => {
    process.env['NODE_ENV'] = 'development'
    process.env[DEPRECATIONS_ENV] = 'hide'
    build(shopConfigWith({ filtering: 'basic' }))
    expect(await codes()).toEqual([])
  })
})

describe('deprecated features emit their code', () => {
  it('basic filtering and legacy pagination', async () => {
    build(shopConfigWith({ filtering: 'basic', pagination: 'legacy' }))
    expect((await codes()).sort()).toEqual(['GAG_BASIC_FILTERING', 'GAG_LEGACY_PAGINATION'])
    expect(warnings.find((w) => w.code === 'GAG_BASIC_FILTERING')!.message).toContain("use 'advanced'")
  })

  it('a v2.1 extension still works through the adapter and says how to move to a plugin', async () => {
    class GreetingExtension {
      processSchema(schema: GraphQLSchema) {
        return addQueryFields(schema, { hello: { type: GraphQLString, resolve: () => 'from v2.1' } })
      }
    }
    const schema = build({ ...shopConfig, plugins: [new GreetingExtension()] })
    expect(await graphql({ schema, source: '{ hello }' })).toEqual({ data: { hello: 'from v2.1' } })
    expect(await codes()).toEqual(['GAG_EXTENSION_ADAPTER'])
    const message = warnings[0]!.message
    expect(message).toContain('plugins.0 ("GreetingExtension") is a v2.1 extension')
    expect(message).toContain("definePlugin({ name: 'GreetingExtension', schema(schema) { … } })")
    expect(message).toContain('extends BasePlugin')
    expect(message).toContain('graphql-auto-gen migrate --from 2.1 --to 3.0')
  })

  it('doctor lists a v2.1 extension as a deprecated option', () => {
    const legacy = { processSchema: (schema: GraphQLSchema) => schema }
    const config = new SchemaConfig({ ...shopConfig, plugins: [{ name: 'fine' }, legacy] }).resolved
    expect(deprecatedOptions(config).map((p) => [p.kind, p.where])).toEqual([
      ['deprecated-option', 'plugins.1'],
    ])
  })

  it('a plain object extension with a name keeps it, and runs in plugin order', async () => {
    const order: string[] = []
    const legacy = {
      name: 'audit',
      processSchema(schema: GraphQLSchema) {
        order.push('audit')
        return schema
      },
    }
    build({
      ...shopConfig,
      plugins: [
        legacy,
        {
          name: 'first',
          before: ['audit'],
          schema(schema) {
            order.push('first')
            return schema
          },
        },
      ],
    })
    expect(order).toEqual(['first', 'audit'])
    expect(await codes()).toEqual(['GAG_EXTENSION_ADAPTER'])
  })

  it('a v2 SCHEMA_CONFIG with snake_case keys is read as v3, with GAG_V2_CONFIG', async () => {
    const v2 = {
      SCHEMA_CONFIG: {
        models: shopConfig.models,
        mutations: { enabled: false, bulk_operations: false },
        queries: { pagination: 'relay', filtering: 'advanced', default_page_size: 7 },
        security: { permission_classes: ['AllowAny'] },
        async_support: true,
      },
      DEBUG: true,
    }
    const config = new SchemaConfig(v2 as unknown as UserConfig, 'settings.ts').resolved
    expect(config.mutations).toMatchObject({ enabled: false, bulkOperations: false })
    expect(config.queries.defaultPageSize).toBe(7)
    expect(await codes()).toEqual(['GAG_V2_CONFIG'])
    expect(warnings[0]!.message).toContain(
      'settings.ts: SCHEMA_CONFIG with snake_case keys is the v2 config shape',
    )
    expect(warnings[0]!.message).toContain('Keys beside SCHEMA_CONFIG are ignored (DEBUG)')
    expect(warnings[0]!.message).toContain('graphql-auto-gen migrate --from 2.1 --to 3.0')
  })

  it('a v2.1 config file (GRAPHQL_AUTO_GEN export, extensions) loads and builds', async () => {
    const dir = await mkdtemp(join(ROOT, '.tmp-plugins-v2-'))
    try {
      const models = relative(dir, join(ROOT, 'examples', 'shop', 'models.js'))
      const file = join(dir, 'graphql-auto-gen.config.ts')
      await writeFile(
        file,
        [
          `import { users, profiles } from '${models}'`,
          `class PingExtension { processSchema(schema: unknown) { return schema } }`,
          `export const GRAPHQL_AUTO_GEN = {`,
          `  SCHEMA_CONFIG: {`,
          `    models: [users, profiles],`,
          `    mutations: { enabled: true, soft_delete: false },`,
          `    security: { authentication_required: false, permission_classes: ['AllowAny'] },`,
          `    extensions: [new PingExtension()],`,
          `  },`,
          `}`,
        ].join('\n'),
      )
      const config = await loadConfigFile(file)
      expect(config.resolved.security.authenticationRequired).toBe(false)
      const schema = new SchemaBuilder(config, { database }).build()
      expect(schema.getType('User')).toBeDefined()
      expect((await codes()).sort()).toEqual(['GAG_EXTENSION_ADAPTER', 'GAG_V2_CONFIG'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('a v1 config (MODELS) fails with a coded error pointing at migrate', () => {
    const v1 = { MODELS: [shopConfig.models], ENABLE_MUTATIONS: true }
    const run = () => new SchemaConfig(v1 as unknown as UserConfig, 'old.ts')
    expect(run).toThrow(ConfigError)
    expect(run).toThrow(
      'old.ts: this is a v1 config (MODELS, ENABLE_MUTATIONS), which 3.0 no longer reads. Run `graphql-auto-gen migrate --from 1.0 --to 3.0`',
    )
  })
})

describe('docs/deprecations.md', () => {
  it('lists exactly the catalogue, with since, removal and replacement', async () => {
    const text = await readFile(join(ROOT, 'docs', 'deprecations.md'), 'utf8')
    const rows = [...text.matchAll(/^\|\s*`(GAG_[A-Z0-9_]+)`\s*\|(.*)\|\s*$/gm)]
    expect(rows.map((r) => r[1]).sort()).toEqual(Object.keys(DEPRECATIONS).sort())
    for (const [, code, rest] of rows) {
      const cells = rest!.split(/\s\|\s/).map((c) => c.trim())
      const entry = DEPRECATIONS[code as keyof typeof DEPRECATIONS]
      expect(cells, code).toEqual([entry.feature, entry.since, entry.removal, entry.replacement])
    }
  })
})
