import type { Queryable } from '../database/index.js'
import type { Model } from '../models/index.js'

/** What a mutation does to its rows. */
export type MutationOperation = 'create' | 'update' | 'delete' | 'restore'

/** A field error a hook adds; it ends up in the payload's `errors` and rolls the mutation back. */
export interface HookFieldError {
  /** The GraphQL input field concerned, or null for the whole input. */
  field: string | null
  message: string
  /** A code for clients; `INVALID_VALUE` when absent. */
  code?: string
  /** For bulk calls: the index of the input concerned. */
  index?: number
}

/**
 * What `beforeMutation` and `afterMutation` receive (like Django's pre_save / post_save / pre_delete
 * signals). Both run inside the mutation's transaction: queries through `tx` see and join its
 * writes, and an error added or thrown here rolls everything back.
 */
export interface MutationEvent {
  /** The model written. */
  model: Model
  /** Its GraphQL type name. */
  typeName: string
  operation: MutationOperation
  /** True for `bulkCreate…`, `bulkUpdate…`, `bulkDelete…`. */
  bulk: boolean
  /**
   * Column values about to be written, keyed by the model's property keys: one entry per created
   * row; for an update, the patch (one entry, applied to every row in `pks`). Before-hooks may
   * change them (write-only passwords are already hashed here).
   */
  values: Array<Record<string, unknown>>
  /** Primary keys (as text) of the rows concerned; empty before a create. */
  pks: string[]
  /** After-hooks: the rows as written (RETURNING *), keyed by property key; empty before. */
  rows: Array<Record<string, unknown>>
  /** The transaction the mutation runs in; use it, never the database, for queries. */
  tx: Queryable
  /** The GraphQL context of the operation (a RequestContext over HTTP). */
  context: unknown
  /** Adds a field error: the mutation fails with it (after every hook of this phase ran). */
  addError(error: HookFieldError): void
  /** Stops the mutation now with an `ABORTED` payload error carrying `message`. */
  abort(message: string): never
}

/** Thrown by {@link MutationEvent.abort}; the mutations stage turns it into an ABORTED payload error. */
export class MutationAborted extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MutationAborted'
  }
}

/** The lifecycle hooks of a plugin (part of `Plugin`). */
export interface MutationHooks {
  /** Runs inside a mutation's transaction before it writes; may change values, add errors or abort. */
  beforeMutation?(event: MutationEvent): void | Promise<void>
  /** Runs inside a mutation's transaction after it wrote; may add errors or abort (rolling back). */
  afterMutation?(event: MutationEvent): void | Promise<void>
}

/**
 * Runs every plugin's `beforeMutation` or `afterMutation` hook in plugin order, awaiting each, so
 * a later hook sees what an earlier one changed in `event.values`.
 */
export async function runMutationHooks(
  plugins: readonly MutationHooks[],
  phase: 'before' | 'after',
  event: MutationEvent,
): Promise<void> {
  for (const plugin of plugins) {
    const hook = phase === 'before' ? plugin.beforeMutation : plugin.afterMutation
    if (hook) await hook.call(plugin, event)
  }
}

/** True when some plugin has a hook for `phase`, so callers can skip building events. */
export function hasMutationHooks(plugins: readonly MutationHooks[], phase: 'before' | 'after'): boolean {
  return plugins.some((p) => (phase === 'before' ? p.beforeMutation : p.afterMutation) !== undefined)
}
