import { printJson, printLine, setProblemExitCode } from '../commandOutput.js'
import { diagnose } from '../diagnose.js'
import type { SchemaSourceOptions } from '../loadSchema.js'

/** `doctor`: prints the problems of the config, the models and the live database; sets the exit code. */
export async function runDoctor(options: SchemaSourceOptions & { json?: boolean }): Promise<void> {
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
}
