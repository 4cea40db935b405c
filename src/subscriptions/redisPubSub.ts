import { Redis } from 'ioredis'
import type { RedisOptions } from 'ioredis'
import { AutoGenError, ErrorCodes } from '../errors.js'
import type { ChangeEvent } from './ChangeEvent.js'
import { isChangeEvent } from './ChangeEvent.js'
import { ChannelHub } from './ChannelHub.js'
import type { PubSub } from './PubSub.js'

/**
 * A broker over Redis PUBLISH/SUBSCRIBE, so a mutation served by one instance reaches subscribers
 * connected to any other. Two connections (a subscribing connection cannot publish), both opened
 * on first use; a channel is SUBSCRIBEd while it has local subscribers. Each message is parsed
 * once and the same event object goes to every local subscriber.
 *
 * Redis away (docs/operations.md): events published meanwhile are lost, so when the subscribing
 * connection drops every local subscription ends with SERVICE_UNAVAILABLE (subscribe again, and
 * refetch); new subscriptions and publishes fail fast with SERVICE_UNAVAILABLE until ioredis has
 * reconnected (it retries every 2 s at most), and nothing is resubscribed behind the clients' backs.
 */
export function redisPubSub(url: string): PubSub {
  const options = { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true }
  let publisher: Connection | undefined
  let subscriber: Connection | undefined
  const subscriberConnection = (): Connection => {
    if (!subscriber) {
      // Subscriptions are ended when the connection drops, so there is nothing to resubscribe.
      subscriber = connect(url, { ...options, autoResubscribe: false }, () => hub.failAll(brokerLost()))
      subscriber.redis.on('message', (channel: string, message: string) => {
        const event = parseEvent(message)
        if (event) hub.deliver(channel, event)
      })
    }
    return subscriber
  }
  const hub = new ChannelHub({
    onFirst: async (channel) => {
      await subscriberConnection().run((redis) => redis.subscribe(channel))
    },
    onLast: async (channel) => {
      // A dropped connection holds no subscriptions any more; it is not worth a command.
      if (subscriber && !subscriber.lost) await subscriber.redis.unsubscribe(channel)
    },
  })
  return {
    async publish(channel: string, event: ChangeEvent) {
      publisher ??= connect(url, options)
      await publisher.run((redis) => redis.publish(channel, JSON.stringify(event)))
    },
    subscribe: (channel) => hub.subscribe(channel),
    async close() {
      hub.endAll()
      await Promise.all(
        [publisher, subscriber].map((connection) => connection && closeConnection(connection.redis)),
      )
    },
  }
}

/** An ioredis connection that knows whether it lost its server since it was last ready. */
interface Connection {
  readonly redis: Redis
  /** True from a drop (or a failed attempt to connect) until the connection is ready again. */
  readonly lost: boolean
  /** Runs a command; fails fast while `lost`, and any failure is SERVICE_UNAVAILABLE. */
  run<T>(command: (redis: Redis) => Promise<T>): Promise<T>
}

function connect(url: string, options: RedisOptions, onLost?: () => void): Connection {
  const redis = new Redis(url, options)
  let ready = false
  let lost = false
  // Connection errors surface through the commands that fail; unhandled, the event would crash.
  redis.on('error', () => {})
  redis.on('ready', () => {
    ready = true
    lost = false
  })
  // Any close (a drop, or a failed connection attempt) means "away until ready again".
  redis.on('close', () => {
    lost = true
    if (!ready) return
    ready = false
    onLost?.()
  })
  return {
    redis,
    get lost() {
      return lost
    },
    async run(command) {
      // While Redis is away, ioredis would hold each command through several reconnects.
      if (lost) throw brokerUnavailable()
      try {
        return await command(redis)
      } catch {
        throw brokerUnavailable()
      }
    },
  }
}

function brokerUnavailable(): AutoGenError {
  return new AutoGenError(
    ErrorCodes.SERVICE_UNAVAILABLE,
    'The subscription broker (Redis) is unavailable; retry shortly.',
    { reason: 'brokerUnavailable' },
  )
}

function brokerLost(): AutoGenError {
  return new AutoGenError(
    ErrorCodes.SERVICE_UNAVAILABLE,
    'The connection to the subscription broker (Redis) was lost and events may have been missed: subscribe again (and refetch what you show).',
    { reason: 'brokerLost' },
  )
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
