// A PostgreSQL cluster of a test's own (temp directory, free port), so the test can stop and start
// it without touching the shared server. initdb refuses to run as root: as root, every command
// runs as the `postgres` user (runuser), which owns the directory.
import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from '../../src/testing/freePort.js'

const run = promisify(execFile)

/** A running private cluster: its URL, and stop/start for fault tests. */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  url: string
  /** `pg_ctl stop` in the given mode (`fast`: clients get admin_shutdown; `immediate`: no goodbye). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>
  /** Starts the cluster again on the same port; resolves once it accepts connections. */
  start(): Promise<void>
  /** Stops the cluster and deletes its directory. */
  destroy(): Promise<void>
}

/**
 * A hot standby of a running cluster: `pg_basebackup -R` (streaming replication, trust auth on
 * 127.0.0.1 as initdb sets it up), started on a free port of its own.
 */
export async function startPrivateReplica(primaryUrl: string): Promise<PrivatePostgres> {
  const primary = new URL(primaryUrl)
  return startCluster(async (exec, data) => {
    await exec('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      primary.port,
      '-U',
      'postgres',
      '-D',
      data,
      '-R',
      '-X',
      'stream',
    ])
  })
}

/**
 * initdb + pg_ctl start of a throw-away cluster. Fails with a message naming what is missing when
 * no PostgreSQL binaries are installed, so the fault tests never silently skip.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  return startCluster(async (exec, data) => {
    await exec('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '--no-instructions'])
  })
}

type Exec = (tool: string, args: string[]) => Promise<void>

/** Creates a data directory with `create`, then starts it on a free port (see the file comment). */
async function startCluster(create: (exec: Exec, data: string) => Promise<void>): Promise<PrivatePostgres> {
  const bin = postgresBinaries()
  const asRoot = process.getuid?.() === 0
  const dir = mkdtempSync(join(tmpdir(), 'gag-pg-'))
  const data = join(dir, 'data')
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const { stdout: gid } = await run('id', ['-g', 'postgres'])
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()))
  }
  const exec: Exec = async (tool, args) => {
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
  const port = await freePort()
  await create(exec, data)
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`
  const start = () =>
    exec('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '60', 'start'])
  let running = false
  await start()
  running = true
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop(mode = 'fast') {
      await exec('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop'])
      running = false
    },
    async start() {
      await start()
      running = true
    },
    async destroy() {
      if (running) await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined)
      running = false
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** The bin directory of the newest installed PostgreSQL (Debian layout, or on PATH via pg_config). */
function postgresBinaries(): string {
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (versions[0] !== undefined) return join(root, versions[0], 'bin')
  throw new Error(
    'The PostgreSQL fault tests need a private cluster, but no initdb was found under /usr/lib/postgresql/*/bin. ' +
      'Install the PostgreSQL server package (e.g. apt-get install postgresql).',
  )
}
