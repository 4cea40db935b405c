import { existsSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import { IndentationText, Project, QuoteKind, ts } from 'ts-morph'
import type { SourceFile } from 'ts-morph'
import { findExtensionClasses, migrateCode } from './codeMigration.js'
import { migrateConfigFile } from './configMigration.js'
import { migrateDocument } from './documentMigration.js'
import { migrateEmbeddedDocuments } from './graphqlTags.js'
import { isLegacyJsonConfig, jsonIndent, migrateJsonConfig, toJsLiteral } from './jsonConfig.js'
import type { FileResult, ProjectContext } from './plan.js'
import type { Note } from './notes.js'
import { NoteSink, TODO } from './notes.js'
import { detectStyle } from './objectText.js'
import type { PrintStyle } from './objectText.js'
import { indentUnit, lineOf } from './textEdits.js'
import type { Step } from './versions.js'

/**
 * Migrates one file through every step in memory; a JSON config may yield a created `.ts` file.
 * CRLF files are migrated as LF and written back with CRLF, so inserted lines match. A file that
 * cannot be read as what it claims to be (invalid JSON, a syntax error) is left as it is, with a
 * manual step naming the line.
 */
export function migrateFile(
  path: string,
  text: string,
  steps: readonly Step[],
  context: ProjectContext,
): FileResult[] {
  const crlf = text.includes('\r\n')
  const lf = crlf ? text.replaceAll('\r\n', '\n') : text
  const results = migrateText(path, lf, steps, context)
  for (const result of results) {
    if (result.before !== null) result.before = text
    if (crlf && result.after !== null) result.after = result.after.replaceAll('\n', '\r\n')
    // Chained steps can flag the same thing twice (an unknown key at 2.0 and again at 3.0).
    result.notes = result.notes.filter(
      (note, index) =>
        result.notes.findIndex((n) => n.kind === note.kind && n.message === note.message) === index,
    )
    if (result.after !== null) remainingTodos(result, steps)
  }
  return results
}

function migrateText(
  path: string,
  text: string,
  steps: readonly Step[],
  context: ProjectContext,
): FileResult[] {
  const extension = extname(path).slice(1)
  if (extension === 'graphql' || extension === 'gql') {
    const notes: Note[] = []
    let current = text
    for (const step of steps) {
      const sink = new NoteSink(`${step.from}→${step.to}`)
      const before = current
      current = migrateDocument(current, step, sink, context, (offset) => lineOf(before, offset))
      notes.push(...sink.notes)
    }
    return [{ path, before: text, after: current, notes }]
  }
  if (extension === 'json') return migrateJsonFile(path, text, steps)
  const syntax = syntaxError(path, text)
  if (syntax !== undefined) {
    const sink = new NoteSink(`${steps[0]!.from}→${steps[steps.length - 1]!.to}`)
    sink.manual(
      `Code: not valid TypeScript/JavaScript (${syntax.message}); nothing in this file was migrated.`,
      syntax.line,
    )
    return [{ path, before: text, after: text, notes: sink.notes }]
  }
  return [{ path, ...migrateCodeFile(path, text, steps, context) }]
}

/** The first syntax error TypeScript's parser finds, if any. */
function syntaxError(path: string, text: string): { message: string; line: number } | undefined {
  const output = ts.transpileModule(text, {
    fileName: path,
    reportDiagnostics: true,
    compilerOptions: { jsx: ts.JsxEmit.Preserve, allowJs: true },
  })
  const diagnostic = output.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error)
  if (diagnostic === undefined) return undefined
  const line =
    diagnostic.file && diagnostic.start !== undefined
      ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1
      : 1
  return { message: ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '), line }
}

/**
 * TODO markers the user has not resolved yet (left by this or an earlier run) keep the exit code
 * at 1: each one this run did not report already becomes a manual step.
 */
function remainingTodos(result: FileResult, steps: readonly Step[]): void {
  const reported = result.notes.filter((n) => n.kind === 'manual').length
  const lines = result.after!.split('\n')
  const marked = lines.flatMap((line, index) => (line.includes(TODO) ? [index + 1] : []))
  const step = `${steps[0]!.from}→${steps[steps.length - 1]!.to}`
  for (const line of marked.slice(reported)) {
    result.notes.push({
      kind: 'manual',
      step,
      message: `A ${TODO} marker is still here; resolve it and remove the comment.`,
      line,
    })
  }
}

function migrateCodeFile(
  path: string,
  text: string,
  steps: readonly Step[],
  context: ProjectContext,
): { before: string; after: string; notes: Note[] } {
  const { file, printStyle } = openSource(path, text)
  const notes: Note[] = []
  for (const step of steps) {
    const sink = new NoteSink(`${step.from}→${step.to}`)
    migrateConfigFile(file, step, sink, printStyle)
    migrateCode(file, step, sink, context.extensions)
    migrateEmbeddedDocuments(file, step, sink, context)
    notes.push(...sink.notes)
  }
  return { before: text, after: file.getFullText(), notes }
}

/** JSON configs stay JSON up to 2.1; 3.0 needs Drizzle tables, so it becomes a `.ts` file beside it. */
function migrateJsonFile(path: string, text: string, steps: readonly Step[]): FileResult[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const sink = new NoteSink(`${steps[0]!.from}→${steps[steps.length - 1]!.to}`)
    const at = /position (\d+)/.exec((error as Error).message)?.[1]
    sink.manual(
      `Config: not valid JSON (${(error as Error).message}); it was not migrated.`,
      at !== undefined ? lineOf(text, Number(at)) : 1,
    )
    return [{ path, before: text, after: text, notes: sink.notes }]
  }
  if (!isLegacyJsonConfig(value)) return []
  const notes: Note[] = []
  let config = value
  for (const step of steps.filter((s) => s.to !== '3.0')) {
    const sink = new NoteSink(`${step.from}→${step.to}`)
    config = migrateJsonConfig(config, step, sink) as typeof config
    notes.push(...sink.notes)
  }
  const unit = jsonIndent(text)
  const last = steps[steps.length - 1]!
  if (last.to !== '3.0') {
    return [
      {
        path,
        before: text,
        after: JSON.stringify(config, null, unit) + (text.endsWith('\n') ? '\n' : ''),
        notes,
      },
    ]
  }
  const target = join(dirname(path), `${basename(path, '.json')}.ts`)
  const sink = new NoteSink(`${last.from}→${last.to}`)
  if (existsSync(target)) {
    sink.manual(
      `Config: ${basename(target)} already exists, so this JSON config was not converted to it; merge them by hand.`,
    )
    notes.push(...sink.notes)
    return [{ path, before: text, after: text, notes }]
  }
  const printStyle: PrintStyle = { unit, quote: "'", trailingComma: true }
  const source =
    `// Migrated from ${basename(path)} by graphql-auto-gen migrate: v3 models are Drizzle tables, which JSON cannot hold.\n` +
    `export default ${toJsLiteral(config, '', printStyle)}\n`
  const { file } = openSource(target, source, printStyle)
  migrateConfigFile(file, last, sink, printStyle)
  sink.change(
    `Config: ${basename(path)} → ${basename(target)} (the v3 loader reads .ts/.js config files; the JSON file is removed).`,
  )
  notes.push(...sink.notes)
  return [
    { path, before: text, after: null, notes: [] },
    { path: target, before: null, after: file.getFullText(), notes },
  ]
}

/** Extension classes declared anywhere, so `new X()` can become `X` in every file. */
export function scanExtensions(sources: ReadonlyMap<string, string>): Set<string> {
  const names = new Set<string>()
  for (const [path, text] of sources) {
    if (!/\.[cm]?[jt]sx?$/.test(path) || !text.includes('processSchema')) continue
    for (const name of findExtensionClasses(openSource(path, text).file)) names.add(name)
  }
  return names
}

function openSource(
  path: string,
  text: string,
  style?: PrintStyle,
): { file: SourceFile; printStyle: PrintStyle } {
  const printStyle = style ?? detectStyle(text, indentUnit(text))
  const project = new Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    manipulationSettings: {
      quoteKind: printStyle.quote === '"' ? QuoteKind.Double : QuoteKind.Single,
      indentationText: indentationText(printStyle.unit),
      useTrailingCommas: printStyle.trailingComma,
    },
  })
  return { file: project.createSourceFile(path, text, { overwrite: true }), printStyle }
}

function indentationText(unit: string): IndentationText {
  if (unit === '\t') return IndentationText.Tab
  if (unit.length >= 8) return IndentationText.EightSpaces
  if (unit.length >= 4) return IndentationText.FourSpaces
  return IndentationText.TwoSpaces
}
