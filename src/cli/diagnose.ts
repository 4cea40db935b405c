import { relative } from 'node:path'
import type { ResolvedConfig, SchemaConfig } from '../schema/index.js'
import { suggestion } from '../didYouMean.js'
import { AutoGenError, ConfigError, ErrorCodes } from '../errors.js'
import { readModels } from '../models/index.js'
import type { Model, ModelGraph, NamedModelInput } from '../models/index.js'
import { resolveNames } from '../naming/index.js'
import { isLegacyExtension } from '../plugins/index.js'
import { SchemaBuilder, getSchemaRuntime } from '../schema/index.js'
import { checkDatabase } from './checkDatabase.js'
import { loadSchemaConfig } from './loadSchema.js'
import type { SchemaSourceOptions } from './loadSchema.js'

/** The kinds of problem `doctor` reports. */
export type ProblemKind =
  | 'config-invalid'
  | 'missing-primary-key'
  | 'model-invalid'
  | 'name-collision'
  | 'schema-invalid'
  | 'unindexed-foreign-key'
  | 'unindexed-default-order'
  | 'deprecated-option'
  | 'unknown-permission'
  | 'database-unreachable'
  | 'database-mismatch'

/** One problem found by `doctor`, with where it is and how to fix it. */
export interface Problem {
  kind: ProblemKind
  /** Config path or model the problem is at, e.g. `models.orders` or `queries.pagination`. */
  where: string
  message: string
  fix: string
}

/** What `doctor` found. */
export interface Diagnosis {
  /** The config file checked (relative to the working directory), or the example's name. */
  source: string
  /** Models read (those that could be). */
  modelsChecked: number
  problems: Problem[]
}

/** Permission class names the auth stage knows (Django REST framework's, plus ModelPermissions). */
export const KNOWN_PERMISSION_CLASSES = [
  'AllowAny',
  'IsAuthenticated',
  'IsAdminUser',
  'IsAuthenticatedOrReadOnly',
  'ModelPermissions',
]

/**
 * Checks a config and its models: config validation, tables without a primary key, GraphQL name
 * collisions, foreign keys without an index, deprecated options and unknown permission classes;
 * then, when the config names a database (url or PGlite dataDir), that it answers and has every
 * model's table and columns. A missing config file is not a finding: it throws.
 */
export async function diagnose(options: SchemaSourceOptions): Promise<Diagnosis> {
  let schemaConfig: SchemaConfig
  const source = options.example !== undefined ? `example ${options.example}` : (options.config ?? 'config')
  try {
    schemaConfig = (await loadSchemaConfig(options)).schemaConfig
  } catch (error) {
    if (!(error instanceof ConfigError) || /No config file found|does not exist/.test(error.message))
      throw error
    return {
      source,
      modelsChecked: 0,
      problems: [
        {
          kind: 'config-invalid',
          where: String(error.details['path'] ?? 'config'),
          message: error.message,
          fix: 'Correct the config as the message says; every key is documented on defineConfig.',
        },
      ],
    }
  }
  const config = schemaConfig.resolved
  const problems: Problem[] = [...deprecatedOptions(config), ...unknownPermissions(config)]
  const { graph, failed } = readEachModel(config.models, problems)
  problems.push(...tablesWithoutPrimaryKey(graph))
  let namesOk = true
  try {
    resolveNames(graph, config.naming)
  } catch (error) {
    namesOk = false
    problems.push(fromBuildError(error))
  }
  problems.push(...unindexedForeignKeys(graph), ...unindexedDefaultOrders(graph))
  // The full build finds what the steps above cannot (e.g. filter input names); it only runs
  // when they passed, so one cause is not reported twice.
  if (failed === 0 && namesOk) {
    try {
      const schema = await new SchemaBuilder(schemaConfig).buildAsync()
      const { database } = getSchemaRuntime(schema)
      try {
        // Only a database the config names: an in-memory PGlite starts empty, nothing to check.
        if (config.database.url !== undefined || config.database.dataDir !== undefined)
          problems.push(...(await checkDatabase(database, graph, config.database.url)))
      } finally {
        await database.close()
      }
    } catch (error) {
      problems.push(fromBuildError(error))
    }
  }
  return {
    source: options.config !== undefined ? relative(process.cwd(), options.config) || options.config : source,
    modelsChecked: graph.models.length,
    problems,
  }
}

/** Deprecated options in use (also printed as warnings by `serve`). */
export function deprecatedOptions(config: ResolvedConfig): Problem[] {
  const problems: Problem[] = []
  if (config.queries.pagination === 'legacy') {
    problems.push({
      kind: 'deprecated-option',
      where: 'queries.pagination',
      message: "queries.pagination: 'legacy' (limit/offset lists) is deprecated.",
      fix: "Set queries.pagination: 'relay' and run `graphql-auto-gen migrate` to rewrite client documents to first/after with edges { node }.",
    })
  }
  if (config.queries.filtering === 'basic') {
    problems.push({
      kind: 'deprecated-option',
      where: 'queries.filtering',
      message: "queries.filtering: 'basic' (equality only) is deprecated.",
      fix: 'Set queries.filtering: \'advanced\' and run `graphql-auto-gen migrate` to rewrite filters ({username: "x"} → {username: {exact: "x"}}).',
    })
  }
  config.plugins.forEach((plugin, index) => {
    if (!isLegacyExtension(plugin)) return
    problems.push({
      kind: 'deprecated-option',
      where: `plugins.${index}`,
      message: 'A v2.1 extension (processSchema(schema), no plugin hooks) runs through a deprecated adapter.',
      fix: 'Make it definePlugin({ name, schema(schema) { … } }) or a BasePlugin subclass; `graphql-auto-gen migrate --from 2.1 --to 3.0` rewrites simple extension classes.',
    })
  })
  return problems
}

function unknownPermissions(config: ResolvedConfig): Problem[] {
  return config.security.permissionClasses.flatMap((name, index) => {
    // Class objects are checked when the schema is built; only names can be misspelt here.
    if (typeof name !== 'string' || KNOWN_PERMISSION_CLASSES.includes(name)) return []
    const looksLikeCodename = /^[\w-]+\.(view|add|change|delete)_\w+$/.test(name)
    return [
      {
        kind: 'unknown-permission' as const,
        where: `security.permissionClasses.${index}`,
        message: `Unknown permission class "${name}".${suggestion(name, KNOWN_PERMISSION_CLASSES)}`,
        fix: looksLikeCodename
          ? `"${name}" is a permission codename, not a class: use 'ModelPermissions' here, or permissionRequired('${name}') on a field.`
          : `Use one of ${KNOWN_PERMISSION_CLASSES.join(', ')}, or a permission class object with hasPermission.`,
      },
    ]
  })
}

/**
 * Reads each model on its own first, so every table without a primary key (or with bad options)
 * is reported, not only the first; then reads the rest together for relations.
 */
function readEachModel(
  inputs: readonly NamedModelInput[],
  problems: Problem[],
): { graph: ModelGraph; failed: number } {
  const readable: NamedModelInput[] = []
  for (const input of inputs) {
    try {
      readModels([input])
      readable.push(input)
    } catch (error) {
      problems.push(fromBuildError(error, `models.${input.name}`))
    }
  }
  try {
    return { graph: readModels(readable), failed: inputs.length - readable.length }
  } catch (error) {
    problems.push(fromBuildError(error))
    return { graph: { models: [], enums: [] }, failed: inputs.length }
  }
}

/** Turns a build error into a problem; anything that is not a catalogue error is a bug and rethrown. */
function fromBuildError(error: unknown, where?: string): Problem {
  if (!(error instanceof AutoGenError)) throw error
  const at =
    where ??
    String(
      error.details['path'] ??
        (error.details['model'] ? `models.${String(error.details['model'])}` : 'schema'),
    )
  switch (error.code) {
    case ErrorCodes.MODEL_INVALID:
      return {
        kind: 'model-invalid',
        where: at,
        message: error.message,
        fix: 'Change the table as the message says.',
      }
    case ErrorCodes.NAME_COLLISION:
      return {
        kind: 'name-collision',
        where: at,
        message: error.message,
        fix: 'Rename one side in config: a model’s typeName, fields.<key>.name, or relations.<fkKey>.name / relatedName.',
      }
    case ErrorCodes.CONFIG_INVALID:
      return {
        kind: 'config-invalid',
        where: at,
        message: error.message,
        fix: 'Correct the config as the message says.',
      }
    default:
      return { kind: 'schema-invalid', where: at, message: error.message, fix: 'See the message.' }
  }
}

/**
 * One warning naming every exposed table without a primary key: each is served read-only (no
 * mutations, no subscriptions, and no `node` unless config declares a `primaryKey`).
 */
export function tablesWithoutPrimaryKey(graph: ModelGraph): Problem[] {
  const keyless = graph.models.filter((m) => m.kind === 'table' && m.readOnly && !m.isJunction)
  if (keyless.length === 0) return []
  const listed = keyless.map((m) => `\`${m.table}\``).join(', ')
  return [
    {
      kind: 'missing-primary-key',
      where: keyless.length === 1 ? `models.${keyless[0]!.name}` : 'models',
      message: `${keyless.length === 1 ? 'Table' : 'Tables'} without a primary key, served read-only (no mutations, no node): ${listed}.`,
      fix: 'Add a primary key in the database (and `.primaryKey()` in the Drizzle table) to make a table writable; `primaryKey: [...]` in its model options gives it a global id and node, still read-only.',
    },
  ]
}

/**
 * Foreign keys whose columns do not lead any index, primary key or unique constraint of their
 * table. PostgreSQL indexes the referenced key but not the referencing columns, so every
 * to-many relation (and each ON DELETE check) would scan the whole table.
 */
export function unindexedForeignKeys(graph: ModelGraph): Problem[] {
  const byName = new Map(graph.models.map((m) => [m.name, m]))
  const byTable = new Map(graph.models.map((m) => [m.table, m]))
  const seen = new Set<string>()
  const problems: Problem[] = []
  const check = (model: Model | undefined, columns: readonly string[], describe: string): void => {
    // Views have no indexes of their own; a reference config declares on one is not checked.
    if (model === undefined || model.kind !== 'table' || columns.length === 0) return
    const id = `${model.table}(${columns.join(',')})`
    if (seen.has(id)) return
    seen.add(id)
    const wanted = [...columns].sort().join(',')
    const indexed = model.indexedColumnSets.some(
      (set) => set.length >= columns.length && [...set.slice(0, columns.length)].sort().join(',') === wanted,
    )
    if (indexed) return
    const keys = columns.map((c) => model.fields.find((f) => f.column === c)?.key ?? c)
    problems.push({
      kind: 'unindexed-foreign-key',
      where: `models.${model.name}`,
      message: `${capitalise(describe)} has no index: loading this relation, filtering on it and ON DELETE checks scan all of \`${model.table}\`.`,
      fix: `Add index('${model.table}_${columns.join('_')}_idx').on(${keys.map((k) => `t.${k}`).join(', ')}) to the table's extra config (then generate a migration with drizzle-kit).`,
    })
  }
  for (const model of graph.models) {
    for (const relation of model.relations) {
      if (relation.isForward) check(byName.get(relation.source), relation.sourceColumns, relation.describe)
      if (relation.kind === 'manyToMany' && relation.through) {
        const junction = byTable.get(relation.through.table)
        check(
          junction,
          relation.through.sourceColumns,
          `foreign key ${relation.through.table}(${relation.through.sourceColumns.join(', ')}) → ${model.table}(${relation.through.sourceKeys.join(', ')})`,
        )
      }
    }
  }
  return problems
}

/**
 * Models whose declared `defaultOrderBy` (on their own columns) no index serves: every page
 * without an `orderBy` then sorts all matching rows instead of reading the first n from an index.
 * The index suggested ends with the primary key, the tie-breaker every page is ordered by.
 */
export function unindexedDefaultOrders(graph: ModelGraph): Problem[] {
  const problems: Problem[] = []
  for (const model of graph.models) {
    const specs = model.defaultOrderBy
    if (specs.length === 0 || specs.some((spec) => spec.path.length !== 1)) continue
    const fields = specs.map((spec) => model.fields.find((f) => f.key === spec.path[0]))
    if (fields.some((f) => f === undefined)) continue
    const columns = fields.map((f) => f!.column)
    const served = model.indexedColumnSets.some((set) => columns.every((c, i) => set[i] === c))
    if (served) continue
    const keys = [...fields.map((f) => f!.key), ...model.primaryKey.map((f) => f.key)]
    const unique = [...new Set(keys)]
    const columnNames = [...new Set([...columns, ...model.primaryKey.map((f) => f.column)])]
    problems.push({
      kind: 'unindexed-default-order',
      where: `models.${model.name}.defaultOrderBy`,
      message: `No index on \`${model.table}\`(${columns.join(', ')}): every page of ${model.name} without an orderBy sorts all matching rows.`,
      fix: `Add index('${model.table}_${columnNames.join('_')}_idx').on(${unique.map((k) => `t.${k}`).join(', ')}) to the table's extra config (then generate a migration with drizzle-kit); PostgreSQL reads it backwards for DESC.`,
    })
  }
  return problems
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
