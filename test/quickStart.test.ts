// The README quick start in a fresh copy of the repository: `npm start`, then the README's first
// query against the printed URL. The copy is `git ls-files` (what a clone has); node_modules is a
// symlink to this checkout's, so no second `npm install` runs (that step is npm's, not ours).
import { execFileSync, spawn } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT, samplesOf } from './docSamples.js'

describe('README quick start', () => {
  let copy: string | undefined
  afterAll(async () => {
    if (copy) await rm(copy, { recursive: true, force: true })
  })

  it('names `npm test` as the test command, and package.json defines it', async () => {
    const quickStart = samplesOf(join(ROOT, 'README.md')).find((s) => s.lang === 'sh')!
    expect(quickStart.code).toMatch(/^npm test\b/m)
    expect(quickStart.code).toMatch(/npm start/)
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
    expect(pkg.scripts['test']).toBeTruthy()
    expect(pkg.scripts['start']).toBeTruthy()
  })

  it('`npm start` in a fresh copy serves the README’s first query', async () => {
    copy = await mkdtemp(join(tmpdir(), 'gag-quickstart-'))
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
    })
      .toString()
      .split('\0')
      .filter((f) => f !== '' && !f.startsWith('node_modules/'))
    for (const file of files) {
      await mkdir(dirname(join(copy, file)), { recursive: true })
      await cp(join(ROOT, file), join(copy, file)).catch((error: NodeJS.ErrnoException) => {
        // Listed but deleted in the working tree (another change in progress): a clone would not have it either.
        if (error.code !== 'ENOENT') throw error
      })
    }
    await symlink(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir')
    const child = spawn('npm', ['start', '--silent'], {
      cwd: copy,
      env: { ...process.env, PORT: '0', DATABASE_URL: '', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString()
          const found = /GraphQL \+ GraphiQL: (\S+)/.exec(stdout)?.[1]
          if (found) resolve(found)
        })
        child.on('exit', (code) => reject(new Error(`npm start exited ${code}: ${stderr}`)))
      })
      const query = samplesOf(join(ROOT, 'README.md')).find((s) => s.lang === 'graphql')!.code
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      })
      const body = (await response.json()) as {
        data?: { users: { totalCount: number; edges: unknown[] } }
        errors?: unknown
      }
      expect(body.errors).toBeUndefined()
      expect(body.data!.users.edges).toHaveLength(3)
      expect(body.data!.users.totalCount).toBeGreaterThan(3)
    } finally {
      // npm runs tsx in a child: signal the whole process group this test started.
      if (child.pid !== undefined && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        process.kill(-child.pid, 'SIGTERM')
        // Waited for, so the server's shutdown is this test's and not left running into the next files.
        await exited
      }
    }
  })
})
