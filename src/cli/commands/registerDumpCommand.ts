import type { Command } from 'commander'

const HELP_AFTER = `
Output: NDJSON. Line 1 is a header (format, version, models in foreign-key order with row
counts and sequence states), then one {"model": …, "row": {…}} line per row (bigint and numeric
as strings, timestamps ISO 8601 in UTC, json as JSON), then an end marker. Rows are read in one
consistent snapshot through cursors, with constant memory. A progress bar is drawn on stderr
when it is a terminal.

Exit codes:
  0  dumped
  2  usage or runtime error (bad config, unknown model, database unreachable)
`

/** Registers `dump` on the program; its implementation (dump.ts) loads when it runs. */
export function registerDumpCommand(program: Command): void {
  program
    .command('dump')
    .description('Write every row of the models as NDJSON (stdout by default), parents first.')
    .option(
      '-c, --config <file>',
      'config file (default: graphql-auto-gen.config.ts in the working directory)',
    )
    .option('--models <names>', 'comma-separated model names (default: all, junction tables included)')
    .option('-o, --out <file>', 'write to FILE instead of stdout')
    .addHelpText('after', HELP_AFTER)
    .action(async (options: { config?: string; models?: string; out?: string }) => {
      const { runDump } = await import('./dump.js')
      process.exitCode = await runDump(options)
    })
}
