// The CLI in the test's own process: main() with stdout and stderr collected. No Node start and no
// module loading per run (a spawned CLI costs ~1.5 s of CPU before it does anything), for tests of
// a command's logic: argument checks, output formats, exit codes. Each command keeps at least one
// test through runCli, the real process, for what only a process shows (signals, process.exit).
import { vi } from 'vitest'
import { main } from '../main.js'

/** What an in-process CLI run printed and the exit code the binary would have exited with. */
export interface MainRun {
  code: number
  stdout: string
  stderr: string
}

/** Serialises the runs of this worker: the working directory, the spies and process.exitCode are global. */
let queue: Promise<unknown> = Promise.resolve()

/** Where and with what environment an in-process run happens (both restored after it). */
export interface MainOptions {
  cwd?: string
  /** Variables set for the run (configs read process.env when they load, on every run). */
  env?: Record<string, string>
}

/**
 * Runs `graphql-auto-gen …` through main() in this process, in `cwd` and with `env` when given,
 * collecting what it writes; the code is main()'s, else process.exitCode, as run.ts exits with.
 */
export function runMain(args: readonly string[], options: MainOptions = {}): Promise<MainRun> {
  const run = queue.then(() => runMainNow(args, options))
  queue = run.catch(() => undefined)
  return run
}

async function runMainNow(args: readonly string[], options: MainOptions): Promise<MainRun> {
  let stdout = ''
  let stderr = ''
  const collect = (append: (text: string) => void) => (chunk: unknown) => {
    append(String(chunk))
    return true
  }
  const cwd = process.cwd()
  const saved = Object.keys(options.env ?? {}).map((name) => [name, process.env[name]] as const)
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(collect((t) => (stdout += t))),
    vi.spyOn(process.stderr, 'write').mockImplementation(collect((t) => (stderr += t))),
    vi
      .spyOn(console, 'error')
      .mockImplementation((...parts: unknown[]) => (stderr += `${parts.join(' ')}\n`)),
    vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => (stdout += `${parts.join(' ')}\n`)),
  ]
  try {
    if (options.cwd !== undefined) process.chdir(options.cwd)
    Object.assign(process.env, options.env)
    const code = (await main(args)) ?? process.exitCode ?? 0
    return { code: Number(code), stdout, stderr }
  } finally {
    process.chdir(cwd)
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
    for (const spy of spies) spy.mockRestore()
    process.exitCode = undefined
  }
}
