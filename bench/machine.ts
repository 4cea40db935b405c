// What the numbers were measured on and with: machine, load, versions.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import pg from 'pg'

/** The measuring machine. */
export interface MachineInfo {
  cpu: string
  cores: number
  memoryGb: number
  os: string
  node: string
  postgres: string
  loadAverage: number[]
}

/** Reads the machine, the PostgreSQL version and the current load average. */
export async function machineInfo(databaseUrl: string): Promise<MachineInfo> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  const version = await client
    .query<{ v: string }>("select current_setting('server_version') as v")
    .finally(() => client.end())
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: version.rows[0]?.v ?? 'unknown',
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
  }
}

/** Exact versions of everything measured (read from the installed packages, not package.json ranges). */
export function versions(): Record<string, string> {
  const root = new URL('..', import.meta.url)
  const read = (dir: URL, name: string): string => {
    try {
      return (
        JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, dir), 'utf8')) as {
          version: string
        }
      ).version
    } catch {
      return 'absent'
    }
  }
  const bench = new URL('./', import.meta.url)
  const own = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string }
  return {
    'graphql-auto-gen': `${own.version} (${gitRevision()})`,
    graphql: read(root, 'graphql'),
    'graphql-yoga': read(root, 'graphql-yoga'),
    pg: read(root, 'pg'),
    postgraphile: read(bench, 'postgraphile'),
    grafast: read(bench, 'grafast'),
    '@dataplan/pg': read(bench, '@dataplan/pg'),
    'postgraphile-plugin-connection-filter': read(bench, 'postgraphile-plugin-connection-filter'),
    '@graphile/simplify-inflection': read(bench, '@graphile/simplify-inflection'),
    'drizzle-graphql': read(bench, 'drizzle-graphql'),
    // The root's copy: the bench resolves drizzle-orm from there, as the models do.
    'drizzle-orm': read(root, 'drizzle-orm'),
    autocannon: read(bench, 'autocannon'),
  }
}

function gitRevision(): string {
  try {
    const cwd = new URL('..', import.meta.url).pathname
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim()
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd, encoding: 'utf8' }).trim() !== ''
    return dirty ? `${head} + uncommitted src changes` : head
  } catch {
    return 'no git'
  }
}
