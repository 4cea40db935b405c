import type { ChangeEvent } from './ChangeEvent.js'
import type { PubSubSubscription } from './PubSub.js'

/** Yielded in place of a payload when reading it failed; the field resolver throws `error`. */
export class DeliveryFailure {
  constructor(readonly error: unknown) {}
}

/**
 * One subscriber's payloads: each event is turned into a payload by `read` (a re-read with the
 * subscriber's selection and permissions); events that read as null (filtered out, not visible)
 * are skipped. Written by hand rather than as an async generator, because a generator's
 * `return()` waits for its pending `await`: a client that unsubscribes would hang until the next
 * event. Here `return()` ends the source at once. `refusal`, checked at each event, ends the
 * stream with one last payload carrying its error when it returns one (an expired token).
 */
export function filteredStream(
  source: PubSubSubscription,
  read: (event: ChangeEvent) => Promise<unknown>,
  onEnd: () => void,
  refusal?: () => Error | undefined,
): AsyncIterableIterator<unknown> {
  let ended = false
  const end = async (): Promise<IteratorResult<unknown>> => {
    if (!ended) {
      ended = true
      onEnd()
      await source.return()
    }
    return { value: undefined, done: true }
  }
  return {
    async next(): Promise<IteratorResult<unknown>> {
      for (;;) {
        let next: IteratorResult<ChangeEvent>
        try {
          next = await source.next()
        } catch (error) {
          // The source ended with an error (its broker lost events): one last payload reports it,
          // then the stream ends, so the client learns to subscribe again instead of waiting.
          if (ended) return end()
          void end()
          return { value: new DeliveryFailure(error), done: false }
        }
        if (next.done || ended) return end()
        const refused = refusal?.()
        if (refused) {
          void end()
          return { value: new DeliveryFailure(refused), done: false }
        }
        try {
          const payload = await read(next.value)
          if (payload !== null && payload !== undefined) return { value: payload, done: false }
        } catch (error) {
          return { value: new DeliveryFailure(error), done: false }
        }
      }
    },
    return: end,
    async throw(error: unknown): Promise<IteratorResult<unknown>> {
      await end()
      throw error
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}
