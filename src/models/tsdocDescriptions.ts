import { existsSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, relative, resolve } from 'node:path'
import type { ts as TypeScript } from 'ts-morph'
import type { DescribedName, DescriptionSource } from './DescriptionSource.js'

/** Drizzle calls that declare a table, view or enum, bare (`pgTable`) or on a `pgSchema` (`s.table`). */
const TABLE_CALLS = new Set(['pgTable', 'pgView', 'pgMaterializedView', 'table', 'view', 'materializedView'])
const ENUM_CALLS = new Set(['pgEnum', 'enum'])

/** What one models file says: comments of tables (with their columns) and enums, by SQL name. */
interface FileDescriptions {
  tables: Map<string, { description?: string; columns: Map<string, string> }>
  enums: Map<string, string>
}

/**
 * Descriptions from the TSDoc (`/** … *\/`) comments of the models files: on a table, view or
 * enum declaration (`export const users = pgTable('users', …)`) and on each column property.
 * Files are only parsed (no type checking), and TypeScript is loaded only when some file has a
 * doc comment; re-exports (`export * from './tables'`) are followed. Matching is by SQL name, so
 * config keys may differ from the export names.
 */
export function tsdocDescriptions(files: readonly string[]): DescriptionSource {
  const read = readFiles(files)
  const shown = files.map((f) => relative(process.cwd(), f) || f).join(', ')
  return {
    name: `TSDoc in ${shown}`,
    table: (table) => read.tables.get(table.name)?.description,
    column: (table: DescribedName, column) => {
      const columns = read.tables.get(table.name)?.columns
      return columns?.get(column.key) ?? columns?.get(column.name)
    },
    enum: (sqlName) => read.enums.get(sqlName),
  }
}

function readFiles(files: readonly string[]): FileDescriptions {
  const found: FileDescriptions = { tables: new Map(), enums: new Map() }
  const pending = [...files]
  const seen = new Set<string>()
  let ts: typeof TypeScript | undefined
  while (pending.length > 0 && seen.size < 100) {
    const file = pending.shift()!
    if (seen.has(file)) continue
    seen.add(file)
    const text = readFileSync(file, 'utf8')
    if (!text.includes('/**') && !/export\s+(\*|\{)/.test(text)) continue
    ts ??= (createRequire(import.meta.url)('ts-morph') as { ts: typeof TypeScript }).ts
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
    for (const statement of source.statements) {
      if (
        ts.isExportDeclaration(statement) &&
        statement.moduleSpecifier &&
        ts.isStringLiteral(statement.moduleSpecifier)
      ) {
        const next = resolveModuleFile(file, statement.moduleSpecifier.text)
        if (next !== undefined) pending.push(next)
      }
      if (ts.isVariableStatement(statement)) readDeclarations(ts, statement, found)
    }
  }
  return found
}

function readDeclarations(
  ts: typeof TypeScript,
  statement: TypeScript.VariableStatement,
  found: FileDescriptions,
): void {
  for (const declaration of statement.declarationList.declarations) {
    const call = declaringCall(ts, declaration.initializer)
    if (!call) continue
    const [nameArg, columnsArg] = call.arguments
    if (!nameArg || !ts.isStringLiteralLike(nameArg)) continue
    const comment = docComment(ts, statement)
    const callee = ts.isIdentifier(call.expression)
      ? call.expression.text
      : (call.expression as TypeScript.PropertyAccessExpression).name.text
    if (ENUM_CALLS.has(callee)) {
      if (comment !== undefined) found.enums.set(nameArg.text, comment)
      continue
    }
    const columns = new Map<string, string>()
    if (columnsArg && ts.isObjectLiteralExpression(columnsArg)) {
      for (const property of columnsArg.properties) {
        const described = docComment(ts, property)
        if (described === undefined || !ts.isPropertyAssignment(property)) continue
        columns.set(property.name.getText(), described)
        const sqlName = columnSqlName(ts, property.initializer)
        if (sqlName !== undefined) columns.set(sqlName, described)
      }
    }
    found.tables.set(nameArg.text, { ...(comment !== undefined ? { description: comment } : {}), columns })
  }
}

/** The `pgTable(…)`/`pgEnum(…)` call under a declaration's chain (`pgView(…).as(…)` included). */
function declaringCall(
  ts: typeof TypeScript,
  node: TypeScript.Node | undefined,
): TypeScript.CallExpression | undefined {
  let current = node
  while (current) {
    if (ts.isCallExpression(current)) {
      const callee = current.expression
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : ''
      if (TABLE_CALLS.has(name) || ENUM_CALLS.has(name)) return current
      current = callee
    } else if (ts.isPropertyAccessExpression(current)) {
      current = current.expression
    } else {
      return undefined
    }
  }
  return undefined
}

/** The SQL column name a column builder chain names (`text('full_name').notNull()` → `full_name`). */
function columnSqlName(ts: typeof TypeScript, node: TypeScript.Expression): string | undefined {
  let current: TypeScript.Expression = node
  while (ts.isCallExpression(current) || ts.isPropertyAccessExpression(current)) {
    if (ts.isCallExpression(current) && ts.isIdentifier(current.expression)) {
      const first = current.arguments[0]
      return first && ts.isStringLiteralLike(first) ? first.text : undefined
    }
    current = current.expression
  }
  return undefined
}

/** The text of the doc comment right before a node, without tags; undefined when there is none. */
function docComment(ts: typeof TypeScript, node: TypeScript.Node): string | undefined {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc)
  const last = docs[docs.length - 1]
  const text = last ? ts.getTextOfJSDocComment(last.comment)?.trim() : undefined
  return text === undefined || text === '' ? undefined : text
}

/** A relative import resolved to a file: as written, `.js` → `.ts`, an added extension, or an index file. */
export function resolveModuleFile(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined
  const base = resolve(dirname(from), specifier)
  const candidates = [
    base.replace(/\.(m?)js$/, '.$1ts'),
    base,
    ...['.ts', '.mts', '.js', '.mjs'].map((ext) => base + ext),
    ...['index.ts', 'index.js'].map((name) => resolve(base, name)),
  ]
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile())
}

/**
 * The models files a config file names by import (`import * as schema from './db/schema'`): its
 * relative imports, resolved to files. Found by reading the text, so nothing is loaded.
 */
export function importedFiles(configFile: string): string[] {
  const text = readFileSync(configFile, 'utf8')
  const specifiers = [...text.matchAll(/\bfrom\s+['"](\.[^'"]+)['"]/g)].map((m) => m[1]!)
  return [...new Set(specifiers.map((s) => resolveModuleFile(configFile, s)))].filter(
    (file): file is string => file !== undefined,
  )
}
