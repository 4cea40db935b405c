import { Node, SyntaxKind } from 'ts-morph'
import type { CallExpression, ClassDeclaration, NewExpression, SourceFile } from 'ts-morph'
import {
  ensureNamedImport,
  importedLocalName,
  isPackageSpecifier,
  matchSemicolons,
  PACKAGE,
  removeNamedImport,
} from './imports.js'
import type { NoteSink } from './notes.js'
import { TODO } from './notes.js'
import { lineIndent } from './textEdits.js'
import type { TextEdit } from './textEdits.js'
import { rewrite } from './rewrite.js'
import type { Step } from './versions.js'
import { migrateConfigReads } from './configReads.js'

/**
 * Migrates library calls in a TypeScript/JavaScript file one step, in place:
 * - 1.0→2.0: `new AutoSchema({ models })` → `new SchemaBuilder(new SchemaConfig({ models })).build()`;
 * - 2.1→3.0: `simpleResolver(Model, 'name', fn)` → `defineResolvers(Model, { name: field(fn) })`,
 *   v2.1 extension classes (a `processSchema(schema)` method) → `definePlugin({ name, schema })`,
 *   `new Extension()` of those classes → the plugin, deep imports → `'graphql-auto-gen'`.
 * `extensions` names every extension class converted anywhere in this run (across files).
 */
export function migrateCode(
  file: SourceFile,
  step: Step,
  notes: NoteSink,
  extensions: ReadonlySet<string>,
): void {
  migrateConfigReads(file, step, notes)
  // AutoSchema was deprecated in 2.0 and removed in 3.0, so a 2.x project may still use it.
  if (step.to === '2.0' || step.to === '3.0') autoSchemaToBuilder(file, notes)
  if (step.to === '3.0') {
    simpleResolverToDefineResolvers(file, notes)
    extensionsToPlugins(file, notes)
    instantiationsToPlugins(file, notes, extensions)
    foldDeepImports(file, notes)
  }
}

/** Names of the v2.1 extension classes (a `processSchema` method) in a file that convert to plugins. */
export function findExtensionClasses(file: SourceFile): string[] {
  return file
    .getClasses()
    .filter((c) => c.getName() !== undefined && isConvertible(c))
    .map((c) => c.getName()!)
}

function isConvertible(cls: ClassDeclaration): boolean {
  const method = cls.getMethod('processSchema')
  return method !== undefined && pluginBlockers(cls).length === 0
}

// ---------------------------------------------------------------------------------------------
// 1.0 → 2.0

function autoSchemaToBuilder(file: SourceFile, notes: NoteSink): void {
  const local = importedLocalName(file, 'AutoSchema')
  if (local === undefined) return
  const calls = [
    ...file.getDescendantsOfKind(SyntaxKind.NewExpression),
    ...file.getDescendantsOfKind(SyntaxKind.CallExpression),
  ].filter((c) => c.getExpression().getText() === local)
  const edits: TextEdit[] = []
  for (const call of calls) {
    const line = call.getStartLineNumber()
    const args = (call as NewExpression | CallExpression).getArguments().map((a) => a.getText())
    if (args.length === 0) notes.manual('AutoSchema() without options: pass SchemaConfig your models.', line)
    edits.push({
      start: call.getStart(),
      end: call.getEnd(),
      text: `new SchemaBuilder(new SchemaConfig(${args.join(', ') || '{ models: [] }'})).build()`,
    })
    notes.change('Code: new AutoSchema(…) → new SchemaBuilder(new SchemaConfig(…)).build().', line)
  }
  const typeUses = file
    .getDescendantsOfKind(SyntaxKind.TypeReference)
    .filter((t) => t.getTypeName().getText() === local)
  for (const use of typeUses) {
    notes.warning('Code: the type AutoSchema became GraphQLSchema (from graphql).', use.getStartLineNumber())
    edits.push({ start: use.getStart(), end: use.getEnd(), text: 'GraphQLSchema' })
  }
  rewrite(file, outermost(edits))
  if (typeUses.length > 0) ensureGraphQLSchemaType(file)
  // Added before the old name is removed, so they land in the same import declaration.
  ensureNamedImport(file, 'SchemaBuilder')
  ensureNamedImport(file, 'SchemaConfig')
  removeNamedImport(file, 'AutoSchema')
}

/** Makes the type `GraphQLSchema` (from graphql) available, unless the file already imports it. */
function ensureGraphQLSchemaType(file: SourceFile): void {
  const fromGraphql = file.getImportDeclarations().filter((d) => d.getModuleSpecifierValue() === 'graphql')
  if (fromGraphql.some((d) => d.getNamedImports().some((n) => n.getName() === 'GraphQLSchema'))) return
  const typeOnly = fromGraphql.find((d) => d.isTypeOnly())
  if (typeOnly) {
    typeOnly.addNamedImport('GraphQLSchema')
    return
  }
  const added = file.insertImportDeclaration(0, {
    namedImports: ['GraphQLSchema'],
    moduleSpecifier: 'graphql',
    isTypeOnly: true,
  })
  matchSemicolons(file, added)
}

// ---------------------------------------------------------------------------------------------
// 2.1 → 3.0

/**
 * `simpleResolver(Model, 'fullName', fn)` or `simpleResolver({ model, field, resolve })` →
 * `defineResolvers(Model, { fullName: field(fn) })`: the v3 resolver API. v2 registered resolvers
 * globally; v3 reads them from config `resolvers`, so a bare call becomes a named export and each
 * result gets a TODO to register it (a manual step).
 */
function simpleResolverToDefineResolvers(file: SourceFile, notes: NoteSink): void {
  const local = importedLocalName(file, 'simpleResolver')
  if (local === undefined) return
  const calls = file
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .filter((c) => c.getExpression().getText() === local)
  const edits: TextEdit[] = []
  for (const call of calls) {
    const line = call.getStartLineNumber()
    const parts = resolverParts(call)
    if (!parts) {
      notes.manual(
        `Code: this simpleResolver call has an unexpected shape; rewrite it with defineResolvers(model, { name: field(resolve) }).`,
        line,
      )
      continue
    }
    const key = /^[A-Za-z_$][\w$]*$/.test(parts.name) ? parts.name : JSON.stringify(parts.name)
    const replacement = `defineResolvers(${parts.model}, { ${key}: field(${parts.resolve}) })`
    // v3 reads computed fields from config `resolvers`, so the result needs a name to register.
    const statement = call.getParentIfKind(SyntaxKind.ExpressionStatement)
    const declared = call.getParentIfKind(SyntaxKind.VariableDeclaration)
    const indent = lineIndent(file.getFullText(), call.getStart())
    const register = (what: string): string =>
      `// ${TODO}: register ${what} in your config: \`resolvers: [${what}]\` (v3 reads computed fields from config).\n${indent}`
    if (statement && statement.getStart() === call.getStart()) {
      const base = key === parts.name ? parts.name : 'computed'
      const name = freeName(file, `${base}Resolvers`)
      const exported = file.getImportDeclarations().length > 0 ? 'export ' : ''
      edits.push({
        start: call.getStart(),
        end: call.getEnd(),
        text: `${register(name)}${exported}const ${name} = ${replacement}`,
      })
    } else {
      const holder = declared?.getFirstAncestorByKind(SyntaxKind.VariableStatement)
      const at = holder ?? call.getFirstAncestor((n) => Node.isStatement(n))
      const what = declared ? declared.getName() : 'this defineResolvers(…) result'
      if (at) edits.push({ start: at.getStart(), end: at.getStart(), text: register(what) })
      edits.push({ start: call.getStart(), end: call.getEnd(), text: replacement })
    }
    notes.change(
      `Code: simpleResolver(…, '${parts.name}', …) → defineResolvers(…, { ${parts.name}: field(…) }).`,
      line,
    )
    notes.manual(`Code: register the computed field '${parts.name}' in config \`resolvers: [...]\`.`, line)
  }
  const converted = edits.filter((e) => e.end > e.start).length
  rewrite(file, outermost(edits))
  if (converted > 0) {
    ensureNamedImport(file, 'defineResolvers')
    ensureNamedImport(file, 'field')
  }
  if (converted === calls.length) removeNamedImport(file, 'simpleResolver')
}

/** `wanted`, or `wanted2`, `wanted3`… when the file already uses the name. */
function freeName(file: SourceFile, wanted: string): string {
  const used = new Set(file.getDescendantsOfKind(SyntaxKind.Identifier).map((id) => id.getText()))
  let name = wanted
  for (let i = 2; used.has(name); i++) name = `${wanted}${i}`
  return name
}

function resolverParts(call: CallExpression): { model: string; name: string; resolve: string } | undefined {
  const args = call.getArguments()
  if (args.length === 3 && Node.isStringLiteral(args[1]!)) {
    return { model: args[0]!.getText(), name: args[1].getLiteralText(), resolve: args[2]!.getText() }
  }
  const options = args[0]
  if (args.length === 1 && options && Node.isObjectLiteralExpression(options)) {
    const get = (key: string): Node | undefined => {
      const property = options.getProperty(key)
      if (property && Node.isPropertyAssignment(property)) return property.getInitializer()
      if (property && Node.isShorthandPropertyAssignment(property)) return property.getNameNode()
      if (property && Node.isMethodDeclaration(property)) return property
      return undefined
    }
    const model = get('model')
    const name = get('field') ?? get('name')
    const resolve = get('resolve')
    if (!model || !name || !Node.isStringLiteral(name) || !resolve) return undefined
    const resolveText = Node.isMethodDeclaration(resolve)
      ? `${resolve.isAsync() ? 'async ' : ''}function ${resolve.getText().replace(/^(async\s+)?resolve/, '')}`
      : resolve.getText()
    return { model: model.getText(), name: name.getLiteralText(), resolve: resolveText }
  }
  return undefined
}

/** `class X { processSchema(schema) { … } }` → `const X = definePlugin({ name: 'X', schema(schema) { … } })`. */
function extensionsToPlugins(file: SourceFile, notes: NoteSink): void {
  const edits: TextEdit[] = []
  const source = file.getFullText()
  for (const cls of file.getClasses()) {
    const method = cls.getMethod('processSchema')
    const name = cls.getName()
    if (!method || name === undefined) continue
    const line = cls.getStartLineNumber()
    const blockers = pluginBlockers(cls)
    if (blockers.length > 0) {
      if (cls.getLeadingCommentRanges().some((c) => c.getText().includes(TODO))) continue
      edits.push({
        start: cls.getStart(),
        end: cls.getStart(),
        text: `// ${TODO}: turn this v2.1 extension into definePlugin({ name, schema(schema) { … } }) or a class that extends BasePlugin (name, processSchema(schema, context)): ${blockers.join('; ')}.\n${lineIndent(source, cls.getStart())}`,
      })
      notes.manual(
        `Code: extension class ${name} cannot be converted automatically: ${blockers.join('; ')}.`,
        line,
      )
      continue
    }
    const indent = lineIndent(source, cls.getStart())
    const unit = lineIndent(source, method.getStart()).slice(indent.length) || '  '
    const methodText = method.getText().replace(/^(async\s+)?processSchema\b/, '$1schema')
    const exported = cls.isExported() && !cls.isDefaultExport() ? 'export ' : ''
    const nameProperty = cls.getProperty('name')?.getInitializer()
    const pluginName =
      nameProperty && Node.isStringLiteral(nameProperty) ? nameProperty.getLiteralText() : name
    const body = `definePlugin({\n${indent}${unit}name: ${JSON.stringify(pluginName).replaceAll('"', "'")},\n${indent}${unit}${methodText},\n${indent}})`
    // getStart() skips JSDoc, which therefore stays above the new declaration.
    edits.push({
      start: cls.getStart(),
      end: cls.getEnd(),
      text: cls.isDefaultExport()
        ? `const ${name} = ${body}\n${indent}export default ${name}`
        : `${exported}const ${name} = ${body}`,
    })
    notes.change(`Code: extension class ${name} → definePlugin({ name: '${pluginName}', schema(…) }).`, line)
    if (method.isAsync()) {
      notes.warning(
        `Code: plugin '${pluginName}' has an async schema hook: build with \`await new SchemaBuilder(config).buildAsync()\` (build() throws; the CLI already builds async).`,
        line,
      )
    }
  }
  const converts = edits.some((e) => e.end > e.start)
  rewrite(file, edits)
  if (converts) ensureNamedImport(file, 'definePlugin')
}

/** What stops a class from being a plain plugin object: anything besides `processSchema` and `name`. */
function pluginBlockers(cls: ClassDeclaration): string[] {
  const blockers: string[] = []
  for (const member of cls.getMembers()) {
    if (Node.isMethodDeclaration(member) && member.getName() === 'processSchema') continue
    if (Node.isPropertyDeclaration(member) && member.getName() === 'name') continue
    blockers.push(`it has a member \`${member.getText().split('\n')[0]!.trim()}\``)
  }
  if (cls.getExtends()) blockers.push(`it extends ${cls.getExtends()!.getText()}`)
  return blockers
}

/** `new CustomExtension()` of a converted class → `CustomExtension` (the plugin object). */
function instantiationsToPlugins(file: SourceFile, notes: NoteSink, extensions: ReadonlySet<string>): void {
  const uses = file
    .getDescendantsOfKind(SyntaxKind.NewExpression)
    .filter((n) => extensions.has(n.getExpression().getText()) && n.getArguments().length === 0)
  for (const use of uses) {
    notes.change(
      `Code: new ${use.getExpression().getText()}() → ${use.getExpression().getText()} (now a plugin object).`,
      use.getStartLineNumber(),
    )
  }
  rewrite(
    file,
    uses.map((use) => ({ start: use.getStart(), end: use.getEnd(), text: use.getExpression().getText() })),
  )
}

/** `import { SchemaConfig } from 'graphql-auto-gen/config'` → from `'graphql-auto-gen'`. */
function foldDeepImports(file: SourceFile, notes: NoteSink): void {
  for (const declaration of file.getImportDeclarations()) {
    const specifier = declaration.getModuleSpecifierValue()
    if (!isPackageSpecifier(specifier) || specifier === PACKAGE) continue
    const line = declaration.getStartLineNumber()
    const names = declaration.getNamedImports()
    if (
      declaration.getDefaultImport() ||
      declaration.getNamespaceImport() ||
      names.some((n) => n.getAliasNode())
    ) {
      declaration.setModuleSpecifier(PACKAGE)
    } else {
      const list = names.map((n) => n.getName())
      declaration.remove()
      for (const name of list) ensureNamedImport(file, name)
    }
    notes.change(`Code: import from '${specifier}' → '${PACKAGE}'.`, line)
  }
}

/** Drops edits nested inside another (a call inside a replaced call's arguments keeps its old text). */
function outermost(edits: TextEdit[]): TextEdit[] {
  return edits.filter((e) => !edits.some((o) => o !== e && o.start <= e.start && o.end >= e.end))
}
