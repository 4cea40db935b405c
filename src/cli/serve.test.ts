import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const tsx = join(root, 'node_modules', '.bin', 'tsx')
const entry = join(root, 'src', 'cli', 'run.ts')

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the CLI as a user would, in `cwd`, until it exits (or `until` sees what it waits for). */
function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; until?: (stdout: string) => boolean } = {},
): Promise<Run & { kill: () => void; child: ReturnType<typeof spawn> }> {
  const child = spawn(tsx, [entry, ...args], {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const result = {
    code: null as number | null,
    stdout: '',
    stderr: '',
    kill: () => child.kill('SIGTERM'),
    child,
  }
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      result.stdout += chunk.toString()
      if (options.until?.(result.stdout)) resolve(result)
    })
    child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()))
    child.on('exit', (code) => {
      result.code = code
      resolve(result)
    })
  })
}

describe('graphql-auto-gen serve', () => {
  it('serves the shop example on PGlite, on the port from PORT, and exits 0 on SIGTERM', async () => {
    const run = await runCli(['serve', '--example', 'shop'], {
      env: { PORT: '0', DATABASE_URL: '' },
      until: (out) => /GraphQL \+ GraphiQL: (\S+)/.test(out),
    })
    const url = /GraphQL \+ GraphiQL: (\S+)/.exec(run.stdout)?.[1]
    expect(url, run.stderr).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/)
    expect(run.stdout).toContain('Created the shop tables and seeded')
    expect(run.stdout).toContain('7 models')
    const response = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          '{ users(first: 2) { edges { node { username profile { firstName lastName } orders { nodes { items { nodes { product { name price } } } } } } } } }',
      }),
    })
    const body = (await response.json()) as {
      data: { users: { edges: Array<{ node: { username: string } }> } }
    }
    expect(body.data.users.edges).toHaveLength(2)
    expect(body.data.users.edges[0]!.node.username).toBe('admin')
    const exited = new Promise<number | null>((resolve) => run.child.on('exit', resolve))
    run.kill()
    expect(await exited).toBe(0)
  })

  it('prints usage and exits 2 on a bad port or an unknown example', async () => {
    const badPort = await runCli(['serve', '--example', 'shop', '--port', 'eighty'])
    expect(badPort.code).toBe(2)
    expect(badPort.stderr).toContain('Invalid port "eighty"')
    expect(badPort.stderr).toContain('Usage: graphql-auto-gen')
    const unknown = await runCli(['serve', '--example', 'zoo'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('Unknown example "zoo". Available: shop.')
  })

  it('explains a missing config file with exit 2', async () => {
    const run = await runCli(['serve'], { cwd: mkdtempSync(join(tmpdir(), 'gag-cli-')) })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('[CONFIG_INVALID]: No config file found')
  })

  it('prints help and exits 0', async () => {
    const run = await runCli(['serve', '--help'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('--example <name>')
    expect(run.stdout).toContain('$PORT')
  })
})
