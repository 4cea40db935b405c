// Turns measurements into the Markdown table of BENCHMARKS.md.
import type { LoadResult } from './load.js'
import type { MachineInfo } from './machine.js'
import { QUERIES, SERVER_NAMES } from './queries.js'
import type { ServerName } from './queries.js'
import type { SchemaBuildResult } from './schemaBuild.js'

/** One server on one query: a measurement per round, or why there is none. */
export interface Cell {
  rounds: LoadResult[]
  statements?: number
  /** PostgreSQL time per request with one request at a time (see run.ts). */
  serialDatabaseMs?: number
  /** Serial database time over the hand-written server's, paired per window (median). */
  serialVsHand?: number
  /** Planning time per request in the serial windows (pg_stat_statements.track_planning). */
  serialPlanMs?: number
  /** Execution plus planning time over the hand-written server's, paired per window (median). */
  serialWithPlanVsHand?: number
  /** CPU time of the database's backends per request in the serial windows (/proc schedstat). */
  serialBackendCpuMs?: number
  /** That CPU time over the hand-written server's, paired per window (median). */
  serialBackendCpuVsHand?: number
  error?: string
}

/** Everything a run produced. */
export interface RunResults {
  mode: string
  command: string
  startedAt: string
  machine: MachineInfo
  loadAverageAtEnd: number[]
  versions: Record<string, string>
  settings: { connections: number; seconds: number; warmupSeconds: number; rounds: number; poolSize: number }
  cells: Record<string, Partial<Record<ServerName, Cell>>>
  memory: Partial<Record<ServerName, { rss: number; peak: number }>>
  schemaBuild?: SchemaBuildResult | { error: string }
  pending: string[]
}

const LABELS: Record<ServerName, string> = {
  handwritten: 'hand-written SQL',
  autogen: '**graphql-auto-gen**',
  postgraphile: 'PostGraphile 5',
  drizzle: 'drizzle-graphql',
}

/** The Markdown section for one run. */
export function renderReport(results: RunResults): string {
  const { machine, settings } = results
  const lines: string[] = []
  lines.push(`### ${results.mode} — ${results.startedAt}`, '')
  lines.push(
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}; Node ${machine.node}; PostgreSQL ${machine.postgres}.`,
    `Load average (1/5/15 min) at start ${machine.loadAverage.join(' / ')}, at end ${results.loadAverageAtEnd.join(' / ')} (cores: ${machine.cores}).`,
    `Settings: ${settings.connections} connections, ${settings.seconds} s per server per query per round, ${settings.warmupSeconds} s warm-up, ${settings.rounds} interleaved rounds (Q6: at least 10 s), pool of ${settings.poolSize} PostgreSQL connections per server.`,
    `Command: \`${results.command}\``,
    '',
    "req/s, p50 and p99 are medians over the rounds (min–max of req/s in brackets); the ratios are paired within each round, then the median is taken. Statements per request are counted by the protocol proxy (see Method). db ms/req is PostgreSQL's execution time per request (pg_stat_statements `total_exec_time` of the run's statements ÷ requests completed, median over rounds); db × hand is that time over the hand-written server's, paired per round. serial db is the same time measured with one request at a time (one connection, before the rounds, in six short windows per server with the servers alternating, median), so requests do not queue for the CPUs inside PostgreSQL; serial × hand is the issue 17 bar (≤ 1.15×), paired per window, then the median. serial +plan × hand adds each statement's planning time (pg_stat_statements.track_planning) on both sides: a statement sent unnamed is planned on every request, a prepared one reuses its plan. serial CPU × hand is the CPU time of the database's backends (/proc/<pid>/schedstat) in the same windows: everything PostgreSQL did per request, parse, plan, execution and protocol, counted outside pg_stat_statements.",
    '',
    '| query | server | req/s | p50 ms | p99 ms | db ms/req | db × hand | serial db ms | serial × hand | serial +plan × hand | serial CPU × hand | statements/req | × hand-written | × PostGraphile | goal |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  )
  // Servers this run measured (`--servers` may leave some out).
  const measured = new Set(Object.values(results.cells).flatMap((row) => Object.keys(row)))
  for (const query of QUERIES) {
    const row = results.cells[query.id]
    if (row === undefined) continue
    for (const server of SERVER_NAMES) {
      const cell = row[server]
      if (cell === undefined) {
        if (query.plans[server] === undefined && measured.has(server)) {
          lines.push(
            `| ${query.id} | ${LABELS[server]} | — | | | | | | | | | | | | not written for this server |`,
          )
        }
        continue
      }
      if (cell.error !== undefined || cell.rounds.length === 0) {
        lines.push(
          `| ${query.id} | ${LABELS[server]} | failed | | | | | | | | | | | | ${escapeCell(cell.error ?? 'no measurement')} |`,
        )
        continue
      }
      if (cell.rounds.every((round) => round.requests === 0)) {
        lines.push(
          `| ${query.id} | ${LABELS[server]} | 0 | | | | | | | | | ${cell.statements ?? '?'} | | | no request finished within a measurement |`,
        )
        continue
      }
      const rps = cell.rounds.map((round) => round.requestsPerSecond)
      const vsHand = pairedRatio(row[server], row.handwritten)
      const vsPg = pairedRatio(row[server], row.postgraphile)
      const database = cell.rounds.flatMap((r) =>
        r.databaseMsPerRequest === undefined ? [] : [r.databaseMsPerRequest],
      )
      const databaseMs = database.length === 0 ? '' : fmt(median(database), 3)
      const hand = row.handwritten?.serialDatabaseMs
      const serialMs = cell.serialDatabaseMs === undefined ? '' : fmt(cell.serialDatabaseMs, 3)
      const serialVsHand =
        cell.serialVsHand !== undefined
          ? ratio(cell.serialVsHand)
          : cell.serialDatabaseMs === undefined || hand === undefined || hand === 0
            ? ''
            : ratio(cell.serialDatabaseMs / hand)
      const withPlanVsHand = cell.serialWithPlanVsHand === undefined ? '' : ratio(cell.serialWithPlanVsHand)
      const cpuVsHand = cell.serialBackendCpuVsHand === undefined ? '' : ratio(cell.serialBackendCpuVsHand)
      const databaseVsHand = ratio(pairedRatio(row[server], row.handwritten, (r) => r.databaseMsPerRequest))
      lines.push(
        `| ${query.id} | ${LABELS[server]} | ${fmt(median(rps), 0)} (${fmt(Math.min(...rps), 0)}–${fmt(Math.max(...rps), 0)}) | ${fmt(median(cell.rounds.map((r) => r.p50Ms)), 1)} | ${fmt(median(cell.rounds.map((r) => r.p99Ms)), 1)} | ${databaseMs} | ${databaseVsHand} | ${serialMs} | ${serialVsHand} | ${withPlanVsHand} | ${cpuVsHand} | ${cell.statements === undefined ? '?' : fmt(cell.statements, 1)} | ${ratio(vsHand)} | ${ratio(vsPg)} | ${server === 'autogen' ? goal(vsHand, vsPg) : ''} |`,
      )
    }
  }
  lines.push('', 'Queries:', '')
  for (const query of QUERIES)
    if (results.cells[query.id] !== undefined) lines.push(`- **${query.id}**: ${query.title}`)
  for (const pending of results.pending) lines.push(`- ${pending}`)
  lines.push('', 'Resident memory of each server process after the run (RSS now / peak):', '')
  for (const server of SERVER_NAMES) {
    const memory = results.memory[server]
    if (memory !== undefined) lines.push(`- ${LABELS[server]}: ${mb(memory.rss)} / ${mb(memory.peak)}`)
  }
  lines.push(
    '',
    renderSchemaBuild(results.schemaBuild),
    '',
    'Versions: ' +
      Object.entries(results.versions)
        .map(([name, version]) => `${name} ${version}`)
        .join(', ') +
      '.',
  )
  return lines.join('\n')
}

function renderSchemaBuild(result: RunResults['schemaBuild']): string {
  if (result === undefined) return 'Schema build: not measured in this run.'
  if ('error' in result) return `Schema build: failed (${result.error}).`
  return `Schema build for a generated ${result.models}-model schema (${result.relations} foreign keys, ${result.types} GraphQL types): first build ${fmt(result.firstBuildMs, 0)} ms, then median ${fmt(result.medianBuildMs, 0)} ms over ${result.builds} builds; retained heap per built schema ≈ ${mb(result.heapPerInstanceBytes)} (${result.instances} instances kept alive, after GC).`
}

/** Median over rounds of `a`'s value (default: rate) divided by `b`'s in the same round. */
function pairedRatio(
  a: Cell | undefined,
  b: Cell | undefined,
  value: (round: LoadResult) => number | undefined = (round) => round.requestsPerSecond,
): number | undefined {
  if (a === undefined || b === undefined || a.error !== undefined || b.error !== undefined) return undefined
  const ratios: number[] = []
  for (let i = 0; i < Math.min(a.rounds.length, b.rounds.length); i++) {
    const left = a.rounds[i] === undefined ? undefined : value(a.rounds[i]!)
    const right = b.rounds[i] === undefined ? undefined : value(b.rounds[i]!)
    if (left !== undefined && right !== undefined && right > 0) ratios.push(left / right)
  }
  return ratios.length === 0 ? undefined : median(ratios)
}

/** The bar: ≥ 0.6× hand-written, and ≥ min(2× PostGraphile, 0.95× hand-written). */
function goal(vsHand: number | undefined, vsPg: number | undefined): string {
  if (vsHand === undefined) return '?'
  const floor = vsHand >= 0.6
  const race = vsHand >= 0.95 || (vsPg !== undefined && vsPg >= 2)
  if (floor && race) return 'met'
  const missing: string[] = []
  if (!floor) missing.push('< 0.6× hand')
  if (!race) missing.push(vsPg === undefined ? '< 0.95× hand' : '< 2× PG and < 0.95× hand')
  return `not met (${missing.join('; ')})`
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2
}

function ratio(value: number | undefined): string {
  return value === undefined ? '' : `${fmt(value, 2)}×`
}

function fmt(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

function mb(bytes: number): string {
  return `${fmt(bytes / 2 ** 20, 1)} MB`
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ').slice(0, 200)
}
