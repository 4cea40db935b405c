import { Counter, Gauge, Registry } from 'prom-client'
import type { PoolStats } from '../database/index.js'
import type { Outcome } from './summarizeResult.js'
import { TalliedHistogram } from './talliedHistogram.js'
import type { HistogramSet } from './talliedHistogram.js'

/** One finished operation, as the metrics count it. */
export interface OperationSample {
  /** The operation's name (absent: anonymous). */
  operationName?: string
  /** `query`, `mutation`, `subscription`, or absent when the document did not parse. */
  operationType?: string
  /** The document validated: only then is its operation name a label value. */
  valid: boolean
  outcome: Outcome
  durationSeconds: number
  statements: number
  errorCodes: readonly string[]
}

/** The Prometheus metrics of one server, in a registry of its own. */
export interface ServerMetrics {
  /** The registry `/metrics` renders (add your own metrics, or default ones, to it). */
  readonly registry: Registry
  recordOperation(sample: OperationSample): void
  /** An HTTP request to the GraphQL path refused before any operation ran (bad media type, body, batch). */
  recordRejectedRequest(status: number): void
  subscriptionStarted(): void
  subscriptionEnded(): void
}

/** Distinct operation names kept as label values; later ones are counted as `(other)`. */
export const MAX_OPERATION_NAMES = 100

const PREFIX = 'graphql_auto_gen_'

/**
 * Creates the server's metrics in a fresh registry (never prom-client's global one, so two servers
 * in one process do not clash): operations by name, type and outcome, their latency, the SQL
 * statements they sent, errors by code, refused requests, open subscriptions and, when the
 * database has a pool, its connections.
 */
export function createServerMetrics(poolStats?: () => PoolStats | undefined): ServerMetrics {
  const registry = new Registry()
  const registers = [registry]
  // Operations and statements are counted here, per label set, and added to prom-client's
  // counters when a scrape collects them: prom-client hashes the labels of every `inc`.
  const operationTally = new Tally<OperationLabels>()
  const statementTally = new Tally<StatementLabels>()
  new Counter({
    name: `${PREFIX}operations_total`,
    help: 'GraphQL operations by operation name, type and outcome (success, partial, error).',
    labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
    registers,
    collect() {
      operationTally.flush(this)
    },
  })
  const duration = new TalliedHistogram({
    name: `${PREFIX}operation_duration_seconds`,
    help: 'Time from receiving an operation to its result, in seconds.',
    labelNames: ['operation_type', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  })
  new Counter({
    name: `${PREFIX}sql_statements_total`,
    help: 'SQL statements sent to the database by GraphQL operations, by operation type.',
    labelNames: ['operation_type'] as const,
    registers,
    collect() {
      statementTally.flush(this)
    },
  })
  // Each label set's observations, found without a key string per call.
  const durationSets = new Map<string, Map<string, HistogramSet<DurationLabel>>>()
  const durationSet = (type: string, outcome: string): HistogramSet<DurationLabel> => {
    let byOutcome = durationSets.get(type)
    if (!byOutcome) durationSets.set(type, (byOutcome = new Map()))
    let set = byOutcome.get(outcome)
    if (!set) byOutcome.set(outcome, (set = duration.labelSet({ operation_type: type, outcome })))
    return set
  }
  const errors = new Counter({
    name: `${PREFIX}errors_total`,
    help: 'Errors in GraphQL responses, by extensions.code.',
    labelNames: ['code'] as const,
    registers,
  })
  const rejected = new Counter({
    name: `${PREFIX}http_requests_rejected_total`,
    help: 'HTTP requests to the GraphQL path refused before any operation ran, by status.',
    labelNames: ['status'] as const,
    registers,
  })
  const subscriptions = new Gauge({
    name: `${PREFIX}active_subscriptions`,
    help: 'Subscriptions currently open (WebSocket and SSE).',
    registers,
  })
  new Gauge({
    name: `${PREFIX}db_pool_connections`,
    help: 'Database pool connections: total open, idle, and requests waiting for one (pg only).',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const stats = poolStats?.()
      if (!stats) return
      this.set({ state: 'total' }, stats.total)
      this.set({ state: 'idle' }, stats.idle)
      this.set({ state: 'waiting' }, stats.waiting)
    },
  })
  const names = new Set<string>()
  // Operation names come from clients: bound the label values so they cannot exhaust memory.
  const nameLabel = (name: string | undefined): string => {
    if (name === undefined) return '(anonymous)'
    if (names.has(name)) return name
    if (names.size >= MAX_OPERATION_NAMES) return '(other)'
    names.add(name)
    return name
  }
  return {
    registry,
    recordOperation(sample) {
      const type = sample.operationType ?? 'unknown'
      const name = sample.valid ? nameLabel(sample.operationName) : '(invalid)'
      const { outcome } = sample
      const operation =
        operationTally.find(name, type, outcome) ??
        operationTally.create(name, type, outcome, { operation_name: name, operation_type: type, outcome })
      operation.pending += 1
      duration.observeIn(
        durationSets.get(type)?.get(outcome) ?? durationSet(type, outcome),
        sample.durationSeconds,
      )
      if (sample.statements > 0) {
        const sent =
          statementTally.find(type, '', '') ?? statementTally.create(type, '', '', { operation_type: type })
        sent.pending += sample.statements
      }
      for (const code of sample.errorCodes) errors.inc({ code })
    },
    recordRejectedRequest(status) {
      rejected.inc({ status: String(status) })
    },
    subscriptionStarted() {
      subscriptions.inc()
    },
    subscriptionEnded() {
      subscriptions.dec()
    },
  }
}

type OperationLabels = { operation_name: string; operation_type: string; outcome: string }
type DurationLabel = 'operation_type' | 'outcome'
type StatementLabels = { operation_type: string }

/** One label set's count not yet added to its prom-client counter. */
class TallyEntry<L> {
  pending = 0
  constructor(readonly labels: L) {}
}

/**
 * Counts per label set (up to three label values, nested maps: no key string per call), added
 * to a prom-client counter on `flush`. Label values are bounded (operation names are), so is this.
 */
class Tally<L> {
  readonly #entries = new Map<string, Map<string, Map<string, TallyEntry<L>>>>()

  /** The entry of a label set, if it was counted before. */
  find(a: string, b: string, c: string): TallyEntry<L> | undefined {
    return this.#entries.get(a)?.get(b)?.get(c)
  }

  /** A new entry for a label set with its labels object. */
  create(a: string, b: string, c: string, labels: L): TallyEntry<L> {
    let byB = this.#entries.get(a)
    if (!byB) this.#entries.set(a, (byB = new Map()))
    let byC = byB.get(b)
    if (!byC) byB.set(b, (byC = new Map()))
    const entry = new TallyEntry(labels)
    byC.set(c, entry)
    return entry
  }

  /** Adds every pending count to `counter`. */
  flush(counter: { inc(labels: L, value: number): void }): void {
    for (const byB of this.#entries.values())
      for (const byC of byB.values())
        for (const entry of byC.values()) {
          if (entry.pending === 0) continue
          counter.inc(entry.labels, entry.pending)
          entry.pending = 0
        }
  }
}
