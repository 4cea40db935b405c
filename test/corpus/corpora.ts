import { readFile } from 'node:fs/promises'
import type { UserConfig } from '../../src/schema/index.js'
import type { Database } from '../../src/database/index.js'

/** One public sample database shipped under test/corpus/<name>/. */
export interface Corpus {
  name: 'chinook' | 'northwind'
  /** The tables that become GraphQL types (junction tables only link two types). */
  exposedTables: string[]
  /** Exposed tables the upstream data leaves empty. */
  emptyTables: string[]
}

/** The corpus: sample databases we did not write (sources and licences in each README.md). */
export const CORPORA: Corpus[] = [
  {
    name: 'chinook',
    exposedTables: [
      'album',
      'artist',
      'customer',
      'employee',
      'genre',
      'invoice',
      'invoice_line',
      'media_type',
      'playlist',
      'track',
    ],
    emptyTables: [],
  },
  {
    name: 'northwind',
    exposedTables: [
      'categories',
      'customer_demographics',
      'customers',
      'employees',
      'order_details',
      'orders',
      'products',
      'region',
      'shippers',
      'suppliers',
      'territories',
      'us_states',
    ],
    emptyTables: ['customer_demographics'],
  },
]

/** What a corpus config.ts exports: the pulled module (after any workaround) and other options. */
interface CorpusConfig {
  loadModels(): Promise<Record<string, unknown>>
  options: Partial<UserConfig>
}

/**
 * Creates a corpus's tables and rows in `db` (schema.sql, then data.sql) and loads its pulled
 * models through its config.ts.
 */
export async function loadCorpus(
  corpus: Corpus,
  db: Database,
): Promise<{ models: Record<string, unknown>; options: Partial<UserConfig> }> {
  const dir = new URL(`./${corpus.name}/`, import.meta.url)
  await db.exec(await readFile(new URL('schema.sql', dir), 'utf8'))
  await db.exec(await readFile(new URL('data.sql', dir), 'utf8'))
  const config = (await import(`./${corpus.name}/config.ts`)) as CorpusConfig
  return { models: await config.loadModels(), options: config.options }
}
