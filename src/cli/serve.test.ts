// `serve` as a user runs it (one child process serving the example: the command of
// docs/getting-started.md, which docs.test.ts leaves to this file), and what ends before serving
// (a taken port, usage mistakes), which needs no server and runs in-process through main().
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from './testing/runCli.js'
import { runMain } from './testing/runMain.js'
import { DOC_COMMAND_ENV, docCommandsRunBy } from '../../test/docSamples.js'

/** A CLI process seeding the example on PGlite: on a busy shared machine, minutes. */
const LONG = 600_000

describe('graphql-auto-gen serve', () => {
  it(
    'serves the shop example from PORT, refuses a taken port in one line, exits 0 on SIGTERM',
    async () => {
      // docs/getting-started.md's command, in the environment of every doc command.
      const docs = docCommandsRunBy('src/cli/serve.test.ts')
      expect(docs.map((c) => [c.where.replace(/:\d+$/, ''), c.args])).toEqual([
        ['docs/getting-started.md', ['serve', '--example', 'shop']],
      ])
      expect(DOC_COMMAND_ENV).toEqual({ PORT: '0', DATABASE_URL: '' })
      const run = await runCli(docs[0]!.args, {
        env: { ...DOC_COMMAND_ENV },
        until: (out) => /GraphQL \+ GraphiQL: (\S+)/.test(out),
      })
      try {
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

        // The same port again (in-process: it ends before anything a process would show): one line
        // naming the fix (no EADDRINUSE stack), exit 2, nothing seeded.
        const port = new URL(url!).port
        const second = await runMain(['serve', '--example', 'shop', '--port', port], {
          env: { DATABASE_URL: '' },
        })
        expect(second.code).toBe(2)
        expect(second.stderr.trim()).toBe(
          `error: Port ${port} on 127.0.0.1 is already in use (another server is running there): stop it, or choose another port with --port or PORT.`,
        )
        expect(second.stdout).not.toContain('seeded')
      } finally {
        expect(await run.stop()).toBe(0)
      }
    },
    LONG,
  )

  it('prints usage and exits 2 on a bad port or an unknown example', async () => {
    const badPort = await runMain(['serve', '--example', 'shop', '--port', 'eighty'])
    expect(badPort.code).toBe(2)
    expect(badPort.stderr).toContain('Invalid port "eighty"')
    expect(badPort.stderr).toContain('Usage: graphql-auto-gen')
    const unknown = await runMain(['serve', '--example', 'zoo'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('Unknown example "zoo". Available: shop.')
  })

  it('explains a missing config file in an empty folder with exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gag-cli-'))
    try {
      const run = await runMain(['serve'], { cwd: dir })
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('[CONFIG_INVALID]: No config file found')
      expect(run.stderr).toContain('npx graphql-auto-gen serve --example shop')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('prints help and the version, exit 0', async () => {
    const help = await runMain(['serve', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--example <name>')
    expect(help.stdout).toContain('$PORT')
    const version = await runMain(['--version'])
    expect(version.code).toBe(0)
    const { version: expected } = (await import('../../package.json', { with: { type: 'json' } })).default
    expect(version.stdout).toBe(`${expected}\n`)
  })
})
