import type { ExecutionResult } from 'graphql'

/** An execution result whose `data` is JSON text, and the stringifier graphql-yoga uses for it. */
export interface RawResult extends ExecutionResult {
  /** graphql-yoga serializes a result with its own `stringify` when it has one (graphql-jit's hook). */
  stringify(result: ExecutionResult): string
}

/**
 * An execution result for `data` already in JSON (the database's text): graphql-yoga writes the
 * text as it is, never parsing or re-serializing it. `data` is still an object for whoever looks
 * (plugins' hooks, `actualQueryCost`, graphql-ws's JSON.stringify): a view parsed on first touch.
 * A hook that replaces or changes `data` gets the ordinary serialization of what it left.
 */
export function rawResult(dataText: string): RawResult {
  let parsed: Record<string, unknown> | undefined
  let changed = false
  const load = (): Record<string, unknown> => (parsed ??= JSON.parse(dataText) as Record<string, unknown>)
  const data = new Proxy<Record<string, unknown>>(
    {},
    {
      get: (_target, key) => Reflect.get(load(), key),
      has: (_target, key) => Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => Reflect.getOwnPropertyDescriptor(load(), key),
      getPrototypeOf: () => Reflect.getPrototypeOf(load()),
      set(_target, key, value) {
        changed = true
        return Reflect.set(load(), key, value)
      },
      defineProperty(_target, key, descriptor) {
        changed = true
        return Reflect.defineProperty(load(), key, descriptor)
      },
      deleteProperty(_target, key) {
        changed = true
        return Reflect.deleteProperty(load(), key)
      },
    },
  )
  return {
    data,
    stringify(result) {
      if (result.data !== data || changed) return JSON.stringify(result)
      // Same keys, same order as JSON.stringify(result) would write: data first, then the rest.
      let text = `{"data":${dataText}`
      for (const [key, value] of Object.entries(result)) {
        if (key === 'data') continue
        const json = JSON.stringify(value) as string | undefined
        if (json !== undefined) text += `,${JSON.stringify(key)}:${json}`
      }
      return `${text}}`
    },
  }
}
