import type { DocumentNode, ExecutionArgs } from 'graphql'
import type { Plugin as YogaPlugin } from 'graphql-yoga'
import type { RequestContext } from '../plugins/index.js'
import { fastRead } from '../schema/index.js'
import { rawResult } from './rawResult.js'

/**
 * Where each operation's context records which path answered it: `'fast'`, or why graphql-js
 * executed it (for tests and debugging; see {@link fastPathPlugin}).
 */
export const FAST_PATH_STATE = 'graphql-auto-gen:fastPath'

/** Where the fast path records the operations it answered (the server's direct lane). */
export interface LaneMemory {
  remember(source: string, document: DocumentNode, operationName: string | null | undefined): void
}

/**
 * The fast path (config `performance.enableAutomaticOptimization`): when every field of a query
 * is compiled SQL, the database's JSON text is sent as `data` without graphql-js parsing and
 * re-walking it (see schema/fastRead.ts). It replaces only the execute step and is the first
 * plugin to do so: every other plugin's onExecute still runs before anything executes
 * (authentication, cost, page-size and rate limits may refuse), wrappers set later wrap it, and
 * later hooks (extensions.cost, error codes, headers, logs) see its result. Anything the fast
 * path cannot answer identically runs graphql-js.
 */
export function fastPathPlugin(lane?: LaneMemory): YogaPlugin<Record<string, unknown>> {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(async (args: ExecutionArgs) => {
        const context = args.contextValue as
          (Partial<RequestContext> & { params?: { query?: unknown } }) | undefined
        const state = context?.state
        // The direct lane already tried the fast path for this operation and handed it over.
        if (typeof state?.[FAST_PATH_STATE] === 'string' && state[FAST_PATH_STATE] !== 'fast')
          return executeFn(args)
        const outcome = await fastRead(args)
        if ('data' in outcome) {
          if (state) state[FAST_PATH_STATE] = 'fast'
          const source = context?.params?.query
          if (lane && typeof source === 'string') lane.remember(source, args.document, args.operationName)
          return rawResult(outcome.data)
        }
        if (state) state[FAST_PATH_STATE] = outcome.fallback
        return executeFn(args)
      })
    },
  }
}
