import { existsSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import { IndentationText, Project, QuoteKind } from 'ts-morph'
import type { SourceFile } from 'ts-morph'
import { findExtensionClasses, migrateCode } from './codeMigration.js'
import { migrateConfigFile } from './configMigration.js'
import { migrateDocument } from './documentMigration.js'
import type { ConnectionStyle } from './documentMigration.js'
import { migrateEmbeddedDocuments } from './graphqlTags.js'
import { isLegacyJsonConfig, jsonIndent, migrateJsonConfig, toJsLiteral } from './jsonConfig.js'
import type { FileResult } from './migrateProject.js'
import type { Note } from './notes.js'
import { NoteSink } from './notes.js'
import { detectStyle } from './objectText.js'
import type { PrintStyle } from './objectText.js'
import { indentUnit, lineOf } from './textEdits.js'
import type { Step } from './versions.js'

/** Migrates one file through every step in memory; a JSON config may yield a created `.ts` file. */
export function migrateFile(
  path: string,
  text: string,
  steps: readonly Step[],
  style: ConnectionStyle,
  extensions: ReadonlySet<string>,
): FileResult[] {
  const extension = extname(path).slice(1)
  if (extension === 'graphql' || extension === 'gql') {
    const notes: Note[] = []
    let current = text
    for (const step of steps) {
      const sink = new NoteSink(`${step.from}→${step.to}`)
      const before = current
      current = migrateDocument(current, step, sink, style, (offset) => lineOf(before, offset))
      notes.push(...sink.notes)
    }
    return [{ path, before: text, after: current, notes }]
  }
  if (extension === 'json') return migrateJsonFile(path, text, steps)
  return [{ path, ...migrateCodeFile(path, text, steps, style, extensions) }]
}

function migrateCodeFile(
  path: string,
  text: string,
  steps: readonly Step[],
  style: ConnectionStyle,
  extensions: ReadonlySet<string>,
): { before: string; after: string; notes: Note[] } {
  const { file, printStyle } = openSource(path, text)
  const notes: Note[] = []
  for (const step of steps) {
    const sink = new NoteSink(`${step.from}→${step.to}`)
    migrateConfigFile(file, step, sink, printStyle)
    migrateCode(file, step, sink, extensions)
    migrateEmbeddedDocuments(file, step, sink, style)
    notes.push(...sink.notes)
  }
  return { before: text, after: file.getFullText(), notes }
}

/** JSON configs stay JSON up to 2.1; 3.0 needs Drizzle tables, so it becomes a `.ts` file beside it. */
function migrateJsonFile(path: string, text: string, steps: readonly Step[]): FileResult[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return []
  }
  if (!isLegacyJsonConfig(value)) return []
  const notes: Note[] = []
  let config = value
  for (const step of steps.filter((s) => s.to !== '3.0')) {
    const sink = new NoteSink(`${step.from}→${step.to}`)
    config = migrateJsonConfig(config, step, sink)
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
