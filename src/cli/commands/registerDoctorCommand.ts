import type { Command } from 'commander'
import type { SchemaSourceOptions } from '../loadSchema.js'

/** Registers `doctor` on the program; its implementation (doctor.ts) loads when it runs. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'Check the config, the models (keys, indexes, name collisions, options, permission classes) and the live database.',
    )
    .option(
      '-c, --config <file>',
      'config file (default: graphql-auto-gen.config.ts in the working directory)',
    )
    .option('--example <name>', 'check a bundled example instead (available: shop)')
    .option('--json', 'print the problems as JSON')
    .addHelpText(
      'after',
      '\nWhen the config names a database (database.url / DATABASE_URL, or a PGlite dataDir), doctor connects to it\n(read-only) and reports an unreachable server with host:port and the reason, and every missing table or\ncolumn and incompatible type; an in-memory PGlite starts empty and is not checked.\nExit codes: 0 no problems, 1 problems found, 2 usage or runtime error (e.g. no config file).',
    )
    .action(async (options: SchemaSourceOptions & { json?: boolean }) => {
      const { runDoctor } = await import('./doctor.js')
      await runDoctor(options)
    })
}
