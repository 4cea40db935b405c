import { Node, SyntaxKind } from 'ts-morph'
import type { ArrayLiteralExpression, Expression, ObjectLiteralExpression, SourceFile } from 'ts-morph'
import { ensureNamedImport, matchSemicolons } from './imports.js'
import type { NoteSink } from './notes.js'
import { TODO } from './notes.js'
import { printObject, propertyKey, quoted, readEntries } from './objectText.js'
import type { ObjectEntry, PrintStyle } from './objectText.js'
import { lineIndent } from './textEdits.js'
import type { TextEdit } from './textEdits.js'
import { rewrite } from './rewrite.js'
import type { Step } from './versions.js'
import { camelCase, SECTIONS, V3_KEYS, v2KeyPath, v3KeyPath } from './configKeys.js'

/**
 * Migrates a TypeScript/JavaScript config file one step, in place, when it holds a config object
 * of the step's source version (the default export, `module.exports`, or `GRAPHQL_AUTO_GEN`).
 */
export function migrateConfigFile(file: SourceFile, step: Step, notes: NoteSink, style: PrintStyle): void {
  const object = findConfigObject(file)
  if (!object) return
  if (step.to === '2.0') toV2(object, notes, style)
  else if (step.to === '2.1') toV21(object, notes, style)
  else toV3(file, object, notes, style)
}

/** The object literal holding the legacy config, if the file has one. */
export function findConfigObject(file: SourceFile): ObjectLiteralExpression | undefined {
  const candidates: Array<Expression | undefined> = []
  const assignment = file.getExportAssignment((e) => !e.isExportEquals())
  candidates.push(assignment?.getExpression())
  for (const statement of file.getStatements()) {
    if (!Node.isExpressionStatement(statement)) continue
    const expression = statement.getExpression()
    if (Node.isBinaryExpression(expression) && expression.getLeft().getText() === 'module.exports') {
      candidates.push(expression.getRight())
    }
  }
  candidates.push(file.getVariableDeclaration('GRAPHQL_AUTO_GEN')?.getInitializer())
  for (const candidate of candidates) {
    const object = objectOf(file, candidate, 0)
    if (object && isLegacyConfig(object)) return object
  }
  return undefined
}

function isLegacyConfig(object: ObjectLiteralExpression): boolean {
  return object
    .getProperties()
    .some((p) => ['MODELS', 'ENABLE_MUTATIONS', 'SCHEMA_CONFIG'].includes(propertyKey(p)))
}

function objectOf(
  file: SourceFile,
  expression: Node | undefined,
  depth: number,
): ObjectLiteralExpression | undefined {
  if (expression === undefined || depth > 3) return undefined
  if (Node.isObjectLiteralExpression(expression)) return expression
  if (
    Node.isParenthesizedExpression(expression) ||
    Node.isAsExpression(expression) ||
    Node.isSatisfiesExpression(expression)
  ) {
    return objectOf(file, expression.getExpression(), depth + 1)
  }
  if (Node.isCallExpression(expression)) return objectOf(file, expression.getArguments()[0], depth + 1)
  if (Node.isIdentifier(expression)) {
    return objectOf(file, file.getVariableDeclaration(expression.getText())?.getInitializer(), depth + 1)
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// 1.0 → 2.0: { MODELS, ENABLE_MUTATIONS } → { SCHEMA_CONFIG: { models, mutations, queries, security } }

function toV2(object: ObjectLiteralExpression, notes: NoteSink, style: PrintStyle): void {
  const { entries, dangling } = readEntries(object)
  if (!entries.some((e) => e.key === 'MODELS' || e.key === 'ENABLE_MUTATIONS')) {
    legacyPaginationToRelay(object, notes, style)
    return
  }
  const line = object.getStartLineNumber()
  const models = entries.find((e) => e.key === 'MODELS')
  const enable = entries.find((e) => e.key === 'ENABLE_MUTATIONS')
  const rest = entries.filter((e) => e !== models && e !== enable)
  // Keys 2.0 reads inside SCHEMA_CONFIG (`database`) move there; any other key would be ignored.
  const moved = rest.filter((e) => e.key !== undefined && v2KeyPath([e.key]) !== undefined)
  const others = rest.filter((e) => !moved.includes(e)).map((e) => flagUnknown(e, notes, line))
  if (!models) notes.manual('The v1 config has no MODELS: list your models in SCHEMA_CONFIG.models.', line)
  const schemaConfig: ObjectEntry[] = [
    models
      ? { ...models, key: 'models' }
      : { comments: [`// ${TODO}: list your models`], key: 'models', value: '[]' },
    {
      comments: [],
      key: 'mutations',
      value: [
        enable ? { ...enable, key: 'enabled' } : plain('enabled', 'true'),
        plain('bulk_operations', 'true'),
        plain('soft_delete', 'false'),
      ],
    },
    {
      comments: [],
      key: 'queries',
      value: [
        plain('pagination', quoted('relay', style)),
        plain('filtering', quoted('basic', style)),
        plain('ordering', 'true'),
      ],
    },
    {
      comments: [],
      key: 'security',
      value: [
        plain('authentication_required', 'false'),
        plain('permission_classes', `[${quoted('AllowAny', style)}]`),
        plain('rate_limiting', 'false'),
      ],
    },
    ...moved,
  ]
  for (const entry of moved)
    notes.change(`Config: \`${entry.key!}\` moved into SCHEMA_CONFIG, where 2.0 reads it.`, line)
  const file = object.getSourceFile()
  const indent = lineIndent(file.getFullText(), object.getStart())
  const text = printObject(
    [{ comments: [], key: 'SCHEMA_CONFIG', value: schemaConfig }, ...others],
    indent,
    style,
    dangling,
  )
  rewrite(file, [{ start: object.getStart(), end: object.getEnd(), text }])
  notes.change(
    'Config: MODELS/ENABLE_MUTATIONS → SCHEMA_CONFIG { models, mutations, queries, security }.',
    line,
  )
  notes.warning(
    "Config: queries.pagination is 'relay' (the v2 default): list fields return connections; client documents are rewritten in this step.",
    line,
  )
}

/** A key no version reads: kept where it is, with a TODO comment and a manual step. */
function flagUnknown(entry: ObjectEntry, notes: NoteSink, line: number): ObjectEntry {
  const name = entry.key ?? String(entry.value).split('\n')[0]!
  notes.manual(
    `Config: \`${name}\` is not a graphql-auto-gen setting and would be ignored: move it under a v3 name or remove it.`,
    line,
  )
  if (entry.comments.some((c) => c.includes(TODO))) return entry
  return {
    ...entry,
    comments: [
      ...entry.comments,
      `// ${TODO}: \`${name}\` is not a graphql-auto-gen setting; move it under a v3 name or remove it`,
    ],
  }
}

function plain(key: string, value: string): ObjectEntry {
  return { comments: [], key, value }
}

/**
 * A v2-shaped config migrated `--from 1.0` that still serves legacy lists: this step rewrites the
 * documents into connections, so the config must serve connections too.
 */
function legacyPaginationToRelay(object: ObjectLiteralExpression, notes: NoteSink, style: PrintStyle): void {
  const queries = objectProperty(objectProperty(object, 'SCHEMA_CONFIG'), 'queries')
  const property = queries?.getProperties().find((p) => propertyKey(p) === 'pagination')
  const value = property && Node.isPropertyAssignment(property) ? property.getInitializer() : undefined
  if (!value || !Node.isStringLiteral(value) || value.getLiteralText() !== 'legacy') return
  notes.change(
    "Config: queries.pagination 'legacy' → 'relay' (client documents become connections in this step).",
    value.getStartLineNumber(),
  )
  rewrite(object.getSourceFile(), [
    { start: value.getStart(), end: value.getEnd(), text: quoted('relay', style) },
  ])
}

// ---------------------------------------------------------------------------------------------
// 2.0 → 2.1: basic filtering → advanced (client documents' basic filters are rewritten in this step)

function toV21(object: ObjectLiteralExpression, notes: NoteSink, style: PrintStyle): void {
  const schemaConfig = objectProperty(object, 'SCHEMA_CONFIG')
  const queries = schemaConfig && objectProperty(schemaConfig, 'queries')
  if (!queries) return
  const edits: TextEdit[] = []
  for (const property of queries.getProperties()) {
    if (!Node.isPropertyAssignment(property)) continue
    const value = property.getInitializer()
    if (!value || !Node.isStringLiteral(value)) continue
    const key = propertyKey(property)
    if (key === 'filtering' && value.getLiteralText() === 'basic') {
      edits.push({ start: value.getStart(), end: value.getEnd(), text: quoted('advanced', style) })
      notes.change(
        "Config: queries.filtering 'basic' → 'advanced' (basic filters in documents become `{ exact: … }`).",
        property.getStartLineNumber(),
      )
    } else if (key === 'pagination' && value.getLiteralText() === 'legacy') {
      notes.warning(
        "Config: queries.pagination 'legacy' is deprecated since 2.1; switch to 'relay' (run the 1.0→2.0 document step on your documents first).",
        property.getStartLineNumber(),
      )
    }
  }
  rewrite(object.getSourceFile(), edits)
}

// ---------------------------------------------------------------------------------------------
// 2.1 → 3.0: { SCHEMA_CONFIG: { snake_case } } → defineConfig({ camelCase })

function toV3(file: SourceFile, found: ObjectLiteralExpression, notes: NoteSink, style: PrintStyle): void {
  const schemaProperty = found.getProperties().find((p) => propertyKey(p) === 'SCHEMA_CONFIG')
  if (!schemaProperty) return
  const line = schemaProperty.getStartLineNumber()
  const firstInner = Node.isPropertyAssignment(schemaProperty) ? schemaProperty.getInitializer() : undefined
  if (!firstInner || !Node.isObjectLiteralExpression(firstInner)) {
    notes.manual(
      `SCHEMA_CONFIG is not an object literal here, so it cannot be rewritten: convert it to the v3 shape by hand.`,
      line,
    )
    return
  }
  // Section keys are renamed in place (nested layout kept), then the AST is read again.
  rewrite(file, sectionKeyRenames(firstInner))
  const outer = findConfigObject(file)!
  const inner = schemaObject(outer)!
  const { entries: outerEntries, dangling } = readEntries(outer)
  const own = outerEntries.find((e) => e.key === 'SCHEMA_CONFIG')!
  const { entries, dangling: innerDangling } = readEntries(inner)
  const merged: ObjectEntry[] = []
  let carried: string[] = [...own.comments]
  for (const entry of entries) {
    const property = inner.getProperties()[entries.indexOf(entry)]!
    const at = property.getStartLineNumber()
    if (entry.key === 'async_support') {
      // Its comments may introduce the keys below it, so they move down rather than vanish.
      carried = [...carried, ...entry.comments]
      notes.change('Config: removed async_support: in v3 every resolver may be async.', at)
      continue
    }
    const path = entry.key === undefined ? undefined : v3KeyPath([entry.key])
    if (path !== undefined && path.length === 2) {
      // `enable_mutations: true` → `mutations: { enabled: true }`, when there is no such section yet.
      if (entries.some((e) => e.key === path[0])) {
        merged.push(flagUnknown({ ...entry, comments: [...carried, ...entry.comments] }, notes, at))
      } else {
        merged.push({
          comments: [...carried, ...entry.comments],
          key: path[0]!,
          value: [{ ...entry, comments: [], key: path[1]! }],
        })
        notes.change(`Config: ${entry.key!} → ${path.join('.')}.`, at)
      }
      carried = []
      continue
    }
    const key = path?.[0]
    if (entry.key === 'extensions') {
      notes.warning(
        'Config: extensions → plugins. Extension classes found in the migrated files become definePlugin objects; check any others.',
        at,
      )
    }
    if (key !== undefined && !V3_KEYS.includes(key)) {
      merged.push(flagUnknown({ ...entry, comments: [...carried, ...entry.comments] }, notes, at))
      carried = []
      continue
    }
    const value = Node.isPropertyAssignment(property) ? property.getInitializer() : undefined
    const models =
      key === 'models' && value && Node.isArrayLiteralExpression(value)
        ? flagDottedModels(value, notes, style.unit)
        : undefined
    merged.push({
      ...entry,
      ...(key !== undefined ? { key } : {}),
      ...(models !== undefined ? { value: models } : {}),
      comments: [...carried, ...entry.comments],
    })
    carried = []
  }
  const others = outerEntries.filter((e) => e !== own).map((e) => flagUnknown(e, notes, line))
  merged.push(...others)
  const text = printObject(merged, lineIndent(file.getFullText(), outer.getStart()), style, [
    ...carried,
    ...innerDangling,
    ...dangling,
  ])
  notes.change('Config: SCHEMA_CONFIG (snake_case) → the v3 defineConfig shape (camelCase).', line)
  const parent = outer.getParent()
  const isCommonJs =
    file.getImportDeclarations().length === 0 && /\bmodule\.exports\b/.test(file.getFullText())
  const wrap = !(parent && Node.isCallExpression(parent)) && !isCommonJs
  if (isCommonJs)
    notes.warning('Config: a CommonJS file; defineConfig (an ES module export) was not added.', line)
  rewrite(file, [
    { start: outer.getStart(), end: outer.getEnd(), text: wrap ? `defineConfig(${text})` : text },
  ])
  if (!wrap) return
  ensureNamedImport(file, 'defineConfig')
  if (
    !file.getExportAssignment((e) => !e.isExportEquals()) &&
    file.getVariableDeclaration('GRAPHQL_AUTO_GEN')
  ) {
    matchSemicolons(file, file.addExportAssignment({ expression: 'GRAPHQL_AUTO_GEN', isExportEquals: false }))
    notes.change('Config: added `export default GRAPHQL_AUTO_GEN`, which the v3 loader reads.')
  }
}

/** Edits renaming snake_case keys of the known sections (`bulk_operations` → `bulkOperations`). */
function sectionKeyRenames(inner: ObjectLiteralExpression): TextEdit[] {
  const edits: TextEdit[] = []
  for (const property of inner.getProperties()) {
    const value = Node.isPropertyAssignment(property) ? property.getInitializer() : undefined
    if (!SECTIONS.includes(propertyKey(property)) || !value || !Node.isObjectLiteralExpression(value))
      continue
    for (const entry of value.getProperties()) {
      const renamed = camelCase(propertyKey(entry))
      if (renamed === propertyKey(entry)) continue
      if (Node.isPropertyAssignment(entry)) {
        const name = entry.getNameNode()
        edits.push({ start: name.getStart(), end: name.getEnd(), text: renamed })
      } else if (Node.isShorthandPropertyAssignment(entry)) {
        edits.push({ start: entry.getStart(), end: entry.getEnd(), text: `${renamed}: ${entry.getName()}` })
      }
    }
  }
  return edits
}

function schemaObject(outer: ObjectLiteralExpression): ObjectLiteralExpression | undefined {
  return objectProperty(outer, 'SCHEMA_CONFIG')
}

/**
 * Dotted model paths (`'app.models.User'`) cannot be resolved: returns the array's new text
 * (lines relative to the property's indentation) with a TODO comment above each, or undefined.
 */
function flagDottedModels(array: ArrayLiteralExpression, notes: NoteSink, unit: string): string | undefined {
  const elements = array.getElements()
  const dotted = elements.filter(Node.isStringLiteral)
  if (dotted.length === 0) return undefined
  const lines = ['[']
  for (const element of elements) {
    const comments = element.getLeadingCommentRanges().map((c) => c.getText())
    for (const comment of comments) lines.push(unit + comment)
    if (Node.isStringLiteral(element) && !comments.some((c) => c.includes(TODO))) {
      lines.push(`${unit}// ${TODO}: import the Drizzle table for ${element.getLiteralText()}`)
    }
    lines.push(`${unit}${element.getText()},`)
  }
  lines.push(']')
  for (const element of dotted) {
    notes.manual(
      `Model \`${element.getLiteralText()}\` is a dotted path: import its Drizzle table and list it in models.`,
      element.getStartLineNumber(),
    )
  }
  return lines.join('\n')
}

/** The object-literal value of `key` in `object`, if it has one. */
function objectProperty(
  object: ObjectLiteralExpression | undefined,
  key: string,
): ObjectLiteralExpression | undefined {
  const property = object?.getProperties().find((p) => propertyKey(p) === key)
  const value = property && Node.isPropertyAssignment(property) ? property.getInitializer() : undefined
  return value?.asKind(SyntaxKind.ObjectLiteralExpression)
}
