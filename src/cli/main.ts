// The `graphql-auto-gen` command. Exit codes: 0 ok, 1 problems found, 2 usage or runtime error.
import { readFileSync } from 'node:fs'
import { Command, CommanderError } from 'commander'
import { UsageError } from './UsageError.js'
import { registerSchemaCommand } from './commands/registerSchemaCommand.js'
import { registerDoctorCommand } from './commands/registerDoctorCommand.js'
import { registerMigrateCommand } from './commands/registerMigrateCommand.js'
import { registerDumpCommand } from './commands/registerDumpCommand.js'
import { registerLoadCommand } from './commands/registerLoadCommand.js'
import { registerInitCommand } from './commands/registerInitCommand.js'
import { registerExplainCommand } from './commands/registerExplainCommand.js'
import { runCommand } from './commandOutput.js'
import type { ServeOptions } from './serve.js'

/**
 * Builds the command tree (also used to generate the CLI reference). It holds only names, options
 * and help: each command loads its implementation (graphql, the server, PGlite, ts-morph…) when it
 * runs, so `--version`, `--help` and usage errors start in a fraction of the time.
 */
export function buildProgram(): Command {
  const program = new Command('graphql-auto-gen')
    .description('Turn Drizzle models into a complete GraphQL API.')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .showHelpAfterError()
    .exitOverride()
  program
    .command('serve')
    .description('Serve the GraphQL API (GraphiQL, /health, /ready) over HTTP.')
    .option(
      '-c, --config <file>',
      'config file (default: graphql-auto-gen.config.ts in the working directory)',
    )
    .option('--example <name>', 'serve a bundled example on embedded PGlite (available: shop)')
    .option(
      '-p, --port <port>',
      'port to listen on (default: $PORT, else server.port from config, else 4000)',
    )
    .option('--host <host>', 'interface to bind (default: server.host from config, else 127.0.0.1)')
    .action(
      runCommand(async (options: ServeOptions) => {
        const { serve } = await import('./serve.js')
        await serve(options)
      }),
    )
  registerSchemaCommand(program)
  registerDoctorCommand(program)
  registerMigrateCommand(program)
  registerDumpCommand(program)
  registerLoadCommand(program)
  registerInitCommand(program)
  registerExplainCommand(program)
  return program
}

/** The installed package's version (package.json sits two folders up from src/cli and dist/cli). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  return manifest.version
}

/** Runs the CLI with the given arguments; returns the exit code for errors, or leaves the server running. */
export async function main(argv: readonly string[]): Promise<number | undefined> {
  const program = buildProgram()
  // The command being run, so a usage mistake found inside its action prints its own usage.
  let active: Command = program
  program.hook('preAction', (_program, command) => {
    active = command
  })
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return undefined
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n`)
      console.error(active.helpInformation())
      return 2
    }
    // Loaded here, not at start-up: errors.ts loads graphql (an AutoGenError has loaded it already).
    const { AutoGenError } = await import('../errors.js')
    if (error instanceof AutoGenError) {
      console.error(`error [${error.code}]: ${error.message}`)
      return 2
    }
    console.error(error)
    return 2
  }
}
