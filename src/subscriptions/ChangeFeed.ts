import type { ResolvedConfig } from '../config/index.js'
import type { Database } from '../database/index.js'
import { ConfigError } from '../errors.js'
import type { Model } from '../models/index.js'
import type { SchemaNames } from '../naming/index.js'
import { channelFor } from './ChangeEvent.js'
import type { ChangeEvent, ChangeOperation } from './ChangeEvent.js'
import { dropDatabaseTriggers, installDatabaseTriggers } from './databaseTriggers.js'
import { memoryPubSub } from './memoryPubSub.js'
import { postgresPubSub } from './postgresPubSub.js'
import type { PubSub, PubSubSubscription } from './PubSub.js'
import { redisPubSub } from './redisPubSub.js'

/** Rows one committed mutation changed (structurally the mutations stage's CommittedChange). */
export interface RowChanges {
  model: Model
  operation: 'create' | 'update' | 'delete' | 'restore'
  pks: string[]
  /** Deletes: the rows' last values keyed by column name, in `pks` order. */
  rows?: Array<Record<string, unknown>>
}

/** A schema's change events: what mutations publish and subscription fields read. */
export interface ChangeFeed {
  readonly pubsub: PubSub
  /** Publishes one event per changed row (nothing when database triggers publish instead). */
  publishChanges(changes: readonly RowChanges[]): Promise<void>
  /** A subscription to one model's operation; counted in `active` until it ends. */
  subscribe(model: string, op: ChangeOperation): PubSubSubscription
  /** Subscriptions open in this process whose broker subscription is confirmed. */
  readonly active: number
  /** Ends every subscription and releases the broker's connections. */
  close(): Promise<void>
}

/** The subscriptions settings. */
export type SubscriptionSettings = ResolvedConfig['subscriptions']

/**
 * The change feed `settings` describe, or undefined when subscriptions are off. The broker
 * connects lazily (nothing opens until the first publish or subscribe).
 */
export function createChangeFeed(options: {
  settings: SubscriptionSettings
  database: Database
  names: SchemaNames
  /** Explicit broker (tests, custom brokers); otherwise made from `settings.pubsub`. */
  pubsub?: PubSub
}): ChangeFeed | undefined {
  const { settings, database, names } = options
  if (!settings.enabled) return undefined
  if (settings.databaseTriggers && settings.pubsub !== 'postgres') {
    throw new ConfigError(
      `subscriptions.databaseTriggers needs subscriptions.pubsub: 'postgres' (got '${settings.pubsub}').`,
      {
        path: 'subscriptions.databaseTriggers',
      },
    )
  }
  const prefix = settings.channelPrefix
  const pubsub = options.pubsub ?? makePubSub(settings, database, names)
  // With triggers, every write (the API's too) NOTIFYs from inside its transaction.
  const triggersPublish = settings.pubsub === 'postgres' && settings.databaseTriggers
  let active = 0
  return {
    pubsub,
    async publishChanges(changes) {
      if (triggersPublish) return
      const sends: Array<Promise<void>> = []
      for (const change of changes) {
        const op = OPERATION_EVENTS[change.operation]
        const channel = channelFor(prefix, change.model.name, op)
        change.pks.forEach((pk, index) => {
          const event: ChangeEvent = { model: change.model.name, op, pk }
          const row = change.rows?.[index]
          if (op === 'deleted' && row) event.row = exposedValues(change.model, row)
          sends.push(pubsub.publish(channel, event))
        })
      }
      await Promise.all(sends)
    },
    subscribe(model, op) {
      const source = pubsub.subscribe(channelFor(prefix, model, op))
      // Counted once the broker confirmed it, so `active` means "events published now arrive".
      let state: 'pending' | 'counted' | 'ended' = 'pending'
      source.ready.then(
        () => {
          if (state !== 'pending') return
          state = 'counted'
          active++
        },
        () => {},
      )
      const stop = source.return.bind(source)
      return Object.assign(source, {
        return: () => {
          if (state === 'counted') active--
          state = 'ended'
          return stop()
        },
      })
    },
    get active() {
      return active
    },
    close: () => pubsub.close(),
  }
}

const OPERATION_EVENTS: Record<RowChanges['operation'], ChangeOperation> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  // A restored row is back in every read: to subscribers, an existing row changed.
  restore: 'updated',
}

function makePubSub(settings: SubscriptionSettings, database: Database, names: SchemaNames): PubSub {
  switch (settings.pubsub) {
    case 'memory':
      return memoryPubSub()
    case 'redis':
      return redisPubSub(settings.redisUrl ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379')
    case 'postgres': {
      const notifyChannel = settings.channelPrefix
      return postgresPubSub({
        database,
        notifyChannel,
        // Triggers off: drop any a previous run installed, or every API mutation (published by
        // the API and NOTIFYed again by the trigger) would reach subscribers twice.
        beforeListen: settings.databaseTriggers
          ? () =>
              installDatabaseTriggers(database, names.models.values(), {
                notifyChannel,
                prefix: settings.channelPrefix,
              })
          : () => dropDatabaseTriggers(database, names.models.values()),
      })
    }
  }
}

/**
 * A deleted row's values as an event carries them: exposed columns only (never password hashes
 * or hidden columns, which travel through the broker), keyed by column name.
 */
function exposedValues(model: Model, row: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const field of model.fields) {
    if (field.hidden || field.writeOnly) continue
    const value = row[field.column]
    if (value !== undefined && !(value instanceof Uint8Array)) values[field.column] = value
  }
  return values
}
