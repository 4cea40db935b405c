// Plugin configs are checked against their JSON Schema (ajv) when the schema is built; names are
// unique; before/after name real plugins and form no cycle. Every failure is a readable
// ConfigError (CONFIG_INVALID) naming the plugin and the key.
import { afterAll, describe, expect, it } from 'vitest'
import { PGliteDatabase } from '../database/index.js'
import { ConfigError, ErrorCodes } from '../errors.js'
import { SchemaBuilder } from '../schema/index.js'
import { shopConfig } from '../testing/shopFixture.js'
import { BasePlugin, definePlugin, orderPlugins, resolvePlugins } from './index.js'
import type { JsonSchema, PluginInput } from './index.js'

// Never queried: building a schema does not touch the database.
const database = new PGliteDatabase()
afterAll(() => database.close())

const build = (plugins: PluginInput[]) => new SchemaBuilder({ ...shopConfig, plugins }, { database }).build()

/** The ConfigError `run` throws (fails the test when it throws nothing or something else). */
function configError(run: () => unknown): ConfigError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).code).toBe(ErrorCodes.CONFIG_INVALID)
    return error as ConfigError
  }
  throw new Error('expected a ConfigError')
}

const auditSchema: JsonSchema = {
  type: 'object',
  properties: {
    retention: { type: 'integer', minimum: 1 },
    level: { enum: ['info', 'debug'] },
    storage: {
      type: 'object',
      properties: { ttlSeconds: { type: 'integer', minimum: 1 } },
      additionalProperties: false,
    },
  },
  required: ['retention'],
  additionalProperties: false,
}

const audit = (config: unknown) =>
  definePlugin({ name: 'audit', version: '1.0.0', configSchema: auditSchema, config })

describe('plugin config (JSON Schema, ajv)', () => {
  it('accepts a config that matches', () => {
    expect(() => build([audit({ retention: 30, level: 'debug', storage: { ttlSeconds: 5 } })])).not.toThrow()
  })

  it('names the plugin and the key of a wrong type, at build time (not when the config is made)', () => {
    const plugin = audit({ retention: '30 days' })
    const builder = new SchemaBuilder({ ...shopConfig, plugins: [plugin] }, { database })
    const error = configError(() => builder.build())
    expect(error.message).toBe('plugin "audit": config.retention must be integer, got "30 days"')
    expect(error.details).toMatchObject({ plugin: 'audit', path: 'config.retention' })
  })

  it('reports missing, nested, out-of-range, enum and unknown keys by path', () => {
    expect(configError(() => build([audit({})])).message).toBe('plugin "audit": config.retention is required')
    expect(configError(() => build([audit(undefined)])).message).toBe(
      'plugin "audit": config.retention is required',
    )
    expect(configError(() => build([audit({ retention: 0 })])).message).toBe(
      'plugin "audit": config.retention must be >= 1',
    )
    expect(configError(() => build([audit({ retention: 1, storage: { ttlSeconds: 1.5 } })])).message).toBe(
      'plugin "audit": config.storage.ttlSeconds must be integer, got 1.5',
    )
    expect(configError(() => build([audit({ retention: 1, level: 'trace' })])).message).toBe(
      'plugin "audit": config.level must be one of "info", "debug", got "trace"',
    )
    expect(configError(() => build([audit({ retention: 1, retentoin: 2 })])).message).toBe(
      'plugin "audit": config.retentoin is not a known key. Did you mean `retention`?',
    )
  })

  it('checks a BasePlugin config against getConfigSchema()', () => {
    class Metrics extends BasePlugin<{ sampleRate: number }> {
      readonly name = 'metrics'
      override readonly version = '2.0.0'
      override getConfigSchema(): JsonSchema {
        return { type: 'object', properties: { sampleRate: { type: 'number', maximum: 1 } } }
      }
    }
    expect(() => build([new Metrics({ sampleRate: 0.5 })])).not.toThrow()
    expect(configError(() => build([new Metrics({ sampleRate: 5 })])).message).toBe(
      'plugin "metrics": config.sampleRate must be <= 1',
    )
  })

  it('rejects a configSchema that is not JSON Schema', () => {
    const broken = definePlugin({ name: 'broken', configSchema: { type: 'integr' }, config: 1 })
    expect(configError(() => build([broken])).message).toMatch(
      /^plugin "broken": configSchema is not a valid JSON Schema: /,
    )
  })

  it('passes the validated config to setup', () => {
    const seen: unknown[] = []
    const plugin = definePlugin({
      name: 'with-setup',
      configSchema: { type: 'object', properties: { greeting: { type: 'string' } } },
      config: { greeting: 'hi' },
      setup(config) {
        seen.push(config)
      },
    })
    build([plugin])
    expect(seen).toEqual([{ greeting: 'hi' }])
  })
})

describe('plugin names', () => {
  it('rejects two plugins with the same name, naming both places', () => {
    const error = configError(() => build([definePlugin({ name: 'x' }), definePlugin({ name: 'x' })]))
    expect(error.message).toBe(
      'plugins: two plugins are named "x" (plugins.0 and plugins.1); plugin names must be unique.',
    )
  })

  it('rejects a user plugin named like a built-in', () => {
    expect(configError(() => build([definePlugin({ name: 'graphql-auto-gen:auth' })])).message).toMatch(
      /two plugins are named "graphql-auto-gen:auth" \(built-in and plugins\.0\)/,
    )
  })

  it('rejects an empty name', () => {
    expect(configError(() => resolvePlugins([{ name: ' ' }])).message).toMatch(
      /^plugins\.0: a plugin needs a non-empty `name`/,
    )
  })

  it('refuses a hook defined both on the plugin and by setup()', () => {
    const plugin = definePlugin({ name: 'twice', schema: (s) => s, setup: () => ({ schema: (s) => s }) })
    expect(configError(() => resolvePlugins([plugin])).message).toBe(
      'plugin "twice": the schema hook is defined on the plugin and returned by setup(); define it in one place.',
    )
  })
})

describe('plugin order (before/after)', () => {
  const named = (name: string, order: { before?: string[]; after?: string[] } = {}) => ({ name, ...order })
  const names = (list: Array<{ name: string }>) => list.map((p) => p.name)

  it('keeps the given order when nothing is declared', () => {
    expect(names(orderPlugins([named('a'), named('b'), named('c')]))).toEqual(['a', 'b', 'c'])
  })

  it('honours before and after, moving as little as it can', () => {
    expect(names(orderPlugins([named('a'), named('b'), named('c', { before: ['a'] })]))).toEqual([
      'c',
      'a',
      'b',
    ])
    expect(names(orderPlugins([named('a', { after: ['c'] }), named('b'), named('c')]))).toEqual([
      'c',
      'a',
      'b',
    ])
    expect(
      names(
        orderPlugins([named('a', { after: ['b'] }), named('b', { after: ['c'] }), named('c'), named('d')]),
      ),
    ).toEqual(['c', 'b', 'a', 'd'])
  })

  it('rejects a cycle, naming it in running order', () => {
    const error = configError(() =>
      orderPlugins([
        named('a', { after: ['b'] }),
        named('b', { after: ['c'] }),
        named('c', { after: ['a'] }),
      ]),
    )
    expect(error.message).toBe(
      'plugins: "a" → "c" → "b" → "a" is an ordering cycle (through before/after: each must run before the next); remove one of these constraints.',
    )
    expect(error.details['cycle']).toEqual(['a', 'b', 'c'])
    expect(configError(() => orderPlugins([named('self', { before: ['self'] })])).message).toMatch(
      /"self" → "self" is an ordering cycle/,
    )
  })

  it('rejects unknown names with a suggestion, also through the schema build', () => {
    const error = configError(() =>
      build([definePlugin({ name: 'cache', after: ['graphql-auto-gen:atuh'] })]),
    )
    expect(error.message).toMatch(
      /^plugin "cache": after names "graphql-auto-gen:atuh", which is not a plugin of this schema \(plugins: graphql-auto-gen:request-id, graphql-auto-gen:auth, graphql-auto-gen:limits, cache\)\. Did you mean `graphql-auto-gen:auth`\?$/,
    )
    expect(
      configError(() =>
        build([definePlugin({ name: 'a', before: ['b'] }), definePlugin({ name: 'b', before: ['a'] })]),
      ).message,
    ).toMatch(/ordering cycle/)
  })
})
