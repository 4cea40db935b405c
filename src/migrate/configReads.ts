import { Node, SyntaxKind } from 'ts-morph'
import type { Identifier, SourceFile } from 'ts-morph'
import { v2KeyPath, v3KeyPath } from './configKeys.js'
import type { NoteSink } from './notes.js'
import { TODO } from './notes.js'
import { rewrite } from './rewrite.js'
import { lineIndent } from './textEdits.js'
import type { TextEdit } from './textEdits.js'
import type { Step } from './versions.js'

/** A module specifier that names the project's config file (`../graphql-auto-gen.config.js`). */
const CONFIG_MODULE = /(^|\/)graphql-auto-gen\.config(\.[cm]?[jt]s)?$/

/** v3 sections that are optional in `UserConfig`, so reads through them need `?.`. */
const OPTIONAL_SECTIONS = new Set([
  'database',
  'mutations',
  'queries',
  'security',
  'limits',
  'performance',
  'subscriptions',
  'cache',
  'naming',
  'server',
])

/** A name bound to the config (or to its `SCHEMA_CONFIG`), and the key path it stands for. */
interface ConfigName {
  name: string
  prefix: string[]
}

/**
 * Rewrites reads of old config keys in application code, where the config module is imported:
 * at 1.0→2.0 `config.MODELS` → `config.SCHEMA_CONFIG.models`; at 2.1→3.0
 * `config.SCHEMA_CONFIG.mutations.bulk_operations` → `config.mutations?.bulkOperations`,
 * `config.SCHEMA_CONFIG.enable_mutations` → `config.mutations?.enabled`,
 * `const c = config.SCHEMA_CONFIG` → `const c = config` (and reads through `c`). A read with
 * no v3 equivalent gets a TODO and a manual step.
 */
export function migrateConfigReads(file: SourceFile, step: Step, notes: NoteSink): void {
  if (step.to !== '2.0' && step.to !== '3.0') return
  const names = configNames(file)
  if (names.length === 0) return
  const edits: TextEdit[] = []
  for (const { name, prefix } of names) {
    for (const identifier of file.getDescendantsOfKind(SyntaxKind.Identifier)) {
      if (identifier.getText() !== name || !isRead(identifier)) continue
      const edit = rewriteRead(identifier, prefix, step, notes)
      if (edit) edits.push(edit)
    }
  }
  rewrite(file, edits)
}

/** Default and `GRAPHQL_AUTO_GEN` imports of the config module, and consts that alias them. */
function configNames(file: SourceFile): ConfigName[] {
  const names: ConfigName[] = []
  for (const declaration of file.getImportDeclarations()) {
    if (!CONFIG_MODULE.test(declaration.getModuleSpecifierValue())) continue
    const main = declaration.getDefaultImport()
    if (main) names.push({ name: main.getText(), prefix: [] })
    for (const named of declaration.getNamedImports()) {
      if (named.getName() === 'GRAPHQL_AUTO_GEN' || named.getName() === 'default')
        names.push({ name: named.getAliasNode()?.getText() ?? named.getName(), prefix: [] })
    }
  }
  for (const declaration of file.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    const chain = accessChain(declaration.getInitializer())
    const root = chain && names.find((n) => n.name === chain.root && n.prefix.length === 0)
    if (!root || chain.path.some((key) => key !== 'SCHEMA_CONFIG')) continue
    names.push({ name: declaration.getName(), prefix: chain.path })
  }
  return names
}

/** `a.b.c` → root `a`, path `['b', 'c']`. */
function accessChain(node: Node | undefined): { root: string; path: string[] } | undefined {
  const path: string[] = []
  let current = node
  while (current && Node.isPropertyAccessExpression(current)) {
    path.unshift(current.getName())
    current = current.getExpression()
  }
  return current && Node.isIdentifier(current) ? { root: current.getText(), path } : undefined
}

/** True for a use of the name as a value (not its declaration, an import, or a property name). */
function isRead(identifier: Identifier): boolean {
  const parent = identifier.getParent()
  if (Node.isImportClause(parent) || Node.isImportSpecifier(parent)) return false
  if (Node.isVariableDeclaration(parent) && parent.getNameNode() === identifier) return false
  if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === identifier) return false
  return !Node.isPropertyAssignment(parent) || parent.getInitializer() === identifier
}

function rewriteRead(
  identifier: Identifier,
  prefix: string[],
  step: Step,
  notes: NoteSink,
): TextEdit | undefined {
  let outer: Node = identifier
  const path: string[] = []
  for (
    let parent = outer.getParent();
    parent && Node.isPropertyAccessExpression(parent);
    parent = parent.getParent()
  ) {
    if (parent.getExpression() !== outer) break
    path.push(parent.getName())
    outer = parent
  }
  const full = [...prefix, ...path]
  if (full.length === 0) return undefined
  const line = identifier.getStartLineNumber()
  const target = step.to === '2.0' ? toV2Path(full) : toV3Path(full)
  if (target === 'unchanged') return undefined
  const shown = `${identifier.getText()}.${path.join('.')}`
  if (target === undefined) {
    const source = identifier.getSourceFile().getFullText()
    const statement = outer.getFirstAncestor((n) => Node.isStatement(n)) ?? outer
    const above = source.slice(source.lastIndexOf('\n', statement.getStart() - 2) + 1, statement.getStart())
    notes.manual(
      `Code: \`${shown}\` reads a config key ${step.to} no longer has: read the v3 config instead.`,
      line,
    )
    if (above.includes(TODO)) return undefined
    return {
      start: statement.getStart(),
      end: statement.getStart(),
      text: `// ${TODO}: \`${shown}\` reads a config key ${step.to} no longer has.\n${lineIndent(source, statement.getStart())}`,
    }
  }
  // What stays of the path after the alias's own prefix (an alias of SCHEMA_CONFIG is the root in 3.0).
  const kept = step.to === '3.0' ? target : target.slice(prefix.length)
  const text =
    identifier.getText() +
    kept.map((key, i) => (i === 1 && OPTIONAL_SECTIONS.has(kept[0]!) ? `?.${key}` : `.${key}`)).join('')
  if (text === outer.getText()) return undefined
  notes.change(`Code: config read \`${shown}\` → \`${text}\`.`, line)
  return { start: identifier.getStart(), end: outer.getEnd(), text }
}

/** v1 reads at 1.0→2.0; 'unchanged' for reads that are v2 already. */
function toV2Path(full: string[]): string[] | 'unchanged' | undefined {
  if (full[0] === 'SCHEMA_CONFIG') return 'unchanged'
  return v2KeyPath(full)
}

/** v2 reads at 2.1→3.0; 'unchanged' for reads that are v3 already. */
function toV3Path(full: string[]): string[] | 'unchanged' | undefined {
  if (full[0] === 'MODELS' || full[0] === 'ENABLE_MUTATIONS') return undefined
  if (full[0] !== 'SCHEMA_CONFIG') return 'unchanged'
  return full.length === 1 ? [] : v3KeyPath(full.slice(1))
}
