import { execute, Kind, parse, validate } from 'graphql'
import type { DocumentNode, ExecutionResult, OperationDefinitionNode } from 'graphql'
import { formatSql } from '../../compile/index.js'
import { countStatements } from '../../database/index.js'
import type { Database, SqlStatement } from '../../database/index.js'
import { rootFieldRoutes } from '../../observability/index.js'
import type { RootFieldRoute } from '../../observability/index.js'
import {
  chooseRoute,
  compiledRead,
  getSchemaRuntime,
  SchemaBuilder,
  useCompiledRows,
} from '../../schema/index.js'
import type { RouteArgs } from '../../schema/index.js'
import { CommandFailure, printLine } from '../commandOutput.js'
import { loadSchemaConfig, prepareExample } from '../loadSchema.js'
import type { SchemaSourceOptions } from '../loadSchema.js'
import { UsageError } from '../UsageError.js'

/** What `explain` accepts besides the schema source. */
export interface ExplainOptions extends SchemaSourceOptions {
  variables?: string
  operation?: string
  analyze?: boolean
}

/** `explain`: prints the routes, the SQL and the plan of a query. */
export async function explain(source: string, options: ExplainOptions): Promise<void> {
  const variables = parseVariables(options.variables)
  const document = parseDocument(source)
  const operation = pickOperation(document, options.operation)
  const { schemaConfig, example } = await loadSchemaConfig(options)
  const schema = await new SchemaBuilder(schemaConfig).buildAsync()
  const { database } = getSchemaRuntime(schema)
  try {
    if (example) {
      await prepareExample(example, database)
    }
    const invalid = validate(schema, document)
    if (invalid.length > 0)
      throw new CommandFailure(`the query failed: ${invalid.map((e) => e.message).join('; ')}`)
    // A context of its own (no caller: anonymous, the schema's database), as a server request has.
    const args: RouteArgs = {
      schema,
      document,
      operationName: options.operation,
      variableValues: variables,
      contextValue: {},
    }
    const fields = await rootFieldRoutes(args)
    const { result, statements } = await countStatements(database, () => runAsServer(args))
    if (result.result.errors?.length) {
      throw new CommandFailure(`the query failed: ${result.result.errors.map((e) => e.message).join('; ')}`)
    }
    printRoutes(result.route, fields)
    const keys = rootResponseKeys(operation)
    for (const [index, statement] of statements.entries()) {
      const label = statements.length === keys.length ? keys[index]! : `statement ${index + 1}`
      await printField(database, label, statement, options.analyze === true)
    }
    if (statements.length === 0) printLine('No statement: nothing in this query reads the database.')
  } finally {
    await database.close()
  }
}

/**
 * Runs the operation as the server's pipeline does: the route `chooseRoute` picks, the compiled
 * read when it is compiled (graphql-js over the rows read when that read falls back), else graphql-js.
 */
async function runAsServer(args: RouteArgs): Promise<{ result: ExecutionResult; route: RootFieldRoute }> {
  const choice = await chooseRoute(args)
  let route: RootFieldRoute = { route: choice.route, reason: choice.reason }
  if (choice.route === 'compiled') {
    const outcome = await compiledRead(choice.plan)
    if ('data' in outcome)
      return { result: { data: JSON.parse(outcome.data) as ExecutionResult['data'] }, route }
    useCompiledRows(args.contextValue as object, outcome.rows)
    route = { route: 'graphql-js', reason: outcome.reason }
  }
  return { result: await execute(args), route }
}

function printRoutes(route: RootFieldRoute, fields: Record<string, RootFieldRoute>): void {
  printLine(`Route: ${route.route} (${route.reason})`)
  for (const [key, field] of Object.entries(fields)) printLine(`  ${key}: ${field.route} (${field.reason})`)
  printLine()
}

async function printField(
  database: Database,
  label: string,
  statement: SqlStatement,
  analyze: boolean,
): Promise<void> {
  printLine(`# ${label}`)
  printLine(formatSql(statement.text))
  statement.values.forEach((value, i) => printLine(`-- $${i + 1} = ${JSON.stringify(value)}`))
  printLine()
  const { rows } = await database.query<{ 'QUERY PLAN': string }>({
    text: `explain (${analyze ? 'analyze, ' : ''}costs) ${statement.text}`,
    values: statement.values,
  })
  for (const row of rows) printLine(row['QUERY PLAN'])
  printLine()
}

function parseVariables(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new UsageError('--variables must be a JSON object, e.g. \'{"first": 5}\'.')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError('--variables must be a JSON object, e.g. \'{"first": 5}\'.')
  return value as Record<string, unknown>
}

function parseDocument(source: string): DocumentNode {
  try {
    return parse(source)
  } catch (error) {
    throw new UsageError(`The document is not valid GraphQL: ${(error as Error).message}`)
  }
}

function pickOperation(document: DocumentNode, name: string | undefined): OperationDefinitionNode {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )
  const operation = name === undefined ? operations[0] : operations.find((o) => o.name?.value === name)
  if (operation === undefined)
    throw new UsageError(name ? `No operation named "${name}".` : 'No operation in the document.')
  if (operations.length > 1 && name === undefined)
    throw new UsageError('The document has several operations: name one with --operation.')
  if (operation.operation !== 'query')
    throw new UsageError(`explain runs queries only: a ${operation.operation} would write or stay open.`)
  return operation
}

/** Response keys of the operation's root fields that read rows (not `__typename`). */
function rootResponseKeys(operation: OperationDefinitionNode): string[] {
  return operation.selectionSet.selections.flatMap((selection) =>
    selection.kind === Kind.FIELD && !selection.name.value.startsWith('__')
      ? [selection.alias?.value ?? selection.name.value]
      : [],
  )
}
