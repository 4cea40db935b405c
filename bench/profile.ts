// CPU profile of one server on one query while autocannon drives it (V8's CPU profiler, as with
// --cpu-prof, but started after warm-up so module loading is not in it), then self time summed per
// function and per package. Usage:
//   node --import tsx bench/profile.ts [--server autogen] [--query Q2] [--seconds 10] [--distinct N]
// --distinct N: as in cpuPerRequest.ts, Q4 asks for N different users in turn.
import { mkdir, readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { ensureBenchDatabase } from './data/benchDatabase.js'
import { measure, withDistinctIds } from './load.js'
import { QUERIES } from './queries.js'
import type { ServerName } from './queries.js'
import { startServer } from './serverProcess.js'
import { buildRequest, send } from './verify.js'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
}
interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const { values: args } = parseArgs({
  options: {
    server: { type: 'string', default: 'autogen' },
    query: { type: 'string', default: 'Q2' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '16' },
    top: { type: 'string', default: '25' },
    distinct: { type: 'string', default: '1' },
    'admin-url': {
      type: 'string',
      default: process.env['BENCH_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
})
const server = args.server as ServerName
const query = QUERIES.find((candidate) => candidate.id === args.query)
if (query === undefined) throw new Error(`unknown query ${args.query}`)
const databaseUrl = await ensureBenchDatabase({ adminUrl: args['admin-url'], name: 'gag_bench' })
const dir = new URL('./results/profiles/', import.meta.url).pathname
await mkdir(dir, { recursive: true })
const file = `${dir}${server}-${query.id}-${Date.now()}.cpuprofile`
const running = await startServer(server, { databaseUrl, poolSize: 10, profilePath: file })
let result
try {
  const setup = {
    graphql: (_name: ServerName, source: string) =>
      send({ url: running.url, body: JSON.stringify({ query: source }) }),
  }
  const built = await buildRequest(query, server, running.url, setup)
  if (built === undefined) throw new Error(`${server} cannot run ${query.id}`)
  const request = withDistinctIds(built, Number(args.distinct))
  await measure(request, Number(args.connections), 2)
  running.startProfiling()
  result = await measure(request, Number(args.connections), Number(args.seconds))
} finally {
  await running.stop()
}
const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile
process.stdout.write(
  `${server} ${query.id}: ${result.requestsPerSecond.toFixed(0)} req/s under the profiler; profile ${file}\n\n` +
    summarise(profile, Number(args.top)),
)

/** Self time per function and per package (node_modules name, our src folder, or node internals). */
function summarise(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const selfMs = new Map<number, number>()
  profile.samples.forEach((id, i) =>
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000),
  )
  const total = [...selfMs.values()].reduce((a, b) => a + b, 0)
  const byFunction = new Map<string, number>()
  const byPackage = new Map<string, number>()
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)?.callFrame
    if (frame === undefined) continue
    const where = frame.url.replace(/^file:\/\//, '').replace(/.*\/work\/main\//, '')
    const name = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms)
    byPackage.set(
      packageOf(where, frame.functionName),
      (byPackage.get(packageOf(where, frame.functionName)) ?? 0) + ms,
    )
  }
  const table = (map: Map<string, number>, limit: number): string =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, ms]) => `${((ms / total) * 100).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n')
  return `Self time by package (${total.toFixed(0)} ms sampled):\n${table(byPackage, 15)}\n\nTop ${top} functions by self time:\n${table(byFunction, top)}\n`
}

function packageOf(where: string, functionName: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)
  if (modules?.[1] !== undefined) return modules[1]
  const ours = /^(src\/[^/]+)/.exec(where)
  if (ours?.[1] !== undefined) return ours[1]
  if (where.startsWith('node:')) return 'node internals'
  if (where === '') return functionName.startsWith('(') ? functionName : 'native/builtin'
  return where
}
