import { createHash } from 'node:crypto'
import { Kind, visit } from 'graphql'
import type {
  ASTNode,
  FieldNode,
  FragmentDefinitionNode,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql'
import { parseKeyText } from '../compile/index.js'
import type { RootTarget, RowAccess } from '../compile/index.js'
import type { SqlStatement } from '../database/index.js'
import { LruCache } from '../lruCache.js'
import type { SchemaRuntime } from './SchemaRuntime.js'

/** Compiled statements kept per schema: a hot query costs a lookup instead of a compile. */
const CACHED_STATEMENTS = 1_000
/**
 * Distinct prepared statements per schema. Each pooled PostgreSQL connection keeps the ones it
 * ran until it closes, so their number is bounded; past it, cached statements go unnamed.
 */
const PREPARED_STATEMENTS = 500

/**
 * A cached statement. For one row by key (`single` targets) it is also a template: the same
 * text serves every key, with the key's values re-bound at `positions` — once two compiles for
 * different keys showed that they differ in exactly those values (`verified`).
 */
interface CachedStatement {
  statement: SqlStatement
  /** The key text the statement was compiled for (single targets). */
  pk?: string
  /** Where each key column's value is bound (single targets whose key values are unambiguous). */
  positions?: readonly number[]
  verified?: boolean
}

const caches = new WeakMap<SchemaRuntime, LruCache<string, CachedStatement>>()
const preparedNames = new WeakMap<SchemaRuntime, Set<string>>()
const operationIds = new WeakMap<object, number>()
let lastOperationId = 0
const scopeKeys = new WeakMap<RowAccess, string | null>()
const keyOnlyByOperation = new WeakMap<OperationDefinitionNode, Map<string, ReadonlySet<string>>>()

/**
 * The key of a query root field's statement in the one statement cache (both routes read it):
 * the operation (a node of a document the pipeline's parse cache hands out again for the same
 * text), the field's response key, the caller's permission scope (row policy filters and denied
 * fields), the coerced variables and the target. For one row by key the key text is left out,
 * and so are the variables used only in that root field's own arguments (they reach the
 * statement only through the key): every id shares one statement, its key re-bound
 * (cachedStatement). Undefined when something cannot be keyed (then no cache).
 */
export function statementKey(
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  responseKey: string,
  variables: Readonly<Record<string, unknown>>,
  access: RowAccess | undefined,
  enumNames: boolean,
  target: RootTarget,
): string | undefined {
  const scope = access ? scopeKey(access) : ''
  if (scope === null) return undefined
  const byKey = target.kind === 'single' && target.filter === undefined
  let variablesKey: string
  try {
    variablesKey = JSON.stringify(
      byKey ? withoutKeyOnly(variables, keyOnlyVariables(operation, fragments, responseKey)) : variables,
    )
  } catch {
    return undefined
  }
  let id = operationIds.get(operation)
  if (id === undefined) operationIds.set(operation, (id = ++lastOperationId))
  const targetKey = byKey ? `single ${target.model.typeName}` : target.kind
  return `${id}\u0000${enumNames ? 'n' : 'v'}\u0000${responseKey}\u0000${scope}\u0000${targetKey}\u0000${variablesKey}`
}

/**
 * The statement for `target` cached under `key` (see statementKey), or the one `compile` makes
 * (then cached). A template found for another key text is re-bound to this one: the text and
 * every other value are the template's, the key columns' values this target's.
 */
export function cachedStatement(
  runtime: SchemaRuntime,
  key: string | undefined,
  target: RootTarget,
  compile: () => SqlStatement,
): SqlStatement {
  if (key === undefined) return compile()
  let cache = caches.get(runtime)
  if (!cache) caches.set(runtime, (cache = new LruCache(CACHED_STATEMENTS)))
  const cached = cache.get(key)
  if (target.kind !== 'single' || target.filter !== undefined) {
    if (cached) return cached.statement
    const statement = prepared(runtime, compile())
    cache.set(key, { statement })
    return statement
  }
  if (cached?.pk === target.pk) return cached.statement
  const values = parseKeyText(target.model.model, target.pk)
  if (cached?.verified && values) return rebound(cached, values)
  const statement = compile()
  if (cached?.positions && values && sameButKey(cached, statement, values)) {
    // Two keys, one text, the same values but the key's: the template holds for every key.
    cached.verified = true
    return rebound(cached, values)
  }
  const named = prepared(runtime, statement)
  const positions = values && keyPositions(statement.values, values)
  cache.set(key, { statement: named, pk: target.pk, ...(positions ? { positions } : {}) })
  return named
}

/** The template with the key columns' `values` bound at its positions. */
function rebound(template: CachedStatement, values: readonly string[]): SqlStatement {
  const bound = template.statement.values.slice()
  template.positions!.forEach((position, i) => (bound[position] = values[i]))
  return { ...template.statement, values: bound }
}

/**
 * Where each key value is bound in a statement's values: the one position holding it. Undefined
 * when a key value is bound more than once or another value equals it (then the statement alone
 * cannot tell which binding is the key's).
 */
function keyPositions(bound: readonly unknown[], values: readonly string[]): number[] | undefined {
  const positions: number[] = []
  for (const value of values) {
    const at = bound.indexOf(value)
    if (at < 0 || bound.indexOf(value, at + 1) >= 0) return undefined
    positions.push(at)
  }
  return new Set(positions).size === positions.length ? positions : undefined
}

/** Whether `statement` is the template's text with the same values except the key's, which are `values`. */
function sameButKey(template: CachedStatement, statement: SqlStatement, values: readonly string[]): boolean {
  const expected = template.statement
  if (statement.text !== expected.text || statement.values.length !== expected.values.length) return false
  if (Boolean(statement.customPlan) !== Boolean(expected.customPlan)) return false
  const positions = template.positions!
  if (positions.some((position, i) => statement.values[position] !== values[i])) return false
  return statement.values.every((value, i) => positions.includes(i) || sameValue(value, expected.values[i]))
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  try {
    return JSON.stringify(a) === JSON.stringify(b)
  } catch {
    return false
  }
}

/**
 * The statement with a prepared-statement name (on PostgreSQL servers), so that a hot query is
 * parsed and planned once per connection. The name is a hash of the text, so every schema and
 * server instance gives the same text the same name.
 */
function prepared(runtime: SchemaRuntime, statement: SqlStatement): SqlStatement {
  // Filter values are planned per execution (sent unnamed): no prepared statement to keep.
  if (runtime.database.kind !== 'pg' || statement.customPlan) return statement
  const name = `gag_${createHash('sha1').update(statement.text).digest('hex').slice(0, 24)}`
  let names = preparedNames.get(runtime)
  if (!names) preparedNames.set(runtime, (names = new Set()))
  if (!names.has(name)) {
    if (names.size >= PREPARED_STATEMENTS) return statement
    names.add(name)
  }
  return { ...statement, name }
}

/** What of the caller's access a compiled statement depends on, as text ('' when nothing); null when unkeyable. */
function scopeKey(access: RowAccess): string | null {
  let key = scopeKeys.get(access)
  if (key !== undefined) return key
  const filters = access.rowFilters ? [...access.rowFilters] : []
  const denied = access.deniedFields ? [...access.deniedFields].sort() : []
  if (filters.length === 0 && denied.length === 0) key = ''
  else {
    try {
      // Policy filters are data (the filter language), so their JSON says what they compile to.
      key = JSON.stringify([filters, denied])
    } catch {
      key = null
    }
  }
  scopeKeys.set(access, key)
  return key
}

/** The variables without the names in `left`. */
function withoutKeyOnly(
  variables: Readonly<Record<string, unknown>>,
  left: ReadonlySet<string>,
): Readonly<Record<string, unknown>> {
  if (left.size === 0) return variables
  const kept: Record<string, unknown> = {}
  for (const name in variables) if (!left.has(name)) kept[name] = variables[name]
  return kept
}

/**
 * The variables used only in the arguments of the operation's root fields under `responseKey`
 * (written directly in its selection set): nowhere else in the operation, its directives or any
 * fragment. Remembered per operation and response key.
 */
export function keyOnlyVariables(
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  responseKey: string,
): ReadonlySet<string> {
  let byKey = keyOnlyByOperation.get(operation)
  if (!byKey) keyOnlyByOperation.set(operation, (byKey = new Map()))
  let names = byKey.get(responseKey)
  if (names) return names
  const inArguments = new Map<string, number>()
  const everywhere = new Map<string, number>()
  const rootFields = rootFieldNodes(operation.selectionSet, responseKey)
  for (const field of rootFields)
    for (const argument of field.arguments ?? []) countVariables(argument, inArguments)
  countVariables(operation.selectionSet, everywhere)
  for (const directive of operation.directives ?? []) countVariables(directive, everywhere)
  for (const fragment of Object.values(fragments)) countVariables(fragment, everywhere)
  names = new Set([...inArguments].filter(([name, count]) => everywhere.get(name) === count).map(([n]) => n))
  byKey.set(responseKey, names)
  return names
}

/** The fields written directly in `set` under `responseKey`. */
function rootFieldNodes(set: SelectionSetNode, responseKey: string): FieldNode[] {
  return set.selections.filter(
    (selection): selection is FieldNode =>
      selection.kind === Kind.FIELD && (selection.alias?.value ?? selection.name.value) === responseKey,
  )
}

/** Counts every variable use under `node` into `counts`. */
function countVariables(node: ASTNode, counts: Map<string, number>): void {
  visit(node, {
    Variable(variable) {
      counts.set(variable.name.value, (counts.get(variable.name.value) ?? 0) + 1)
    },
  })
}
