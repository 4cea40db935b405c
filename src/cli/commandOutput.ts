/** Writes one line to stdout (command results; `--json` output goes here alone). */
export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`)
}

/** Writes a value as indented JSON to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

/**
 * Reports a failure that is not a usage mistake (a missing version, an unreadable file) on
 * stderr and sets exit code 2, without the usage text a UsageError prints.
 */
export function failCommand(message: string): void {
  process.stderr.write(`error: ${message}\n`)
  process.exitCode = 2
}

/** Sets the exit code for a command that found problems (1) or none (0). */
export function setProblemExitCode(found: boolean): void {
  process.exitCode = found ? 1 : 0
}

/** An expected failure inside a command: reported by {@link runCommand} as `error: …`, exit 2. */
export class CommandFailure extends Error {}

/** Wraps a command action so a {@link CommandFailure} becomes a one-line error and exit code 2. */
export function runCommand<Args extends unknown[]>(
  action: (...args: Args) => Promise<void>,
): (...args: Args) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args)
    } catch (error) {
      if (!(error instanceof CommandFailure)) throw error
      failCommand(error.message)
    }
  }
}
