import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ErrorCodes } from '../errors.js'
import { readConfigFile, validateConfig } from './index.js'
import { configError } from './testing/configError.js'

describe('validateConfig', () => {
  it('fills every default of the keys config owns', () => {
    const value = validateConfig({ models: {} })
    expect(value.queries).toEqual({
      pagination: 'relay',
      filtering: 'advanced',
      ordering: true,
      queryOptimization: true,
      defaultPageSize: 100,
      maxPageSize: 1000,
      maxFilterDepth: 10,
      unsafeRegexOnPGlite: false,
    })
    expect(value.mutations.enabled).toBe(true)
    expect(value.security.rateLimiting).toBe(false)
    expect(value.server).toEqual({
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

  it('hands the sections later stages own on as written (schema/ resolves them)', () => {
    const models = { anything: 'goes here' }
    const authenticate = (): null => null
    const plugin = { name: 'p' }
    const value = validateConfig({
      models,
      security: { authenticate, permissionClasses: ['IsAuthenticated'] },
      plugins: [plugin],
      naming: { typeName: 'x' },
    })
    expect(value.models).toBe(models)
    expect(value.security.authenticate).toBe(authenticate)
    expect(value.security.permissionClasses).toEqual(['IsAuthenticated'])
    expect(value.plugins).toEqual([plugin])
    expect(value.naming).toEqual({ typeName: 'x' })
  })

  it('applies the programmatic shortcut', () => {
    const value = validateConfig({ models: [], enableMutations: false, enableSubscriptions: true })
    expect(value.mutations.enabled).toBe(false)
    expect(value.subscriptions.enabled).toBe(true)
  })

  it('names an unknown key and suggests the closest one', () => {
    const error = configError(() => validateConfig({ models: [], queris: {} }, 'app.config.ts'))
    expect(error.code).toBe(ErrorCodes.CONFIG_INVALID)
    expect(error.message).toBe('app.config.ts: unknown key `queris`. Did you mean `queries`?')
  })

  it('names a nested bad value and what was expected', () => {
    const error = configError(() => validateConfig({ models: [], queries: { pagination: 'pages' } }))
    expect(error.message).toMatch(/^config: queries\.pagination: .*"relay".*"legacy"/)
    const nested = configError(() => validateConfig({ models: [], queries: { defaultPageSiz: 5 } }))
    expect(nested.message).toBe(
      'config: queries: unknown key `defaultPageSiz`. Did you mean `defaultPageSize`?',
    )
  })

  it('checks page sizes, database URLs, plugin shapes and functions', () => {
    expect(
      configError(() => validateConfig({ models: [], queries: { defaultPageSize: 0 } })).message,
    ).toContain('queries.defaultPageSize')
    expect(
      configError(() => validateConfig({ models: [], queries: { defaultPageSize: 50, maxPageSize: 10 } }))
        .message,
    ).toContain('must not exceed queries.maxPageSize')
    expect(
      configError(() => validateConfig({ models: [], database: { url: 'mysql://x' } })).message,
    ).toContain('database.url')
    expect(configError(() => validateConfig({ models: [], plugins: [42] })).message).toBe(
      'config: plugins.0: expected a plugin object with a `name` (see definePlugin) or a BasePlugin instance.',
    )
    expect(
      configError(() => validateConfig({ models: [], mutations: { passwordHasher: 'x' } })).message,
    ).toContain('mutations.passwordHasher: expected a function')
  })

  it('refuses v1 config and what is not an object', () => {
    expect(configError(() => validateConfig({ MODELS: [] })).message).toContain('this is a v1 config')
    expect(configError(() => validateConfig([])).message).toContain('expected an object')
  })
})

describe('readConfigFile', () => {
  it('reads the default export as written, modelFiles relative to the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gag-config-'))
    writeFileSync(
      join(dir, 'graphql-auto-gen.config.ts'),
      `export default { models: { x: 1 }, modelFiles: ['models.ts'], queries: { defaultPageSize: 7 } }\n`,
    )
    const { path, config } = await readConfigFile(undefined, dir)
    expect(path).toBe(join(dir, 'graphql-auto-gen.config.ts'))
    expect(config).toEqual({
      models: { x: 1 },
      modelFiles: [join(dir, 'models.ts')],
      queries: { defaultPageSize: 7 },
    })
    writeFileSync(join(dir, 'auto.config.ts'), `export default { models: {}, modelFiles: 'auto' }\n`)
    expect((await readConfigFile('auto.config.ts', dir)).config).toEqual({ models: {}, modelFiles: 'auto' })
  })

  it('says where it looked when there is no config file, and names the file it could not load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gag-config-'))
    await expect(readConfigFile(undefined, dir)).rejects.toThrow(
      /No config file found in .*graphql-auto-gen\.config\.ts/,
    )
    await expect(readConfigFile('missing.config.ts', dir)).rejects.toThrow(
      /missing\.config\.ts does not exist/,
    )
    writeFileSync(join(dir, 'broken.config.ts'), 'export default {\n')
    await expect(readConfigFile('broken.config.ts', dir)).rejects.toThrow(
      /broken\.config\.ts: could not be loaded/,
    )
  })
})
