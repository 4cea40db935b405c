import type { ExecutionResult } from 'graphql'

/** An execution result whose `data` is JSON text, and the stringifier that writes it as it is. */
export interface RawResult extends ExecutionResult {
  /** Serializes a result with this `data` (graphql-yoga, too, uses a result's own `stringify`). */
  stringify(result: ExecutionResult): string
}

/** What the `data` view holds: the text, its parse once someone looked, and whether it changed. */
interface RawData {
  text: string
  parsed: Record<string, unknown> | undefined
  changed: boolean
  /** The view itself (the result's `data` while nobody replaced it). */
  view: object | undefined
}

/**
 * Where a result keeps its raw data: a symbol key (JSON.stringify and for…in skip it; a spread
 * copy of the result keeps it), instead of a WeakMap entry per request.
 */
const RAW = Symbol('graphql-auto-gen:rawData')

const load = (raw: RawData): Record<string, unknown> =>
  (raw.parsed ??= JSON.parse(raw.text) as Record<string, unknown>)

// One handler for every view (no closures made per request): reads parse on first touch, writes mark it changed.
const HANDLER: ProxyHandler<RawData> = {
  get: (raw, key) => Reflect.get(load(raw), key),
  has: (raw, key) => Reflect.has(load(raw), key),
  ownKeys: (raw) => Reflect.ownKeys(load(raw)),
  getOwnPropertyDescriptor: (raw, key) => Reflect.getOwnPropertyDescriptor(load(raw), key),
  getPrototypeOf: (raw) => Reflect.getPrototypeOf(load(raw)),
  set(raw, key, value) {
    raw.changed = true
    return Reflect.set(load(raw), key, value)
  },
  defineProperty(raw, key, descriptor) {
    raw.changed = true
    return Reflect.defineProperty(load(raw), key, descriptor)
  },
  deleteProperty(raw, key) {
    raw.changed = true
    return Reflect.deleteProperty(load(raw), key)
  },
}

/**
 * An execution result for `data` already in JSON (the database's text): written as it is, never
 * parsed or re-serialized. `data` is still an object for whoever looks (plugins' hooks,
 * `actualQueryCost`, graphql-ws's JSON.stringify): a view parsed on first touch. A hook that
 * replaces or changes `data` gets the ordinary serialization of what it left.
 */
export function rawResult(dataText: string): RawResult {
  const raw: RawData = { text: dataText, parsed: undefined, changed: false, view: undefined }
  const data = new Proxy(raw, HANDLER) as unknown as Record<string, unknown>
  raw.view = data
  return { data, stringify: stringifyRaw, [RAW]: raw } as RawResult
}

/** The result as JSON: `data`'s text as the database wrote it when unchanged, then the other keys. */
function stringifyRaw(result: ExecutionResult): string {
  const raw = (result as { [RAW]?: RawData })[RAW]
  // `data` replaced (by a hook) or changed through the view: the ordinary serialization.
  if (!raw || raw.view !== result.data || raw.changed) return JSON.stringify(result)
  // Same keys, same order as JSON.stringify(result) would write: data first, then the rest.
  let text = `{"data":${raw.text}`
  for (const key in result) {
    if (key === 'data' || key === 'stringify') continue
    const json = JSON.stringify((result as Record<string, unknown>)[key]) as string | undefined
    if (json !== undefined) text += `,${JSON.stringify(key)}:${json}`
  }
  return `${text}}`
}
