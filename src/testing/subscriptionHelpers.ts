// Test helpers for subscriptions (never part of the build): the shop config with subscriptions, row policies and a simple
// authenticate function, and a graphql-ws client that records what it receives.
import { randomBytes } from 'node:crypto'
import type { GraphQLSchema } from 'graphql'
import { createClient } from 'graphql-ws'
import type { Client } from 'graphql-ws'
import WebSocket from 'ws'
import type { AuthUser, RowPolicy } from '../auth/index.js'
import type { SubscriptionsOptions } from '../config/index.js'
import type { UserConfig } from '../schema/index.js'
import type { ModelOptions } from '../models/index.js'
import { getSchemaRuntime } from '../schema/index.js'
import { shopConfig } from './shopFixture.js'

/** A channel prefix no other test run uses, so parallel files never see each other's events. */
export function uniquePrefix(): string {
  return `t_${randomBytes(6).toString('hex')}`
}

/** A customer sees their own user and orders; staff see everything; anonymous callers nothing. */
const own =
  (path: (id: string) => Record<string, unknown>): RowPolicy =>
  (user: AuthUser) =>
    user.isStaff ? true : user.id === null ? false : path(user.id)

/**
 * The shop config with subscriptions on and row policies on users and orders. Callers
 * authenticate with `Authorization: User <id>` (or `Staff <id>`), through `security.authenticate`.
 */
export function subscriptionConfig(
  subscriptions: SubscriptionsOptions,
  security: UserConfig['security'] = {},
): UserConfig {
  const policies: Record<string, RowPolicy> = {
    users: own((id) => ({ pk: { exact: id } })),
    orders: own((id) => ({ user: { pk: { exact: id } } })),
  }
  const models = Object.fromEntries(
    Object.entries(shopConfig.models as Record<string, ModelOptions | ModelOptions['table']>).map(
      ([name, input]) => {
        const options: ModelOptions =
          'table' in input && !('getSQL' in input)
            ? { ...(input as ModelOptions) }
            : { table: input as ModelOptions['table'] }
        if (policies[name]) options.rowPolicy = policies[name]
        return [name, options]
      },
    ),
  )
  return {
    ...shopConfig,
    models,
    subscriptions: { enabled: true, ...subscriptions },
    security: {
      authenticate: (request: Request) => {
        const match = /^(User|Staff) (\d+)$/.exec(request.headers.get('authorization') ?? '')
        return match ? { id: match[2]!, isStaff: match[1] === 'Staff' } : null
      },
      ...security,
    },
  }
}

/** What one subscription received. */
export interface Received {
  data: Array<Record<string, unknown>>
  errors: unknown[]
  completed: boolean
  /** Resolves once `count` results arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<void>
  dispose(): void
}

/** Subscribes `client` to `query` and records every result. */
export function record(client: Client, query: string, variables?: Record<string, unknown>): Received {
  const received: Received = {
    data: [],
    errors: [],
    completed: false,
    waitFor: (count, timeoutMs = 10_000) =>
      waitUntil(
        () => received.data.length >= count || received.errors.length > 0 || received.completed,
        timeoutMs,
      ).then(() => {
        if (received.data.length < count) {
          throw new Error(
            `expected ${count} results, got ${received.data.length}: ${JSON.stringify(received.errors)}`,
          )
        }
      }),
    dispose: () => {},
  }
  received.dispose = client.subscribe(
    { query, ...(variables ? { variables } : {}) },
    {
      next: (result) => {
        if (result.errors) received.errors.push(...result.errors)
        if (result.data) received.data.push(result.data as Record<string, unknown>)
      },
      error: (error) => received.errors.push(error),
      complete: () => (received.completed = true),
    },
  )
  return received
}

/** A graphql-ws client for `url` (http:// → ws://) that never retries, so refusals surface. */
export function wsClient(url: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    ...(connectionParams ? { connectionParams } : {}),
  })
}

/** Polls `predicate` every 10 ms until it holds. */
export async function waitUntil(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Waits until the schema's change feed holds `count` open subscriptions (so events reach them). */
export function waitForSubscribers(schema: GraphQLSchema, count: number): Promise<void> {
  const feed = getSchemaRuntime(schema).changes!
  return waitUntil(() => feed.active >= count)
}

/** Waits `ms` (to show that nothing more arrives). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
