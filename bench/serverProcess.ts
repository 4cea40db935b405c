// Starts each server in its own child process on loopback and stops it by its pid.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { ServerName } from './queries.js'

/** Each server's entry file, relative to this folder. */
const ENTRIES: Record<ServerName, string> = {
  handwritten: './servers/handwritten.ts',
  autogen: './servers/autogen.ts',
  postgraphile: './servers/postgraphile.ts',
  drizzle: './servers/drizzleGraphql.ts',
}

/** A server child that announced it listens. */
export interface RunningServer {
  readonly name: ServerName
  /** Where to POST: the GraphQL endpoint, or the hand-written server's base URL. */
  readonly url: string
  readonly pid: number
  /** Resident memory now and at peak, from /proc (Linux), in bytes. */
  memory(): { rss: number; peak: number } | undefined
  /** Starts the CPU profiler in the child (needs `profilePath` at start). */
  startProfiling(): void
  stop(): Promise<void>
}

/** Options for {@link startServer}. */
export interface StartOptions {
  databaseUrl: string
  poolSize: number
  /** Extra node flags. */
  nodeFlags?: readonly string[]
  /** Where the child writes its CPU profile on exit, once {@link RunningServer.startProfiling} ran. */
  profilePath?: string
}

/** Spawns `name` and resolves once it prints its ready line (rejects if it exits or takes over 60 s). */
export async function startServer(name: ServerName, options: StartOptions): Promise<RunningServer> {
  const port = await freePort()
  // Everything a server prints goes straight to bench/results/logs/<name>.log (the child writes the
  // file itself): this process relays nothing, so a server that logs each request does not slow
  // the load generator running here. The ready line comes over the IPC channel.
  const logs = new URL('./results/logs/', import.meta.url)
  mkdirSync(logs, { recursive: true })
  const logFile = new URL(`${name}.log`, logs)
  const logFd = openSync(logFile, 'a')
  const child = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), '--import', 'tsx', new URL(ENTRIES[name], import.meta.url).pathname],
    {
      cwd: new URL('..', import.meta.url).pathname,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        GRAPHILE_ENV: 'production',
        BENCH_DATABASE_URL: options.databaseUrl,
        BENCH_PORT: String(port),
        BENCH_POOL_SIZE: String(options.poolSize),
        ...(options.profilePath !== undefined ? { BENCH_CPU_PROFILE: options.profilePath } : {}),
      },
      stdio: ['ignore', logFd, logFd, 'ipc'],
    },
  )
  closeSync(logFd)
  const tail = (): string => {
    try {
      return readFileSync(logFile, 'utf8').slice(-4000)
    } catch {
      return ''
    }
  }
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s:\n${tail()}`)), 60_000)
    child.once('message', (message: unknown) => {
      const ready = (message as { benchReady?: unknown } | null)?.benchReady
      if (typeof ready !== 'string') return
      clearTimeout(timer)
      resolve(ready)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with ${code} before it was ready:\n${tail()}`))
    })
  })
  // The IPC channel stays open only for the ready message: let the child run on its own.
  child.disconnect()
  const pid = child.pid ?? -1
  return {
    name,
    url,
    pid,
    memory: () => readMemory(pid),
    startProfiling: () => void child.kill('SIGUSR2'),
    stop: () => stopChild(child),
  }
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the child has exited. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

function readMemory(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string): number =>
      Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) * 1024
    return { rss: kb('VmRSS'), peak: kb('VmHWM') }
  } catch {
    return undefined
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}
