// observability/: structured logs (pino) and Prometheus metrics (prom-client) of a server.
export { createObservability } from './observability.js'
export type { Observability, ObservabilityOptions } from './observability.js'
export { createLogger, resolveLogLevel, LOG_LEVELS } from './createLogger.js'
export type { LogLevel } from './createLogger.js'
export { createServerMetrics, MAX_OPERATION_NAMES } from './serverMetrics.js'
export type { OperationSample, ServerMetrics } from './serverMetrics.js'
export { countingDatabase } from './countingDatabase.js'
