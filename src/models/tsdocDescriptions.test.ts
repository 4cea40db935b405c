// `models: schema` (a whole drizzle-kit pull module) and descriptions from the TSDoc of the models
// file, end to end: config (with `modelFiles: 'auto'` from a real config file), the ModelGraph,
// the GraphQL schema, and reads of the module's tables and view against the database.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { graphql } from 'graphql'
import type { GraphQLEnumType, GraphQLObjectType, GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfigFile, SchemaConfig } from '../schema/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { pino } from 'pino'
import { ConfigError } from '../errors.js'
import { SchemaBuilder } from '../schema/index.js'
import { createServer } from '../server/index.js'
import * as pulled from '../testing/pulledSchema.js'
import { importedFiles, tsdocDescriptions } from './index.js'

const FIXTURE = fileURLToPath(new URL('../testing/pulledSchema.ts', import.meta.url))

const DDL = `
create type ticket_status as enum ('open', 'closed');
create table staff (id serial primary key, full_name text not null);
create table tickets (id serial primary key, staff_id int references staff(id),
  status ticket_status not null default 'open', subject text not null);
create view open_tickets as select staff_id, count(*)::integer as open from tickets where status = 'open' group by staff_id;
insert into staff (full_name) values ('Ann Lee'), ('Bo Chan');
insert into tickets (staff_id, status, subject) values (1, 'open', 'a'), (1, 'closed', 'b'), (2, 'open', 'c'), (1, 'open', 'd');
`

describe('TSDoc descriptions of a models file', () => {
  it('reads tables, views, columns (by key and SQL name) and enums, and nothing else', () => {
    const source = tsdocDescriptions([FIXTURE])
    expect(source.table({ name: 'staff' })).toBe('People who answer tickets.')
    expect(source.table({ name: 'tickets' })).toBeUndefined()
    expect(source.table({ name: 'open_tickets' })).toBe('Open tickets per staff member.')
    expect(source.column({ name: 'staff' }, { key: 'fullName', name: 'full_name' })).toBe(
      'Full name,\nas printed on the badge.',
    )
    expect(source.column({ name: 'staff' }, { key: 'renamedKey', name: 'full_name' })).toBe(
      'Full name,\nas printed on the badge.',
    )
    expect(source.column({ name: 'staff' }, { key: 'id', name: 'id' })).toBeUndefined()
    expect(source.column({ name: 'open_tickets' }, { key: 'staffId', name: 'staff_id' })).toBe(
      'Who holds them.',
    )
    expect(source.enum('ticket_status')).toBe('Where a ticket stands.')
    expect(source.enum('unused_mood')).toBeUndefined()
  })

  it('follows re-exports and finds the files a config file imports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gag-tsdoc-'))
    const toFixture = relative(dir, FIXTURE).replace(/\.ts$/, '.js')
    writeFileSync(join(dir, 'index.ts'), `export * from '${toFixture}'\n`)
    writeFileSync(
      join(dir, 'graphql-auto-gen.config.ts'),
      `import * as schema from './index.js'\nimport { defineConfig } from 'graphql-auto-gen'\nexport default defineConfig({ models: schema, modelFiles: 'auto' })\n`,
    )
    expect(importedFiles(join(dir, 'graphql-auto-gen.config.ts'))).toEqual([join(dir, 'index.ts')])
    expect(tsdocDescriptions([join(dir, 'index.ts')]).table({ name: 'staff' })).toBe(
      'People who answer tickets.',
    )
  })

  it('lists the skipped exports once at debug level when a server starts, and not at info', async () => {
    const lines: Array<Record<string, unknown>> = []
    const stream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }
    // One database for both servers, info first: the debug server after it must still list them.
    // A copy of the initdb'd template (testDatabases), not a new in-memory PGlite that runs initdb.
    const { database, dispose } = await testDatabases()[0]!.create()
    try {
      for (const level of ['info', 'debug'] as const) {
        const schema = new SchemaBuilder({ models: pulled }, { database }).build()
        const server = createServer({ schema, logger: pino({ level }, stream) })
        await server.close()
      }
    } finally {
      await dispose()
    }
    const listed = lines.filter((line) => String(line['msg']).startsWith('models: skipped'))
    expect(listed.map((line) => [line['level'], line['msg'], line['skipped']])).toEqual([
      [20, 'models: skipped 5 exports that are not tables or views', expect.any(Array)],
    ])
    expect((listed[0]!['skipped'] as Array<{ key: string }>).map((s) => s.key).sort()).toEqual([
      'staffRelations',
      'ticketNumbers',
      'ticketStatus',
      'ticketsRelations',
      'unusedMood',
    ])
  })

  it("refuses modelFiles: 'auto' without a config file, and a file that does not exist", () => {
    expect(() => new SchemaConfig({ models: pulled, modelFiles: 'auto' })).toThrow(ConfigError)
    expect(() => new SchemaConfig({ models: pulled, modelFiles: ['nope/schema.ts'] })).toThrow(
      'config: modelFiles: nope/schema.ts does not exist.',
    )
  })
})

describe.each(testDatabases())('models: schema, a drizzle-kit pull module (on $name)', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>
  let schema: GraphQLSchema

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
    await db.exec(DDL)
    const dir = mkdtempSync(join(tmpdir(), 'gag-pulled-'))
    const file = join(dir, 'graphql-auto-gen.config.ts')
    const toFixture = relative(dir, FIXTURE).replace(/\.ts$/, '.js')
    writeFileSync(
      file,
      `import * as schema from '${toFixture}'\nexport default { models: schema, modelFiles: 'auto', enableSubscriptions: false }\n`,
    )
    const config = await loadConfigFile(file)
    expect(config.resolved.modelFiles).toEqual([FIXTURE])
    schema = new SchemaBuilder(config, { database: db }).build()
  })

  afterAll(async () => {
    await dispose()
  })

  it('takes the tables and the view, and skips the other exports, listing them', () => {
    const config = new SchemaConfig({ models: pulled })
    expect(config.resolved.models.map((m) => m.name).sort()).toEqual(['openTickets', 'staff', 'tickets'])
    const byKey = (a: { key: string }, b: { key: string }): number => a.key.localeCompare(b.key)
    expect([...config.resolved.skippedModelExports].sort(byKey)).toEqual([
      { key: 'staffRelations', kind: 'relations' },
      { key: 'ticketNumbers', kind: 'sequence' },
      { key: 'ticketsRelations', kind: 'relations' },
      { key: 'ticketStatus', kind: 'enum' },
      { key: 'unusedMood', kind: 'enum' },
    ])
  })

  it('describes types, fields and enums from TSDoc, config winning', () => {
    const staff = schema.getType('Staff') as GraphQLObjectType
    expect(staff.description).toBe('People who answer tickets.')
    expect(staff.getFields()['fullName']!.description).toBe('Full name,\nas printed on the badge.')
    expect((schema.getType('Ticket') as GraphQLObjectType).getFields()['status']!.description).toBe(
      'Where the ticket is now.',
    )
    expect((schema.getType('TicketStatus') as GraphQLEnumType).description).toBe('Where a ticket stands.')
    expect(schema.getType('UnusedMood')).toBeUndefined()
    const overridden = new SchemaBuilder(
      { models: { staff: { table: pulled.staff, description: 'From config.' } }, modelFiles: [FIXTURE] },
      { database: db },
    ).build()
    expect((overridden.getType('Staff') as GraphQLObjectType).description).toBe('From config.')
  })

  it('serves the module: enum columns, the view, and staff/staffList', async () => {
    const result = await graphql({
      schema,
      source:
        '{ staffList { nodes { fullName tickets(orderBy: [{ subject: ASC }]) { nodes { subject status } } } } openTickets(orderBy: [{ staffId: ASC }]) { nodes { staffId open } } }',
    })
    expect(result.errors ?? []).toEqual([])
    const staffRows = (
      await db.query({
        text: `select s.full_name as "fullName", coalesce((select json_agg(json_build_object('subject', t.subject, 'status', upper(t.status::text)) order by t.subject) from tickets t where t.staff_id = s.id), '[]') as tickets from staff s order by s.id`,
        values: [],
      })
    ).rows.map((r) => ({ fullName: r['fullName'], tickets: { nodes: r['tickets'] } }))
    const viewRows = (
      await db.query({
        text: 'select staff_id as "staffId", open from open_tickets order by staff_id',
        values: [],
      })
    ).rows
    expect(result.data).toEqual({ staffList: { nodes: staffRows }, openTickets: { nodes: viewRows } })
    expect(Object.keys(schema.getMutationType()!.getFields()).some((f) => f.includes('OpenTicket'))).toBe(
      false,
    )
  })
})
