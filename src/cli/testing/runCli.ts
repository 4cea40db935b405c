import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ensureCompiledCli } from './compiledCli.js'

/** The repository root (where node_modules is). */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url))

/** A module of the repository's node_modules as a file URL, for fixture files in temp directories. */
export function repoModuleUrl(path: string): string {
  return pathToFileURL(join(repoRoot, 'node_modules', path)).href
}

/** What a CLI run printed and how it ended. */
export interface CliRun {
  /** Exit code; null while still running (when `until` resolved first) or when killed. */
  code: number | null
  stdout: string
  stderr: string
  /** Sends SIGTERM and resolves with the exit code. */
  stop: () => Promise<number | null>
  child: ChildProcess
}

/**
 * Runs `graphql-auto-gen …` as a user would: a child process running the compiled binary
 * (bin/graphql-auto-gen.js; see compiledCli.ts) in `cwd`, until it exits, or until `until` sees what
 * it waits for on stdout. Signals reach the CLI itself (no wrapper process in between).
 */
export async function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; until?: (stdout: string) => boolean } = {},
): Promise<CliRun> {
  await ensureCompiledCli(repoRoot)
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'graphql-auto-gen.js'), ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const result: CliRun = {
    code: null,
    stdout: '',
    stderr: '',
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      return exited
    },
    child,
  }
  return new Promise((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      result.stdout += chunk.toString()
      if (options.until?.(result.stdout)) resolve(result)
    })
    child.stderr!.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()))
    void exited.then((code) => {
      result.code = code
      resolve(result)
    })
  })
}
