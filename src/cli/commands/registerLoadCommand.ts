import type { Command } from 'commander'

const HELP_AFTER = `
Reads a file written by \`graphql-auto-gen dump\` (use - for stdin) and inserts it in ONE
transaction: batched multi-row inserts in the dump's foreign-key order, self references set once
all rows are in, serial/identity sequences restored. Tables that already hold rows are refused
unless --truncate. A progress bar is drawn on stderr when it is a terminal.

Exit codes:
  0  loaded
  2  usage or runtime error (bad dump, non-empty tables without --truncate, database error,
     a database that cannot be reached or lacks a model's table or column); nothing is loaded then
`

/** Registers `load` on the program; its implementation (load.ts) loads when it runs. */
export function registerLoadCommand(program: Command): void {
  program
    .command('load')
    .description('Load an NDJSON dump into the configured database in one transaction.')
    .argument('<file>', 'dump file written by `dump` (- for stdin)')
    .option(
      '-c, --config <file>',
      'config file (default: graphql-auto-gen.config.ts in the working directory)',
    )
    .option('--truncate', 'empty the dump’s tables first instead of refusing non-empty ones')
    .addHelpText('after', HELP_AFTER)
    .action(async (file: string, options: { config?: string; truncate?: boolean }) => {
      const { runLoad } = await import('./load.js')
      process.exitCode = await runLoad(file, options)
    })
}
