import { getNamedType, isInterfaceType, isObjectType, Kind, print } from 'graphql'
import type {
  DocumentNode,
  ExecutionResult,
  FragmentDefinitionNode,
  GraphQLNamedType,
  GraphQLSchema,
  SelectionSetNode,
} from 'graphql'
import { accessReads, callerKey } from '../auth/index.js'
import type { CallerReads } from '../auth/index.js'
import type { ResolvedResponseCache } from '../config/index.js'
import type { ModelGraph } from '../models/index.js'
import { definePlugin } from '../plugins/index.js'
import type { OperationHooks, PipelineOperation, Plugin } from '../plugins/index.js'
import type { CacheStore } from './CacheStore.js'
import { memoryCacheStore } from './memoryCacheStore.js'
import { recordingDatabase } from './recordingDatabase.js'
import { redisCacheStore } from './redisCacheStore.js'
import { sha256, stableJson } from '../stableJson.js'
import { touchedModels } from './touchedModels.js'

/** Options of {@link responseCache} (config `cache.responses` without `enabled`). */
export interface ResponseCacheSettings {
  /** How long an answer may be served, in seconds (default 60). */
  ttlSeconds?: number
  /** `memory` (per server, default), `redis`, or a store of your own. */
  store?: 'memory' | 'redis' | CacheStore
  /** Redis for `store: 'redis'` (default: REDIS_URL, else redis://127.0.0.1:6379). */
  redisUrl?: string
  /** Prefix of the keys in the store; instances serving the same API must share it (default `gag:rc`). */
  keyPrefix?: string
  /** Most answers the memory store keeps (default 10000). */
  maxEntries?: number
}

/** The name the response cache plugin runs under (order other plugins against it). */
export const RESPONSE_CACHE_PLUGIN = 'graphql-auto-gen:response-cache'

/** What a cached answer holds: the data, and the version of each model it read when it was made. */
interface Entry {
  data: unknown
  versions: Record<string, number>
}

/**
 * Whole-response caching of queries, as a plugin (config `cache.responses` adds it). An answer
 * is keyed by the document, operation name, variables and the caller as far as the schema's
 * access rules read it (`callerKey` by `accessReads`): the user's permission scope when every
 * permission class and row policy reads only the user (anonymous callers are then one scope),
 * plus the request headers they declare, or the whole caller (address and every header) when
 * some rule may read anything in the request. Each answer remembers the
 * version of every model its SQL read; a mutation bumps the versions of the models it wrote (and
 * of those its foreign keys may cascade to) after it ran, so any instance sharing the store stops
 * serving those answers. Answers with errors are never kept; subscriptions are never cached, nor
 * operations selecting a field made for this caller and operation (`extensions.responseCache:
 * false`, like `rateLimit`).
 */
export function responseCache(settings: ResponseCacheSettings = {}): Plugin {
  const ttl = settings.ttlSeconds ?? 60
  const prefix = settings.keyPrefix ?? 'gag:rc'
  let graph: ModelGraph | undefined
  // Unknown until the schema hook ran: then whatever the rules read (no rules known: everything).
  let reads: CallerReads = 'request'
  return definePlugin({
    name: RESPONSE_CACHE_PLUGIN,
    // Refusals (auth) and budgets (limits) apply to cached answers too.
    after: ['graphql-auto-gen:limits'],
    schema(_schema, context) {
      graph = context.graph
      reads = context.access ? accessReads(context.access) : 'request'
    },
    server({ schema }) {
      if (!graph) throw new Error('The response cache plugin was not part of the schema build.')
      const store = storeOf(settings)
      return {
        operation: cachingSteps({ store, ttl, prefix, graph, schema, reads }),
        close: () => store.close(),
      }
    },
  })
}

function storeOf(settings: ResponseCacheSettings): CacheStore {
  const store = settings.store ?? 'memory'
  if (typeof store === 'object') return store
  if (store === 'memory') return memoryCacheStore({ maxEntries: settings.maxEntries ?? 10_000 })
  return redisCacheStore({ url: settings.redisUrl ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379' })
}

interface CachingOptions {
  store: CacheStore
  ttl: number
  prefix: string
  graph: ModelGraph
  /** The schema served (its fields' `extensions.responseCache`). */
  schema: GraphQLSchema
  /** What the schema's access rules read about the caller: what keys tell apart. */
  reads: CallerReads
}

/** What the admit step left for the respond step of one operation. */
type Pending =
  | { kind: 'query'; key: string; read: Set<string>; current: Map<string, number> }
  | { kind: 'mutation'; written: Set<string> }

/** The cache's admit (look up, or record what runs) and respond (keep, or invalidate) steps. */
function cachingSteps({ store, ttl, prefix, graph, schema, reads }: CachingOptions): OperationHooks {
  const tables = touchedModels(graph)
  const models = graph.models.map((m) => m.name)
  const versionKey = (model: string): string => `${prefix}:v:${model}`
  const documentHashes = new WeakMap<DocumentNode, string>()
  const documentHash = (document: DocumentNode): string => {
    let hash = documentHashes.get(document)
    // The pipeline caches parsed documents, so a repeated query text is the same object here.
    if (hash === undefined) documentHashes.set(document, (hash = sha256(print(document))))
    return hash
  }
  const pending = new WeakMap<PipelineOperation, Pending>()
  return {
    async admit(operation) {
      const { definition, document, context } = operation
      if (!definition || !document) return
      if (definition.operation === 'mutation') {
        const written = new Set<string>()
        context.database = recordingDatabase(context.database, (text) => {
          for (const model of tables.written(text))
            for (const name of tables.affectedBy(model)) written.add(name)
        })
        pending.set(operation, { kind: 'mutation', written })
        return
      }
      // Fields answered per operation (the caller's rate limit budget) are never cached.
      if (definition.operation !== 'query' || selectsUncachedField(schema, operation)) return
      const key = `${prefix}:e:${sha256(
        stableJson([
          documentHash(document),
          operation.operationName ?? null,
          operation.variables,
          callerKey(context, { by: reads }),
        ]),
      )}`
      // Versions are read before any SQL runs: a mutation landing meanwhile makes this answer stale.
      const looked = await Promise.all([store.get(key), store.counters(models.map(versionKey))]).catch(
        () => undefined,
      )
      // The store is away: serve from the database, keep nothing.
      if (!looked) return
      const [cached, counters] = looked
      const current = new Map(models.map((model, i) => [model, counters[i]!]))
      const entry = cached === undefined ? undefined : (JSON.parse(cached) as Entry)
      if (entry && Object.entries(entry.versions).every(([model, v]) => current.get(model) === v)) {
        operation.answer({ data: entry.data } as ExecutionResult)
        return
      }
      const read = new Set<string>()
      context.database = recordingDatabase(context.database, (text) => {
        for (const model of tables.read(text)) read.add(model)
      })
      pending.set(operation, { kind: 'query', key, read, current })
    },
    async respond(operation) {
      const step = pending.get(operation)
      if (!step) return
      if (step.kind === 'mutation') {
        // Failing to invalidate (store away) leaves answers until their TTL; nothing else to do here.
        if (step.written.size > 0)
          await store.increment([...step.written].map(versionKey)).catch(() => undefined)
        return
      }
      const result = operation.result
      if (!result || Symbol.asyncIterator in result || result.errors?.length || !result.data) return
      const versions = Object.fromEntries(
        [...step.read].map((model) => [model, step.current.get(model) ?? 0]),
      )
      const value: Entry = { data: result.data, versions }
      // Not awaited: the answer is ready, and a slow or absent store must not delay it.
      void store.set(step.key, JSON.stringify(value), ttl).catch(() => undefined)
    },
  }
}

/**
 * Whether the operation selects, at any depth, a field whose `extensions.responseCache` is false
 * (its value is made for this caller and this very operation, like `rateLimit`).
 */
function selectsUncachedField(schema: GraphQLSchema, { document, definition }: PipelineOperation): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const node of document!.definitions)
    if (node.kind === Kind.FRAGMENT_DEFINITION) fragments.set(node.name.value, node)
  const seen = new Set<string>()
  const walk = (type: GraphQLNamedType | undefined | null, set: SelectionSetNode): boolean =>
    set.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) {
        const field =
          isObjectType(type) || isInterfaceType(type) ? type.getFields()[selection.name.value] : undefined
        if (field?.extensions['responseCache'] === false) return true
        return selection.selectionSet
          ? walk(field && getNamedType(field.type), selection.selectionSet)
          : false
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value
        return walk(condition ? schema.getType(condition) : type, selection.selectionSet)
      }
      const fragment = fragments.get(selection.name.value)
      if (!fragment || seen.has(fragment.name.value)) return false
      seen.add(fragment.name.value)
      return walk(schema.getType(fragment.typeCondition.name.value), fragment.selectionSet)
    })
  return walk(schema.getQueryType(), definition!.selectionSet)
}

/** The response cache plugin config `cache.responses` asks for: none unless `enabled`. */
export function responseCacheFromConfig(config: { cache: { responses: ResolvedResponseCache } }): Plugin[] {
  const { enabled, ...settings } = config.cache.responses
  return enabled ? [responseCache(settings)] : []
}
