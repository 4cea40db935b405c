import { ErrorCodes } from '../errors.js'
import type { ModelField } from '../models/index.js'

/** A value ready to bind, or why the column cannot hold it. */
export type CheckedValue = { ok: true; value: unknown } | { ok: false; code: string; message: string }

/**
 * Checks a non-null input value against what its column can hold, before any SQL runs: text
 * length (in characters, as PostgreSQL counts them) and NUL bytes, integer ranges, decimal
 * digits and places (as Django's DecimalField), real calendar dates and times. GraphQL has
 * already checked the scalar type. Returns the value to bind (dates normalised to UTC).
 */
export function checkValue(field: ModelField, value: unknown): CheckedValue {
  if (field.isList) {
    if (!Array.isArray(value)) return invalid('Expected a list.')
    const items: unknown[] = []
    for (const item of value) {
      if (item === null) {
        // Only an element declared `.notNull()` refuses NULL; the output type says the same.
        if (!field.itemsNullable) return invalid('List items cannot be null.')
        items.push(null)
        continue
      }
      const checked = checkScalar(field, item)
      if (!checked.ok) return checked
      items.push(checked.value)
    }
    return { ok: true, value: items }
  }
  return checkScalar(field, value)
}

const INT_LIMITS = { small: 32768, int: 2147483648 }
const BIGINT_LIMIT = 2n ** 63n
const REAL_MAX = 3.4028235e38

function checkScalar(field: ModelField, value: unknown): CheckedValue {
  switch (field.kind) {
    case 'String':
      return checkText(field, value)
    case 'Int': {
      const limit = /^small/.test(field.sqlType) ? INT_LIMITS.small : INT_LIMITS.int
      if (typeof value !== 'number' || !Number.isInteger(value)) return invalid('Expected an integer.')
      return value >= -limit && value < limit
        ? ok(value)
        : invalid(`Must be between ${-limit} and ${limit - 1}.`)
    }
    case 'Float':
      if (typeof value !== 'number' || !Number.isFinite(value)) return invalid('Expected a finite number.')
      return field.sqlType === 'real' && Math.abs(value) > REAL_MAX
        ? invalid('Out of range for a real number.')
        : ok(value)
    case 'BigInt': {
      const text = String(value)
      if (!/^-?\d{1,19}$/.test(text)) return invalid('Expected a 64-bit integer.')
      const big = BigInt(text)
      return big >= -BIGINT_LIMIT && big < BIGINT_LIMIT
        ? ok(text)
        : invalid('Out of range for a 64-bit integer.')
    }
    case 'Decimal':
      return checkDecimal(field, String(value))
    case 'Date':
      return typeof value === 'string' && isCalendarDate(value)
        ? ok(value)
        : invalid('Not a real calendar date.')
    case 'DateTime':
      return checkDateTime(value)
    case 'Time': {
      const match = typeof value === 'string' ? /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(value) : null
      const [h, m, s] = match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : [99, 0, 0]
      const valid = (h < 24 && m < 60 && s < 60) || (h === 24 && m === 0 && s === 0)
      return valid ? ok(value) : invalid('Not a real time of day.')
    }
    case 'JSON':
      if (value === undefined) return invalid('Expected a JSON value.')
      // jsonb cannot store U+0000 anywhere; json keeps it but cannot compare it, so both refuse.
      if (containsNul(value)) return invalid('JSON text cannot contain the NUL character (\\u0000).')
      return ok(JSON.stringify(value))
    default:
      return ok(value)
  }
}

function checkText(field: ModelField, value: unknown): CheckedValue {
  if (typeof value !== 'string') return invalid('Expected a string.')
  if (value.includes('\u0000')) return invalid('Text cannot contain the NUL character (\\u0000).')
  if (field.maxLength !== undefined) {
    // PostgreSQL counts characters (code points), not UTF-16 units.
    const length = [...value].length
    if (length > field.maxLength) {
      return {
        ok: false,
        code: ErrorCodes.TOO_LONG,
        message: `At most ${field.maxLength} characters (got ${length}).`,
      }
    }
  }
  return ok(value)
}

function checkDecimal(field: ModelField, text: string): CheckedValue {
  const match = /^-?(\d+)(?:\.(\d+))?$/.exec(text)
  if (!match) return invalid('Expected a decimal number such as "19.99".')
  if (field.precision === undefined) return ok(text)
  const scale = field.scale ?? 0
  const integerDigits = match[1]!.replace(/^0+/, '').length
  const places = (match[2] ?? '').replace(/0+$/, '').length
  if (places > scale) return invalid(`At most ${scale} decimal places.`)
  const maxInteger = field.precision - scale
  if (integerDigits > maxInteger) return invalid(`At most ${maxInteger} digits before the decimal point.`)
  return ok(text)
}

function checkDateTime(value: unknown): CheckedValue {
  if (typeof value !== 'string') return invalid('Expected an ISO-8601 date-time.')
  const date = value.slice(0, 10)
  if (!isCalendarDate(date)) return invalid('Not a real calendar date.')
  // A plain date means midnight UTC; bound as timestamptz, so the session time zone never matters.
  return ok(value.length === 10 ? `${date}T00:00:00Z` : value)
}

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(0)
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month - 1, day)
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    year > 0
  )
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000')
  if (Array.isArray(value)) return value.some(containsNul)
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNul(item))
  }
  return false
}

function ok(value: unknown): CheckedValue {
  return { ok: true, value }
}

function invalid(message: string): CheckedValue {
  return { ok: false, code: ErrorCodes.INVALID_VALUE, message }
}
