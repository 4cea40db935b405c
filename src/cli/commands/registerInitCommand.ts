import type { Command } from 'commander'
import { runCommand } from '../commandOutput.js'
import { INIT_FILES, INIT_GITIGNORE, INIT_SCRIPTS, runInit } from './init.js'

const HELP_AFTER = `
Writes ${INIT_FILES.config}, ${INIT_FILES.models} (two example models joined by a foreign key) and
${INIT_FILES.drizzle}, adds the scripts ${Object.keys(INIT_SCRIPTS).join(', ')} to package.json
(created when missing) and ${INIT_GITIGNORE.join(' and ')} to .gitignore.
Existing files are never overwritten without --force.

Exit codes: 0 written, 2 usage error or files already exist (they are named).`

/** Registers `init` on the program (init.ts is light: node:fs only, so it loads with the program). */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('Scaffold a config file, a Drizzle models file and npm scripts in a new or existing folder.')
    .argument('[dir]', 'folder to set up (created when missing)', '.')
    .option('--force', 'overwrite existing files (and npm scripts of the same names)')
    .addHelpText('after', HELP_AFTER)
    .action(runCommand(runInit))
}
