import {
  getArgumentValues,
  getDirectiveValues,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
} from 'graphql'
import type { DocumentNode, GraphQLSchema } from 'graphql'
import { collectFields } from '../compile/index.js'
import type { Database, SqlStatement } from '../database/index.js'
import { rootTargetOf } from './compiledResolvers.js'
import { fastReadPlan } from './fastReadPlan.js'
import type { FastReadPlan } from './fastReadPlan.js'
import { prepareRootRead } from './prepareRootRead.js'
import { readRootFieldText, rootFieldStatement } from './readRootField.js'
import { callerAccess } from './requestCaller.js'
import { getSchemaRuntime } from './SchemaRuntime.js'
import type { SchemaRuntime } from './SchemaRuntime.js'
import { statementKey } from './statementCache.js'

/** One operation as graphql-js would execute it (the parts of its ExecutionArgs the fast path reads). */
export interface FastReadArgs {
  schema: GraphQLSchema
  document: DocumentNode
  operationName?: string | null | undefined
  variableValues?: Readonly<Record<string, unknown>> | null | undefined
  contextValue?: unknown
}

/** `data` as JSON text, or why graphql-js must execute the operation instead. */
export type FastReadOutcome = { data: string } | { fallback: string }

/**
 * Answers a query without graphql-js when every field is compiled SQL: the same steps as the
 * root resolvers (access, view permission, object checks, one statement per root field from the
 * same statement cache) and then, instead of parsing the database's JSON and re-walking it, the
 * JSON text itself as `data` (enums rendered as their GraphQL names in SQL). Anything that would
 * make graphql-js answer differently — an error of any kind, a field a plugin resolves, a guarded
 * field this caller may not read, a Float that is NaN — returns `fallback`, and the caller runs
 * graphql-js, which then gives the errors exactly as before.
 */
export async function fastRead(args: FastReadArgs): Promise<FastReadOutcome> {
  let runtime: SchemaRuntime
  try {
    runtime = getSchemaRuntime(args.schema)
  } catch {
    return { fallback: 'not a graphql-auto-gen schema' }
  }
  const verdict = fastReadPlan(runtime, args.schema, args.document, args.operationName)
  if ('reason' in verdict) return { fallback: verdict.reason }
  return runPlan(runtime, verdict.plan, args)
}

async function runPlan(
  runtime: SchemaRuntime,
  plan: FastReadPlan,
  args: FastReadArgs,
): Promise<FastReadOutcome> {
  const { schema, contextValue: context } = args
  const query = schema.getQueryType()!
  const variables = getVariableValues(
    schema,
    plan.operation.variableDefinitions ?? [],
    args.variableValues ?? {},
  )
  if (variables.errors) return { fallback: 'variables do not coerce' }
  const variableValues = variables.coerced
  for (const node of plan.variableDirectives) {
    try {
      getDirectiveValues(GraphQLSkipDirective, node, variableValues)
      getDirectiveValues(GraphQLIncludeDirective, node, variableValues)
    } catch {
      return { fallback: 'a @skip/@include argument does not coerce' }
    }
  }
  const reads: Array<{ key: string; text?: string; database?: Database; statement?: SqlStatement }> = []
  try {
    const access = await callerAccess(runtime, context)
    const denied = plan.guardedFields.find((field) => access.deniedFields.has(field))
    if (denied !== undefined) return { fallback: `the caller may not read ${denied}` }
    const fields = collectFields({ schema, fragments: plan.fragments, variableValues }, query.name, [
      plan.operation.selectionSet,
    ])
    for (const field of fields) {
      const key = field.responseKey
      if (field.fieldName === '__typename') {
        reads.push({ key, text: JSON.stringify(query.name) })
        continue
      }
      const definition = query.getFields()[field.fieldName]!
      const targetOf = rootTargetOf(definition.resolve)!
      const fieldArgs = getArgumentValues(definition, field.nodes[0]!, variableValues)
      const read = await prepareRootRead(runtime, targetOf, fieldArgs, context)
      if (!read) {
        reads.push({ key, text: 'null' })
        continue
      }
      const request = { schema, fragments: plan.fragments, variableValues, fieldNodes: field.nodes }
      const cacheKey = statementKey(plan.operation, key, variableValues, read.access, true)
      const statement = rootFieldStatement(runtime, request, read.target, read.access, cacheKey, true)
      reads.push({ key, database: read.database, statement })
    }
  } catch {
    return { fallback: 'a root field is refused or invalid' }
  }
  let texts: Array<string | null>
  try {
    texts = await Promise.all(
      reads.map(({ text, database, statement }) =>
        text !== undefined ? text : readRootFieldText(database!, statement!),
      ),
    )
  } catch {
    return { fallback: 'a statement failed' }
  }
  let data = '{'
  for (let i = 0; i < reads.length; i++) {
    const text = texts[i] ?? 'null'
    if (plan.readsFloats && (text.includes('NaN') || text.includes('Infinity')))
      return { fallback: 'a Float may be NaN or infinite' }
    data += `${i === 0 ? '' : ','}${JSON.stringify(reads[i]!.key)}:${text}`
  }
  return { data: `${data}}` }
}
