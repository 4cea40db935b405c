// Public sample databases we did not write (Chinook, Northwind), served from the models
// `drizzle-kit pull` generated for them, as a user with an existing database would. Nothing here
// is written per table: every check walks the models the schema builder made, and every expected
// answer comes from hand-written SQL over the same database.
import { graphql } from 'graphql'
import type { GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SchemaConfig } from '../../src/schema/index.js'
import { testDatabases } from '../../src/testing/testDatabases.js'
import type { Database } from '../../src/database/index.js'
import type { ModelField } from '../../src/models/index.js'
import type { ModelNames } from '../../src/naming/index.js'
import { getSchemaRuntime, SchemaBuilder } from '../../src/schema/index.js'
import { CORPORA, loadCorpus } from './corpora.js'
import type { Corpus } from './corpora.js'

type Node = Record<string, unknown>
const BIG_PAGE = 100_000

/** A scalar column as the API shows it: its GraphQL field name and the model field. */
interface ScalarColumn {
  name: string
  field: ModelField
}

describe.each(CORPORA.flatMap((corpus) => testDatabases().map((entry) => ({ corpus, entry }))))(
  '$corpus.name on $entry.name',
  ({ corpus, entry }: { corpus: Corpus; entry: ReturnType<typeof testDatabases>[number] }) => {
    let db: Database
    let dispose: () => Promise<void>
    let schema: GraphQLSchema
    let models: ModelNames[]
    /** Per model: every row's API `id`, in primary-key order (index i ↔ SQL row_number i + 1). */
    const idsInKeyOrder = new Map<string, string[]>()
    /** Per model: every row's API values of its scalar columns, in primary-key order. */
    const nodesInKeyOrder = new Map<string, Node[]>()

    async function run<T = Record<string, unknown>>(
      source: string,
      variableValues?: Record<string, unknown>,
    ) {
      const result = await graphql({ schema, source, variableValues })
      if (result.errors?.length) throw new Error(`${source}\n${JSON.stringify(result.errors)}`)
      return result.data as T
    }

    async function sql<Row = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<Row[]> {
      return (await db.query<Row>({ text, values })).rows
    }

    beforeAll(async () => {
      ;({ database: db, dispose } = await entry.create())
      const { models: pulled, options } = await loadCorpus(corpus, db)
      const config = new SchemaConfig({
        ...options,
        // The module as drizzle-kit pulled it (`models: schema`), whatever else it exports.
        models: pulled as ConstructorParameters<typeof SchemaConfig>[0]['models'],
        queries: { maxPageSize: BIG_PAGE, defaultPageSize: 100 },
      })
      schema = await new SchemaBuilder(config, { database: db }).buildAsync()
      models = [...getSchemaRuntime(schema).names.models.values()]
      for (const names of models) {
        const columns = scalarColumns(names)
        const data = await run<{ list: { nodes: Node[] } }>(
          `{ list: ${names.listField}(first: ${BIG_PAGE}) { nodes { id ${columns.map((c) => c.name).join(' ')} } } }`,
        )
        idsInKeyOrder.set(
          names.model.name,
          data.list.nodes.map((n) => n['id'] as string),
        )
        nodesInKeyOrder.set(names.model.name, data.list.nodes)
      }
    })

    afterAll(async () => {
      await dispose()
    })

    /** The table's rows numbered in primary-key order (`idx`, 1-based), as FROM item `alias`. */
    function numbered(names: ModelNames, alias = 's'): string {
      const pk = names.model.primaryKey.map((f) => quote(f.column)).join(', ')
      return `(select row_number() over (order by ${pk}) as idx, * from ${tableRef(names)}) as ${alias}`
    }

    /** The API ids of the rows SQL selects with `predicate` over {@link numbered}. */
    async function expectedIds(
      names: ModelNames,
      predicate: string,
      values: unknown[] = [],
    ): Promise<string[]> {
      const rows = await sql<{ idx: string }>(`select idx from ${numbered(names)} where ${predicate}`, values)
      const ids = idsInKeyOrder.get(names.model.name)!
      return rows.map((r) => ids[Number(r.idx) - 1]!).sort()
    }

    it('builds a type for every table drizzle-kit pulled', () => {
      expect(models.map((m) => m.model.table).sort()).toEqual(corpus.exposedTables)
    })

    it('lists every row of every table, each under its own id', async () => {
      for (const names of models) {
        const count = (
          await sql<{ count: number }>(`select count(*)::int as count from ${tableRef(names)}`)
        )[0]!.count
        const ids = idsInKeyOrder.get(names.model.name)!
        expect({ table: names.model.table, rows: ids.length }).toEqual({
          table: names.model.table,
          rows: count,
        })
        expect(new Set(ids).size).toBe(ids.length)
        const data = await run<{ list: { totalCount: number } }>(
          `{ list: ${names.listField} { totalCount } }`,
        )
        expect(data.list.totalCount).toBe(count)
      }
    })

    it('has rows to serve in most tables (a few sample tables ship empty)', async () => {
      const empty = models.filter((names) => idsInKeyOrder.get(names.model.name)!.length === 0)
      expect(empty.map((m) => m.model.table)).toEqual(corpus.emptyTables)
    })

    it('walks every table forwards and backwards by several orderings, seeing each row once', async () => {
      for (const names of models) {
        const ids = idsInKeyOrder.get(names.model.name)!
        const pageSize = Math.max(3, Math.ceil(ids.length / 4))
        for (const column of orderingColumns(names)) {
          for (const direction of ['ASC_NULLS_LAST', 'DESC_NULLS_FIRST'] as const) {
            const label = `${names.model.table} by ${column.field.column} ${direction}`
            const forward = await walk(names, { [column.name]: direction }, pageSize, 'forward')
            const backward = await walk(names, { [column.name]: direction }, pageSize, 'backward')
            expect({ label, rows: [...forward].sort() }).toEqual({ label, rows: [...ids].sort() })
            // Pages are put together in list order either way, so both walks give one sequence.
            expect({ label, rows: backward }).toEqual({ label, rows: forward })
            // The order is the SQL order of the column: rank by rank, ties in any order.
            const ranks = await sql<{ idx: string; rank: string }>(
              `select idx, dense_rank() over (order by ${quote(column.field.column)} ${direction === 'ASC_NULLS_LAST' ? 'asc nulls last' : 'desc nulls first'}) as rank from ${numbered(names)}`,
            )
            const rankOf = new Map(ranks.map((r) => [ids[Number(r.idx) - 1]!, Number(r.rank)]))
            const walked = forward.map((id) => rankOf.get(id)!)
            expect({ label, ranks: walked }).toEqual({ label, ranks: [...walked].sort((a, b) => a - b) })
          }
        }
      }
    })

    /** Pages through a model's list with first/after (or last/before); returns the ids in list order. */
    async function walk(
      names: ModelNames,
      orderBy: Record<string, string>,
      pageSize: number,
      way: 'forward' | 'backward',
    ): Promise<string[]> {
      const seen: string[] = []
      let cursor: string | null = null
      for (let page = 0; page < 1000; page++) {
        const args =
          way === 'forward' ? `first: ${pageSize}, after: $cursor` : `last: ${pageSize}, before: $cursor`
        const data: { list: { edges: Array<{ node: { id: string } }>; pageInfo: Record<string, unknown> } } =
          await run(
            `query($cursor: String, $orderBy: [${names.orderByTypeName}!]) { list: ${names.listField}(${args}, orderBy: $orderBy) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
            { cursor, orderBy: [orderBy] },
          )
        const pageIds = data.list.edges.map((e) => e.node.id)
        if (way === 'forward') seen.push(...pageIds)
        else seen.unshift(...pageIds)
        const more =
          way === 'forward' ? data.list.pageInfo['hasNextPage'] : data.list.pageInfo['hasPreviousPage']
        if (!more) return seen
        cursor = (
          way === 'forward' ? data.list.pageInfo['endCursor'] : data.list.pageInfo['startCursor']
        ) as string
      }
      throw new Error(`walk of ${names.model.table} did not end`)
    }

    it('filters every scalar column exactly as the same predicate in SQL', async () => {
      let cases = 0
      let nonEmpty = 0
      for (const names of models) {
        const nodes = nodesInKeyOrder.get(names.model.name)!
        for (const column of scalarColumns(names)) {
          for (const { filter, predicate, values } of filterCases(names, column, nodes)) {
            const data = await run<{ list: { totalCount: number; nodes: Array<{ id: string }> } }>(
              `query($f: ${names.filterTypeName}) { list: ${names.listField}(filter: $f, first: ${BIG_PAGE}) { totalCount nodes { id } } }`,
              { f: { [column.name]: filter } },
            )
            const expected = await expectedIds(names, predicate, values)
            const label = `${names.model.table}.${column.field.column} ${JSON.stringify(filter)}`
            expect({ label, ids: data.list.nodes.map((n) => n.id).sort() }).toEqual({ label, ids: expected })
            expect(data.list.totalCount).toBe(expected.length)
            cases++
            if (expected.length > 0) nonEmpty++
          }
        }
      }
      expect(cases).toBeGreaterThan(100)
      expect(nonEmpty / cases).toBeGreaterThan(0.5)
    })

    it('creates, updates and deletes a row of every writable table, as the database shows', async () => {
      const writable = models.filter((names) => names.mutations.fields.create in schemaMutations(schema))
      expect(writable.length).toBeGreaterThan(0)
      for (const names of writable) await roundTrip(names)
    })

    async function roundTrip(names: ModelNames): Promise<void> {
      const table = tableRef(names)
      const pkColumns = names.model.primaryKey.map((f) => f.column)
      const templateId = idsInKeyOrder.get(names.model.name)![0]
      const related = await relatedIds(names, templateId)
      const key = await freshKey(names)
      const input: Record<string, unknown> = {}
      for (const [inputName, binding] of names.mutations.inputs) {
        if (binding.aliasOf !== undefined || !binding.onCreate) continue
        if (binding.kind === 'column') {
          const field = binding.field
          // bytea (drizzle-kit's `unknown`, a text column here) is left out: the pulled model
          // gives it no type, and PGlite refuses text for a bytea parameter.
          if (field.sqlType === 'bytea') continue
          const value = field.isPrimaryKey
            ? key.columns[field.column]
            : nodesInKeyOrder.get(names.model.name)![0]?.[columnOutputName(names, field)]
          if (value !== undefined && value !== null) input[inputName] = value
        } else if (binding.kind === 'toOne') {
          const id = key.relations[binding.relation.id] ?? related[binding.relation.id]
          if (id !== undefined && id !== null) input[inputName] = id
        }
      }
      const label = names.model.table
      const node = names.mutations.nodeField
      const created = await run<
        Record<string, { success: boolean; errors: unknown[]; [k: string]: unknown }>
      >(
        `mutation($input: ${names.mutations.createInput}!) { r: ${names.mutations.fields.create}(input: $input) { success errors { field message code } ${node} { id } } }`,
        { input },
      )
      expect({ label, errors: created['r']!.errors, success: created['r']!.success }).toEqual({
        label,
        errors: [],
        success: true,
      })
      const id = (created['r']![node] as { id: string }).id
      const keyPredicate = pkColumns.map((c, i) => `${quote(c)}::text = $${i + 1}::text`).join(' and ')
      const keyValues = pkColumns.map((c) => String(key.columns[c]))
      const countRows = async () =>
        (
          await sql<{ n: number }>(`select count(*)::int as n from ${table} where ${keyPredicate}`, keyValues)
        )[0]!.n
      expect({ label, rows: await countRows() }).toEqual({ label, rows: 1 })

      // Update: a text column gets a new value (or a number column one more), read back with SQL.
      const target = scalarColumns(names).find(
        (c) =>
          !c.field.isPrimaryKey && !c.field.readOnly && (c.field.kind === 'String' || c.field.kind === 'Int'),
      )
      if (target) {
        const value = target.field.kind === 'String' ? 'Up'.slice(0, target.field.maxLength ?? 2) : 7
        const updated = await run<Record<string, { success: boolean; errors: unknown[] }>>(
          `mutation($id: ID!, $input: ${names.mutations.updateInput}!) { r: ${names.mutations.fields.update}(id: $id, input: $input) { success errors { field message code } } }`,
          { id, input: { [target.name]: value } },
        )
        expect({ label, ...updated['r'] }).toEqual({ label, success: true, errors: [] })
        const [row] = await sql<{ value: string }>(
          `select ${quote(target.field.column)}::text as value from ${table} where ${keyPredicate}`,
          keyValues,
        )
        expect({ label, value: row?.value }).toEqual({ label, value: String(value) })
      }

      const deleted = await run<Record<string, { success: boolean; errors: unknown[] }>>(
        `mutation($id: ID!) { r: ${names.mutations.fields.delete}(id: $id) { success errors { field message code } } }`,
        { id },
      )
      expect({ label, ...deleted['r'] }).toEqual({ label, success: true, errors: [] })
      expect({ label, rows: await countRows() }).toEqual({ label, rows: 0 })
    }

    /** The global ids of the rows a template row's to-one relations point at, by relation id. */
    async function relatedIds(
      names: ModelNames,
      id: string | undefined,
    ): Promise<Record<string, string | null>> {
      const toOne = [...names.fields].filter(
        ([, b]) => b.kind === 'relation' && b.relation.kind === 'toOne' && b.relation.isForward,
      )
      // An empty table has no row to copy: its to-one fields are left out (all nullable or none).
      if (toOne.length === 0 || id === undefined) return {}
      const data = await run<{ node: Record<string, { id: string } | null> }>(
        `query($id: ID!) { node(id: $id) { ... on ${names.typeName} { ${toOne.map(([n]) => `${n} { id }`).join(' ')} } } }`,
        { id },
      )
      const result: Record<string, string | null> = {}
      for (const [name, binding] of toOne) {
        if (binding.kind === 'relation') result[binding.relation.id] = data.node[name]?.id ?? null
      }
      return result
    }

    /**
     * A primary key no row has, column by column: past the largest number or an unused short
     * text for plain columns; for key columns that are foreign keys, a combination of existing
     * referenced rows that no row uses yet (found in SQL), given to the API as those rows' ids.
     */
    async function freshKey(
      names: ModelNames,
    ): Promise<{ columns: Record<string, unknown>; relations: Record<string, string> }> {
      const columns: Record<string, unknown> = {}
      const relations: Record<string, string> = {}
      const joins: Array<{
        relationId: string
        target: ModelNames
        source: string[]
        targetColumns: string[]
      }> = []
      for (const field of names.model.primaryKey) {
        const relation = names.model.relations.find(
          (r) => r.kind === 'toOne' && r.isForward && r.sourceColumns.includes(field.column),
        )
        if (relation) {
          if (!joins.some((j) => j.relationId === relation.id)) {
            joins.push({
              relationId: relation.id,
              target: models.find((m) => m.model.name === relation.target)!,
              source: [...relation.sourceColumns],
              targetColumns: [...relation.targetColumns],
            })
          }
        } else if (field.kind === 'Int') {
          const [row] = await sql<{ next: number }>(
            `select coalesce(max(${quote(field.column)}), 0)::int + 1000 as next from ${tableRef(names)}`,
          )
          columns[field.column] = row!.next
        } else {
          columns[field.column] = 'ZZ9'.slice(0, field.maxLength ?? 3)
        }
      }
      if (joins.length === 0) return { columns, relations }
      const from = joins.map((j, i) => numbered(j.target, `t${i}`)).join(' cross join ')
      const matches = joins
        .flatMap((j, i) => j.source.map((c, k) => `x.${quote(c)} = t${i}.${quote(j.targetColumns[k]!)}`))
        .join(' and ')
      const picks = joins.flatMap((j, i) => [
        `t${i}.idx as "idx${i}"`,
        ...j.source.map((c, k) => `t${i}.${quote(j.targetColumns[k]!)} as ${quote(c)}`),
      ])
      const [row] = await sql<Record<string, unknown>>(
        `select ${picks.join(', ')} from ${from} where not exists (select 1 from ${tableRef(names)} as x where ${matches}) limit 1`,
      )
      joins.forEach((j, i) => {
        relations[j.relationId] = idsInKeyOrder.get(j.target.model.name)![Number(row![`idx${i}`]) - 1]!
        for (const c of j.source) columns[c] = row![c]
      })
      return { columns, relations }
    }
  },
)

/** The Mutation type's fields. */
function schemaMutations(schema: GraphQLSchema): Record<string, unknown> {
  return schema.getMutationType()?.getFields() ?? {}
}

/** The model's scalar output columns (primary key and plain columns; relations and lists left out). */
function scalarColumns(names: ModelNames): ScalarColumn[] {
  const columns: ScalarColumn[] = []
  for (const [name, binding] of names.fields) {
    if (binding.kind !== 'column' || binding.deprecationReason !== undefined) continue
    if (binding.field.isList || binding.field.hidden || binding.field.writeOnly) continue
    columns.push({ name, field: binding.field })
  }
  return columns
}

/** The GraphQL output name of a model field. */
function columnOutputName(names: ModelNames, field: ModelField): string {
  return scalarColumns(names).find((c) => c.field === field)?.name ?? field.key
}

/** Up to three columns to order by: the key, a text column and a nullable one when there are. */
function orderingColumns(names: ModelNames): ScalarColumn[] {
  const columns = scalarColumns(names).filter((c) => c.field.kind !== 'JSON')
  const picked = new Set<ScalarColumn>()
  const add = (column: ScalarColumn | undefined): void => {
    if (column) picked.add(column)
  }
  add(columns.find((c) => !c.field.isPrimaryKey && c.field.kind === 'String'))
  add(columns.find((c) => c.field.nullable && !picked.has(c)))
  add(columns.find((c) => !c.field.isPrimaryKey && c.field.kind !== 'String' && !picked.has(c)))
  if (picked.size === 0) add(columns[0])
  return [...picked]
}

/** Kinds whose filters have range lookups (gt, gte, lt, lte). */
const ORDERED_KINDS = new Set(['Int', 'Float', 'Decimal', 'BigInt', 'Date', 'DateTime', 'Time'])

/**
 * Filters on one column and the SQL predicate each means, with values taken from the rows: the
 * GraphQL side gets the API's own rendering of a row's value, the SQL side the same row's value
 * read in SQL (`(select col from s where idx = k)`), so no value is converted by hand.
 */
function filterCases(
  names: ModelNames,
  column: ScalarColumn,
  nodes: Node[],
): Array<{ filter: Record<string, unknown>; predicate: string; values: unknown[] }> {
  const col = quote(column.field.column)
  const pk = names.model.primaryKey.map((f) => quote(f.column)).join(', ')
  const valueAt = (idx: number) =>
    `(select ${col} from (select row_number() over (order by ${pk}) as idx, ${col} from ${tableRef(names)}) as v where v.idx = ${idx})`
  const present = nodes
    .map((node, i) => ({ value: node[column.name], idx: i + 1 }))
    .filter((entry) => entry.value !== null && entry.value !== undefined)
  const cases: Array<{ filter: Record<string, unknown>; predicate: string; values: unknown[] }> = []
  if (column.field.nullable) {
    cases.push({ filter: { isnull: true }, predicate: `${col} is null`, values: [] })
    cases.push({ filter: { isnull: false }, predicate: `${col} is not null`, values: [] })
  }
  if (present.length === 0 || column.field.kind === 'JSON') return cases
  const pick = (fraction: number) =>
    present[Math.min(present.length - 1, Math.floor(present.length * fraction))]!
  const a = pick(0.3)
  const b = pick(0.7)
  cases.push({ filter: { exact: a.value }, predicate: `${col} = ${valueAt(a.idx)}`, values: [] })
  cases.push({
    filter: { in: [a.value, b.value] },
    predicate: `${col} in (${valueAt(a.idx)}, ${valueAt(b.idx)})`,
    values: [],
  })
  if (ORDERED_KINDS.has(column.field.kind)) {
    cases.push({ filter: { gt: a.value }, predicate: `${col} > ${valueAt(a.idx)}`, values: [] })
    cases.push({ filter: { lte: b.value }, predicate: `${col} <= ${valueAt(b.idx)}`, values: [] })
    cases.push({
      filter: { gte: a.value, lt: b.value },
      predicate: `${col} >= ${valueAt(a.idx)} and ${col} < ${valueAt(b.idx)}`,
      values: [],
    })
  }
  if (column.field.kind === 'String' && typeof a.value === 'string') {
    const text = a.value
    // Text lookups on a column of another type (bytea, inet, …) compare its text form.
    const textOf = /^(text|varchar|char|character)/.test(column.field.sqlType) ? col : `${col}::text`
    const middle = text.slice(1, 4).toUpperCase()
    const prefix = text.slice(0, 2)
    cases.push({
      filter: { icontains: middle },
      predicate: `${textOf} ilike '%' || replace(replace(replace($1, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`,
      values: [middle],
    })
    cases.push({
      filter: { startswith: prefix },
      predicate: `${textOf} like replace(replace(replace($1, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`,
      values: [prefix],
    })
    cases.push({
      filter: { iexact: text.toUpperCase() },
      predicate: `upper(${textOf}) = upper($1)`,
      values: [text],
    })
  }
  return cases
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

function tableRef(names: ModelNames): string {
  const { schema, table } = names.model
  return schema !== undefined ? `${quote(schema)}.${quote(table)}` : quote(table)
}
