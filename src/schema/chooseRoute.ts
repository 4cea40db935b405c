import {
  getArgumentValues,
  getDirectiveValues,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
} from 'graphql'
import type { DocumentNode, GraphQLSchema } from 'graphql'
import type { RequestAccess } from '../auth/index.js'
import { collectFields } from '../compile/index.js'
import { LruCache } from '../lruCache.js'
import type { CollectedField, RootTarget, SelectionContext } from '../compile/index.js'
import type { Database, SqlStatement } from '../database/index.js'
import { rootTargetOf } from './compiledResolvers.js'
import { fastReadPlan } from './fastReadPlan.js'
import type { FastReadPlan } from './fastReadPlan.js'
import { rootFieldStatement } from './readRootField.js'
import type { ReadRequest } from './readRootField.js'
import { callerAccess, databaseOf, settledCallerAccess } from './requestCaller.js'
import { getSchemaRuntime } from './SchemaRuntime.js'
import type { SchemaRuntime } from './SchemaRuntime.js'
import { keyOnlyVariables, statementKey } from './statementCache.js'

/** One operation as graphql-js would execute it (the parts of its ExecutionArgs the route needs). */
export interface RouteArgs {
  schema: GraphQLSchema
  document: DocumentNode
  operationName?: string | null | undefined
  variableValues?: Readonly<Record<string, unknown>> | null | undefined
  /**
   * The variables already coerced for this operation (the pipeline coerces once per operation),
   * or null when they do not coerce; absent: coerced here from `variableValues`.
   */
  coercedVariableValues?: Readonly<Record<string, unknown>> | null | undefined
  contextValue?: unknown
}

/** One root field of a compiled plan: a constant, or a statement ready to run. */
export type CompiledField =
  | { key: string; text: string }
  | { key: string; target: RootTarget; access: RequestAccess; statement: SqlStatement }

/** Everything the compiled route runs: one statement per root field, nothing else to decide. */
export interface CompiledPlan {
  runtime: SchemaRuntime
  fields: readonly CompiledField[]
  /** Some Float is read: NaN and ±Infinity (which graphql-js refuses) are checked in the answer. */
  readsFloats: boolean
  /** The request's database, where every statement runs. */
  database: Database
}

/**
 * The route of one operation, and why: `compiled` (the database's JSON text is `data`) carries
 * its plan; `graphql-js` executes normally, its root resolvers running the same compiled SQL.
 */
export type RouteChoice =
  { route: 'compiled'; reason: string; plan: CompiledPlan } | { route: 'graphql-js'; reason: string }

/**
 * One root field as a decision remembers it: a constant, or what its statement is read with.
 * Never the statement itself: statements live in the one statement cache (statementCache.ts),
 * which both routes read, and a statement for one row by key is re-bound per key.
 */
type DecidedField =
  | { key: string; text: string }
  | {
      key: string
      target: RootTarget
      access: RequestAccess
      read: ReadRequest
      /** The field's key in the statement cache (undefined: not cacheable, compiled each time). */
      statementKey: string | undefined
      /** One row by key: its target is derived again when only its key variables change. */
      byKey: boolean
    }

/** A decision as it is remembered: the route, why, and for the compiled route its fields. */
type Decision = { reason: string; fields?: readonly DecidedField[] }

/** The reason given when every field is compiled SQL. */
const COMPILED = 'every field is compiled SQL'

/** Variable sets whose decision is remembered per operation and caller access. */
const DECISIONS_PER_ACCESS = 64

/** A plan's decisions for one shared access: by the exact variables, and by all but the by-key fields' keys. */
interface Remembered {
  exact: LruCache<string, Decision>
  keyless: LruCache<string, Decision>
}

const decisions = new WeakMap<FastReadPlan, WeakMap<RequestAccess, Remembered>>()

/** Per plan: the variables that reach its decision only as keys of by-key root fields (see statementCache). */
const keyOnlyNames = new WeakMap<FastReadPlan, ReadonlySet<string>>()
const EMPTY: ReadonlySet<string> = new Set()

/**
 * THE route decision (see docs/architecture.md). Compiled SQL end to end when the operation is a
 * query whose every field is ours at every depth (no plugin or computed resolver, no
 * introspection, leaves rendered in SQL exactly as graphql-js serializes them), its variables
 * coerce, the caller may read every guarded field it selects and every root field admits the
 * caller and its arguments; graphql-js otherwise (it then gives errors exactly as always). No
 * SQL runs here: everything that may still fail once statements run is answered by graphql-js
 * over the rows already read (see compiledRead), never by running a statement again.
 *
 * The decision depends on the operation, its variables and the caller's access alone: for an
 * access shared by many requests (the anonymous caller under built-in permission classes) it is
 * remembered per variable set, so a hot query decides once; a variable set that differs only in
 * the keys of root fields reading one row by key re-derives just those fields' targets.
 */
export async function chooseRoute(args: RouteArgs): Promise<RouteChoice> {
  return routeOf(args)
}

/**
 * {@link chooseRoute}'s decision, given synchronously when nothing needs waiting for (a remembered
 * decision for a caller access already known): the form the server's pipeline uses, so a hot
 * query costs no promise here.
 */
export function routeOf(args: RouteArgs): RouteChoice | Promise<RouteChoice> {
  let runtime: SchemaRuntime
  try {
    runtime = getSchemaRuntime(args.schema)
  } catch {
    return graphqlJs('not a graphql-auto-gen schema')
  }
  if (!runtime.config.performance.enableAutomaticOptimization)
    return graphqlJs('performance.enableAutomaticOptimization is off')
  if (!runtime.config.queries.queryOptimization) return graphqlJs('queries.queryOptimization is off')
  const verdict = fastReadPlan(runtime, args.schema, args.document, args.operationName)
  if ('reason' in verdict) return graphqlJs(verdict.reason)
  const { plan } = verdict
  const settled = settledCallerAccess(runtime, args.contextValue)
  if (settled) return routeFor(runtime, args, plan, settled)
  return callerAccess(runtime, args.contextValue).then(
    (access) => routeFor(runtime, args, plan, access),
    () => routeFor(runtime, args, plan, undefined),
  )
}

/** The route for a caller's access (undefined: the caller is refused), remembered when the access is shared. */
function routeFor(
  runtime: SchemaRuntime,
  args: RouteArgs,
  plan: FastReadPlan,
  access: RequestAccess | undefined,
): RouteChoice | Promise<RouteChoice> {
  const context = args.contextValue
  const memory = access?.shared ? decisionsOf(plan, access) : undefined
  let key: string | undefined
  let keyless: string | undefined
  if (memory) {
    key = variablesKey(args.variableValues ?? {})
    const decision = key === undefined ? undefined : memory.exact.get(key)
    if (decision) return choiceOf(runtime, plan, decision, context)
    // Only the keys of by-key root fields changed: their targets re-derived, nothing else decided.
    const keyOnly = keyOnlyNames.get(plan)
    if (key !== undefined && keyOnly && keyOnly.size > 0) {
      keyless = variablesKey(withoutNames(args.variableValues ?? {}, keyOnly))
      const template = keyless === undefined ? undefined : memory.keyless.get(keyless)
      const choice = template && rederived(runtime, args, plan, template)
      if (choice) return choice
    }
  }
  const statements: SqlStatement[] = []
  return decide(runtime, args, plan, access, statements).then((decision) => {
    if (memory && key !== undefined) {
      memory.exact.set(key, decision)
      if (decision.fields?.some((field) => 'byKey' in field && field.byKey)) {
        keyless ??= variablesKey(withoutNames(args.variableValues ?? {}, keyOnlyNames.get(plan) ?? EMPTY))
        if (keyless !== undefined) memory.keyless.set(keyless, decision)
      }
    }
    return choiceOf(runtime, plan, decision, context, statements)
  })
}

/** The remembered decisions of a plan for a shared access: by exact variables, and by all but the keys. */
function decisionsOf(plan: FastReadPlan, access: RequestAccess): Remembered {
  let byAccess = decisions.get(plan)
  if (!byAccess) decisions.set(plan, (byAccess = new WeakMap()))
  let memory = byAccess.get(access)
  if (!memory) {
    memory = { exact: new LruCache(DECISIONS_PER_ACCESS), keyless: new LruCache(DECISIONS_PER_ACCESS) }
    byAccess.set(access, memory)
  }
  return memory
}

/** The JSON of a variable set, the key of its remembered decision (undefined: not keyable). */
function variablesKey(variables: Readonly<Record<string, unknown>>): string | undefined {
  try {
    return JSON.stringify(variables)
  } catch {
    return undefined
  }
}

/** The variables without `names`. */
function withoutNames(
  variables: Readonly<Record<string, unknown>>,
  names: ReadonlySet<string>,
): Readonly<Record<string, unknown>> {
  const kept: Record<string, unknown> = {}
  for (const name in variables) if (!names.has(name)) kept[name] = variables[name]
  return kept
}

/**
 * A remembered compiled decision for this request's keys: each by-key root field's target derived
 * again from its arguments (its statement re-bound from the statement cache's template), every
 * other field as decided. Undefined when a target does not derive the same way (then the whole
 * decision is made again, and gives its own answer).
 */
function rederived(
  runtime: SchemaRuntime,
  args: RouteArgs,
  plan: FastReadPlan,
  template: Decision,
): RouteChoice | undefined {
  const variableValues = coercedVariables(args, plan)
  if (!variableValues || !template.fields || plan.variableDirectives.length > 0) return undefined
  const query = args.schema.getQueryType()!
  const fields: CompiledField[] = []
  for (const field of template.fields) {
    if ('text' in field) {
      fields.push(field)
      continue
    }
    if (!field.byKey) {
      const { key, target, access, read } = field
      const statement = rootFieldStatement(runtime, read, target, access, field.statementKey, true)
      fields.push({ key, target, access, statement })
      continue
    }
    const { key, access, read } = field
    const node = read.fieldNodes[0]!
    const definition = query.getFields()[node.name.value]!
    let target: RootTarget
    try {
      target = rootTargetOf(definition.resolve)!(getArgumentValues(definition, node, variableValues))
    } catch {
      return undefined
    }
    if (target.kind !== 'single' || target.filter !== undefined || target.model !== field.target.model)
      return undefined
    const request = { ...read, variableValues }
    const statement = rootFieldStatement(runtime, request, target, access, field.statementKey, true)
    fields.push({ key, target, access, statement })
  }
  return {
    route: 'compiled',
    reason: template.reason,
    plan: {
      runtime,
      fields,
      readsFloats: plan.readsFloats,
      database: databaseOf(runtime, args.contextValue),
    },
  }
}

/** The route of a decision, for this request's database. */
function choiceOf(
  runtime: SchemaRuntime,
  plan: FastReadPlan,
  decision: Decision,
  context: unknown,
  statements?: readonly SqlStatement[],
): RouteChoice {
  if (!decision.fields) return graphqlJs(decision.reason)
  const fields = decision.fields.map((field, i): CompiledField => {
    if ('text' in field) return field
    const { key, target, access, read } = field
    const statement =
      statements?.[i] ?? rootFieldStatement(runtime, read, target, access, field.statementKey, true)
    return { key, target, access, statement }
  })
  return {
    route: 'compiled',
    reason: decision.reason,
    plan: {
      runtime,
      fields,
      readsFloats: plan.readsFloats,
      database: databaseOf(runtime, context),
    },
  }
}

/** Decides an operation of a fast read plan for a caller (`access` undefined: the caller is refused). */
async function decide(
  runtime: SchemaRuntime,
  args: RouteArgs,
  plan: FastReadPlan,
  access: RequestAccess | undefined,
  /** Receives each field's statement, by field index (a remembered decision looks them up). */
  statements: SqlStatement[],
): Promise<Decision> {
  const { schema } = args
  const variableValues = coercedVariables(args, plan)
  if (!variableValues) return refused('variables do not coerce')
  for (const node of plan.variableDirectives) {
    try {
      getDirectiveValues(GraphQLSkipDirective, node, variableValues)
      getDirectiveValues(GraphQLIncludeDirective, node, variableValues)
    } catch {
      return refused('a @skip/@include argument does not coerce')
    }
  }
  if (!access) return refused('the caller is refused')
  const denied = plan.guardedFields.find((field) => access.deniedFields.has(field))
  if (denied !== undefined) return refused(`the caller may not read ${denied}`)
  const query = schema.getQueryType()!
  const request = { schema, fragments: plan.fragments, variableValues }
  const fields: DecidedField[] = []
  for (const field of rootFields(plan, request, query.name)) {
    const key = field.responseKey
    if (field.fieldName === '__typename') {
      fields.push({ key, text: JSON.stringify(query.name) })
      statements.length = fields.length
      continue
    }
    const definition = query.getFields()[field.fieldName]!
    try {
      const target = rootTargetOf(definition.resolve)!(
        getArgumentValues(definition, field.nodes[0]!, variableValues),
      )
      await access.require(target.model.model.name, 'view')
      const read = { ...request, fieldNodes: field.nodes }
      const cacheKey = statementKey(plan.operation, plan.fragments, key, variableValues, access, true, target)
      // Compiled now: a field that does not compile refuses the compiled route (as it always did).
      statements[fields.length] = rootFieldStatement(runtime, read, target, access, cacheKey, true)
      const byKey = target.kind === 'single' && target.filter === undefined && field.nodes.length === 1
      if (byKey) rememberKeyOnly(plan, keyOnlyVariables(plan.operation, plan.fragments, key))
      fields.push({ key, target, access, read, statementKey: cacheKey, byKey })
    } catch {
      return refused(`${query.name}.${field.fieldName} refuses this caller or these arguments`)
    }
  }
  return { reason: COMPILED, fields }
}

/** Adds a by-key root field's key variables to its plan's. */
function rememberKeyOnly(plan: FastReadPlan, names: ReadonlySet<string>): void {
  if (names.size === 0) return
  const known = keyOnlyNames.get(plan)
  if (known && [...names].every((name) => known.has(name))) return
  keyOnlyNames.set(plan, new Set([...(known ?? []), ...names]))
}

const staticRootFields = new WeakMap<FastReadPlan, readonly CollectedField[]>()

/**
 * The operation's root fields. Without a @skip/@include that takes a variable they are the same
 * for every request: collected once per plan.
 */
function rootFields(
  plan: FastReadPlan,
  request: SelectionContext,
  typeName: string,
): readonly CollectedField[] {
  if (plan.variableDirectives.length > 0)
    return collectFields(request, typeName, [plan.operation.selectionSet])
  let fields = staticRootFields.get(plan)
  if (!fields) {
    fields = collectFields(request, typeName, [plan.operation.selectionSet])
    staticRootFields.set(plan, fields)
  }
  return fields
}

/** The operation's coerced variables (the pipeline's, else coerced here), or null when they do not coerce. */
function coercedVariables(args: RouteArgs, plan: FastReadPlan): Record<string, unknown> | null {
  // Never written to: typed mutable only because graphql-js's helpers take that type.
  if (args.coercedVariableValues !== undefined)
    return args.coercedVariableValues as Record<string, unknown> | null
  const variables = getVariableValues(
    args.schema,
    plan.operation.variableDefinitions ?? [],
    args.variableValues ?? {},
  )
  return variables.errors ? null : variables.coerced
}

function refused(reason: string): Decision {
  return { reason }
}

function graphqlJs(reason: string): RouteChoice {
  return { route: 'graphql-js', reason }
}
