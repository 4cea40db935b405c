import { AutoGenError, ErrorCodes } from '../errors.js'
import { createRedisClient } from '../redisClient.js'
import type { FailFastRedis } from '../redisClient.js'
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
 * Both connections are the shared fail-fast ones (src/redisClient.ts).
 */
export function redisPubSub(url: string): PubSub {
  let publisher: FailFastRedis | undefined
  let subscriber: FailFastRedis | undefined
  const subscriberConnection = (): FailFastRedis => {
    if (!subscriber) {
      // Subscriptions are ended when the connection drops, so there is nothing to resubscribe.
      subscriber = createRedisClient(url, { subscriber: true, onLost: () => hub.failAll(brokerLost()) })
      subscriber.redis.on('message', (channel: string, message: string) => {
        const event = parseEvent(message)
        if (event) hub.deliver(channel, event)
      })
    }
    return subscriber
  }
  const hub = new ChannelHub({
    onFirst: async (channel) => {
      await run(subscriberConnection(), (redis) => redis.subscribe(channel))
    },
    onLast: async (channel) => {
      // A dropped connection holds no subscriptions any more; it is not worth a command.
      if (subscriber && !subscriber.lost) await subscriber.redis.unsubscribe(channel)
    },
  })
  return {
    async publish(channel: string, event: ChangeEvent) {
      publisher ??= createRedisClient(url)
      await run(publisher, (redis) => redis.publish(channel, JSON.stringify(event)))
    },
    subscribe: (channel) => hub.subscribe(channel),
    async close() {
      hub.endAll()
      await Promise.all([publisher?.close(), subscriber?.close()])
    },
  }
}

/** Runs a broker command; any failure (Redis away, breaker open) is SERVICE_UNAVAILABLE. */
async function run<T>(
  connection: FailFastRedis,
  command: (redis: FailFastRedis['redis']) => Promise<T>,
): Promise<T> {
  try {
    return await connection.run(command)
  } catch {
    throw brokerUnavailable()
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
