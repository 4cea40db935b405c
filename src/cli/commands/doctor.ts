import type { Command } from 'commander'
import { printJson, printLine, setProblemExitCode } from '../commandOutput.js'
import { diagnose } from '../diagnose.js'
import type { SchemaSourceOptions } from '../loadSchema.js'

/** Registers `doctor` on the program. */
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
      const diagnosis = await diagnose(options)
      if (options.json) {
        printJson({ ok: diagnosis.problems.length === 0, ...diagnosis })
      } else if (diagnosis.problems.length === 0) {
        printLine(`No problems found in ${diagnosis.source} (${diagnosis.modelsChecked} models checked).`)
      } else {
        const count = diagnosis.problems.length
        printLine(`${count} problem${count === 1 ? '' : 's'} found in ${diagnosis.source}:`)
        for (const problem of diagnosis.problems) {
          printLine(`  ✗ [${problem.kind}] ${problem.where}: ${problem.message}`)
          printLine(`    fix: ${problem.fix}`)
        }
      }
      setProblemExitCode(diagnosis.problems.length > 0)
    })
}
