// One query's database time per request through the servers, one request at a time, in
// alternating windows: execution (pg_stat_statements), execution plus planning (track_planning),
// and the CPU time of the database's backends (/proc/<pid>/schedstat), each paired per window with
// the first variant's. Variants run a server with prepared statements on or off, to tell what a
// statement costs from how it is sent (docs/performance.md, "What a lookup by key costs").
// Needs the bench database on a server with pg_stat_statements preloaded, on this machine.
// Usage: node --import tsx bench/serialProbe.ts --url postgres://…:<port>/gag_bench [--query Q4]
//          [--servers handwritten,hand-prepared,autogen,autogen-unnamed] [--rounds 6] [--seconds 2] [--verbose]
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { QUERIES } from './queries.js'
import type { ServerName } from './queries.js'
import { startServer } from './serverProcess.js'
import { buildRequest, send } from './verify.js'

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    query: { type: 'string', default: 'Q4' },
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '2' },
    servers: { type: 'string', default: 'handwritten,autogen' },
    verbose: { type: 'boolean', default: false },
  },
})
const url = args.url!
const query = QUERIES.find((q) => q.id === args.query)!
const VARIANTS: Record<string, { server: ServerName; env: Record<string, string> }> = {
  handwritten: { server: 'handwritten', env: {} },
  'hand-prepared': { server: 'handwritten', env: { BENCH_HAND_PREPARED: '1' } },
  autogen: { server: 'autogen', env: {} },
  'autogen-unnamed': { server: 'autogen', env: { BENCH_PREPARED: '0' } },
  postgraphile: { server: 'postgraphile', env: {} },
}
const names = args.servers!.split(',') as ServerName[]
const client = new pg.Client({ connectionString: url })
await client.connect()
const running = new Map<ServerName, Awaited<ReturnType<typeof startServer>>>()
for (const name of names) {
  const variant = VARIANTS[name]!
  Object.assign(process.env, { BENCH_HAND_PREPARED: '0', BENCH_PREPARED: '1' }, variant.env)
  running.set(name, await startServer(variant.server, { databaseUrl: url, poolSize: 10 }))
}
const setup = {
  graphql: async (_name: ServerName, document: string, variables: Record<string, unknown> = {}) =>
    send({
      url: running.get(names.find((n) => VARIANTS[n]!.server === 'autogen') ?? names[0]!)!.url,
      body: JSON.stringify({ query: document, variables }),
    }),
}
const requests = new Map<ServerName, { url: string; body: string }>()
for (const name of names)
  requests.set(name, (await buildRequest(query, VARIANTS[name]!.server, running.get(name)!.url, setup))!)

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
function post(target: { url: string; body: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      target.url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (response) => {
        response.resume()
        response.on('end', resolve)
      },
    )
    request.on('error', reject)
    request.end(target.body)
  })
}

async function backendCpuNs(): Promise<number> {
  const { rows } = await client.query<{ pid: number }>(
    `select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
  )
  let total = 0
  for (const { pid } of rows) {
    try {
      total += Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0])
    } catch {
      /* gone */
    }
  }
  return total
}

const results = new Map<ServerName, { exec: number[]; cpu: number[]; plan: number[] }>()
for (let round = 0; round < Number(args.rounds); round++) {
  for (const name of round % 2 === 0 ? names : [...names].reverse()) {
    const target = requests.get(name)!
    for (let i = 0; i < 50; i++) await post(target)
    await client.query('select pg_stat_statements_reset()')
    const cpu0 = await backendCpuNs()
    let n = 0
    const end = Date.now() + Number(args.seconds) * 1000
    while (Date.now() < end) {
      await post(target)
      n++
    }
    const cpu1 = await backendCpuNs()
    const { rows } = await client.query<{ query: string; calls: number; exec: number; plan: number }>(
      `select query, calls::float8 as calls, total_exec_time::float8 as exec, total_plan_time::float8 as plan from pg_stat_statements s
       where s.query not ilike '%pg_stat%' and s.dbid = (select oid from pg_database where datname = current_database())`,
    )
    const exec = rows.reduce((sum, row) => sum + row.exec, 0)
    const plan = rows.reduce((sum, row) => sum + row.plan, 0)
    const entry = results.get(name) ?? { exec: [], cpu: [], plan: [] }
    entry.exec.push((exec * 1000) / n)
    entry.plan.push(((exec + plan) * 1000) / n)
    entry.cpu.push((cpu1 - cpu0) / 1000 / n)
    results.set(name, entry)
    console.log(
      `${round} ${name.padEnd(12)} n=${n} exec ${((exec * 1000) / n).toFixed(2)} µs/req backend cpu ${((cpu1 - cpu0) / 1000 / n).toFixed(1)} µs/req`,
    )
    if (args.verbose)
      for (const row of rows)
        console.log(
          `    calls ${row.calls} exec ${row.exec.toFixed(3)} ms plan ${row.plan.toFixed(3)} ${row.query.replace(/\s+/g, ' ').slice(0, 100)}`,
        )
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const hand = results.get('handwritten')
for (const [name, r] of results) {
  console.log(
    `${name.padEnd(15)} exec ${median(r.exec).toFixed(2)} µs exec+plan ${median(r.plan).toFixed(2)} cpu ${median(r.cpu).toFixed(1)} µs` +
      (hand
        ? `  × hand exec ${median(r.exec.map((x, i) => x / hand.exec[i]!)).toFixed(2)} exec+plan ${median(r.plan.map((x, i) => x / hand.plan[i]!)).toFixed(2)} cpu ${median(r.cpu.map((x, i) => x / hand.cpu[i]!)).toFixed(2)}`
        : ''),
  )
}
for (const server of running.values()) await server.stop()
await client.end()
