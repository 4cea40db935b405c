import type { Database } from '../database/index.js'
import { AutoGenError, ConfigError, ErrorCodes } from '../errors.js'
import type { ChangeEvent } from './ChangeEvent.js'
import { isChangeEvent } from './ChangeEvent.js'
import { ChannelHub } from './ChannelHub.js'
import type { PubSub } from './PubSub.js'

/** NOTIFY payloads must stay under 8000 bytes; past this, a deleted row's values are left out. */
export const MAX_NOTIFY_BYTES = 7_900

/**
 * A broker over PostgreSQL LISTEN/NOTIFY (PGlite included): one NOTIFY channel per prefix carries
 * `{ c: logical channel, e: event }`, published after commit by the API or from inside the
 * writing transaction by the opt-in triggers (see databaseTriggers.ts) — PostgreSQL delivers
 * either only once the transaction commits. `beforeListen` runs once before the first LISTEN
 * (it installs the triggers when they are enabled).
 *
 * PostgreSQL away (docs/operations.md): when the listening connection drops, every open
 * subscription ends with SERVICE_UNAVAILABLE (`reason: 'brokerLost'`: events may have been
 * missed) and the listener is closed; the next subscription LISTENs afresh, and is refused with
 * SERVICE_UNAVAILABLE (`brokerUnavailable`) while PostgreSQL cannot be reached.
 */
export function postgresPubSub(options: {
  database: Database
  notifyChannel: string
  beforeListen?: () => Promise<void>
}): PubSub {
  const { database, notifyChannel } = options
  if (!database.listen) {
    throw new ConfigError(
      `subscriptions.pubsub: 'postgres' needs a database that supports LISTEN (pg or PGlite).`,
      {
        path: 'subscriptions.pubsub',
      },
    )
  }
  const listen = database.listen.bind(database)
  let listening: Promise<() => Promise<void>> | undefined
  const lost = (current: Promise<() => Promise<void>>): void => {
    if (listening !== current) return
    listening = undefined
    hub.failAll(brokerLost())
    // Not reopened behind the subscribers' backs: the next subscription listens again.
    void current.then((stop) => stop()).catch(() => {})
  }
  const startListening = (): Promise<() => Promise<void>> => {
    const current: Promise<() => Promise<void>> = (async () => {
      await options.beforeListen?.()
      return listen(
        notifyChannel,
        (payload) => {
          const message = parseMessage(payload)
          if (message) hub.deliver(message.c, message.e)
        },
        () => lost(current),
      )
    })().catch((error: unknown) => {
      if (listening === current) listening = undefined
      if (error instanceof AutoGenError) throw error
      throw brokerUnavailable()
    })
    return current
  }
  const hub = new ChannelHub({
    onFirst: async () => {
      listening ??= startListening()
      await listening
    },
  })
  return {
    async publish(channel: string, event: ChangeEvent) {
      let payload = JSON.stringify({ c: channel, e: event })
      if (Buffer.byteLength(payload) > MAX_NOTIFY_BYTES && event.row) {
        const { row: _row, ...keys } = event
        payload = JSON.stringify({ c: channel, e: keys })
      }
      await database.query({ text: 'select pg_notify($1, $2)', values: [notifyChannel, payload] })
    },
    subscribe: (channel) => hub.subscribe(channel),
    async close() {
      hub.endAll()
      const stop = await listening?.catch(() => undefined)
      listening = undefined
      await stop?.()
    },
  }
}

function brokerUnavailable(): AutoGenError {
  return new AutoGenError(
    ErrorCodes.SERVICE_UNAVAILABLE,
    'The subscription broker (PostgreSQL LISTEN) is unavailable; retry shortly.',
    { reason: 'brokerUnavailable' },
  )
}

function brokerLost(): AutoGenError {
  return new AutoGenError(
    ErrorCodes.SERVICE_UNAVAILABLE,
    'The connection to the subscription broker (PostgreSQL LISTEN) was lost and events may have been missed: subscribe again (and refetch what you show).',
    { reason: 'brokerLost' },
  )
}

function parseMessage(payload: string): { c: string; e: ChangeEvent } | undefined {
  try {
    const value = JSON.parse(payload) as { c?: unknown; e?: unknown }
    return typeof value.c === 'string' && isChangeEvent(value.e) ? { c: value.c, e: value.e } : undefined
  } catch {
    return undefined
  }
}
