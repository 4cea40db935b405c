import { getOperationAST, print } from 'graphql'
import type { DocumentNode, ExecutionResult } from 'graphql'
import type { Plugin as YogaPlugin } from 'graphql-yoga'
import { userOf } from '../auth/index.js'
import type { ResolvedResponseCache } from '../config/index.js'
import type { ModelGraph } from '../models/index.js'
import { definePlugin } from '../plugins/index.js'
import type { Plugin, RequestContext } from '../plugins/index.js'
import type { CacheStore } from './CacheStore.js'
import { callerScope } from './callerScope.js'
import { memoryCacheStore } from './memoryCacheStore.js'
import { recordingDatabase } from './recordingDatabase.js'
import { redisCacheStore } from './redisCacheStore.js'
import { sha256, stableJson } from './stableJson.js'
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
 * is keyed by the document, operation name, variables and the caller's permission scope, so it is
 * never served across scopes (anonymous callers are one scope). Each answer remembers the
 * version of every model its SQL read; a mutation bumps the versions of the models it wrote (and
 * of those its foreign keys may cascade to) after it ran, so any instance sharing the store stops
 * serving those answers. Answers with errors are never kept; subscriptions are never cached.
 */
export function responseCache(settings: ResponseCacheSettings = {}): Plugin {
  const ttl = settings.ttlSeconds ?? 60
  const prefix = settings.keyPrefix ?? 'gag:rc'
  let graph: ModelGraph | undefined
  return definePlugin({
    name: RESPONSE_CACHE_PLUGIN,
    // Refusals (auth) and budgets (limits) apply to cached answers too.
    after: ['graphql-auto-gen:limits'],
    schema(_schema, context) {
      graph = context.graph
    },
    server() {
      if (!graph) throw new Error('The response cache plugin was not part of the schema build.')
      const store = storeOf(settings)
      return {
        yogaPlugins: [cachingPlugin({ store, ttl, prefix, graph })],
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
}

/** The graphql-yoga (envelop) plugin doing the work in `onExecute`. */
function cachingPlugin({ store, ttl, prefix, graph }: CachingOptions): YogaPlugin<Record<string, unknown>> {
  const tables = touchedModels(graph)
  const models = graph.models.map((m) => m.name)
  const versionKey = (model: string): string => `${prefix}:v:${model}`
  const documentHashes = new WeakMap<DocumentNode, string>()
  const documentHash = (document: DocumentNode): string => {
    let hash = documentHashes.get(document)
    // graphql-yoga caches parsed documents, so a repeated query text is the same object here.
    if (hash === undefined) documentHashes.set(document, (hash = sha256(print(document))))
    return hash
  }
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName)
      const context = args.contextValue as Partial<RequestContext>
      if (!operation || !context.database) return
      if (operation.operation === 'mutation') return invalidateAfter(context as RequestContext)
      if (operation.operation !== 'query') return
      const key = `${prefix}:e:${sha256(
        stableJson([
          documentHash(args.document),
          args.operationName ?? null,
          args.variableValues ?? {},
          callerScope(userOf(context)),
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
        setResultAndStopExecution({ data: entry.data } as ExecutionResult)
        return
      }
      const read = new Set<string>()
      context.database = recordingDatabase(context.database, (text) => {
        for (const model of tables.read(text)) read.add(model)
      })
      return {
        async onExecuteDone({ result }) {
          const single = result as ExecutionResult
          if (Symbol.asyncIterator in single || single.errors?.length || !single.data) return
          const versions = Object.fromEntries([...read].map((model) => [model, current.get(model) ?? 0]))
          const value: Entry = { data: single.data, versions }
          // Not awaited: the answer is ready, and a slow or absent store must not delay it.
          void store.set(key, JSON.stringify(value), ttl).catch(() => undefined)
        },
      }
    },
  }

  /** Records the models a mutation writes; bumps their versions once it has run (and committed). */
  function invalidateAfter(context: RequestContext) {
    const written = new Set<string>()
    context.database = recordingDatabase(context.database, (text) => {
      for (const model of tables.written(text)) for (const name of tables.affectedBy(model)) written.add(name)
    })
    return {
      async onExecuteDone() {
        if (written.size === 0) return
        // Failing to invalidate (store away) leaves answers until their TTL; nothing else to do here.
        await store.increment([...written].map(versionKey)).catch(() => undefined)
      },
    }
  }
}

/** The response cache plugin config `cache.responses` asks for: none unless `enabled`. */
export function responseCacheFromConfig(config: { cache: { responses: ResolvedResponseCache } }): Plugin[] {
  const { enabled, ...settings } = config.cache.responses
  return enabled ? [responseCache(settings)] : []
}
