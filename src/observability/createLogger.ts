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
  // query's CPU in the bench. A quiet server still shows its lines within FLUSH_MS, and the
  // buffer is flushed on exit, so lines are not lost on shutdown.
  const stdout = pino.destination({ dest: 1, sync: false })
  const lines = new LineBatch(stdout, BUFFERED_BYTES)
  setInterval(() => lines.flushQuietly(), FLUSH_MS).unref()
  return pino(options, lines)
}

/** Log bytes gathered before one write to stdout. */
const BUFFERED_BYTES = 4096
/** Longest a log line waits in the buffer. */
const FLUSH_MS = 500

/** pino's asynchronous stdout stream (sonic-boom), as much of it as a batch uses. */
type Stdout = ReturnType<typeof pino.destination>

/**
 * Gathers log lines in an array and hands them to stdout as one chunk of at least `minLength`
 * characters. sonic-boom's own buffering (`minLength`) measures its growing buffer with
 * `Buffer.byteLength` on every line, flattening it each time: a copy of up to the whole buffer,
 * and that much garbage, per log line.
 */
class LineBatch {
  #lines: string[] = []
  #length = 0

  constructor(
    private readonly stdout: Stdout,
    private readonly minLength: number,
  ) {
    batches.add(this)
  }

  /** pino writes each line here. */
  write(line: string): boolean {
    this.#lines.push(line)
    this.#length += line.length
    if (this.#length >= this.minLength) this.#handOver()
    return true
  }

  /** Writes what is gathered (pino's `logger.flush`). */
  flush(callback?: (error?: Error) => void): void {
    this.#handOver()
    this.stdout.flush(callback)
  }

  /** Writes what is gathered, synchronously (pino's fatal path; process exit). */
  flushSync(): void {
    this.#handOver()
    this.stdout.flushSync()
  }

  /** Flushes, unless stdout is closing or busy (then its own end or write flushes). */
  flushQuietly(): void {
    try {
      this.flush()
    } catch {
      // Not ready, or already ending.
    }
  }

  #handOver(): void {
    if (this.#lines.length === 0) return
    const chunk = this.#lines.length === 1 ? this.#lines[0]! : this.#lines.join('')
    this.#lines = []
    this.#length = 0
    this.stdout.write(chunk)
  }
}

/** Every batch of the process, flushed on exit (pino flushes stdout itself, but not our batch). */
const batches = new Set<LineBatch>()
process.once('exit', () => {
  for (const batch of batches) {
    try {
      batch.flushSync()
    } catch {
      // stdout already closed: nothing more can be written.
    }
  }
})

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value)
}
