// Server CPU per request: each server runs alone under autocannon while its process's user+system
// CPU time (from /proc/<pid>/stat) is read before and after; CPU ms per request = CPU time spent /
// requests answered. Wall-clock rates swing with the machine's load; CPU per request much less,
// so this is the number to compare servers by on a shared machine. Rounds alternate the servers.
// Usage:
//   node --import tsx bench/cpuPerRequest.ts [--servers autogen,postgraphile] [--queries Q1,Q4]
//     [--seconds 5] [--rounds 3] [--connections 16] [--distinct 1000]
// --distinct N: Q4 asks for N different users in turn (ids spread over the table) instead of one,
// so no per-variable-set cache of any server answers every request from one entry.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { ensureBenchDatabase } from './data/benchDatabase.js'
import { measure, withDistinctIds } from './load.js'
import { QUERIES } from './queries.js'
import type { ServerName } from './queries.js'
import { startServer } from './serverProcess.js'
import type { RunningServer } from './serverProcess.js'
import { buildRequest, send } from './verify.js'

const { values: args } = parseArgs({
  options: {
    servers: { type: 'string', default: 'autogen' },
    queries: { type: 'string', default: 'Q1,Q4' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    distinct: { type: 'string', default: '1' },
    'admin-url': {
      type: 'string',
      default: process.env['BENCH_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
})
// The hand-written server is the ratio base: always measured.
const names = [
  'handwritten',
  ...args.servers.split(',').filter((name) => name !== 'handwritten'),
] as ServerName[]
const queries = QUERIES.filter((query) => args.queries.split(',').includes(query.id))
const databaseUrl = await ensureBenchDatabase({ adminUrl: args['admin-url'], name: 'gag_bench' })
const TICK_MS = 10 // USER_HZ is 100 on Linux

/** User + system CPU time of a process so far, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  // After "pid (comm) ": state is field 0, utime 11, stime 12.
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS
}

const running = new Map<ServerName, RunningServer>()
try {
  for (const name of names) running.set(name, await startServer(name, { databaseUrl, poolSize: 10 }))
  for (const query of queries) {
    const perServer = new Map<ServerName, number[]>()
    for (let round = 0; round < Number(args.rounds); round++) {
      for (const name of round % 2 === 0 ? names : [...names].reverse()) {
        const server = running.get(name)!
        const setup = {
          graphql: (_name: ServerName, source: string) =>
            send({ url: server.url, body: JSON.stringify({ query: source }) }),
        }
        const built = await buildRequest(query, name, server.url, setup)
        if (built === undefined) continue
        const request = withDistinctIds(built, Number(args.distinct))
        await measure(request, Number(args.connections), 1)
        const before = cpuMs(server.pid)
        const result = await measure(request, Number(args.connections), Number(args.seconds))
        const spent = cpuMs(server.pid) - before
        const list = perServer.get(name) ?? []
        list.push(spent / result.requests)
        perServer.set(name, list)
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
    const base = median(perServer.get('handwritten')!)
    for (const [name, values] of perServer) {
      const ms = median(values)
      process.stdout.write(
        `${query.id} ${name.padEnd(12)} ${ms.toFixed(3)} ms CPU/request (${values.map((v) => v.toFixed(3)).join(', ')})  ${(ms / base).toFixed(2)}× hand-written\n`,
      )
    }
  }
} finally {
  for (const server of running.values()) await server.stop()
}
