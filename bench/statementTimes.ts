// PostgreSQL execution time of each read's statement, ours against the hand-written one, with
// nothing else running: every statement is executed `--runs` times in turn on one connection
// (EXPLAIN ANALYZE, timing off) and the median and minimum execution times are printed. Ours is
// the statement the compiler writes for the bench query (captured from a run through graphql-js).
// Usage: node --import tsx bench/statementTimes.ts --url postgres://…/gag_bench [--runs 31]
import { parseArgs } from 'node:util'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { graphql as runGraphql } from 'graphql'
import pg from 'pg'
import { SchemaBuilder } from '../src/index.js'
import { countStatements } from '../src/database/index.js'
import { getSchemaRuntime } from '../src/schema/index.js'
import shopConfig from '../examples/shop/graphql-auto-gen.config.js'
import { median } from './report.js'
import { QUERIES } from './queries.js'

// The library's own graphql (the bench's node_modules has another copy, which a schema refuses).
const { graphql } = createRequire(new URL('../package.json', import.meta.url))('graphql') as {
  graphql: typeof runGraphql
}

const { values: args } = parseArgs({
  options: { url: { type: 'string' }, runs: { type: 'string', default: '31' }, queries: { type: 'string' } },
})
if (args.url === undefined) throw new Error('--url postgres://…/gag_bench is required')
const runs = Number(args.runs)
const wanted = args.queries?.split(',') ?? ['Q2', 'Q3', 'Q3b', 'Q7', 'Q8']

// The hand-written statements and their values, as bench/servers/handwritten.ts sends them.
const source = readFileSync(new URL('./servers/handwritten.ts', import.meta.url), 'utf8')
const HAND_VALUES: Record<string, unknown[]> = {
  q1: [],
  q2: [],
  q3: ['%42%'],
  q3b: ['%42%'],
  q7: ['%42%', '2023-03-01T00:00:00Z', '2023-09-01T00:00:00Z'],
  q8: [],
}
function handStatement(route: string): { text: string; values: unknown[] } {
  const match = new RegExp(`\\b${route}: \\{\\s*text: \`([\\s\\S]*?)\`,`).exec(source)
  if (match === null) throw new Error(`no hand-written statement for ${route}`)
  const userPage = /const userPage = `([^`]*)`/.exec(source)?.[1] ?? ''
  return { text: match[1]!.replaceAll('${userPage}', userPage), values: HAND_VALUES[route] ?? [] }
}

const schema = new SchemaBuilder({ ...shopConfig, database: { url: args.url } }).build()
const { database } = getSchemaRuntime(schema)
const client = new pg.Client({ connectionString: args.url })
await client.connect()

async function time(statement: { text: string; values: unknown[] }): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const result = await client.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, timing off, costs off) ${statement.text}`,
      statement.values,
    )
    const line = result.rows.map((r) => r['QUERY PLAN']).find((l) => l.startsWith('Execution Time'))
    times.push(Number(/([\d.]+) ms/.exec(line ?? '')?.[1]))
  }
  return times
}

process.stdout.write(
  '| query | hand-written ms (median / min) | ours ms (median / min) | ours × hand (median) |\n',
)
process.stdout.write('|---|---:|---:|---:|\n')
for (const query of QUERIES.filter((q) => wanted.includes(q.id))) {
  const plan = query.plans.autogen
  const hand = query.plans.handwritten
  if (plan === undefined || hand === undefined) continue
  const { statements } = await countStatements(database, () => graphql({ schema, source: plan.document }))
  const ours = await time({ text: statements[0]!.text, values: [...statements[0]!.values] })
  const theirs = await time(handStatement(hand.document))
  const [h, o] = [median(theirs), median(ours)]
  process.stdout.write(
    `| ${query.id} | ${h.toFixed(3)} / ${Math.min(...theirs).toFixed(3)} | ${o.toFixed(3)} / ${Math.min(...ours).toFixed(3)} | ${(o / h).toFixed(2)}× |\n`,
  )
}
await client.end()
await database.close()
