// The CLI tests run the compiled binary (bin/graphql-auto-gen.js over dist/), as an installed
// package runs it: a child starts in well under a second, where `node --import tsx src/cli/run.ts`
// loads and transforms every source file first (seconds each, dozens of runs per suite). dist/ is
// rebuilt when a source file is newer than it, once, whichever test worker gets there first.
import { execFile } from 'node:child_process'
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

let built: Promise<void> | undefined

/** Makes sure dist/ is at least as new as src/ (building it under a lock shared by the workers). */
export function ensureCompiledCli(root: string): Promise<void> {
  built ??= buildWhenStale(root).catch((error: unknown) => {
    built = undefined
    throw error
  })
  return built
}

async function buildWhenStale(root: string): Promise<void> {
  if (await isFresh(root)) return
  const lock = join(root, '.tmp-build-lock')
  for (;;) {
    try {
      await mkdir(lock)
      break
    } catch {
      // Another worker builds: wait for it, and take over a lock left by a worker that died.
      const age =
        Date.now() -
        (await stat(lock).then(
          (s) => s.mtimeMs,
          () => Date.now(),
        ))
      if (age > 300_000) await rm(lock, { recursive: true, force: true })
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
  try {
    if (await isFresh(root)) return
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
    await run(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root })
  } finally {
    await rm(lock, { recursive: true, force: true })
  }
}

/** dist/ is fresh when its CLI entry is newer than every source file the build compiles. */
async function isFresh(root: string): Promise<boolean> {
  const entry = await stat(join(root, 'dist', 'cli', 'run.js')).catch(() => undefined)
  if (entry === undefined) return false
  return (await newestSource(join(root, 'src'))) <= entry.mtimeMs
}

/** The newest file tsconfig.build.json compiles: no tests, no testing/ folder (test helpers stay out of dist/). */
async function newestSource(dir: string): Promise<number> {
  let newest = 0
  for (const item of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, item.name)
    if (item.isDirectory()) {
      if (item.name !== 'testing') newest = Math.max(newest, await newestSource(path))
    } else if (item.name.endsWith('.ts') && !item.name.endsWith('.test.ts'))
      newest = Math.max(newest, (await stat(path)).mtimeMs)
  }
  return newest
}
