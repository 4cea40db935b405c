import { createHash } from 'node:crypto'

/** JSON with object keys sorted, so equal values always give equal text (for cache keys). */
export function stableJson(value: unknown): string {
  return JSON.stringify(sorted(value)) ?? 'null'
}

/** SHA-256 (hex) of a text: fixed-length cache keys that do not reveal what they key. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

function sorted(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map(sorted)
  if (value instanceof Date) return value.toISOString()
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
  )
}
