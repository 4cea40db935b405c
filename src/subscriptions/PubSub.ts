import type { ChangeEvent } from './ChangeEvent.js'

/** One subscriber's stream of a channel's events; `return()` ends it and frees the channel. */
export interface PubSubSubscription extends AsyncIterableIterator<ChangeEvent> {
  /** Resolves once events published from now on are sure to arrive (the broker acknowledged). */
  readonly ready: Promise<void>
  return(): Promise<IteratorResult<ChangeEvent>>
}

/**
 * The one small interface every broker implements: in-memory (one process), Redis (several
 * instances) and PostgreSQL LISTEN/NOTIFY. Every local subscriber of a channel receives the SAME
 * event object, which is what lets re-reads be shared per event.
 */
export interface PubSub {
  /** Sends `event` to every subscriber of `channel` in every instance. */
  publish(channel: string, event: ChangeEvent): Promise<void>
  /** Starts receiving `channel`'s events (buffered until read). */
  subscribe(channel: string): PubSubSubscription
  /** Ends every subscription and releases connections. */
  close(): Promise<void>
}
