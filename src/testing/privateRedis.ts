// A redis-server of a test's own (own port, no persistence), so the test can stop and restart it
// without touching the shared Redis.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { Redis } from 'ioredis'
import { freePort } from './freePort.js'
import { findProgram } from './tiers.js'

/** A running private Redis: its URL, and stop/start on the same port. */
export interface PrivateRedis {
  url: string
  /** SIGTERM, resolved once the process exited. */
  stop(): Promise<void>
  /** Starts it again on the same port (empty: nothing is saved), resolved once it answers PING. */
  start(): Promise<void>
}

/** Starts redis-server on a free port; fails with a clear message when it is not installed. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const redisServer = findProgram('redis-server')
  if (redisServer === undefined) {
    throw new Error('The Redis fault tests need redis-server on PATH (apt-get install redis-server).')
  }
  const port = await freePort()
  const url = `redis://127.0.0.1:${port}`
  let child: ChildProcess | undefined
  const start = async (): Promise<void> => {
    child = spawn(
      redisServer,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    )
    await answersPing(url)
  }
  await start()
  return {
    url,
    async stop() {
      const current = child
      if (!current || current.exitCode !== null || current.signalCode !== null) return
      const exited = once(current, 'exit')
      current.kill('SIGTERM')
      await exited
    },
    start,
  }
}

async function answersPing(url: string): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  probe.on('error', () => undefined)
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await probe.connect()
        await probe.ping()
        return
      } catch (error) {
        if (attempt > 100) throw error
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
  } finally {
    probe.disconnect()
  }
}
