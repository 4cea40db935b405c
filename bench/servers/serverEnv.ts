// What every benchmark server child reads from its environment, and how it says it is ready.
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'

/** Settings the runner passes to a server child. */
export interface ServerEnv {
  /** PostgreSQL URL of the bench database (or of the statement-counting proxy in front of it). */
  databaseUrl: string
  /** Loopback port to listen on. */
  port: number
  /** Connections each server may open: the same for every server, so pools are not what we compare. */
  poolSize: number
}

/** Reads the settings; throws when one is missing, since a child with defaults would measure the wrong thing. */
export function serverEnv(): ServerEnv {
  const databaseUrl = process.env['BENCH_DATABASE_URL']
  const port = Number(process.env['BENCH_PORT'])
  const poolSize = Number(process.env['BENCH_POOL_SIZE'] ?? '10')
  if (databaseUrl === undefined || !Number.isInteger(port)) {
    throw new Error('BENCH_DATABASE_URL and BENCH_PORT must be set')
  }
  return { databaseUrl, port, poolSize }
}

/** Tells the parent the server listens (the runner waits for this line on stdout). */
export function announceReady(url: string): void {
  process.stdout.write(`BENCH_READY ${url}\n`)
  process.send?.({ benchReady: url })
}

/**
 * Exits cleanly on SIGTERM/SIGINT (after `cleanup`), so the runner's children never linger. With
 * BENCH_CPU_PROFILE set, SIGUSR2 starts V8's CPU profiler (the one behind `--cpu-prof`) and the
 * exit writes the profile there: the profile then covers the load only, not startup.
 */
export function exitOnSignal(cleanup: () => Promise<unknown> | unknown = () => {}): void {
  const profilePath = process.env['BENCH_CPU_PROFILE']
  let profiling: Promise<Session> | undefined
  if (profilePath !== undefined) {
    process.on('SIGUSR2', () => {
      profiling ??= (async () => {
        const session = new Session()
        session.connect()
        await session.post('Profiler.enable')
        await session.post('Profiler.start')
        return session
      })()
    })
  }
  const stop = (): void => {
    const done = (async () => {
      if (profiling !== undefined && profilePath !== undefined) {
        const { profile } = await (await profiling).post('Profiler.stop')
        writeFileSync(profilePath, JSON.stringify(profile))
      }
      await Promise.race([Promise.resolve(cleanup()), new Promise((resolve) => setTimeout(resolve, 2000))])
    })()
    void done.finally(() => process.exit(0))
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}
