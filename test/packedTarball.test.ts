// The package as a user gets it: `npm pack`, installed into an empty folder outside the checkout,
// then every command as the docs print it (`npx graphql-auto-gen …`): the bundled example, doctor,
// schema export, init → db:push → `npm run graphql` serving a relation, and SIGTERM to npm. Offline:
// the tarball is unpacked where npm would put it and its dependencies are links to this checkout's
// node_modules (what `npm install` would fetch), so no registry is needed.
import { execFile, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureCompiledCli } from '../src/cli/testing/compiledCli.js'
import { ROOT, samplesOf } from './docSamples.js'

const run = promisify(execFile)

/** The environment of every command: no registry, no colour, PGlite (never DATABASE_URL). */
const ENV = { ...process.env, npm_config_offline: 'true', NO_COLOR: '1', DATABASE_URL: '', PORT: '0' }

describe('the packed package, installed into an empty folder', { timeout: 300_000 }, () => {
  let dir: string
  let project: string
  let version: string

  beforeAll(async () => {
    await ensureCompiledCli(ROOT)
    version = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
    dir = await mkdtemp(join(tmpdir(), 'gag-packed-'))
    // dist/ is current (just checked): pack it without running `prepare` (the build) again.
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: ROOT,
      env: ENV,
    })
    const { filename } = (JSON.parse(stdout) as Array<{ filename: string }>)[0]!
    project = join(dir, 'my-api')
    await install(join(dir, filename), project)
  })
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  const npx = (args: string[]): Promise<{ stdout: string; stderr: string }> =>
    run('npx', ['graphql-auto-gen', ...args], { cwd: project, env: ENV })

  it('ships no sources or tests, and prints its version', async () => {
    const shipped = await readdir(join(project, 'node_modules', 'graphql-auto-gen'))
    expect(shipped).toEqual(expect.arrayContaining(['bin', 'dist', 'examples', 'package.json']))
    expect(shipped).not.toContain('src')
    expect(
      await readdir(join(project, 'node_modules', 'graphql-auto-gen', 'examples', 'shop')),
    ).not.toContain('seed.test.ts')
    expect((await npx(['--version'])).stdout).toBe(`${version}\n`)
  })

  it('serves the bundled example (the README’s first query), then checks and exports it', async () => {
    const server = start('npx', ['graphql-auto-gen', 'serve', '--example', 'shop'], project)
    let url: string | undefined
    try {
      url = await server.url
      const query = samplesOf(join(ROOT, 'README.md')).find((s) => s.lang === 'graphql')!.code
      const body = await post(url, query)
      expect(body.errors).toBeUndefined()
      expect((body.data as { users: { edges: unknown[] } }).users.edges).toHaveLength(3)
    } finally {
      await server.stop()
    }
    // npx runs the binary under `sh -c` as npm scripts do: stopping npx stops the server.
    await expect.poll(() => answers(url!), { timeout: 30_000, interval: 250 }).toBe(false)
    expect((await npx(['doctor', '--example', 'shop'])).stdout).toContain('No problems found')
    await npx(['schema', 'export', '--example', 'shop', '--out', 'shop.graphql'])
    expect(await readFile(join(project, 'shop.graphql'), 'utf8')).toContain('type User implements Node')
  })

  it('init → db:push → npm run graphql serves a relation; SIGTERM to npm stops the server too', async () => {
    await npx(['init'])
    expect(await readFile(join(project, '.gitignore'), 'utf8')).toContain('.pglite/')
    await run('npm', ['run', 'db:push'], { cwd: project, env: ENV })
    const npm = start('npm', ['run', 'graphql'], project)
    let url: string | undefined
    try {
      url = await npm.url
      const author = await post(url, 'mutation { createAuthor(input: {name: "Ada"}) { author { id } } }')
      const authorId = (author.data as { createAuthor: { author: { id: string } } }).createAuthor.author.id
      const post_ = await post(
        url,
        'mutation($a: ID!) { createPost(input: {authorId: $a, title: "Hello"}) { success post { author { name } } } }',
        { a: authorId },
      )
      expect(post_.data).toEqual({ createPost: { success: true, post: { author: { name: 'Ada' } } } })
      const read = await post(
        url,
        '{ authors(first: 5) { nodes { name posts(first: 5) { nodes { title } } } } }',
      )
      expect(read.data).toEqual({
        authors: { nodes: [{ name: 'Ada', posts: { nodes: [{ title: 'Hello' }] } }] },
      })
    } finally {
      // SIGTERM to npm alone (as a process manager sends it): the server under `sh -c` must stop too.
      await npm.stop()
    }
    await expect.poll(() => answers(url!), { timeout: 30_000, interval: 250 }).toBe(false)
  })
})

/** Unpacks the tarball as node_modules/graphql-auto-gen and links the dependencies and binaries. */
async function install(tarball: string, project: string): Promise<void> {
  const modules = join(project, 'node_modules')
  await mkdir(join(modules, '.bin'), { recursive: true })
  await writeFile(
    join(project, 'package.json'),
    '{ "name": "my-api", "version": "1.0.0", "private": true }\n',
  )
  await run('tar', ['-xzf', tarball, '-C', project])
  await rename(join(project, 'package'), join(modules, 'graphql-auto-gen'))
  for (const name of await readdir(join(ROOT, 'node_modules'))) {
    if (name.startsWith('.') || name === 'graphql-auto-gen') continue
    await symlink(join(ROOT, 'node_modules', name), join(modules, name), 'dir')
  }
  const bin = join(modules, 'graphql-auto-gen', 'bin', 'graphql-auto-gen.js')
  await chmod(bin, 0o755)
  await symlink(bin, join(modules, '.bin', 'graphql-auto-gen'))
  await symlink(join(ROOT, 'node_modules', '.bin', 'drizzle-kit'), join(modules, '.bin', 'drizzle-kit'))
}

/** A long-running command: its URL once it printed one, and stop() sending SIGTERM to it alone. */
function start(
  command: string,
  args: string[],
  cwd: string,
): { url: Promise<string>; stop: () => Promise<number | null> } {
  const child: ChildProcess = spawn(command, args, { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const found = /GraphQL \+ GraphiQL: (\S+)/.exec(stdout)?.[1]
      if (found) resolve(found)
    })
    void exited.then((code) =>
      reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${stdout}\n${stderr}`)),
    )
  })
  return {
    url,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}

async function post(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ data?: unknown; errors?: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  })
  return (await response.json()) as { data?: unknown; errors?: unknown }
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url.replace(/\/graphql$/, '/health'), { signal: AbortSignal.timeout(2000) })
    return true
  } catch {
    return false
  }
}
