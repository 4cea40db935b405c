// The `graphql-auto-gen` command. Exit codes: 0 ok, 1 problems found, 2 usage or runtime error.
import { readFileSync } from 'node:fs'
import { Command, CommanderError } from 'commander'
import { AutoGenError } from '../errors.js'
import { serve, UsageError } from './serve.js'
import { registerSchemaCommand } from './commands/schema.js'
import { registerDoctorCommand } from './commands/doctor.js'
import { registerMigrateCommand } from './commands/migrate.js'
import { registerDumpCommand } from './commands/dump.js'
import { registerLoadCommand } from './commands/load.js'
import { registerInitCommand } from './commands/init.js'
import { registerExplainCommand } from './commands/explain.js'
import { runCommand } from './commandOutput.js'

/** Builds the command tree (also used to generate the CLI reference). */
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
      runCommand(async (options: { config?: string; example?: string; port?: string; host?: string }) => {
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
    if (error instanceof AutoGenError) {
      console.error(`error [${error.code}]: ${error.message}`)
      return 2
    }
    console.error(error)
    return 2
  }
}
