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
  if (destination) return pino(options, destination)
  // Asynchronous stdout writes, a few KB at a time: a write per operation cost ~6% of a small
  // query's CPU in the bench. A quiet server still shows its lines within FLUSH_MS, and pino
  // flushes the buffer on exit, so lines are not lost on shutdown.
  const stream = pino.destination({ dest: 1, sync: false, minLength: BUFFERED_BYTES })
  setInterval(() => flushQuietly(stream), FLUSH_MS).unref()
  return pino(options, stream)
}

/** Log bytes gathered before one write to stdout. */
const BUFFERED_BYTES = 4096
/** Longest a log line waits in the buffer. */
const FLUSH_MS = 500

/** Flushes buffered lines; a stream that is closing or busy flushes itself. */
function flushQuietly(stream: { flush(): void }): void {
  try {
    stream.flush()
  } catch {
    // Not ready, or already ending: its own end flushes what is left.
  }
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value)
}
