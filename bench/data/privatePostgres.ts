// The bench's own PostgreSQL cluster, started with pg_stat_statements preloaded so the run can
// report PostgreSQL's execution time per request for every server, without restarting (or
// reconfiguring) a server that others use. The cluster lives in a fixed directory under the OS temp
// folder and is reused across runs, so the seeded data survives; it is stopped when the run ends.
// initdb refuses to run as root: as root, every command runs as the `postgres` user (runuser).
import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** A running private cluster. */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  adminUrl: string
  stop(): Promise<void>
}

/**
 * Starts (creating it on first use) the private cluster; `undefined` when no PostgreSQL server
 * binaries are installed, so the caller can fall back to a shared server without the time column.
 */
export async function startPrivatePostgres(
  log: (line: string) => void,
): Promise<PrivatePostgres | undefined> {
  const bin = postgresBinaries()
  if (bin === undefined) return undefined
  const asRoot = process.getuid?.() === 0
  const dir = join(tmpdir(), 'graphql-auto-gen-bench-pg')
  const data = join(dir, 'data')
  mkdirSync(dir, { recursive: true })
  if (asRoot) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim())
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim())
    chownSync(dir, uid, gid)
  }
  const exec = async (tool: string, args: string[]): Promise<void> => {
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]]
      : [join(bin, tool), args]
    try {
      await run(file, argv, { cwd: dir })
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string }
      throw new Error(`${tool} ${args.join(' ')} failed: ${stderr || stdout || String(error)}`)
    }
  }
  if (!existsSync(join(data, 'PG_VERSION'))) {
    log(`initdb of the bench's private PostgreSQL in ${data}`)
    await exec('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--locale=C.UTF-8',
      '--no-instructions',
    ])
  }
  // A crashed earlier run may have left the cluster running: stop it first (ignored if it is not).
  await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined)
  const port = await freePort()
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=200',
    '-c shared_preload_libraries=pg_stat_statements',
    '-c pg_stat_statements.track=top',
    // Planning time apart from execution: an unnamed statement is planned on every request.
    '-c pg_stat_statements.track_planning=on',
  ].join(' ')
  await exec('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '60', 'start'])
  log(`private PostgreSQL on port ${port} (pg_stat_statements loaded)`)
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
  }
}

/** The bin directory of the newest installed PostgreSQL (Debian layout). */
function postgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin')
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  await new Promise((resolve) => server.close(resolve))
  return port
}
