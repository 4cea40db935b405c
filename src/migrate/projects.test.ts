import { spawn } from 'node:child_process'
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { graphql, Kind, parse, print, visit } from 'graphql'
import type { DefinitionNode, DocumentNode, FragmentDefinitionNode, GraphQLSchema } from 'graphql'
import { describe, expect, it } from 'vitest'
import { loadConfigFile } from '../schema/index.js'
import { repoRoot, runCli } from '../cli/testing/runCli.js'
import type { Database } from '../database/index.js'
import { PGliteDatabase } from '../database/index.js'
import { readDocuments, validateDocuments } from '../registry/index.js'
import { SchemaBuilder } from '../schema/index.js'
import { loadOldModeConfig } from './index.js'

/** CLI runs and TypeScript checks start Node processes; a shared machine makes them slow. */
const LONG = 900_000
const PROJECTS = join(repoRoot, 'test', 'migrate-projects')

interface ProjectCase {
  from: string
  /** Variables for each operation, by operation name. */
  variables: Record<string, Record<string, unknown>>
}

/** Every file under `dir`, relative, with `/` separators. */
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name)
      if (name === 'node_modules') return []
      return statSync(path).isDirectory() ? walk(path, base) : [path.slice(base.length + 1)]
    })
    .sort()
}

/** File bytes of a project (not node_modules), keyed by relative path. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(walk(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')]))
}

/**
 * Copies a fixture project into a temp directory (dropping the `.txt` that keeps fixtures out of
 * the repository's own tsc/eslint) with a node_modules where `graphql-auto-gen` is this checkout's
 * src, and drizzle-orm, graphql and @types are the repository's.
 */
function project(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `gag-project-${name}-`))
  const fixture = join(PROJECTS, name)
  for (const file of walk(fixture).filter((f) => f !== 'case.json')) {
    mkdirSync(dirname(join(dir, file)), { recursive: true })
    cpSync(join(fixture, file), join(dir, file.replace(/\.txt$/, '')))
  }
  const modules = join(dir, 'node_modules')
  mkdirSync(join(modules, 'graphql-auto-gen'), { recursive: true })
  for (const dependency of ['drizzle-orm', 'graphql', '@types', 'typescript'])
    symlinkSync(join(repoRoot, 'node_modules', dependency), join(modules, dependency))
  writeFileSync(
    join(modules, 'graphql-auto-gen', 'package.json'),
    JSON.stringify({ name: 'graphql-auto-gen', type: 'module', exports: { '.': './index.ts' } }),
  )
  writeFileSync(
    join(modules, 'graphql-auto-gen', 'index.ts'),
    `export * from ${JSON.stringify(join(repoRoot, 'src', 'index.js'))}\n`,
  )
  return dir
}

/** The shop's tables with 130 users, so an unlimited list (up to maxPageSize) differs from a default page of 100. */
async function seed(database: Database): Promise<void> {
  for (const statement of [
    `create table users (id serial primary key, username text not null unique, email text, is_active boolean not null default true, metadata jsonb, created_at timestamptz not null default now())`,
    `create table profiles (id serial primary key, user_id integer not null unique references users(id), first_name text not null, last_name text not null)`,
    `create table products (id serial primary key, name text not null, price numeric(10,2) not null)`,
    `create table orders (id serial primary key, user_id integer not null references users(id), total numeric(10,2) not null, status text not null)`,
    `create table order_items (id serial primary key, order_id integer not null references orders(id), product_id integer not null references products(id), quantity integer not null)`,
    `insert into users (username, email, is_active, metadata, created_at) select 'user' || n, case when n % 5 = 0 then null else 'user' || n || '@example.com' end, n % 7 <> 0, case when n % 4 = 0 then '{"plan":"pro"}'::jsonb else '{"plan":"free"}'::jsonb end, timestamptz '2023-01-01' + n * interval '1 day' from generate_series(1, 130) as n`,
    `insert into profiles (user_id, first_name, last_name) select n, 'First' || n, 'Last' || n from generate_series(1, 130) as n`,
    `insert into products (name, price) select 'Product ' || n, n * 1.5 from generate_series(1, 12) as n`,
    `insert into orders (user_id, total, status) select 1 + (n % 60), n * 7.25, case when n % 3 = 0 then 'shipped' else 'pending' end from generate_series(1, 150) as n`,
    `insert into order_items (order_id, product_id, quantity) select 1 + (n % 150), 1 + (n % 12), 1 + (n % 4) from generate_series(1, 400) as n`,
  ]) {
    await database.query({ text: statement, values: [] })
  }
}

/** Each named operation of the documents, with every fragment it uses (wherever it is defined). */
function operations(documents: readonly DocumentNode[]): Map<string, DocumentNode> {
  const definitions = documents.flatMap((d) => d.definitions)
  const fragments = new Map(
    definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  )
  const result = new Map<string, DocumentNode>()
  for (const definition of definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue
    const used: DefinitionNode[] = [definition]
    for (let i = 0; i < used.length; i++) {
      visit(used[i]!, {
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value)
          if (fragment && !used.includes(fragment)) used.push(fragment)
        },
      })
    }
    result.set(definition.name!.value, { kind: Kind.DOCUMENT, definitions: used })
  }
  return result
}

async function readOperations(dir: string): Promise<Map<string, DocumentNode>> {
  const files = walk(join(dir, 'src', 'client')).map((f) => join(dir, 'src', 'client', f))
  return operations((await readDocuments(files)).map((source) => parse(source)))
}

/** Lists as they read: a connection (`edges { node }` or `nodes`) becomes the list of its items. */
function rows(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rows)
  if (typeof value !== 'object' || value === null) return value
  const keys = Object.keys(value)
  const record = value as Record<string, unknown>
  if (keys.length === 1 && keys[0] === 'edges' && Array.isArray(record['edges']))
    return (record['edges'] as Array<{ node: unknown }>).map((edge) => rows(edge.node))
  if (keys.length === 1 && keys[0] === 'nodes') return rows(record['nodes'])
  return Object.fromEntries(keys.map((key) => [key, rows(record[key])]))
}

async function execute(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
): Promise<unknown> {
  const result = await graphql({ schema, source: print(document), variableValues: variables })
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined()
  return result.data
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('exit', (code) => resolve({ code, output }))
  })
}

describe.each(['v1.0', 'v2.0', 'v2.1'])('the %s project migrated to 3.0', (name) => {
  it(
    'typechecks, serves the same rows for every document, and rolls back byte for byte',
    async () => {
      const spec = JSON.parse(readFileSync(join(PROJECTS, name, 'case.json'), 'utf8')) as ProjectCase
      const dir = project(name)
      const original = snapshot(dir)
      const database = new PGliteDatabase()
      try {
        await seed(database)
        const oldConfig = await loadOldModeConfig(join(dir, 'graphql-auto-gen.config.ts'))
        expect(oldConfig).toBeDefined()
        const oldSchema = new SchemaBuilder(oldConfig!, { database }).build()
        const before = await readOperations(dir)

        const migrated = await runCli(
          ['migrate', '--from', spec.from, '--to', '3.0', '--force', '--backup'],
          {
            cwd: dir,
          },
        )
        expect(migrated.code, migrated.stdout + migrated.stderr).toBe(0)
        // CRLF files stay CRLF: every line the migration wrote into them ends in \r\n too.
        for (const [file, bytes] of Object.entries(original)) {
          if (!Buffer.from(bytes, 'base64').includes('\r\n')) continue
          expect(readFileSync(join(dir, file), 'utf8'), file).not.toMatch(/[^\r]\n/)
        }

        const tsc = await run(
          process.execPath,
          [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json'],
          dir,
        )
        expect(tsc.code, tsc.output).toBe(0)

        const newConfig = await loadConfigFile(join(dir, 'graphql-auto-gen.config.ts'))
        expect(newConfig.resolved.queries).toMatchObject({ pagination: 'relay', filtering: 'advanced' })
        const newSchema = new SchemaBuilder(newConfig, { database }).build()
        const files = walk(join(dir, 'src', 'client')).map((f) => join(dir, 'src', 'client', f))
        const problems = validateDocuments(newSchema, await readDocuments(files))
        expect(problems.filter((p) => p.severity === 'error')).toEqual([])

        const after = await readOperations(dir)
        expect([...after.keys()].sort()).toEqual([...before.keys()].sort())
        for (const [operation, document] of before) {
          const variables = spec.variables[operation] ?? {}
          const old = rows(await execute(oldSchema, document, variables))
          const now = rows(await execute(newSchema, after.get(operation)!, variables))
          expect(now, operation).toEqual(old)
        }

        const again = await runCli(['migrate', '--from', spec.from, '--to', '3.0', '--force', '--json'], {
          cwd: dir,
        })
        expect(again.code, again.stderr).toBe(0)
        expect((JSON.parse(again.stdout) as { changed: number }).changed).toBe(0)

        const rollback = await runCli(['migrate', '--rollback', '--force'], { cwd: dir })
        expect(rollback.code, rollback.stderr).toBe(0)
        expect(snapshot(dir)).toEqual(original)
      } finally {
        await database.close()
      }
    },
    LONG,
  )
})
