import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core'
import { describe, expect, it } from 'vitest'
import { ErrorCodes } from '../errors.js'
import { configError } from '../config/testing/configError.js'
import { loadConfigFile, resolveConfig, SchemaConfig } from './index.js'

const users = pgTable('users', { id: serial('id').primaryKey(), name: text('name') })
const orders = pgTable('orders', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').references(() => users.id),
})

describe('SchemaConfig', () => {
  it('fills every default and names models after their config keys', () => {
    const { resolved } = new SchemaConfig({ models: { people: users } })
    expect(resolved.models.map((m) => m.name)).toEqual(['people'])
    expect(resolved.queries).toEqual({
      pagination: 'relay',
      filtering: 'advanced',
      ordering: true,
      queryOptimization: true,
      defaultPageSize: 100,
      maxPageSize: 1000,
      maxFilterDepth: 10,
      unsafeRegexOnPGlite: false,
    })
    expect(resolved.mutations.enabled).toBe(true)
    expect(resolved.server).toEqual({
      port: 4000,
      host: '127.0.0.1',
      graphqlPath: '/graphql',
      graphiql: true,
      shutdownTimeoutMs: 10_000,
      allowUploads: false,
      metrics: true,
      metricsPath: '/metrics',
      debugSql: false,
    })
  })

  it('accepts the programmatic shortcut with a list of tables', () => {
    const { resolved } = new SchemaConfig({
      models: [users, orders],
      enableMutations: false,
      enableSubscriptions: true,
    })
    expect(resolved.models.map((m) => m.name)).toEqual(['users', 'orders'])
    expect(resolved.mutations.enabled).toBe(false)
    expect(resolved.subscriptions.enabled).toBe(true)
  })

  it('names an unknown key and suggests the closest one', () => {
    const error = configError(() => resolveConfig({ models: [users], queris: {} }, 'app.config.ts'))
    expect(error.code).toBe(ErrorCodes.CONFIG_INVALID)
    expect(error.message).toBe('app.config.ts: unknown key `queris`. Did you mean `queries`?')
  })

  it('names a nested bad value and what was expected', () => {
    const error = configError(() => resolveConfig({ models: [users], queries: { pagination: 'pages' } }))
    expect(error.message).toMatch(/^config: queries\.pagination: .*"relay".*"legacy"/)
    const nested = configError(() => resolveConfig({ models: [users], queries: { defaultPageSiz: 5 } }))
    expect(nested.message).toBe(
      'config: queries: unknown key `defaultPageSiz`. Did you mean `defaultPageSize`?',
    )
  })

  it('refuses unknown models with a hint for v1 dotted paths', () => {
    const error = configError(() => resolveConfig({ models: ['app.models.User'] }))
    expect(error.message).toContain('unknown model the string "app.models.User"')
    expect(error.message).toContain('graphql-auto-gen migrate')
    expect(configError(() => resolveConfig({ models: {} })).message).toContain('at least one Drizzle table')
    expect(configError(() => resolveConfig({})).message).toContain('models: required')
  })

  it('refuses unknown model options with a suggestion', () => {
    const error = configError(() => resolveConfig({ models: { users: { table: users, softdelete: 'x' } } }))
    expect(error.message).toContain('unknown model option `softdelete`. Did you mean `softDelete`?')
  })

  it('resolves the sections later stages own: resolver sets and security functions', () => {
    expect(configError(() => resolveConfig({ models: [users], resolvers: [{}] })).message).toBe(
      'config: resolvers.0: expected defineResolvers(table, { name: field(…) }).',
    )
    expect(configError(() => resolveConfig({ models: [users], security: { authenticate: 1 } })).message).toBe(
      'config: security.authenticate: expected a function (request: Request) => user | null.',
    )
    const { security } = resolveConfig({ models: [users], security: { rateLimiting: true } })
    expect(security.permissionClasses).toEqual(['AllowAny'])
    expect(security.rateLimiting).toMatchObject({ points: 100_000, durationSeconds: 60 })
  })

  it('checks page sizes and database URLs', () => {
    expect(
      configError(() => resolveConfig({ models: [users], queries: { defaultPageSize: 0 } })).message,
    ).toContain('queries.defaultPageSize')
    expect(
      configError(() => resolveConfig({ models: [users], queries: { defaultPageSize: 50, maxPageSize: 10 } }))
        .message,
    ).toContain('must not exceed queries.maxPageSize')
    expect(
      configError(() => resolveConfig({ models: [users], database: { url: 'mysql://x' } })).message,
    ).toContain('database.url')
  })
})

describe('loadConfigFile', () => {
  it("turns modelFiles: 'auto' into the files the config file imports", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gag-config-'))
    writeFileSync(
      join(dir, 'models.ts'),
      `export { users } from ${JSON.stringify(new URL('../../examples/shop/models.ts', import.meta.url).href)}\n`,
    )
    writeFileSync(
      join(dir, 'graphql-auto-gen.config.ts'),
      `import { users } from './models.js'\nexport default { models: { users }, modelFiles: 'auto' }\n`,
    )
    const config = await loadConfigFile(undefined, dir)
    expect(config.resolved.modelFiles).toEqual([join(dir, 'models.ts')])
  })

  it('loads graphql-auto-gen.config.ts from the working directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gag-config-'))
    const modelsUrl = new URL('../../examples/shop/models.ts', import.meta.url).href
    writeFileSync(
      join(dir, 'graphql-auto-gen.config.ts'),
      `import { users, orders } from ${JSON.stringify(modelsUrl)}\nexport default { models: { users, orders }, queries: { defaultPageSize: 7 } }\n`,
    )
    const config = await loadConfigFile(undefined, dir)
    expect(config.resolved.models.map((m) => m.name)).toEqual(['users', 'orders'])
    expect(config.resolved.queries.defaultPageSize).toBe(7)
  })

  it('says where it looked when there is no config file, and names the file on errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gag-config-'))
    await expect(loadConfigFile(undefined, dir)).rejects.toThrow(
      /No config file found in .*graphql-auto-gen\.config\.ts/,
    )
    writeFileSync(join(dir, 'bad.config.ts'), 'export default { models: [], pagination: 1 }\n')
    await expect(loadConfigFile('bad.config.ts', dir)).rejects.toThrow(
      /bad\.config\.ts: unknown key `pagination`/,
    )
  })
})
