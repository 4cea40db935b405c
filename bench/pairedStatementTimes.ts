// PostgreSQL's execution time of each read's statement, ours against the hand-written one, as
// pg_stat_statements counts it (mean_exec_time, what issue 17's bar reads) and the fastest of the
// runs (min_exec_time, steadier on a loaded machine). Ours is captured from the server as it
// answers the bench query (the fast path, with debugSql: the very statement and values it sends),
// variables and cursors included. Each round runs every statement of a query alone `--runs` times
// after a reset, in turn (the order alternates by round), and ratios are paired within a round.
// Statements are sent as the servers send them: ours named (prepared) unless it binds a filter
// value, the hand-written one unnamed; `hand (named)` is the hand-written one prepared too, and
// `ours (unnamed)` ours unnamed: compare like with like (see the note at `statements`).
// Needs a server with pg_stat_statements preloaded (the bench's private cluster) and gag_bench.
// Usage: node --import tsx bench/pairedStatementTimes.ts --url postgres://…:<port>/gag_bench
//          [--queries Q2,Q4] [--rounds 21] [--runs 30] [--save ours.json] [--before ours-before.json]
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { SchemaBuilder } from '../src/index.js'
import { createServer } from '../src/server/index.js'
import shopConfig from '../examples/shop/graphql-auto-gen.config.js'
import { median } from './report.js'
import { QUERIES } from './queries.js'
import type { SetupContext } from './queries.js'

interface Statement {
  name: string
  text: string
  values: unknown[]
  prepared: boolean
}

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    queries: { type: 'string' },
    rounds: { type: 'string', default: '21' },
    runs: { type: 'string', default: '30' },
    save: { type: 'string' },
    before: { type: 'string' },
  },
})
if (args.url === undefined) throw new Error('--url postgres://…/gag_bench is required')
const url = args.url
const wanted = args.queries?.split(',')
const reads = QUERIES.filter(
  (q) => !q.mutates && q.plans.autogen && q.plans.handwritten && (!wanted || wanted.includes(q.id)),
)

// The hand-written statements, as bench/servers/handwritten.ts sends them (its route's values).
const source = readFileSync(new URL('./servers/handwritten.ts', import.meta.url), 'utf8')
const HAND_VALUES: Record<string, (variables: Record<string, unknown>) => unknown[]> = {
  q3: () => ['%42%'],
  q3b: () => ['%42%'],
  q4: (v) => [v['id']],
  q5: (v) => [v['after']],
  q7: () => ['%42%', '2023-03-01T00:00:00Z', '2023-09-01T00:00:00Z'],
  q9: (v) => [v['before']],
}
async function handStatement(id: string, route: string, setup: SetupContext): Promise<Statement> {
  const match = new RegExp(`\\b${route}: \\{(?:\\s*//[^\\n]*)*\\s*text: \`([\\s\\S]*?)\`,`).exec(source)
  if (match === null) throw new Error(`no hand-written statement for ${route}`)
  const userPage = /const userPage = `([^`]*)`/.exec(source)?.[1] ?? ''
  const plan = QUERIES.find((q) => q.id === id)!.plans.handwritten!
  const variables = plan.variables ? await plan.variables(setup) : {}
  return {
    name: 'hand',
    text: match[1]!.replaceAll('${userPage}', userPage),
    values: HAND_VALUES[route]?.(variables) ?? [],
    prepared: false,
  }
}

// Our statements, from a server that reports them (debugSql) for the second, repeated request.
async function captureOurs(): Promise<Record<string, Statement>> {
  const schema = new SchemaBuilder({
    ...shopConfig,
    database: { url },
    server: { ...shopConfig.server, graphiql: false, debugSql: true, logLevel: 'warn' },
    performance: { ...shopConfig.performance, maxQueryComplexity: 100_000 },
  }).build()
  const server = createServer({ schema })
  const base = await server.listen(0, '127.0.0.1')
  const post = async (query: string, variables?: Record<string, unknown>): Promise<Answer> => {
    const response = await fetch(new URL('/graphql', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    })
    return (await response.json()) as Answer
  }
  const setup: SetupContext = {
    async graphql(_server, query, variables) {
      const answer = await post(query, variables)
      if (answer.errors) throw new Error(JSON.stringify(answer.errors))
      return answer.data
    },
  }
  const ours: Record<string, Statement> = {}
  for (const query of reads) {
    const plan = query.plans.autogen!
    const variables = plan.variables ? await plan.variables(setup) : undefined
    await post(plan.document, variables)
    const answer = await post(plan.document, variables)
    const statement = answer.extensions?.sql.statements[0]
    if (answer.errors || !statement) throw new Error(`${query.id}: ${JSON.stringify(answer.errors)}`)
    // The server names (prepares) a statement unless it binds a filter's value (docs/performance.md).
    const filtered = /\bi?like\b|"is_active" =/.test(statement.sql)
    ours[query.id] = { name: 'ours', text: statement.sql, values: statement.values, prepared: !filtered }
  }
  await server.close()
  return ours
}

interface Answer {
  data?: unknown
  errors?: unknown
  extensions?: { sql: { statements: { sql: string; values: unknown[] }[] } }
}

const ours = await captureOurs()
if (args.save) writeFileSync(args.save, JSON.stringify(ours, null, 1))
const before = args.before
  ? (JSON.parse(readFileSync(args.before, 'utf8')) as Record<string, Statement>)
  : undefined

const client = new pg.Client({ connectionString: url })
await client.connect()
await client.query('create extension if not exists pg_stat_statements')
const setup: SetupContext = {
  graphql: () => Promise.reject(new Error('the hand-written variables need no server')),
}
let prepared = 0

/** Mean and minimum execution time (µs) of `runs` executions of one statement, alone. */
async function once(statement: Statement, runs: number): Promise<[number, number]> {
  await client.query('select pg_stat_statements_reset()')
  const name = statement.prepared ? `paired_${prepared++}` : undefined
  for (let i = 0; i < runs; i++)
    await client.query({ ...(name ? { name } : {}), text: statement.text, values: statement.values })
  const { rows } = await client.query<{ ms: number; calls: number; min: number }>(
    `select sum(total_exec_time)::float8 as ms, sum(calls)::float8 as calls, min(min_exec_time)::float8 as min
     from pg_stat_statements s
     where s.query not ilike '%pg_stat%' and s.dbid = (select oid from pg_database where datname = current_database())`,
  )
  const row = rows[0]!
  return [(row.ms / row.calls) * 1000, row.min * 1000]
}

const quantile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.round(p * (sorted.length - 1))]!
}
const spread = (ratios: number[]): string =>
  `${median(ratios).toFixed(2)}× [${quantile(ratios, 0.25).toFixed(2)}–${quantile(ratios, 0.75).toFixed(2)}]`

process.stdout.write(
  '| query | statement | mean µs (median of rounds) | mean × hand, median [IQR] | min µs | min × hand, median [IQR] |\n',
)
process.stdout.write('|---|---|---:|---:|---:|---:|\n')
const [rounds, runs] = [Number(args.rounds), Number(args.runs)]
for (const query of reads) {
  const hand = await handStatement(query.id, query.plans.handwritten!.document, setup)
  const statements: Statement[] = [
    hand,
    ...(before?.[query.id] ? [{ ...before[query.id]!, name: 'ours before' }] : []),
    ours[query.id]!,
    // Like for like, when ours is prepared: the hand-written one prepared too, and ours unnamed.
    // How a statement is sent moves its execution time (pgbench: Q4 prepared at 0.66× unnamed,
    // back to back; through the server 1.01–1.12×): see docs/performance.md.
    ...(ours[query.id]!.prepared
      ? [
          { ...hand, name: 'hand (named)', prepared: true },
          { ...ours[query.id]!, name: 'ours (unnamed)', prepared: false },
        ]
      : []),
  ]
  const means = statements.map((): number[] => [])
  const mins = statements.map((): number[] => [])
  for (let round = 0; round < rounds; round++) {
    const order = statements.map((_, i) => i)
    if (round % 2 === 1) order.reverse()
    for (const i of order) {
      const [mean, min] = await once(statements[i]!, runs)
      means[i]!.push(mean)
      mins[i]!.push(min)
    }
  }
  statements.forEach((statement, i) => {
    const meanRatios = means[i]!.map((v, r) => v / means[0]![r]!)
    const minRatios = mins[i]!.map((v, r) => v / mins[0]![r]!)
    process.stdout.write(
      `| ${query.id} | ${statement.name} | ${median(means[i]!).toFixed(1)} | ${spread(meanRatios)} | ${median(mins[i]!).toFixed(2)} | ${spread(minRatios)} |\n`,
    )
  })
}
await client.end()
