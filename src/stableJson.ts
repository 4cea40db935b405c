import { createHash } from 'node:crypto'

/**
 * How a caller renders values it knows better (tables, functions): a replacement, or undefined
 * to render the value the ordinary way.
 */
export type StableJsonReplacer = (value: unknown) => unknown

/**
 * JSON with object keys sorted, so equal values always give equal text (cache keys, the config
 * hash): bigints as their digits, dates as ISO text, a cycle cut as `"[cycle]"`. The one
 * stable-JSON helper of the project.
 */
export function stableJson(value: unknown, replace?: StableJsonReplacer): string {
  return JSON.stringify(sorted(value, replace, new WeakSet())) ?? 'null'
}

/** SHA-256 (hex) of a text: fixed-length cache keys that do not reveal what they key. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

function sorted(value: unknown, replace: StableJsonReplacer | undefined, seen: WeakSet<object>): unknown {
  const replaced = replace?.(value)
  if (replaced !== undefined) return replaced
  if (typeof value === 'bigint') return value.toString()
  if (typeof value !== 'object' || value === null) return value
  if (value instanceof Date) return value.toISOString()
  // Shared sub-objects are fine; only a true cycle is cut.
  if (seen.has(value)) return '[cycle]'
  seen.add(value)
  const result = Array.isArray(value)
    ? value.map((item) => sorted(item, replace, seen))
    : Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((key) => [key, sorted((value as Record<string, unknown>)[key], replace, seen)]),
      )
  seen.delete(value)
  return result
}
