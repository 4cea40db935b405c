import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, relative, resolve } from 'node:path'
import { buildClientSchema, buildSchema, introspectionFromSchema } from 'graphql'
import type { GraphQLSchema, IntrospectionQuery } from 'graphql'
import { glob } from 'tinyglobby'
import type { Database } from '../../database/index.js'
import {
  compareSchemas,
  countChanges,
  getSchemaVersion,
  isDocumentFile,
  listSchemaVersions,
  readDocuments,
  schemaSdl,
  validateDocuments,
} from '../../registry/index.js'
import type { DocumentProblem, SchemaChange } from '../../registry/index.js'
import { getSchemaRuntime, SchemaBuilder, sortedSchema } from '../../schema/index.js'
import { CommandFailure, printJson, printLine, setProblemExitCode } from '../commandOutput.js'
import { libraryModules, loadSchema, loadSchemaConfig, openDatabase } from '../loadSchema.js'
import type { SchemaSourceOptions } from '../loadSchema.js'
import { UsageError } from '../UsageError.js'

/** Options of `schema history` and `schema diff`. */
export interface ListOptions extends SchemaSourceOptions {
  json?: boolean
}

/** Options of `schema export`. */
export interface ExportOptions extends SchemaSourceOptions {
  out?: string
}

/** `schema export`: writes the schema as SDL or introspection JSON. */
export async function exportSchema(options: ExportOptions): Promise<void> {
  const schema = (await legacySchema(options)) ?? (await loadSchema(options)).schema
  try {
    const out = options.out
    const asJson = out?.toLowerCase().endsWith('.json') === true
    const text = asJson
      ? `${JSON.stringify(introspectionFromSchema(sortedSchema(schema), INTROSPECTION_OPTIONS), null, 2)}\n`
      : `${schemaSdl(schema)}\n`
    if (out === undefined) {
      process.stdout.write(text)
      return
    }
    const path = resolve(out)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, text)
    const types = Object.keys(schema.getTypeMap()).filter((name) => !name.startsWith('__')).length
    printLine(`Wrote ${out} (${asJson ? 'introspection JSON' : 'SDL'}, ${types} types).`)
  } finally {
    await getSchemaRuntime(schema).database.close()
  }
}

/**
 * A v1 or v2 config (MODELS, or SCHEMA_CONFIG with snake_case keys) read through the conversion
 * `migrate` uses, serving what that version served (v1: legacy lists, basic filters), so the old
 * schema can be exported before migrating. Undefined for a v3 config or an example.
 */
async function legacySchema(options: SchemaSourceOptions): Promise<GraphQLSchema | undefined> {
  if (options.example !== undefined) return undefined
  const names = ['ts', 'mts', 'js', 'mjs', 'cjs', 'json'].map((e) => `graphql-auto-gen.config.${e}`)
  const path = options.config ?? names.find((name) => existsSync(resolve(name)))
  if (path === undefined || !existsSync(resolve(path))) return undefined
  // Imported here: the migrate stage loads ts-morph and TypeScript (seconds), needed for old configs only.
  const { loadOldModeConfig } = await import('../../migrate/index.js')
  const config = await loadOldModeConfig(path, await libraryModules())
  if (config === undefined) return undefined
  process.stderr.write(
    `${path} is a v1/v2 config: exporting the schema it served (read as \`migrate\` reads it).\n`,
  )
  return new SchemaBuilder(config).buildAsync()
}

const INTROSPECTION_OPTIONS = {
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
}

/** Options of `schema check`. */
export interface CheckOptions extends SchemaSourceOptions {
  against: string
  documents?: string[]
  schema?: string
  json?: boolean
}

/** `schema check`: classifies the changes from an old schema and validates documents; sets the exit code. */
export async function checkSchema(options: CheckOptions): Promise<void> {
  const documentFiles = await findDocuments(options.documents ?? [])
  const { schema: newSchema, label: newLabel, database } = await currentSchema(options)
  try {
    const oldSchema =
      options.against === 'deployed'
        ? await deployedSchema(database ?? (await configDatabase(options)))
        : await readSchemaFile(options.against)
    const changes = compareSchemas(oldSchema, newSchema)
    const problems = validateDocuments(newSchema, await readDocuments(documentFiles))
    const counts = countChanges(changes)
    const errors = problems.filter((p) => p.severity === 'error')
    const invalidFiles = new Set(errors.map((p) => p.file))
    const ok = counts.breaking === 0 && errors.length === 0
    if (options.json) {
      printJson({
        ok,
        against: options.against,
        schema: newLabel,
        summary: { ...counts, documents: documentFiles.length, invalidDocuments: invalidFiles.size },
        changes,
        documents: { checked: documentFiles.length, problems },
      })
    } else {
      printLine(`Comparing ${options.against} → ${newLabel}`)
      printChanges(changes)
      if (options.documents !== undefined) printDocuments(documentFiles.length, problems)
      const reasons = [
        ...(counts.breaking > 0 ? [`${counts.breaking} breaking change${plural(counts.breaking)}`] : []),
        ...(invalidFiles.size > 0
          ? [`${invalidFiles.size} invalid document file${plural(invalidFiles.size)}`]
          : []),
      ]
      printLine(ok ? 'OK: no breaking changes.' : `FAILED: ${reasons.join(', ')}.`)
    }
    setProblemExitCode(!ok)
  } finally {
    await database?.close()
  }
}

/** The new schema: from `--schema FILE`, else built from the config (its database kept for `deployed`). */
async function currentSchema(
  options: CheckOptions,
): Promise<{ schema: GraphQLSchema; label: string; database?: Database }> {
  if (options.schema !== undefined) {
    return { schema: await readSchemaFile(options.schema), label: options.schema }
  }
  const { schema } = await loadSchema(options)
  const label =
    options.example !== undefined ? `example ${options.example}` : (options.config ?? 'the config')
  return { schema, label: `the schema of ${label}`, database: getSchemaRuntime(schema).database }
}

async function configDatabase(options: SchemaSourceOptions): Promise<Database> {
  const { schemaConfig } = await loadSchemaConfig(options)
  return openDatabase(schemaConfig.resolved)
}

async function deployedSchema(database: Database): Promise<GraphQLSchema> {
  const latest = await getSchemaVersion(database, 'latest')
  if (latest === undefined) {
    throw new CommandFailure(
      'No schema version is recorded in this database yet: `graphql-auto-gen serve` records one at start-up.',
    )
  }
  return buildSchema(latest.sdl)
}

/** Reads an SDL file, or an introspection result when the name ends in .json. */
async function readSchemaFile(file: string): Promise<GraphQLSchema> {
  let text: string
  try {
    text = await readFile(resolve(file), 'utf8')
  } catch {
    throw new CommandFailure(`Cannot read the schema file ${file}.`)
  }
  try {
    if (file.toLowerCase().endsWith('.json')) {
      const parsed = JSON.parse(text) as { data?: IntrospectionQuery } & IntrospectionQuery
      return buildClientSchema(parsed.data ?? parsed)
    }
    return buildSchema(text)
  } catch (error) {
    throw new CommandFailure(`${file} is not a valid GraphQL schema: ${(error as Error).message}`)
  }
}

/** Expands `--documents` globs (relative to the working directory); a glob matching nothing is an error. */
async function findDocuments(patterns: readonly string[]): Promise<string[]> {
  const files = new Set<string>()
  for (const pattern of patterns) {
    const matched = (await glob(pattern, { dot: false, ignore: ['**/node_modules/**'] })).filter(
      isDocumentFile,
    )
    if (matched.length === 0) {
      throw new CommandFailure(
        `No document files match --documents '${pattern}' (looked for .graphql, .gql, .ts, .tsx, .js, .jsx).`,
      )
    }
    for (const file of matched) files.add(relative(process.cwd(), resolve(file)))
  }
  return [...files].sort()
}

/** `schema history`: lists the recorded schema versions. */
export async function showHistory(options: ListOptions): Promise<void> {
  const database = await configDatabase(options)
  try {
    const versions = await listSchemaVersions(database)
    const rows = []
    for (const [index, version] of versions.entries()) {
      const previous = versions[index - 1]
      const changes = previous
        ? countChanges(compareSchemas(buildSchema(previous.sdl), buildSchema(version.sdl)))
        : undefined
      rows.push({ version, changes })
    }
    if (options.json) {
      printJson(
        rows.map(({ version, changes }) => ({
          version: version.version,
          createdAt: version.createdAt,
          configHash: version.configHash,
          changesFromPrevious: changes ?? null,
        })),
      )
      return
    }
    if (rows.length === 0) {
      printLine('No schema versions recorded yet (`graphql-auto-gen serve` records one at start-up).')
      return
    }
    printLine('VERSION  CREATED (UTC)             CONFIG        CHANGES FROM PREVIOUS')
    for (const { version, changes } of rows) {
      const summary = changes
        ? `${changes.breaking} breaking, ${changes.dangerous} dangerous, ${changes.safe} safe`
        : 'first version'
      printLine(
        `${String(version.version).padEnd(8)} ${version.createdAt.padEnd(25)} ${version.configHash.slice(0, 12)}  ${summary}`,
      )
    }
  } finally {
    await database.close()
  }
}

/** `schema diff`: classifies the changes between two recorded versions. */
export async function diffVersions(from: string, to: string, options: ListOptions): Promise<void> {
  const fromVersion = parseVersion(from)
  const toVersion = parseVersion(to)
  const database = await configDatabase(options)
  try {
    const [older, newer] = await Promise.all([
      getSchemaVersion(database, fromVersion),
      getSchemaVersion(database, toVersion),
    ])
    for (const [asked, found] of [
      [from, older],
      [to, newer],
    ] as const) {
      if (found === undefined) {
        const known = (await listSchemaVersions(database)).map((v) => v.version)
        throw new CommandFailure(
          `Schema version ${asked} is not in the registry (${known.length === 0 ? 'no versions recorded yet' : `recorded: ${known.join(', ')}`}).`,
        )
      }
    }
    const changes = compareSchemas(buildSchema(older!.sdl), buildSchema(newer!.sdl))
    if (options.json) {
      printJson({ from: older!.version, to: newer!.version, summary: countChanges(changes), changes })
      return
    }
    printLine(`Schema version ${older!.version} → ${newer!.version}`)
    printChanges(changes)
  } finally {
    await database.close()
  }
}

function parseVersion(value: string): number | 'latest' {
  if (value === 'latest') return value
  const version = Number(value)
  if (!Number.isInteger(version) || version < 1) {
    throw new UsageError(`Invalid schema version "${value}": expected a positive integer or "latest".`)
  }
  return version
}

const LEVEL_LABELS: Record<SchemaChange['level'], string> = {
  breaking: 'BREAKING ',
  dangerous: 'DANGEROUS',
  safe: 'SAFE     ',
}

function printChanges(changes: readonly SchemaChange[]): void {
  if (changes.length === 0) {
    printLine('No changes.')
    return
  }
  for (const change of changes) {
    printLine(`  ${LEVEL_LABELS[change.level]}  ${change.coordinate}  ${change.message} — ${change.reason}`)
  }
  const counts = countChanges(changes)
  printLine(
    `${changes.length} change${plural(changes.length)}: ${counts.breaking} breaking, ${counts.dangerous} dangerous, ${counts.safe} safe.`,
  )
}

function printDocuments(checked: number, problems: readonly DocumentProblem[]): void {
  const errors = problems.filter((p) => p.severity === 'error')
  printLine(
    `Documents: ${checked} file${plural(checked)} checked, ${new Set(errors.map((p) => p.file)).size} invalid.`,
  )
  for (const problem of problems) {
    const tag = problem.severity === 'error' ? 'error' : 'deprecated'
    printLine(`  ${problem.file}:${problem.line}:${problem.column}  ${tag}  ${problem.message}`)
  }
}

function plural(count: number): string {
  return count === 1 ? '' : 's'
}
