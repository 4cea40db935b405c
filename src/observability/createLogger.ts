import { pino } from 'pino'
import type { DestinationStream, Logger } from 'pino'
import type { ResolvedConfig } from '../config/index.js'
import { ConfigError } from '../errors.js'

/** A level of `server.logLevel` or LOG_LEVEL; `silent` logs nothing. */
export type LogLevel = NonNullable<ResolvedConfig['server']['logLevel']>

/** Every {@link LogLevel}, most to least severe. */
export const LOG_LEVELS = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
] as const satisfies readonly LogLevel[]

/**
 * The level a server logs at: `server.logLevel`, else the LOG_LEVEL environment variable, else
 * `silent` under NODE_ENV=test (test runs stay quiet) and `info` otherwise.
 */
export function resolveLogLevel(configured: LogLevel | undefined, env = process.env): LogLevel {
  if (configured !== undefined) return configured
  const fromEnv = env['LOG_LEVEL']?.trim().toLowerCase()
  if (fromEnv) {
    if (!isLogLevel(fromEnv)) {
      throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${fromEnv}").`, {
        path: 'LOG_LEVEL',
      })
    }
    return fromEnv
  }
  return env['NODE_ENV'] === 'test' ? 'silent' : 'info'
}

/** A JSON-lines logger (pino) named `graphql-auto-gen`, on stdout unless `destination` is given. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = { name: 'graphql-auto-gen', level }
  // Asynchronous stdout writes: a synchronous write per operation cost ~11% of a small query's
  // CPU in the bench. pino flushes the buffer on exit, so lines are not lost on shutdown.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }))
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value)
}
