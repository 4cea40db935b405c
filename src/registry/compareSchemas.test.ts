import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pgTable, serial, text } from 'drizzle-orm/pg-core'
import {
  buildClientSchema,
  buildSchema,
  findBreakingChanges,
  findDangerousChanges,
  introspectionFromSchema,
} from 'graphql'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { main } from '../cli/main.js'
import { SchemaBuilder } from '../schema/index.js'
import { compareSchemas, schemaSdl } from './index.js'
import type { SchemaChange } from './index.js'
import { CORPUS, CORPUS_BASE } from '../testing/schemaChangeCorpus.js'
import type { CorpusCase } from '../testing/schemaChangeCorpus.js'

function changed(entry: CorpusCase): string {
  return CORPUS_BASE.replace(entry.from, entry.to)
}

function triples(changes: readonly SchemaChange[]): string[] {
  return changes.map((c) => `${c.level} ${c.type} ${c.coordinate}`).sort()
}

describe('compareSchemas over the corpus of schema-change pairs', () => {
  it('has at least 90 pairs, each a real one-place edit, covering every level', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(90)
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length)
    for (const entry of CORPUS) {
      expect(CORPUS_BASE.split(entry.from).length - 1, entry.name).toBe(1)
      expect(() => buildSchema(changed(entry)), entry.name).not.toThrow()
    }
    const levels = (level: string): number =>
      CORPUS.filter((c) => c.expected.some(([l]) => l === level)).length
    expect(levels('breaking')).toBeGreaterThanOrEqual(40)
    expect(levels('dangerous')).toBeGreaterThanOrEqual(15)
    expect(levels('safe')).toBeGreaterThanOrEqual(25)
  })

  it.each(CORPUS.map((c) => [c.name, c] as const))('%s', (_name, entry) => {
    const changes = compareSchemas(buildSchema(CORPUS_BASE), buildSchema(changed(entry)))
    expect(triples(changes)).toEqual(entry.expected.map(([l, t, c]) => `${l} ${t} ${c}`).sort())
    for (const change of changes) {
      // Every message names its coordinate, the string CI logs and reviewers grep for.
      expect(change.message).toContain(change.coordinate.replace(/^schema\./, ''))
      expect(change.reason).toMatch(/^[^\n]{10,160}$/)
    }
  })

  it('reports at least what graphql-js findBreakingChanges/findDangerousChanges report', () => {
    for (const entry of CORPUS) {
      const before = buildSchema(CORPUS_BASE)
      const after = buildSchema(changed(entry))
      const ours = compareSchemas(before, after)
      const breaking = ours.filter((c) => c.level === 'breaking').length
      const dangerous = ours.filter((c) => c.level !== 'safe').length
      expect(breaking, entry.name).toBeGreaterThanOrEqual(findBreakingChanges(before, after).length)
      expect(dangerous, entry.name).toBeGreaterThanOrEqual(
        findBreakingChanges(before, after).length + findDangerousChanges(before, after).length,
      )
    }
  })
})

describe('schema check over the corpus (the CLI, in process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gag-corpus-'))
  writeFileSync(join(dir, 'old.graphql'), CORPUS_BASE)
  afterEach(() => vi.restoreAllMocks())

  async function check(
    newSdl: string,
    name: string,
  ): Promise<{ code: number; json: { changes: SchemaChange[] } }> {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.graphql`)
    writeFileSync(file, newSdl)
    let out = ''
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk)
      return true
    })
    process.exitCode = undefined
    const early = await main([
      'schema',
      'check',
      '--against',
      join(dir, 'old.graphql'),
      '--schema',
      file,
      '--json',
    ])
    const code = early ?? Number(process.exitCode ?? 0)
    process.exitCode = undefined
    vi.restoreAllMocks()
    return { code, json: JSON.parse(out) as { changes: SchemaChange[] } }
  }

  it('exits 1 for every breaking pair, naming its coordinates, and 0 for every other pair', async () => {
    for (const entry of CORPUS) {
      const { code, json } = await check(changed(entry), entry.name)
      const breaking = entry.expected.filter(([level]) => level === 'breaking')
      expect(code, entry.name).toBe(breaking.length > 0 ? 1 : 0)
      const named = json.changes.filter((c) => c.level === 'breaking').map((c) => c.coordinate)
      expect(named.sort(), entry.name).toEqual(breaking.map(([, , coordinate]) => coordinate).sort())
    }
  })
})

describe('compareSchemas on generated schemas', () => {
  it('a nullable column made NOT NULL makes its create input field required: breaking at the coordinate', () => {
    const before = pgTable('orders', { id: serial('id').primaryKey(), note: text('note') })
    const after = pgTable('orders', { id: serial('id').primaryKey(), note: text('note').notNull() })
    const changes = compareSchemas(
      new SchemaBuilder({ models: { orders: before } }).build(),
      new SchemaBuilder({ models: { orders: after } }).build(),
    )
    expect(changes.filter((c) => c.level === 'breaking').map((c) => c.coordinate)).toEqual([
      'CreateOrderInput.note',
    ])
    expect(changes.find((c) => c.coordinate === 'Order.note')).toMatchObject({
      level: 'safe',
      type: 'FIELD_TYPE_CHANGED',
    })
  })

  it('finds no change between our schema and its own SDL or introspection export', async () => {
    const config = (await import('../../examples/shop/graphql-auto-gen.config.js')) as {
      default: ConstructorParameters<typeof SchemaBuilder>[0]
    }
    const schema = new SchemaBuilder(config.default).build()
    expect(compareSchemas(schema, buildSchema(schemaSdl(schema)))).toEqual([])
    expect(compareSchemas(buildSchema(schemaSdl(schema)), schema)).toEqual([])
    const introspection = introspectionFromSchema(schema, {
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      inputValueDeprecation: true,
    })
    expect(compareSchemas(schema, buildClientSchema(introspection))).toEqual([])
  })
})
