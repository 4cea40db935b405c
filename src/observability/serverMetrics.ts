import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { PoolStats } from '../database/index.js'
import type { Outcome } from './summarizeResult.js'

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
  const operations = new Counter({
    name: `${PREFIX}operations_total`,
    help: 'GraphQL operations by operation name, type and outcome (success, partial, error).',
    labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
    registers,
  })
  const duration = new Histogram({
    name: `${PREFIX}operation_duration_seconds`,
    help: 'Time from receiving an operation to its result, in seconds.',
    labelNames: ['operation_type', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  })
  const statements = new Counter({
    name: `${PREFIX}sql_statements_total`,
    help: 'SQL statements sent to the database by GraphQL operations, by operation type.',
    labelNames: ['operation_type'] as const,
    registers,
  })
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
      operations.inc({ operation_name: name, operation_type: type, outcome: sample.outcome })
      duration.observe({ operation_type: type, outcome: sample.outcome }, sample.durationSeconds)
      if (sample.statements > 0) statements.inc({ operation_type: type }, sample.statements)
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
