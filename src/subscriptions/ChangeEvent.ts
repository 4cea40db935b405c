/** What happened to a row, as subscribers see it (`userCreated`, `userUpdated`, `userDeleted`). */
export type ChangeOperation = 'created' | 'updated' | 'deleted'

/** Every change operation, in the order the Subscription type lists them. */
export const CHANGE_OPERATIONS: readonly ChangeOperation[] = ['created', 'updated', 'deleted']

/**
 * One committed change of one row. It carries keys, not data: each subscriber re-reads the row
 * with its own selection and permissions, so an event never shows more than its reader may see.
 * A deleted row can no longer be read, so `deleted` events carry the row's last known column
 * values (exposed columns only, keyed by SQL column name) for filters and row policies.
 */
export interface ChangeEvent {
  /** The model's name in config (`users`). */
  model: string
  op: ChangeOperation
  /** The row's key text (naming's `encodeKeyText`: the value, or a JSON array for a composite key). */
  pk: string
  /** `deleted` only: the last known values; absent when they did not fit a NOTIFY payload. */
  row?: Record<string, unknown>
}

/** The logical channel of one model's operation: `<prefix>:<model>:<op>`. */
export function channelFor(prefix: string, model: string, op: ChangeOperation): string {
  return `${prefix}:${model}:${op}`
}

/** Whether a parsed message is a well-formed change event (messages from other processes are checked). */
export function isChangeEvent(value: unknown): value is ChangeEvent {
  if (typeof value !== 'object' || value === null) return false
  const event = value as Partial<ChangeEvent>
  return (
    typeof event.model === 'string' &&
    typeof event.pk === 'string' &&
    (CHANGE_OPERATIONS as readonly unknown[]).includes(event.op) &&
    (event.row === undefined || (typeof event.row === 'object' && event.row !== null))
  )
}
