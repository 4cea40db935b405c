// The ts samples of docs/plugins.md run here (test/docs.test.ts only type-checks them): each is
// imported with its imports pointed at the package source and the shop models; a default-export
// config is built over the seeded shop database and every `// Try: { … }` document in the sample
// must run without errors.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { graphql } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserConfig } from '../schema/index.js'
import { PGliteDatabase } from '../database/index.js'
import { SchemaBuilder } from '../schema/index.js'
import { withShop } from '../testing/shopFixture.js'
import { ROOT, samplesOf } from '../../test/docSamples.js'

const samples = samplesOf(join(ROOT, 'docs', 'plugins.md')).filter((s) => s.lang === 'ts' && !s.noTest)

describe('docs/plugins.md samples', () => {
  const database = new PGliteDatabase()
  let dir: string
  beforeAll(async () => {
    await withShop(database, { seed: false })
    dir = await mkdtemp(join(ROOT, '.tmp-plugin-docs-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
    await database.close()
  })

  it('exist, and some have a document to try', () => {
    expect(samples.length).toBeGreaterThanOrEqual(4)
    expect(samples.filter((s) => s.code.includes('// Try: ')).length).toBeGreaterThanOrEqual(2)
  })

  it.each(samples.map((s) => [s.where, s] as const))('%s runs', async (_where, sample) => {
    const file = join(dir, `${sample.where.replace(/\W/g, '_')}.ts`)
    const code = sample.code
      .replace(/from 'graphql-auto-gen'/g, `from '${relative(dir, join(ROOT, 'src', 'index.js'))}'`)
      .replace(
        /from '\.\/src\/db\/schema\.js'/g,
        `from '${relative(dir, join(ROOT, 'examples', 'shop', 'models.js'))}'`,
      )
    await writeFile(file, code)
    const module = (await import(pathToFileURL(file).href)) as { default?: UserConfig }
    if (!module.default) return
    const schema = await new SchemaBuilder(module.default, { database }).buildAsync()
    for (const [, source] of sample.code.matchAll(/\/\/ Try: (.+)$/gm)) {
      const result = await graphql({ schema, source: source! })
      expect(result.errors, source).toBeUndefined()
      expect(
        Object.values(result.data ?? {}).every((v) => v !== null),
        source,
      ).toBe(true)
    }
  })
})
