import type { Command } from 'commander'
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
import { CommandFailure, printLine, runCommand } from '../commandOutput.js'
import { loadSchemaConfig, prepareExample } from '../loadSchema.js'
import type { SchemaSourceOptions } from '../loadSchema.js'
import { UsageError } from '../UsageError.js'

const HELP_AFTER = `
Runs the query once, as the server would for an anonymous caller, and prints the route it took
(compiled SQL end to end, or graphql-js over compiled rows) and why, and the route each root
field takes on its own; then, for each root field, the ONE statement it compiled to (laid out
one clause a line, with its bound values) and PostgreSQL's plan for it. With --analyze the plan
comes from EXPLAIN ANALYZE: the statement runs again, with actual rows and times. Only queries:
a mutation would write.

Examples:
  graphql-auto-gen explain --example shop '{ users(first: 5) { nodes { username } } }'
  graphql-auto-gen explain --analyze --variables '{"q":"42"}' \\
    'query ($q: String) { users(filter: {username: {icontains: $q}}) { totalCount } }'

Exit codes: 0 explained, 2 usage or runtime error (bad document or variables, GraphQL errors).
`

/** What `explain` accepts besides the schema source. */
interface ExplainOptions extends SchemaSourceOptions {
  variables?: string
  operation?: string
  analyze?: boolean
}

/** Registers `explain` on the program. */
export function registerExplainCommand(program: Command): void {
  program
    .command('explain')
    .description(
      "Print the route of a query and of each root field, the SQL each root field compiles to, and PostgreSQL's plan for it.",
    )
    .argument('<document>', 'a GraphQL query document')
    .option(
      '-c, --config <file>',
      'config file (default: graphql-auto-gen.config.ts in the working directory)',
    )
    .option('--example <name>', 'explain against a bundled example on embedded PGlite (available: shop)')
    .option('--variables <json>', 'variables as a JSON object')
    .option('--operation <name>', 'the operation to run when the document has several')
    .option('--analyze', 'EXPLAIN ANALYZE: run the statement and show actual rows and times')
    .addHelpText('after', HELP_AFTER)
    .action(runCommand(explain))
}

async function explain(source: string, options: ExplainOptions): Promise<void> {
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
