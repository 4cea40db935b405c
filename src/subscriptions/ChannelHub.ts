import type { ChangeEvent } from './ChangeEvent.js'
import type { PubSubSubscription } from './PubSub.js'

/** Events a slow subscriber may have waiting before the oldest are dropped (memory stays bounded). */
const MAX_QUEUED = 10_000

/**
 * The in-process half every broker shares: which local subscribers listen to which channel, and
 * delivery of one event object to all of them. `onFirst`/`onLast` tell a broker when a channel
 * gains its first and loses its last local subscriber (to SUBSCRIBE/UNSUBSCRIBE upstream).
 */
export class ChannelHub {
  private readonly channels = new Map<string, Set<EventQueue>>()
  /** Each channel's upstream subscribe: later subscribers wait for (and fail with) the same one. */
  private readonly readiness = new Map<string, Promise<void>>()

  constructor(
    private readonly hooks: {
      onFirst?: (channel: string) => Promise<void>
      onLast?: (channel: string) => Promise<void>
    } = {},
  ) {}

  /** A new local subscription to `channel`. */
  subscribe(channel: string): PubSubSubscription {
    let queues = this.channels.get(channel)
    let ready = this.readiness.get(channel)
    if (!queues || !ready) {
      this.channels.set(channel, (queues = new Set()))
      ready = this.hooks.onFirst ? this.hooks.onFirst(channel) : Promise.resolve()
      this.readiness.set(channel, ready)
    }
    const set = queues
    // A failed upstream subscribe is reported through `ready`; never an unhandled rejection.
    ready.catch(() => {})
    const queue = new EventQueue(ready, () => {
      set.delete(queue)
      if (set.size === 0 && this.channels.get(channel) === set) {
        this.channels.delete(channel)
        this.readiness.delete(channel)
        void this.hooks.onLast?.(channel).catch(() => {})
      }
    })
    set.add(queue)
    return queue
  }

  /** Hands `event` to every local subscriber of `channel`. */
  deliver(channel: string, event: ChangeEvent): void {
    const queues = this.channels.get(channel)
    if (!queues) return
    for (const queue of queues) queue.push(event)
  }

  /** Channels with at least one local subscriber. */
  channelNames(): string[] {
    return [...this.channels.keys()]
  }

  /** Ends every local subscription. */
  endAll(): void {
    for (const queues of [...this.channels.values()]) for (const queue of [...queues]) void queue.return()
    this.channels.clear()
    this.readiness.clear()
  }

  /**
   * Ends every local subscription with `error` (after the events already queued): the broker
   * lost events, and a subscriber must learn it rather than wait for events that never come.
   */
  failAll(error: Error): void {
    for (const queues of [...this.channels.values()]) for (const queue of [...queues]) queue.fail(error)
    this.channels.clear()
    this.readiness.clear()
  }
}

/** A pull-based queue of events with at most one waiting reader. */
class EventQueue implements PubSubSubscription {
  private readonly buffer: ChangeEvent[] = []
  private waiting:
    { resolve: (result: IteratorResult<ChangeEvent>) => void; reject: (error: Error) => void } | undefined
  private done = false
  /** Thrown by the read after the last queued event (see {@link ChannelHub.failAll}). */
  private failure: Error | undefined

  constructor(
    readonly ready: Promise<void>,
    private readonly onEnd: () => void,
  ) {}

  push(event: ChangeEvent): void {
    if (this.done) return
    if (this.waiting) {
      const { resolve } = this.waiting
      this.waiting = undefined
      resolve({ value: event, done: false })
      return
    }
    if (this.buffer.length >= MAX_QUEUED) this.buffer.shift()
    this.buffer.push(event)
  }

  next(): Promise<IteratorResult<ChangeEvent>> {
    const event = this.buffer.shift()
    if (event !== undefined) return Promise.resolve({ value: event, done: false })
    if (this.failure) {
      const failure = this.failure
      this.failure = undefined
      return Promise.reject(failure)
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true })
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }))
  }

  /** Ends the queue: queued events are still read, then the next read throws `error`. */
  fail(error: Error): void {
    if (this.done) return
    this.done = true
    if (this.waiting) {
      this.waiting.reject(error)
      this.waiting = undefined
    } else {
      this.failure = error
    }
    this.onEnd()
  }

  return(): Promise<IteratorResult<ChangeEvent>> {
    this.failure = undefined
    if (!this.done) {
      this.done = true
      this.buffer.length = 0
      this.waiting?.resolve({ value: undefined, done: true })
      this.waiting = undefined
      this.onEnd()
    }
    return Promise.resolve({ value: undefined, done: true })
  }

  [Symbol.asyncIterator](): this {
    return this
  }
}
