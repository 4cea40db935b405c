// Drives a GraphQL server with N concurrent keep-alive connections (one request at a time each,
// like autocannon's connections) and records every outcome, so tests can check status codes,
// error codes and, for creates, that what the server said it wrote is in the database.
import { encodeGlobalId } from '../../src/naming/index.js'

/** One operation of the mix: the request body for a unique marker, and the pk it created, if any. */
export interface LoadOperation {
  name: string
  body(marker: string): { query: string; variables?: Record<string, unknown> }
  /** The created row's pk from a successful response's `data` (creates only). */
  created?(data: Record<string, unknown>): string | undefined
}

/** What one request returned. */
export interface LoadOutcome {
  operation: string
  marker: string
  /** HTTP status; 0 when the request failed at the network level (see `networkError`). */
  status: number
  networkError?: string
  /** True when the status is 200, the body has no `errors`, and a create reported success. */
  ok: boolean
  /** `extensions.code` of every error, and of every payload error of a mutation. */
  codes: string[]
  /** `extensions.reason` of errors that carry one. */
  reasons: string[]
  /** For a successful create, the pk of the new row. */
  createdPk?: string
  startedAt: number
  endedAt: number
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  url: string
  connections: number
  operations: readonly LoadOperation[]
  /** Workers stop once this returns true (checked before each request). */
  done(): boolean
  /** Pause after a failed request, so an outage does not turn the workers into a busy loop. */
  pauseAfterFailureMs?: number
  /** Called for each outcome as it arrives (to wait for phases of a fault test). */
  onOutcome?(outcome: LoadOutcome): void
}

/**
 * Runs `connections` workers until `done()`; worker w sends operations w, w+1, … of the mix in
 * turn, so every run sends the same interleaving. Resolves with every outcome.
 */
export async function runLoad(options: LoadOptions): Promise<LoadOutcome[]> {
  const outcomes: LoadOutcome[] = []
  const run = `${process.pid}-${Date.now().toString(36)}`
  const worker = async (index: number): Promise<void> => {
    for (let sequence = 0; !options.done(); sequence++) {
      const operation = options.operations[(index + sequence) % options.operations.length]!
      const outcome = await send(options.url, operation, `${run}-${index}-${sequence}`)
      outcomes.push(outcome)
      options.onOutcome?.(outcome)
      if (!outcome.ok && options.pauseAfterFailureMs) {
        await new Promise((resolve) => setTimeout(resolve, options.pauseAfterFailureMs))
      }
    }
  }
  await Promise.all(Array.from({ length: options.connections }, (_, index) => worker(index)))
  return outcomes
}

async function send(url: string, operation: LoadOperation, marker: string): Promise<LoadOutcome> {
  const startedAt = performance.now()
  const base = { operation: operation.name, marker, startedAt }
  let response: Response
  let text: string
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(operation.body(marker)),
    })
    text = await response.text()
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    return {
      ...base,
      status: 0,
      networkError: cause?.code ?? cause?.message ?? String(error),
      ok: false,
      codes: [],
      reasons: [],
      endedAt: performance.now(),
    }
  }
  const endedAt = performance.now()
  let body: {
    data?: Record<string, unknown> | null
    errors?: Array<{ extensions?: Record<string, unknown> }>
  }
  try {
    body = JSON.parse(text) as typeof body
  } catch {
    return { ...base, status: response.status, ok: false, codes: ['<not JSON>'], reasons: [], endedAt }
  }
  const errors = body.errors ?? []
  const codes = errors.map((e) => String(e.extensions?.['code']))
  const reasons = errors.flatMap((e) => (e.extensions?.['reason'] ? [String(e.extensions['reason'])] : []))
  const payloadCodes = payloadErrorCodes(body.data)
  codes.push(...payloadCodes)
  const createdPk = errors.length === 0 && body.data ? operation.created?.(body.data) : undefined
  const ok =
    response.status === 200 &&
    codes.length === 0 &&
    body.data !== null &&
    body.data !== undefined &&
    (operation.created === undefined || createdPk !== undefined)
  return {
    ...base,
    status: response.status,
    ok,
    codes,
    reasons,
    ...(createdPk !== undefined ? { createdPk } : {}),
    endedAt,
  }
}

/** Codes of `errors` in mutation payloads (`{ createX: { success, errors } }`). */
function payloadErrorCodes(data: Record<string, unknown> | null | undefined): string[] {
  if (!data) return []
  const codes: string[] = []
  for (const value of Object.values(data)) {
    const errors = (value as { errors?: Array<{ code?: string }> } | null)?.errors
    if (Array.isArray(errors)) for (const error of errors) codes.push(String(error.code))
  }
  return codes
}

/**
 * The shop mix: three reads of different shapes (nested to-many, filtered and ordered with
 * totalCount, to-one chains) and two creates whose rows carry the request's marker.
 * `userIds` are pks of existing users (orders need one).
 */
export function shopOperations(userPks: readonly string[]): LoadOperation[] {
  return [
    {
      name: 'usersWithOrders',
      body: () => ({
        query: '{ users(first: 5) { nodes { id username orders(first: 3) { nodes { id status total } } } } }',
      }),
    },
    {
      name: 'createOrder',
      body: (marker) => ({
        query:
          'mutation ($input: CreateOrderInput!) { createOrder(input: $input) { success errors { field code message } order { pk note total } } }',
        variables: {
          input: {
            userId: encodeGlobalId('User', userPks[hash(marker) % userPks.length]!),
            total: '12.34',
            note: marker,
          },
        },
      }),
      created: (data) => pkOf(data, 'createOrder', 'order'),
    },
    {
      name: 'productsFiltered',
      body: () => ({
        query:
          '{ products(first: 10, filter: { price: { gte: "10" } }, orderBy: [{ price: DESC }]) { totalCount nodes { id name price category { name } } } }',
      }),
    },
    {
      name: 'createTag',
      body: (marker) => ({
        query:
          'mutation ($input: CreateTagInput!) { createTag(input: $input) { success errors { field code message } tag { pk name } } }',
        variables: { input: { name: marker } },
      }),
      created: (data) => pkOf(data, 'createTag', 'tag'),
    },
    {
      name: 'ordersWithItems',
      body: () => ({
        query:
          '{ orders(first: 5) { nodes { id status user { username profile { firstName } } items(first: 3) { nodes { quantity product { name } } } } } }',
      }),
    },
  ]
}

function pkOf(data: Record<string, unknown>, field: string, node: string): string | undefined {
  const payload = data[field] as { success?: boolean } & Record<string, { pk?: unknown } | null | undefined>
  const pk = payload?.success ? payload[node]?.pk : undefined
  return pk === undefined || pk === null ? undefined : String(pk)
}

function hash(text: string): number {
  let value = 0
  for (const character of text) value = (value * 31 + character.charCodeAt(0)) >>> 0
  return value
}
