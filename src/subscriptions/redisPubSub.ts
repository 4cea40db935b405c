import { Redis } from 'ioredis'
import type { ChangeEvent } from './ChangeEvent.js'
import { isChangeEvent } from './ChangeEvent.js'
import { ChannelHub } from './ChannelHub.js'
import type { PubSub } from './PubSub.js'

/**
 * A broker over Redis PUBLISH/SUBSCRIBE, so a mutation served by one instance reaches subscribers
 * connected to any other. Two connections (a subscribing connection cannot publish), both opened
 * on first use; a channel is SUBSCRIBEd while it has local subscribers. Each message is parsed
 * once and the same event object goes to every local subscriber.
 */
export function redisPubSub(url: string): PubSub {
  const options = { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true }
  let publisher: Redis | undefined
  let subscriber: Redis | undefined
  const subscriberConnection = (): Redis => {
    if (!subscriber) {
      subscriber = new Redis(url, options)
      // Connection errors surface through the commands that fail; unhandled, the event would crash.
      subscriber.on('error', () => {})
      subscriber.on('message', (channel: string, message: string) => {
        const event = parseEvent(message)
        if (event) hub.deliver(channel, event)
      })
    }
    return subscriber
  }
  const hub = new ChannelHub({
    onFirst: async (channel) => {
      await subscriberConnection().subscribe(channel)
    },
    onLast: async (channel) => {
      await subscriber?.unsubscribe(channel)
    },
  })
  return {
    async publish(channel: string, event: ChangeEvent) {
      if (!publisher) {
        publisher = new Redis(url, options)
        publisher.on('error', () => {})
      }
      await publisher.publish(channel, JSON.stringify(event))
    },
    subscribe: (channel) => hub.subscribe(channel),
    async close() {
      hub.endAll()
      await Promise.all(
        [publisher, subscriber].map((connection) => connection && closeConnection(connection)),
      )
    },
  }
}

function parseEvent(message: string): ChangeEvent | undefined {
  try {
    const value: unknown = JSON.parse(message)
    return isChangeEvent(value) ? value : undefined
  } catch {
    return undefined
  }
}

async function closeConnection(connection: Redis): Promise<void> {
  if (connection.status === 'ready') {
    await connection.quit().catch(() => connection.disconnect())
  } else {
    connection.disconnect()
  }
}
