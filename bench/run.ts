// `npm run bench`: seeds the bench database, checks that every server gives the same answers (and
// counts their statements), then measures them in interleaved rounds and writes the table into
// BENCHMARKS.md. `--quick` is for development only (2 s measurements).
import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { ensureBenchDatabase, resetWrites, waitForIdle } from './data/benchDatabase.js'
import { measure } from './load.js'
import type { LoadRequest } from './load.js'
import { machineInfo, versions } from './machine.js'
import { QUERIES, SERVER_NAMES } from './queries.js'
import type { ServerName, SetupContext } from './queries.js'
import { median, renderReport } from './report.js'
import type { Cell, RunResults } from './report.js'
import type { SchemaBuildResult } from './schemaBuild.js'
import { startServer } from './serverProcess.js'
import type { RunningServer } from './serverProcess.js'
import { startStatementProxy } from './statementProxy.js'
import { startPrivatePostgres } from './data/privatePostgres.js'
import { backendCpuMs, statementTime } from './statementTime.js'
import type { StatementProxy } from './statementProxy.js'
import { buildRequest, send, verify } from './verify.js'

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    pool: { type: 'string', default: '10' },
    queries: { type: 'string' },
    servers: { type: 'string' },
    'admin-url': { type: 'string', default: process.env['BENCH_ADMIN_URL'] },
    'shared-pg': { type: 'boolean', default: false },
    'db-name': { type: 'string', default: 'gag_bench' },
    reseed: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    'skip-schema-build': { type: 'boolean', default: false },
  },
})

const seconds = Number(args.duration ?? (args.quick ? 2 : 10))
const warmupSeconds = Number(args.warmup ?? (args.quick ? 1 : 3))
const serialSeconds = args.quick ? 3 : 5
/** Alternating windows the serial database time is measured in (their time adds up to serialSeconds). */
const SERIAL_WINDOWS = 6
const rounds = Number(args.rounds)
const connections = Number(args.connections)
const poolSize = Number(args.pool)
const queryFilter = args.queries?.split(',')
const serverFilter = args.servers?.split(',') as ServerName[] | undefined
const queries = QUERIES.filter((query) => queryFilter === undefined || queryFilter.includes(query.id))
// The hand-written server is the reference answer and the ratio base: always included.
const servers = SERVER_NAMES.filter(
  (name) => name === 'handwritten' || serverFilter === undefined || serverFilter.includes(name),
)
const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`)

const startedAt = new Date().toISOString()
// Without an explicit server, the bench runs its own PostgreSQL with pg_stat_statements preloaded,
// for the database-time column; `--shared-pg` (or no PostgreSQL binaries) uses the local server.
const privatePostgres =
  args['admin-url'] === undefined && !args['shared-pg'] ? await startPrivatePostgres(log) : undefined
// Servers started by this run, so an interrupted run does not leave them behind.
const children = new Set<RunningServer>()
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.all([...children].map((child) => child.stop()))
      .then(() => privatePostgres?.stop())
      .finally(() => process.exit(130))
  })
}

const adminUrl = args['admin-url'] ?? privatePostgres?.adminUrl ?? 'postgres://postgres@127.0.0.1:5432/test'
const databaseUrl = await ensureBenchDatabase({
  adminUrl,
  name: args['db-name'],
  force: args.reseed,
  log,
})
await resetWrites(databaseUrl)
const machine = await machineInfo(databaseUrl)
const pgTime = await statementTime(databaseUrl)
log(
  pgTime === undefined
    ? 'pg_stat_statements not loaded: no database-time column'
    : 'database time from pg_stat_statements',
)
log(`machine: ${machine.cpu} ×${machine.cores}, load ${machine.loadAverage.join(' ')}`)

const cells: Record<string, Partial<Record<ServerName, Cell>>> = {}
// Request bodies from the answer check (cursors included), replayed against the measured servers.
const bodies = new Map<string, { route: string; body: string }>()
for (const query of queries) cells[query.id] = {}

await checkAnswers()
const memory = await measureAll()
await pgTime?.close()
await privatePostgres?.stop()
const schemaBuild = args['skip-schema-build'] ? undefined : await runSchemaBuild()

const results: RunResults = {
  mode: args.quick ? 'PRELIMINARY (--quick)' : 'Full run',
  command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
  startedAt,
  machine,
  loadAverageAtEnd: os.loadavg().map((value) => Math.round(value * 100) / 100),
  versions: versions(),
  settings: { connections, seconds, warmupSeconds, rounds, poolSize },
  cells,
  memory,
  ...(schemaBuild !== undefined ? { schemaBuild } : {}),
  pending: [],
}
const report = renderReport(results)
const resultsDir = new URL('./results/', import.meta.url)
await mkdir(resultsDir, { recursive: true })
const stamp = startedAt.replaceAll(':', '-')
await writeFile(new URL(`${stamp}.json`, resultsDir), JSON.stringify(results, null, 2))
await writeFile(new URL('latest.md', resultsDir), report + '\n')
if (!args['no-write'] && queryFilter === undefined && serverFilter === undefined)
  await writeBenchmarksMd(report)
process.stdout.write(report + '\n')

/** Phase 1: servers behind counting proxies; every answer compared with the hand-written one. */
async function checkAnswers(): Promise<void> {
  const target = new URL(databaseUrl)
  const proxies = new Map<ServerName, StatementProxy>()
  const running = new Map<ServerName, RunningServer>()
  try {
    for (const name of servers) {
      const proxy = await startStatementProxy({ host: target.hostname, port: Number(target.port || 5432) })
      proxies.set(name, proxy)
      const proxied = new URL(databaseUrl)
      proxied.hostname = '127.0.0.1'
      proxied.port = String(proxy.port)
      const server = await startServer(name, { databaseUrl: proxied.toString(), poolSize })
      children.add(server)
      running.set(name, server)
    }
    const setup = setupContext(running)
    for (const query of queries) {
      let expected: unknown
      for (const name of servers) {
        const server = running.get(name)
        const proxy = proxies.get(name)
        if (server === undefined || proxy === undefined || query.plans[name] === undefined) continue
        try {
          const request = await buildRequest(query, name, server.url, setup)
          if (request === undefined) continue
          const { verification, answer } = await verify(
            query,
            name,
            request,
            proxy,
            expected,
            afterBatch(query),
          )
          if (name === 'handwritten') expected = answer
          bodies.set(`${query.id}/${name}`, {
            route: request.url.slice(server.url.length),
            body: request.body,
          })
          cells[query.id]![name] = { rounds: [], statements: verification.statements }
          log(
            `${query.id} ${name}: same answer (${verification.size} items), ${verification.statements} statements/request`,
          )
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error)
          cells[query.id]![name] = { rounds: [], error: message.split('\n')[0] ?? message }
          log(`${query.id} ${name}: FAILED ${message}`)
          if (name === 'handwritten') throw error
        }
      }
    }
  } finally {
    for (const server of running.values()) await server.stop().then(() => children.delete(server))
    for (const proxy of proxies.values()) await proxy.close()
  }
}

/** Phase 2: direct connections, warm-up, then rounds with the servers' order rotating. */
async function measureAll(): Promise<Partial<Record<ServerName, { rss: number; peak: number }>>> {
  const running = new Map<ServerName, RunningServer>()
  const memory: Partial<Record<ServerName, { rss: number; peak: number }>> = {}
  try {
    for (const name of servers) {
      const server = await startServer(name, { databaseUrl, poolSize })
      children.add(server)
      running.set(name, server)
    }
    const requests = new Map<string, LoadRequest>()
    for (const [key, { route, body }] of bodies) {
      const server = running.get(key.split('/')[1] as ServerName)
      if (server !== undefined) requests.set(key, { url: server.url + route, body })
    }
    log(`warm-up: ${warmupSeconds} s per server per query`)
    for (const query of queries) {
      for (const name of servers) {
        const request = requests.get(`${query.id}/${name}`)
        if (request === undefined) continue
        await measure(request, connections, warmupSeconds)
        await settle(query, running.get(name))
      }
    }
    if (pgTime !== undefined) await measureSerialDatabaseTime(requests, running, pgTime)
    for (let round = 0; round < rounds; round++) {
      log(
        `round ${round + 1}/${rounds}, load ${os
          .loadavg()
          .map((v) => v.toFixed(2))
          .join(' ')}`,
      )
      for (const [index, query] of queries.entries()) {
        const order = rotate(servers, round + index)
        for (const name of order) {
          const request = requests.get(`${query.id}/${name}`)
          const cell = cells[query.id]?.[name]
          if (request === undefined || cell === undefined) continue
          await pgTime?.reset()
          const result = await measure(request, connections, Math.max(seconds, query.minSeconds ?? 0))
          await drain(running.get(name))
          if (pgTime !== undefined && result.requests > 0)
            result.databaseMsPerRequest = (await pgTime.read()).totalMs / result.requests
          await afterBatch(query)?.()
          if (result.failures > 0) cell.error = `${result.failures} failed requests in round ${round + 1}`
          cell.rounds.push(result)
          const database =
            result.databaseMsPerRequest === undefined
              ? ''
              : `  db ${result.databaseMsPerRequest.toFixed(3)} ms/req`
          log(
            `  ${query.id} ${name.padEnd(12)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms${database}`,
          )
        }
      }
    }
    for (const [name, server] of running) {
      const usage = server.memory()
      if (usage !== undefined) memory[name] = usage
    }
    return memory
  } finally {
    for (const server of running.values()) await server.stop().then(() => children.delete(server))
  }
}

/**
 * PostgreSQL time per request with one request in flight at a time (one connection), so the
 * database time is the statement's own, not inflated by the server's other requests queueing for
 * the same CPUs: the number the issue-17 bar (≤ 1.15× hand-written) is checked against.
 */
async function measureSerialDatabaseTime(
  requests: Map<string, LoadRequest>,
  running: Map<ServerName, RunningServer>,
  stats: NonNullable<typeof pgTime>,
): Promise<void> {
  log(
    `database time, one request at a time: ${SERIAL_WINDOWS} windows of ${serialSeconds / SERIAL_WINDOWS} s per server per query, servers alternating`,
  )
  for (const query of queries) {
    const windows = new Map<ServerName, SerialWindow[]>()
    for (let window = 0; window < SERIAL_WINDOWS; window++) {
      // Alternating the order window by window: what the database does over time (autovacuum
      // after a write query, caches warming) falls on every server alike.
      for (const name of window % 2 === 0 ? servers : [...servers].reverse()) {
        const request = requests.get(`${query.id}/${name}`)
        if (request === undefined || cells[query.id]?.[name] === undefined) continue
        await stats.reset()
        const cpuBefore = await stats.backendCpu()
        const result = await measure(request, 1, serialSeconds / SERIAL_WINDOWS)
        // Before the drain, whose probe and idle check open connections of their own.
        const cpuAfter = await stats.backendCpu()
        await drain(running.get(name))
        const { totalMs, planMs } = await stats.read()
        await afterBatch(query)?.()
        if (result.requests === 0) continue
        const cpuMs = cpuBefore && cpuAfter ? backendCpuMs(cpuBefore, cpuAfter) : undefined
        windows.set(name, [
          ...(windows.get(name) ?? []),
          {
            execMs: totalMs / result.requests,
            planMs: planMs / result.requests,
            ...(cpuMs !== undefined ? { cpuMs: cpuMs / result.requests } : {}),
          },
        ])
      }
    }
    const hand = windows.get('handwritten')
    for (const [name, times] of windows) {
      const cell = cells[query.id]![name]!
      const exec = times.map((time) => time.execMs)
      cell.serialDatabaseMs = median(exec)
      cell.serialPlanMs = median(times.map((time) => time.planMs))
      const cpu = times.flatMap((time) => (time.cpuMs === undefined ? [] : [time.cpuMs]))
      if (cpu.length === times.length) cell.serialBackendCpuMs = median(cpu)
      // Paired per window, then the median: the issue-17 bar's ratio.
      if (hand !== undefined && hand.length === times.length) {
        cell.serialVsHand = median(exec.map((time, i) => time / hand[i]!.execMs))
        cell.serialWithPlanVsHand = median(
          times.map((time, i) => (time.execMs + time.planMs) / (hand[i]!.execMs + hand[i]!.planMs)),
        )
        if (cpu.length === times.length && hand.every((time) => time.cpuMs !== undefined))
          cell.serialBackendCpuVsHand = median(cpu.map((time, i) => time / hand[i]!.cpuMs!))
      }
      log(
        `  ${query.id} ${name.padEnd(12)} db ${cell.serialDatabaseMs.toFixed(3)} ms/req, plan ${cell.serialPlanMs.toFixed(3)}, backend CPU ${cell.serialBackendCpuMs?.toFixed(3) ?? '?'} (serial, exec in windows ${exec.map((t) => t.toFixed(3)).join(' ')})`,
      )
    }
  }
}

/** One serial window's PostgreSQL time per request: execution, planning, and the backends' CPU. */
interface SerialWindow {
  execMs: number
  planMs: number
  cpuMs?: number
}

/**
 * After a measurement: lets requests still in flight drain (autocannon stops sending, the server
 * does not stop working), then removes rows a write query created. The probe waits behind the
 * server's own backlog (e.g. PostGraphile planning 1,000-mutation documents on the CPU while the
 * database is idle); the database check covers work still running in PostgreSQL.
 */
async function settle(query: (typeof queries)[number], server: RunningServer | undefined): Promise<void> {
  await drain(server)
  await afterBatch(query)?.()
}

/** Waits for the server's backlog and the database to be idle (see {@link settle}). */
async function drain(server: RunningServer | undefined): Promise<void> {
  if (server !== undefined) {
    const probe =
      server.name === 'handwritten'
        ? { url: `${server.url}/q4`, body: JSON.stringify({ id: 1 }) }
        : { url: server.url, body: JSON.stringify({ query: '{ __typename }' }) }
    await fetch(probe.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: probe.body,
      signal: AbortSignal.timeout(300_000),
    }).then((response) => response.arrayBuffer())
  }
  await waitForIdle(databaseUrl)
}

/** For write queries: removes the rows a batch of requests created. */
function afterBatch(query: (typeof queries)[number]): (() => Promise<void>) | undefined {
  return query.mutates === true ? () => resetWrites(databaseUrl) : undefined
}

function setupContext(running: Map<ServerName, RunningServer>): SetupContext {
  return {
    async graphql(name, query, variables = {}) {
      const server = running.get(name)
      if (server === undefined) throw new Error(`${name} is not running`)
      return send({ url: server.url, body: JSON.stringify({ query, variables }) })
    },
  }
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length
  return [...items.slice(shift), ...items.slice(0, shift)]
}

async function runSchemaBuild(): Promise<SchemaBuildResult | { error: string }> {
  log('schema build: 200 generated models')
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', new URL('./schemaBuild.ts', import.meta.url).pathname],
      { cwd: new URL('..', import.meta.url).pathname, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        const line = /BENCH_SCHEMA_BUILD (.*)/.exec(stdout)?.[1]
        if (error !== null || line === undefined) resolve({ error: (error?.message ?? stderr).slice(0, 300) })
        else resolve(JSON.parse(line) as SchemaBuildResult)
      },
    )
  })
}

/** Replaces the generated block of BENCHMARKS.md (between the markers) with this run's report. */
async function writeBenchmarksMd(report: string): Promise<void> {
  const file = new URL('../BENCHMARKS.md', import.meta.url)
  const start = '<!-- bench:results:start -->'
  const end = '<!-- bench:results:end -->'
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    text = `# Benchmarks\n\n${start}\n${end}\n`
  }
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from < 0 || to < from) {
    log('BENCHMARKS.md has no results markers; table written to bench/results/latest.md only')
    return
  }
  await writeFile(file, `${text.slice(0, from + start.length)}\n${report}\n${text.slice(to)}`)
  // The repository's prettier (not a copy from the bench's node_modules), so `format:check` passes.
  const prettier = new URL('../node_modules/prettier/bin/prettier.cjs', import.meta.url).pathname
  await new Promise<void>((resolve) =>
    execFile(process.execPath, [prettier, '--write', file.pathname], () => resolve()),
  )
  log('BENCHMARKS.md updated')
}
