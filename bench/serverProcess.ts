// Starts each server in its own child process on loopback and stops it by its pid.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs'
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
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  // Everything a server prints goes to bench/results/logs/<name>.log, to explain a failure later.
  const logs = new URL('./results/logs/', import.meta.url)
  mkdirSync(logs, { recursive: true })
  const log = createWriteStream(new URL(`${name}.log`, logs), { flags: 'a' })
  log.write(`--- ${new Date().toISOString()} pid ${child.pid ?? '?'}\n`)
  child.stdout?.pipe(log, { end: false })
  child.stderr?.pipe(log, { end: false })
  child.once('exit', () => log.end())
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s:\n${stderr}`)), 60_000)
    let stdout = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /BENCH_READY (\S+)/.exec(stdout)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with ${code} before it was ready:\n${stderr}`))
    })
  })
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
