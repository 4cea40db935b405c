import type { GraphQLResolveInfo } from 'graphql'
import { callerKey } from '../auth/index.js'
import type { CallerContext } from '../auth/index.js'
import { field, isComputedFieldDefinition } from '../models/index.js'
import type {
  ComputedFieldDefinition,
  ComputedResolver,
  FieldSpec,
  ResolverContext,
} from '../models/index.js'
import type { CacheStore } from './CacheStore.js'
import { memoryCacheStore } from './memoryCacheStore.js'
import { sha256, stableJson } from '../stableJson.js'

/** How a {@link cachedField} keeps its results beyond one request. */
export interface CachedFieldOptions {
  /** Keep results across requests for this many seconds. Absent: only within one request. */
  ttlSeconds?: number
  /** Where results across requests live (default: a memory store of this field's own). */
  store?: CacheStore
  /**
   * `caller` (default): results are kept per permission scope (who asks, with which permissions);
   * `shared`: one result for every caller, only for values that do not depend on who asks.
   */
  scope?: 'caller' | 'shared'
  /** Prefix of this field's keys in the store (default `gag:cf`). */
  keyPrefix?: string
}

/** Most results one request memoises per context before starting over (bounds long subscriptions). */
const MAX_MEMO_ENTRIES = 10_000

/**
 * A computed field whose resolver runs once per request for the same row and arguments, however
 * often (and under whichever aliases) the operation selects it; with `ttlSeconds`, results are
 * also kept across requests in memory or Redis. The key holds the row's needed values (so a
 * changed row is a new key), the arguments and, unless `scope: 'shared'`, the caller's scope.
 * Values kept across requests must be JSON.
 */
export function cachedField<Row>(
  definition: ComputedFieldDefinition<Row>,
  options?: CachedFieldOptions,
): ComputedFieldDefinition<Row>
export function cachedField<Row, const N extends keyof Row & string>(
  spec: FieldSpec<Row, N>,
  options?: CachedFieldOptions,
): ComputedFieldDefinition<Row>
export function cachedField<Row>(
  resolve: ComputedResolver<Row>,
  options?: CachedFieldOptions,
): ComputedFieldDefinition<Row>
export function cachedField<Row>(
  input: ComputedResolver<Row> | FieldSpec<Row, keyof Row & string> | ComputedFieldDefinition<Row>,
  options: CachedFieldOptions = {},
): ComputedFieldDefinition<Row> {
  const definition: ComputedFieldDefinition<Row> = isComputedFieldDefinition(input)
    ? (input as ComputedFieldDefinition<Row>)
    : typeof input === 'function'
      ? field(input)
      : field(input as FieldSpec<Row, keyof Row & string>)
  const ttl = options.ttlSeconds
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0))
    throw new TypeError(`cachedField: ttlSeconds must be a positive whole number, got ${String(ttl)}.`)
  const store = ttl === undefined ? undefined : (options.store ?? memoryCacheStore())
  const prefix = options.keyPrefix ?? 'gag:cf'
  const memos = new WeakMap<object, Map<string, Promise<unknown>>>()
  const inner = definition.resolve

  const lasting = async (
    row: Row,
    args: Record<string, unknown>,
    context: ResolverContext,
    info: GraphQLResolveInfo,
  ) => {
    if (!store || ttl === undefined) return inner(row, args, context, info)
    const scope = options.scope === 'shared' ? 'shared' : callerKey(context as CallerContext, { by: 'user' })
    const key = `${prefix}:${info.parentType.name}.${info.fieldName}:${sha256(stableJson([row, args, scope]))}`
    // The store is an optimisation: when it fails (Redis away), compute instead of failing the field.
    const hit = await store.get(key).catch(() => undefined)
    if (hit !== undefined) return JSON.parse(hit) as unknown
    const value = await inner(row, args, context, info)
    await store.set(key, JSON.stringify(value ?? null), ttl).catch(() => undefined)
    return value
  }

  return Object.freeze({
    ...definition,
    resolve: (
      row: Row,
      args: Record<string, unknown>,
      context: ResolverContext,
      info: GraphQLResolveInfo,
    ) => {
      let memo = memos.get(context)
      if (!memo || memo.size >= MAX_MEMO_ENTRIES) memos.set(context, (memo = new Map()))
      const key = stableJson([info.parentType.name, info.fieldName, row, args])
      let pending = memo.get(key)
      if (!pending) {
        pending = lasting(row, args, context, info)
        memo.set(key, pending)
      }
      return pending
    },
  })
}
