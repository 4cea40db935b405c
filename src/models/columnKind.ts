import type { PgColumn } from 'drizzle-orm/pg-core'
import type { ScalarKind } from './ModelGraph.js'

/** Drizzle column classes and the scalar each becomes. */
const KIND_BY_COLUMN_TYPE: Record<string, ScalarKind> = {
  PgSerial: 'Int',
  PgSmallSerial: 'Int',
  PgInteger: 'Int',
  PgSmallInt: 'Int',
  // bigint is 64-bit; GraphQL Int is 32-bit, so every bigint is a BigInt (a string on the wire).
  PgBigInt53: 'BigInt',
  PgBigInt64: 'BigInt',
  PgBigSerial53: 'BigInt',
  PgBigSerial64: 'BigInt',
  PgReal: 'Float',
  PgDoublePrecision: 'Float',
  PgNumeric: 'Decimal',
  PgNumericNumber: 'Decimal',
  PgNumericBigInt: 'Decimal',
  PgText: 'String',
  PgVarchar: 'String',
  PgChar: 'String',
  PgBoolean: 'Boolean',
  PgTimestamp: 'DateTime',
  PgTimestampString: 'DateTime',
  PgDate: 'Date',
  PgDateString: 'Date',
  PgTime: 'Time',
  PgJson: 'JSON',
  PgJsonb: 'JSON',
  PgUUID: 'UUID',
  PgEnumColumn: 'Enum',
}

/**
 * The scalar kind of a Drizzle column. Types without a dedicated scalar (inet, interval,
 * geometry, …) are shown as their PostgreSQL text form, so nothing is refused.
 */
export function columnKind(column: PgColumn): { kind: ScalarKind; isList: boolean; base: PgColumn } {
  if (column.columnType === 'PgArray') {
    const base = (column as unknown as { baseColumn: PgColumn }).baseColumn
    return { kind: columnKind(base).kind, isList: true, base }
  }
  return { kind: KIND_BY_COLUMN_TYPE[column.columnType] ?? 'String', isList: false, base: column }
}
