// The class form of a plugin (BasePlugin) and build-time hooks that are async: build() stays
// synchronous and says to use buildAsync(), which awaits them.
import { GraphQLNonNull, GraphQLString, graphql } from 'graphql'
import type { GraphQLSchema } from 'graphql'
import { afterAll, describe, expect, it } from 'vitest'
import { PGliteDatabase } from '../database/index.js'
import { ConfigError } from '../errors.js'
import { getSchemaRuntime, SchemaBuilder } from '../schema/index.js'
import { shopConfig } from '../testing/shopFixture.js'
import { addQueryFields, BasePlugin, definePlugin } from './index.js'
import type { JsonSchema, PluginInput, RequestContext, SchemaHookContext } from './index.js'

const database = new PGliteDatabase()
afterAll(() => database.close())

const builder = (plugins: PluginInput[]) => new SchemaBuilder({ ...shopConfig, plugins }, { database })

/** The seed's v3 plugin: async processSchema, a config schema, a version. */
class MottoPlugin extends BasePlugin<{ motto: string }> {
  readonly name = 'motto'
  override readonly version = '1.0.0'
  readonly requests: string[] = []

  override getConfigSchema(): JsonSchema {
    return { type: 'object', properties: { motto: { type: 'string' } }, required: ['motto'] }
  }

  override async processSchema(schema: GraphQLSchema, context: SchemaHookContext): Promise<GraphQLSchema> {
    // Stands for real async work (reading a file, asking a service) before the schema changes.
    const motto = await Promise.resolve(this.config?.motto ?? '')
    const models = context.graph.models.length
    return addQueryFields(schema, {
      motto: { type: new GraphQLNonNull(GraphQLString), resolve: () => `${motto} (${models} models)` },
    })
  }

  override request(context: RequestContext): void {
    // `this` is the instance: hooks are bound when the plugin is resolved.
    this.requests.push(context.requestId)
  }
}

describe('BasePlugin', () => {
  it('runs an async processSchema under buildAsync(), with the model graph in its context', async () => {
    const schema = await builder([new MottoPlugin({ motto: 'Ship it' })]).buildAsync()
    const result = await graphql({ schema, source: '{ motto }' })
    expect(result).toEqual({
      data: { motto: `Ship it (${getSchemaRuntime(schema).graph.models.length} models)` },
    })
  })

  it('makes build() fail clearly instead of returning a schema without the plugin', () => {
    const run = () => builder([new MottoPlugin({ motto: 'x' })]).build()
    expect(run).toThrow(ConfigError)
    expect(run).toThrow(
      'plugin "motto": its schema hook (processSchema) returned a promise, which SchemaBuilder.build() (synchronous) cannot wait for; build with `await new SchemaBuilder(config).buildAsync()` instead (the CLI does).',
    )
  })

  it('binds hook methods to the instance and keeps name and version', async () => {
    const plugin = new MottoPlugin({ motto: 'x' })
    const schema = await builder([plugin]).buildAsync()
    const resolved = getSchemaRuntime(schema).plugins.find((p) => p.name === 'motto')!
    expect(resolved.version).toBe('1.0.0')
    await resolved.request!({ requestId: 'r-1', database, state: {} })
    expect(plugin.requests).toEqual(['r-1'])
  })

  it('builds synchronously when processSchema is not overridden', () => {
    class Quiet extends BasePlugin {
      readonly name = 'quiet'
    }
    const schema = builder([new Quiet()]).build()
    expect(getSchemaRuntime(schema).plugins.map((p) => p.name)).toContain('quiet')
    expect(getSchemaRuntime(schema).plugins.find((p) => p.name === 'quiet')!.schema).toBeUndefined()
  })
})

describe('async build-time hooks of plugin objects', () => {
  const asyncSetup = definePlugin({
    name: 'async-setup',
    config: { value: 'from setup' },
    async setup(config) {
      const value = await Promise.resolve(config.value)
      return {
        schema: (schema) =>
          addQueryFields(schema, { fromSetup: { type: GraphQLString, resolve: () => value } }),
      }
    },
  })

  it('awaits an async setup under buildAsync() and refuses it under build()', async () => {
    const schema = await builder([asyncSetup]).buildAsync()
    expect(await graphql({ schema, source: '{ fromSetup }' })).toEqual({ data: { fromSetup: 'from setup' } })
    expect(() => builder([asyncSetup]).build()).toThrow(/^plugin "async-setup": its setup returned a promise/)
  })

  it('awaits an async models hook under buildAsync() and refuses it under build()', async () => {
    const hide = definePlugin({
      name: 'hide-tags',
      async models(graph) {
        await Promise.resolve()
        return { ...graph, models: graph.models.filter((m) => m.name !== 'tags' && m.name !== 'productTags') }
      },
    })
    const schema = await builder([hide]).buildAsync()
    expect(schema.getType('Tag')).toBeUndefined()
    expect(schema.getType('User')).toBeDefined()
    expect(() => builder([hide]).build()).toThrow(/^plugin "hide-tags": its models hook returned a promise/)
  })
})
