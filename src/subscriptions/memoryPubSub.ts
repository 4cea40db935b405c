import type { ChangeEvent } from './ChangeEvent.js'
import { ChannelHub } from './ChannelHub.js'
import type { PubSub } from './PubSub.js'

/** The default broker: one process, no network; every subscriber gets the published object itself. */
export function memoryPubSub(): PubSub {
  const hub = new ChannelHub()
  return {
    async publish(channel: string, event: ChangeEvent) {
      hub.deliver(channel, event)
    },
    subscribe: (channel) => hub.subscribe(channel),
    async close() {
      hub.endAll()
    },
  }
}
