import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import type { ts as TsApi } from 'ts-morph'

/** One TypeScript error in the migrated project. */
export interface TypeCheckError {
  /** Relative to the project directory, with `/` separators. */
  path: string
  line: number
  message: string
}

/**
 * Type-checks the project in `cwd` as `tsc --noEmit -p tsconfig.json` would, with the project's
 * own TypeScript when it has one (else the one ts-morph brings). Returns undefined when there is
 * no tsconfig.json, so there is nothing to check.
 */
export async function typeCheckProject(cwd: string): Promise<TypeCheckError[] | undefined> {
  const configPath = join(cwd, 'tsconfig.json')
  if (!existsSync(configPath)) return undefined
  const ts = await loadTypeScript(cwd)
  const read = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path))
  if (read.error) return [toError(ts, cwd, read.error)]
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, cwd, { noEmit: true }, configPath)
  if (parsed.errors.length > 0) return parsed.errors.map((d) => toError(ts, cwd, d))
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options })
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => toError(ts, cwd, d))
}

async function loadTypeScript(cwd: string): Promise<typeof TsApi> {
  try {
    return createRequire(join(cwd, 'package.json'))('typescript') as typeof TsApi
  } catch {
    return (await import('ts-morph')).ts
  }
}

function toError(ts: typeof TsApi, cwd: string, diagnostic: TsApi.Diagnostic): TypeCheckError {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')
  if (!diagnostic.file || diagnostic.start === undefined) return { path: 'tsconfig.json', line: 1, message }
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
  return { path: relative(cwd, diagnostic.file.fileName).split('\\').join('/'), line: line + 1, message }
}
