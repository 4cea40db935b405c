/**
 * Filters → one SQL boolean expression. The single place a filter object becomes SQL: connections,
 * legacy lists, nested to-many fields, and later bulk mutations and row policies all call
 * {@link compileFilter}.
 *
 * Advanced mode (`queries.filtering: 'advanced'`), operators named after Django lookups:
 * - String: `exact iexact contains icontains startswith istartswith endswith iendswith in regex iregex isnull`
 * - Int, Float, Decimal, BigInt, Date, DateTime, Time: `exact in gt gte lt lte range isnull`
 *   (`range: [low, high]` is inclusive, like Django's BETWEEN, and takes exactly two values)
 * - Enum, UUID, `pk` of a UUID key and the global `id`: `exact in isnull`
 * - JSON: `exact contains hasKey hasKeys hasAnyKeys isnull` (`contains` is jsonb `@>`)
 * - Boolean: the field takes a `Boolean` directly (`isActive: true`).
 * - Several operators on one field AND together; `and: [..]`, `or: [..]` and `not: {..}` nest freely.
 * - A to-one relation takes the target's filter and means "the related row exists and matches"
 *   (`profile: {}` = has a profile). A to-many or many-to-many relation takes `{ some, every, none }`:
 *   EXISTS / NOT EXISTS subqueries, never joins, so rows are never multiplied; `every` over no
 *   related rows is true. Related rows obey the same visibility (soft delete) as everywhere else.
 *
 * Shape decisions:
 * - `null` means SQL NULL where equality is meant, as in Django (`filter(x=None)` is `IS NULL`): a
 *   field entry set to `null` (`lastLogin: null`, and so `flag: null` for a nullable Boolean),
 *   `exact: null`, `iexact: null`, and a relation set to `null` (no related row). A Boolean column
 *   is therefore `true`, `false` or `null`, and "is not null" is `not: {flag: null}`. `null` for
 *   any other operator, or for `and`/`or`/`not`/`some`/`every`/`none`, is BAD_USER_INPUT
 *   (never a silent "match everything").
 * - Two-valued logic: a condition on a NULL column is false, and `not` is its exact complement
 *   (`not: {bio: {exact: "x"}}` includes rows whose bio is NULL), as Django's `exclude` does.
 * - Empty lists: `in: []` and `or: []` match nothing; `and: []` and `{}` match everything.
 * - NUL bytes: PostgreSQL text can never hold U+0000, so a string containing one can never equal,
 *   contain or start a stored value: such a comparison compiles to `false` (a NUL value in `in` is
 *   dropped). A regex containing NUL is refused with BAD_USER_INPUT, since it could still match.
 * - LIKE wildcards in user input (`%`, `_`, `\`) are matched literally (escaped, `ESCAPE '\'`).
 * - Case-insensitive operators are `ILIKE` on the column itself (`iexact` too, with the value's
 *   wildcards escaped) and `~*` for `iregex`, so the planner sees the bare column. On a UTF-8
 *   database PostgreSQL's ILIKE lowers both sides with `lower()` under the column's collation, so
 *   case folds as the database's default collation does (compileFilter.test.ts checks PGlite and
 *   PostgreSQL on the same Unicode strings).
 * - An invalid regex is only detected by PostgreSQL (its regex dialect is not JavaScript's); the
 *   error it raises (SQLSTATE 2201B) is turned into BAD_USER_INPUT by {@link filterErrorFromDatabase}.
 * - DateTime values accept a plain date (`2023-01-01` = midnight UTC) and are bound as
 *   `::timestamptz`; every value is bound as a `$n` parameter with a cast matching the column,
 *   and validated first so that no value can make the statement fail.
 */
import { decodeGlobalId } from '../naming/index.js'
import type { FieldBinding, ModelNames } from '../naming/index.js'
import type { ModelField } from '../models/index.js'
import { AutoGenError, badUserInput, ErrorCodes } from '../errors.js'
import { keyEquals, keyIn, parseKeyText } from './primaryKey.js'
import { correlation, visibleRows } from './relationSql.js'
import type { VisibilityContext } from './relationSql.js'
import { tableScope } from './RowScope.js'
import { ident, tableRef } from './sql.js'
import type { SqlParams } from './sql.js'
import { unsafeRegexReason } from './regexGuard.js'

/** Filter nesting accepted when `queries.maxFilterDepth` is not set. */
export const DEFAULT_MAX_FILTER_DEPTH = 10

/** What compiling a filter needs: parameters, fresh aliases, the filtering options and the caller's access. */
export interface FilterContext extends VisibilityContext {
  /** `model.fieldKey` of guarded fields the caller may not filter on (FORBIDDEN, before any SQL). */
  deniedFields?: ReadonlySet<string>
  params: SqlParams
  nextAlias(prefix: string): string
  options: { filtering?: 'advanced' | 'basic'; maxFilterDepth?: number; guardRegex?: boolean }
}

/** Operators each kind of field accepts in advanced mode (the GraphQL input types list the same). */
export const FILTER_OPERATORS = {
  String: [
    'exact',
    'iexact',
    'contains',
    'icontains',
    'startswith',
    'istartswith',
    'endswith',
    'iendswith',
    'in',
    'regex',
    'iregex',
    'isnull',
  ],
  Ordered: ['exact', 'in', 'gt', 'gte', 'lt', 'lte', 'range', 'isnull'],
  Identity: ['exact', 'in', 'isnull'],
  JSON: ['exact', 'contains', 'hasKey', 'hasKeys', 'hasAnyKeys', 'isnull'],
} as const

/** Which operator group a column kind uses (`undefined` for Boolean, which takes a value directly). */
export function operatorGroup(field: ModelField): keyof typeof FILTER_OPERATORS | undefined {
  switch (field.kind) {
    case 'String':
      return 'String'
    case 'Int':
    case 'Float':
    case 'Decimal':
    case 'BigInt':
    case 'Date':
    case 'DateTime':
    case 'Time':
      return 'Ordered'
    case 'Enum':
    case 'UUID':
      return 'Identity'
    case 'JSON':
      return 'JSON'
    case 'Boolean':
      return undefined
  }
}

/**
 * Compiles `filter` (a `XFilter` input value) for rows of `names` under table alias `alias` into an
 * SQL boolean expression whose values are bound in `ctx.params`. `null`/`undefined` is `true`.
 * `depth` is the nesting level of `filter` itself (1 for an argument's top-level filter).
 */
export function compileFilter(
  ctx: FilterContext,
  names: ModelNames,
  filter: unknown,
  alias: string,
  depth = 1,
): string {
  if (filter === undefined || filter === null) return 'true'
  return new FilterCompiler(ctx).model(names, filter, alias, depth, 'filter')
}

/**
 * Maps a database error caused by a filter value to BAD_USER_INPUT (today: an invalid regular
 * expression, SQLSTATE 2201B), without any of the database's text; `undefined` for other errors.
 */
export function filterErrorFromDatabase(error: unknown): AutoGenError | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
  if (code === '2201B') {
    return badUserInput(
      'Invalid regular expression in `regex`/`iregex` (PostgreSQL regular expression syntax).',
      {
        argument: 'filter',
      },
    )
  }
  return undefined
}

const bindings = new WeakMap<SqlParams, Map<string, string>>()

class FilterCompiler {
  constructor(private readonly ctx: FilterContext) {}

  /** A model's filter object. */
  model(names: ModelNames, filter: unknown, alias: string, depth: number, path: string): string {
    const max = this.ctx.options.maxFilterDepth ?? DEFAULT_MAX_FILTER_DEPTH
    if (depth > max) {
      throw badUserInput(`\`${path}\`: filters may nest at most ${max} levels deep.`, {
        argument: 'filter',
        maxFilterDepth: max,
      })
    }
    const object = this.object(filter, path)
    const conditions: string[] = []
    for (const [key, value] of Object.entries(object)) {
      if (value === undefined) continue
      const at = `${path}.${key}`
      if (key === 'and' || key === 'or') {
        const items = this.list(value, at)
        const parts = items.map((item, i) => this.model(names, item, alias, depth + 1, `${at}[${i}]`))
        conditions.push(key === 'and' ? and(parts) : or(parts))
        continue
      }
      if (key === 'not') {
        if (value === null) throw nullNotAllowed(at)
        conditions.push(not(this.model(names, value, alias, depth + 1, at)))
        continue
      }
      const binding = names.fields.get(key)
      if (!binding)
        throw badUserInput(`\`${at}\`: ${names.typeName} has no field \`${key}\` to filter on.`, {
          argument: 'filter',
        })
      conditions.push(this.entry(names, binding, value, alias, depth, at))
    }
    return and(conditions)
  }

  private entry(
    names: ModelNames,
    binding: FieldBinding,
    value: unknown,
    alias: string,
    depth: number,
    path: string,
  ): string {
    const basic = this.ctx.options.filtering === 'basic'
    switch (binding.kind) {
      case 'globalId': {
        if (basic || value === null) return this.globalIdOperator(names, alias, 'exact', value, path)
        const ops = Object.entries(this.object(value, path)).filter(([, v]) => v !== undefined)
        return and(ops.map(([op, v]) => this.globalIdOperator(names, alias, op, v, `${path}.${op}`)))
      }
      case 'primaryKey':
      case 'column': {
        const field = binding.field
        // No oracle: a field the caller may not read cannot be probed with filters either.
        if (this.ctx.deniedFields?.has(`${names.model.name}.${field.key}`)) {
          throw new AutoGenError(
            ErrorCodes.FORBIDDEN,
            `\`${path}\`: you do not have permission to filter on this field.`,
            {
              argument: 'filter',
            },
          )
        }
        const column = columnExpr(field, alias)
        if (basic || value === null || field.kind === 'Boolean')
          return this.operator(field, column, 'exact', value, path)
        const group = operatorGroup(field)!
        const ops = Object.entries(this.object(value, path)).filter(([, v]) => v !== undefined)
        return and(
          ops.map(([op, v]) => {
            if (!(FILTER_OPERATORS[group] as readonly string[]).includes(op)) {
              throw badUserInput(`\`${path}\`: unknown operator \`${op}\` for a ${field.kind} field.`, {
                argument: 'filter',
              })
            }
            return this.operator(field, column, op, v, `${path}.${op}`)
          }),
        )
      }
      case 'relation': {
        if (basic)
          throw badUserInput(`\`${path}\`: basic filtering compares columns only.`, { argument: 'filter' })
        return this.relation(binding, value, alias, depth, path)
      }
      case 'compositeKey':
        throw badUserInput(
          `\`${path}\`: a composite \`pk\` cannot filter; filter on \`id\` or on its columns.`,
          { argument: 'filter' },
        )
      case 'removed':
        throw badUserInput(
          `\`${path}\`: ${names.typeName}.${binding.removed.name} was removed and cannot filter.`,
          {
            argument: 'filter',
          },
        )
      case 'computed':
        // Computed in Node after the statement ran: there is no column to compare in SQL.
        throw badUserInput(
          `\`${path}\`: ${names.typeName}.${binding.computed.name} is computed and cannot filter.`,
          {
            argument: 'filter',
          },
        )
    }
  }

  private relation(
    binding: Extract<FieldBinding, { kind: 'relation' }>,
    value: unknown,
    alias: string,
    depth: number,
    path: string,
  ): string {
    const { relation, target } = binding
    const correlate = correlation(relation, tableScope(alias))
    const exists = (inner?: (a: string) => string): string => {
      const a = this.ctx.nextAlias('f')
      const condition = inner ? inner(a) : 'true'
      if (condition === 'false') return 'false'
      const where = [
        correlate(a),
        ...visibleRows(this.ctx, target, a),
        ...(condition === 'true' ? [] : [condition]),
      ]
      return `exists (select 1 from ${tableRef(target.model)} as ${ident(a)} where ${where.join(' and ')})`
    }
    // EXISTS is never NULL, so its negation needs no coalesce.
    const notExists = (condition: string): string => (condition === 'false' ? 'true' : `not ${condition}`)
    if (value === null) return notExists(exists())
    if (relation.kind === 'toOne') return exists((a) => this.model(target, value, a, depth + 1, path))
    const conditions: string[] = []
    for (const [quantifier, inner] of Object.entries(this.object(value, path))) {
      if (inner === undefined) continue
      const at = `${path}.${quantifier}`
      if (inner === null) throw nullNotAllowed(at)
      const matches = (a: string): string => this.model(target, inner, a, depth + 1, at)
      if (quantifier === 'some') conditions.push(exists(matches))
      else if (quantifier === 'none') conditions.push(notExists(exists(matches)))
      else if (quantifier === 'every') conditions.push(notExists(exists((a) => not(matches(a)))))
      else throw badUserInput(`\`${at}\`: expected \`some\`, \`every\` or \`none\`.`, { argument: 'filter' })
    }
    return and(conditions)
  }

  private globalIdOperator(
    names: ModelNames,
    alias: string,
    op: string,
    value: unknown,
    path: string,
  ): string {
    // A key column is never NULL, so the first one answers `isnull` for every key shape.
    const pk = names.model.primaryKey[0]!
    const column = `${ident(alias)}.${ident(pk.column)}`
    if (names.model.primaryKey.length > 1 && op !== 'isnull' && value !== null)
      return this.compositeIdOperator(names, alias, op, value, path)
    const pkOf = (id: unknown, at: string): string | number | undefined => {
      if (typeof id !== 'string')
        throw badUserInput(`\`${at}\`: expected a global id.`, { argument: 'filter' })
      const decoded = decodeGlobalId(id)
      // An id of another type (or a pk that cannot exist) matches no row of this one.
      if (decoded.typeName !== names.typeName) return undefined
      try {
        return this.typedValue(pk, decoded.pk, at)
      } catch {
        return undefined
      }
    }
    switch (op) {
      case 'exact': {
        if (value === null) return `${column} IS NULL`
        const pkValue = pkOf(value, path)
        return pkValue === undefined ? 'false' : `${column} = ${this.bind(pkValue, castOf(pk))}`
      }
      case 'in': {
        const values = this.list(value, path).flatMap((id, i) => pkOf(id, `${path}[${i}]`) ?? [])
        return values.length === 0 ? 'false' : `${column} = any(${this.bind(values, `${castOf(pk)}[]`)})`
      }
      case 'isnull':
        return isNull(column, value, path)
      default:
        throw badUserInput(`\`${path}\`: unknown operator \`${op}\` for an ID.`, { argument: 'filter' })
    }
  }

  /**
   * `exact` / `in` on the global id of a composite-key model: every key column compared, so an
   * id names its one row and nothing wider. Ids of another type or of no possible key match no row.
   */
  private compositeIdOperator(
    names: ModelNames,
    alias: string,
    op: string,
    value: unknown,
    path: string,
  ): string {
    const keyOf = (id: unknown, at: string): string | undefined => {
      if (typeof id !== 'string')
        throw badUserInput(`\`${at}\`: expected a global id.`, { argument: 'filter' })
      const decoded = decodeGlobalId(id)
      if (decoded.typeName !== names.typeName) return undefined
      return parseKeyText(names.model, decoded.pk) ? decoded.pk : undefined
    }
    // Bound values are filter values: the statement is planned for them (see SqlParams.customPlan).
    this.ctx.params.customPlan = true
    switch (op) {
      case 'exact': {
        const keyText = keyOf(value, path)
        if (keyText === undefined) return 'false'
        return and(keyEquals(names.model, alias, parseKeyText(names.model, keyText)!, this.ctx.params))
      }
      case 'in': {
        const keys = this.list(value, path).flatMap((id, i) => keyOf(id, `${path}[${i}]`) ?? [])
        return keys.length === 0 ? 'false' : keyIn(names.model, alias, keys, this.ctx.params)
      }
      default:
        throw badUserInput(`\`${path}\`: unknown operator \`${op}\` for an ID.`, { argument: 'filter' })
    }
  }

  /** One operator on one column. `column` is already the SQL expression to compare. */
  private operator(field: ModelField, column: string, op: string, value: unknown, path: string): string {
    if (value === null) {
      if (op === 'exact' || op === 'iexact') return `${column} IS NULL`
      throw nullNotAllowed(path)
    }
    if (op === 'isnull') return isNull(column, value, path)
    if (field.kind === 'Boolean') {
      if (typeof value !== 'boolean')
        throw badUserInput(`\`${path}\`: expected true, false or null.`, { argument: 'filter' })
      return `${column} = ${this.bind(value, 'boolean')}`
    }
    if (field.kind === 'String') return this.stringOperator(column, op, value, path)
    if (field.kind === 'JSON') return this.jsonOperator(column, op, value, path)
    const cast = castOf(field)
    switch (op) {
      case 'exact':
        return `${column} = ${this.bind(this.typedValue(field, value, path), cast)}`
      case 'in': {
        const values = this.list(value, path).map((v, i) => this.typedValue(field, v, `${path}[${i}]`))
        return values.length === 0 ? 'false' : `${column} = any(${this.bind(values, `${cast}[]`)})`
      }
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte': {
        const symbol = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[op]
        return `${column} ${symbol} ${this.bind(this.typedValue(field, value, path), cast)}`
      }
      case 'range': {
        const bounds = this.list(value, path)
        if (bounds.length !== 2) {
          throw badUserInput(
            `\`${path}\`: \`range\` takes exactly two values [low, high], got ${bounds.length}.`,
            { argument: 'filter' },
          )
        }
        const [low, high] = bounds.map((v, i) => this.bind(this.typedValue(field, v, `${path}[${i}]`), cast))
        return `(${column} between ${low} and ${high})`
      }
      default:
        throw badUserInput(`\`${path}\`: unknown operator \`${op}\`.`, { argument: 'filter' })
    }
  }

  private stringOperator(column: string, op: string, value: unknown, path: string): string {
    if (op === 'in') {
      const values = this.list(value, path).map((v, i) => this.text(v, `${path}[${i}]`))
      const storable = values.filter((v) => !v.includes('\u0000'))
      return storable.length === 0 ? 'false' : `${column} = any(${this.bind(storable, 'text[]')})`
    }
    const text = this.text(value, path)
    if (op === 'regex' || op === 'iregex') {
      if (text.includes('\u0000')) {
        throw badUserInput(`\`${path}\`: a regular expression cannot contain a NUL character.`, {
          argument: 'filter',
        })
      }
      const unsafe = this.ctx.options.guardRegex ? unsafeRegexReason(text) : undefined
      if (unsafe !== undefined) {
        throw badUserInput(
          `\`${path}\`: this regular expression could run for a long time (${unsafe}), and the ` +
            'embedded PGlite database has no statement timeout to stop it. Simplify it, use PostgreSQL, ' +
            'or set `queries.unsafeRegexOnPGlite: true`.',
          { argument: 'filter', reason: 'unsafeRegex' },
        )
      }
      return `${column} ${op === 'regex' ? '~' : '~*'} ${this.bind(text, 'text')}`
    }
    const pattern = LIKE_PATTERNS[op]
    if (!pattern && op !== 'exact' && op !== 'iexact') {
      throw badUserInput(`\`${path}\`: unknown operator \`${op}\` for a String field.`, {
        argument: 'filter',
      })
    }
    // No stored text contains NUL, so nothing equals, contains, starts or ends with such a value.
    if (text.includes('\u0000')) return 'false'
    if (op === 'exact') return `${column} = ${this.bind(text, 'text')}`
    // ILIKE on the bare column, never `lower(column)`: the planner estimates its selectivity from
    // the column's statistics (and a trigram index can serve it), so a selective page walks an
    // index on the order key; on a multibyte database ILIKE folds case with lower() itself.
    const like = this.bind(op === 'iexact' ? escapeLike(text) : pattern!(escapeLike(text)), 'text')
    // A value without letters (digits, punctuation, spaces: ASCII with no case) matches the same
    // rows with LIKE as with ILIKE, since lowering a character never yields one of those; LIKE
    // compares bytes where ILIKE lowers every row's text first (4-9x the time on a UTF-8 scan).
    if (!op.startsWith('i') || CASELESS.test(text)) return `${column} like ${like} escape '\\'`
    // ILIKE lowers its pattern again for every row; a pattern of thousands of characters would
    // cost that per row, so such a value is lowered once (`lower($n)` is folded when planned).
    if (text.length > LONG_PATTERN) return `lower(${column}) like lower(${like}) escape '\\'`
    return `${column} ilike ${like} escape '\\'`
  }

  private jsonOperator(column: string, op: string, value: unknown, path: string): string {
    const json = column
    switch (op) {
      case 'exact':
      case 'contains':
        // jsonb cannot hold U+0000, so a value containing it can never be equal or contained.
        if (containsNul(value)) return 'false'
        return `${json} ${op === 'exact' ? '=' : '@>'} ${this.bind(JSON.stringify(value), 'jsonb')}`
      case 'hasKey': {
        const key = this.text(value, path)
        return key.includes('\u0000') ? 'false' : `${json} ? ${this.bind(key, 'text')}`
      }
      case 'hasKeys':
      case 'hasAnyKeys': {
        const keys = this.list(value, path).map((v, i) => this.text(v, `${path}[${i}]`))
        const storable = keys.filter((k) => !k.includes('\u0000'))
        if (op === 'hasKeys' && storable.length < keys.length) return 'false'
        if (op === 'hasAnyKeys' && storable.length === 0) return 'false'
        return `${json} ${op === 'hasKeys' ? '?&' : '?|'} ${this.bind(storable, 'text[]')}`
      }
      default:
        throw badUserInput(`\`${path}\`: unknown operator \`${op}\` for a JSON field.`, {
          argument: 'filter',
        })
    }
  }

  /** A value of an ordered, enum or UUID field, checked so that its cast cannot fail in SQL. */
  private typedValue(field: ModelField, value: unknown, path: string): string | number {
    const fail = (expected: string): never => {
      throw badUserInput(`\`${path}\`: expected ${expected}.`, { argument: 'filter' })
    }
    switch (field.kind) {
      case 'Int':
        if (typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31)
          return value
        if (
          typeof value === 'string' &&
          /^-?\d{1,10}$/.test(value) &&
          Number(value) >= -(2 ** 31) &&
          Number(value) < 2 ** 31
        )
          return Number(value)
        return fail('a 32-bit integer')
      case 'Float':
        if (typeof value === 'number' && Number.isFinite(value)) return value
        return fail('a finite number')
      case 'Decimal': {
        const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value
        const match = typeof text === 'string' ? /^-?(\d+)(?:\.(\d+))?$/.exec(text) : null
        // PostgreSQL's numeric limits: 131072 digits before the point, 16383 after.
        if (!match || match[1]!.length > 131072 || (match[2]?.length ?? 0) > 16383)
          return fail('a decimal number such as "19.99"')
        return text as string
      }
      case 'BigInt': {
        const text =
          typeof value === 'number' && Number.isInteger(value)
            ? String(value)
            : typeof value === 'bigint'
              ? String(value)
              : value
        if (typeof text !== 'string' || !/^-?\d{1,19}$/.test(text))
          return fail('a 64-bit integer as a string')
        const n = BigInt(text)
        if (n > 9223372036854775807n || n < -9223372036854775808n) return fail('a 64-bit integer as a string')
        return text
      }
      case 'Date':
        if (typeof value === 'string' && validDate(value)) return value
        return fail('a date as YYYY-MM-DD')
      case 'DateTime': {
        if (typeof value !== 'string') return fail('an ISO-8601 date-time')
        if (validDate(value)) return `${value}T00:00:00Z`
        return validDateTime(value)
          ? value
          : fail('an ISO-8601 date-time with a zone, such as 2023-01-01T12:00:00Z, or a date')
      }
      case 'Time':
        if (typeof value === 'string' && validTime(value)) return value
        return fail('a time of day as HH:MM[:SS[.ffffff]]')
      case 'UUID':
        if (
          typeof value === 'string' &&
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
        )
          return value
        return fail('a UUID')
      case 'Enum':
        if (typeof value === 'string' && field.enum?.values.includes(value)) return value
        return fail(`one of ${field.enum?.values.join(', ') ?? 'the enum values'}`)
      default:
        if (typeof value === 'string') return value
        return fail('a string')
    }
  }

  private text(value: unknown, path: string): string {
    if (typeof value !== 'string')
      throw badUserInput(`\`${path}\`: expected a string.`, { argument: 'filter' })
    return value
  }

  private object(value: unknown, path: string): Record<string, unknown> {
    if (value === null) throw nullNotAllowed(path)
    if (typeof value !== 'object' || Array.isArray(value))
      throw badUserInput(`\`${path}\`: expected an object.`, { argument: 'filter' })
    return value as Record<string, unknown>
  }

  private list(value: unknown, path: string): unknown[] {
    if (value === null) throw nullNotAllowed(path)
    // GraphQL coerces a single value to a one-item list; raw callers may do the same.
    return Array.isArray(value) ? value : [value]
  }

  /** Binds a value once per statement and cast (filters are compiled several times per connection). */
  private bind(value: unknown, cast: string): string {
    let cache = bindings.get(this.ctx.params)
    if (!cache) bindings.set(this.ctx.params, (cache = new Map()))
    const key = `${cast}\u0000${typeof value}\u0000${JSON.stringify(value)}`
    let placeholder = cache.get(key)
    if (placeholder === undefined) {
      this.ctx.params.customPlan = true
      placeholder = this.ctx.params.add(value)
      cache.set(key, placeholder)
    }
    return `${placeholder}::${cast}`
  }
}

/** The SQL expression a filter compares for a column of the row under `alias`. */
function columnExpr(field: ModelField, alias: string): string {
  const column = `${ident(alias)}.${ident(field.column)}`
  switch (field.kind) {
    case 'String':
      return /^(text|varchar|char|character)/.test(field.sqlType) ? column : `${column}::text`
    case 'Enum':
      // Compared as text, so no enum type name (and schema) is needed in the statement.
      return `${column}::text`
    case 'DateTime':
      // Timestamps without a zone are shown as UTC, so they are compared as UTC.
      return field.withTimezone ? column : `(${column} at time zone 'UTC')`
    case 'JSON':
      return field.sqlType === 'jsonb' ? column : `${column}::jsonb`
    default:
      return column
  }
}

/** The cast of a bound value compared with a column of this field. */
function castOf(field: ModelField): string {
  switch (field.kind) {
    case 'Int':
      return 'int4'
    case 'Float':
      // A real (float4) column holds 21.18 as 21.1800003…: compared as float8, `exact: 21.18`
      // (the value the API itself shows) would never match.
      return field.sqlType === 'real' ? 'float4' : 'float8'
    case 'Decimal':
      return 'numeric'
    case 'BigInt':
      return 'int8'
    case 'Date':
      return 'date'
    case 'DateTime':
      return 'timestamptz'
    case 'Time':
      return 'time'
    case 'UUID':
      return 'uuid'
    case 'Boolean':
      return 'boolean'
    case 'JSON':
      return 'jsonb'
    default:
      return 'text'
  }
}

/** Text of ASCII characters that have no case (no letter): folding case cannot change a match. */
const CASELESS = /^[\x00-\x40\x5b-\x60\x7b-\x7f]*$/

/** Case-insensitive values longer than this are compared as `lower(column) like lower($n)`. */
const LONG_PATTERN = 256

const LIKE_PATTERNS: Record<string, (escaped: string) => string> = {
  contains: (e) => `%${e}%`,
  icontains: (e) => `%${e}%`,
  startswith: (e) => `${e}%`,
  istartswith: (e) => `${e}%`,
  endswith: (e) => `%${e}`,
  iendswith: (e) => `%${e}`,
}

/** Makes `%`, `_` and `\` literal in a LIKE pattern whose escape character is `\`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

function isNull(column: string, value: unknown, path: string): string {
  if (typeof value !== 'boolean')
    throw badUserInput(`\`${path}\`: \`isnull\` takes true or false.`, { argument: 'filter' })
  return `${column} IS ${value ? '' : 'NOT '}NULL`
}

function nullNotAllowed(path: string): AutoGenError {
  return badUserInput(
    `\`${path}\`: null is not a filter value here (null means IS NULL only for a field, \`exact\` or \`iexact\`).`,
    {
      argument: 'filter',
    },
  )
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000')
  if (Array.isArray(value)) return value.some(containsNul)
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v))
  }
  return false
}

function and(parts: string[]): string {
  const kept = parts.filter((p) => p !== 'true')
  if (kept.includes('false')) return folded('false', kept)
  if (kept.length === 0) return 'true'
  return kept.length === 1 ? kept[0]! : `(${kept.join(' and ')})`
}

function or(parts: string[]): string {
  const kept = parts.filter((p) => p !== 'false')
  if (kept.includes('true')) return folded('true', kept)
  if (kept.length === 0) return 'false'
  return kept.length === 1 ? kept[0]! : `(${kept.join(' or ')})`
}

/**
 * An AND with a `false` part (an OR with a `true` one) is that constant; the other parts are
 * dropped unless they bind parameters: their values are already in the statement's list, and
 * PostgreSQL refuses a statement sent values it never uses. It folds `false and …` itself.
 */
function folded(constant: 'true' | 'false', parts: string[]): string {
  const bound = parts.filter((p) => /\$\d/.test(p))
  if (bound.length === 0) return constant
  return `(${constant} ${constant === 'false' ? 'and' : 'or'} (${bound.join(' and ')}))`
}

/** Two-valued NOT: the complement of what the condition matches, NULL counting as no match. */
function not(part: string): string {
  if (part === 'true') return 'false'
  if (part === 'false') return 'true'
  // EXISTS is never NULL: a plain NOT EXISTS, which PostgreSQL plans as an anti-join.
  if (/^(not )?exists \(/.test(part) && balanced(part.replace(/^(not )?exists /, ''))) {
    return part.startsWith('not ') ? part.slice(4) : `not ${part}`
  }
  return `not coalesce(${part}, false)`
}

/** Whether `text` is one parenthesized group, `( … )`, and not `( … ) and ( … )`. */
function balanced(text: string): boolean {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === "'") {
      // Skip a string literal (compiler-made constants only; values are bound).
      i = text.indexOf("'", i + 1)
      if (i < 0) return false
      continue
    }
    if (c === '(') depth++
    else if (c === ')' && --depth === 0 && i !== text.length - 1) return false
  }
  return depth === 0 && text.startsWith('(')
}

function validDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  return match !== null && validYmd(Number(match[1]), Number(match[2]), Number(match[3]))
}

function validYmd(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false
  return day <= new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0)
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

function validDateTime(text: string): boolean {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/.exec(
      text,
    )
  if (!match) return false
  const [, y, mo, d, h, mi, s = '0', oh = '0', om = '0'] = match
  return (
    validYmd(Number(y), Number(mo), Number(d)) &&
    Number(h) <= 23 &&
    Number(mi) <= 59 &&
    Number(s) <= 59 &&
    Number(oh) <= 15 &&
    Number(om) <= 59
  )
}

function validTime(text: string): boolean {
  const match = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?$/.exec(text)
  return match !== null && Number(match[1]) <= 23 && Number(match[2]) <= 59 && Number(match[3] ?? '0') <= 59
}
