// fast-check arbitraries of random, schema-valid GraphQL operations: random selections (nested
// connections, aliases, fragments on interfaces), arguments of the right GraphQL types with
// hostile values (unicode, NUL bytes, LIKE and regex metacharacters, huge numbers, impossible
// dates, forged cursors and ids), some passed as literals and some as variables.
import fc from 'fast-check'
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql'
import type {
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLInterfaceType,
  GraphQLObjectType,
  GraphQLSchema,
} from 'graphql'

/** One generated request. */
export interface FuzzOperation {
  query: string
  variables: Record<string, unknown>
}

/** What shapes the generated operations. */
export interface FuzzOptions {
  /** Deepest field nesting below a root field (connections count their `edges`/`node` levels). */
  maxDepth: number
  /** Deepest nesting of input objects (filters nest through and/or/not and relations). */
  maxInputDepth: number
  /** Real cursors by connection type name, to be replayed and forged. */
  cursors: ReadonlyMap<string, readonly string[]>
}

/** An argument value and whether it is sent as a variable or written into the document. */
interface ArgumentValue {
  name: string
  type: GraphQLInputType
  value: unknown
  asVariable: boolean
}

/** A field selection before printing. */
interface Selection {
  field: string
  alias?: string
  args: ArgumentValue[]
  /** Sub-selections; inline fragments are `... on Type` entries. */
  children?: Selection[]
  on?: string
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64')

/** Strings that have broken SQL compilers: LIKE/regex metacharacters, quotes, NUL, odd unicode, long text. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '%',
      '_',
      '\\',
      '%_\\',
      "'",
      '"',
      "'; drop table users; --",
      '\u0000',
      'a\u0000b',
      '💩',
      'ß',
      'İ',
      '\u202e\u0301',
      '\n\t\r',
      '.*',
      '(?',
      '[',
      '\\d+',
      '(a|b)*c',
      '*',
      'x'.repeat(300),
      'null',
      '0',
    ),
  },
)

/** Ordinary values, so that most operations get past input checks and reach the SQL. */
const plainString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('a', 'e', 'o', 'john', 'user', '@', '.com', '1', 'Shop', 'pending'),
  fc.string({ maxLength: 4 }),
)

/** Mostly an ordinary value, sometimes a hostile one. */
const mostly = <T>(plain: fc.Arbitrary<T>, ...hostile: Array<fc.Arbitrary<T>>): fc.Arbitrary<T> =>
  fc.oneof(
    { weight: 3 * hostile.length, arbitrary: plain },
    ...hostile.map((arbitrary) => ({ weight: 1, arbitrary })),
  )

const isoDate = (min: string, max: string) =>
  fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true }).map((date) => date.toISOString())

/** Every generated operation is a query (`mutation: false`) or a mutation (`true`). */
export function operationArbitrary(
  schema: GraphQLSchema,
  options: FuzzOptions,
  mutation = false,
): fc.Arbitrary<FuzzOperation> {
  const root = mutation ? schema.getMutationType() : schema.getQueryType()
  if (!root) throw new Error(`The schema has no ${mutation ? 'mutation' : 'query'} type.`)
  const nodeTypes = Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .filter((type) => type.getInterfaces().some((iface) => iface.name === 'Node'))
    .map((type) => type.name)
  const generator = new Generator(schema, options, nodeTypes)
  const rootFields = fc.array(fc.constantFrom(...Object.values(root.getFields())), {
    minLength: 1,
    maxLength: mutation ? 1 : 3,
  })
  return rootFields
    .chain((fields) => fc.tuple(...fields.map((field) => generator.field(field, 0))))
    .map((selections) => printOperation(mutation ? 'mutation' : 'query', withAliases(selections)))
}

class Generator {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly options: FuzzOptions,
    private readonly nodeTypes: string[],
  ) {}

  /** One field with random arguments and, for objects, a random sub-selection. */
  field(field: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<Selection> {
    const named = getNamedType(field.type)
    const connection = named.name.endsWith('Connection') ? named.name : undefined
    const paged = connection !== undefined && field.args.some((arg) => arg.name === 'first')
    const others = field.args.filter((arg) => !paged || !PAGING.has(arg.name))
    // An `id` argument of a lookup mostly names a row of the type it returns.
    const idType = this.nodeTypes.includes(named.name) ? named.name : undefined
    const args = fc.tuple(
      paged ? this.paging(field.args, connection) : fc.constant([]),
      fc.tuple(...others.map((arg) => this.argument(arg, connection, idType))),
    )
    const children =
      isObjectType(named) || isInterfaceType(named)
        ? this.selectionSet(named, depth + 1)
        : fc.constant(undefined)
    return fc.tuple(args, children).map(([[paging, values], selected]) => ({
      field: field.name,
      args: [...paging, ...values.filter((value): value is ArgumentValue => value !== undefined)],
      ...(selected ? { children: selected } : {}),
    }))
  }

  /** Page arguments as clients combine them (first/after, last/before), sometimes in odd combinations. */
  private paging(
    args: readonly GraphQLArgument[],
    connection: string | undefined,
  ): fc.Arbitrary<ArgumentValue[]> {
    const pick = (...names: string[]) =>
      fc.tuple(
        ...args
          .filter((arg) => names.includes(arg.name))
          .map((arg) => this.argument(arg, connection, undefined, true)),
      )
    const present = (values: ReadonlyArray<ArgumentValue | undefined>) =>
      values.filter((value): value is ArgumentValue => value !== undefined)
    return fc
      .oneof(
        { weight: 2, arbitrary: fc.constant([]) },
        { weight: 4, arbitrary: pick('first') },
        { weight: 2, arbitrary: pick('last') },
        { weight: 2, arbitrary: pick('first', 'after') },
        { weight: 1, arbitrary: pick('last', 'before') },
        {
          weight: 1,
          arbitrary: fc.tuple(
            ...args.filter((arg) => PAGING.has(arg.name)).map((arg) => this.argument(arg, connection)),
          ),
        },
      )
      .map(present)
  }

  /** One to four fields of `type` (only leaves at the deepest level), plus fragments on interfaces. */
  selectionSet(type: GraphQLObjectType | GraphQLInterfaceType, depth: number): fc.Arbitrary<Selection[]> {
    const fields = Object.values(type.getFields()).filter(
      (field) => depth < this.options.maxDepth || isLeafType(getNamedType(field.type)),
    )
    if (fields.length === 0) return fc.constant([{ field: '__typename', args: [] }])
    const own = fc
      .array(fc.constantFrom(...fields), { minLength: 1, maxLength: 4 })
      .chain((chosen) => fc.tuple(...chosen.map((field) => this.field(field, depth))))
    if (!isInterfaceType(type)) return own.map(withAliases)
    const possible = this.schema.getPossibleTypes(type)
    const fragments = fc.array(
      fc.constantFrom(...possible).chain((object) =>
        this.selectionSet(object, depth).map((children): Selection => ({
          field: '',
          on: object.name,
          args: [],
          children,
        })),
      ),
      { maxLength: 2 },
    )
    return fc.tuple(own, fragments).map(([fields, inline]) => [...withAliases(fields), ...inline])
  }

  /** A value for `arg` (required ones always), or undefined to leave it out. */
  argument(
    arg: GraphQLArgument,
    connection: string | undefined,
    idType?: string,
    always = false,
  ): fc.Arbitrary<ArgumentValue | undefined> {
    const required = always || (isNonNullType(arg.type) && arg.defaultValue === undefined)
    const value =
      (arg.name === 'after' || arg.name === 'before') && connection
        ? this.cursor(connection)
        : arg.name === 'first' || arg.name === 'last'
          ? pageSize
          : arg.name === 'id' && idType
            ? mostly(this.globalId([idType]), this.globalId(this.nodeTypes))
            : this.value(arg.type, 0)
    const present = fc
      .record({ value, asVariable: fc.boolean() })
      .map(({ value, asVariable }): ArgumentValue => ({ name: arg.name, type: arg.type, value, asVariable }))
    return required ? present : fc.option(present, { nil: undefined, freq: 2 })
  }

  /** A value of an input type: lists, input objects (a few random fields), enums, scalars, sometimes null. */
  value(type: GraphQLInputType, depth: number): fc.Arbitrary<unknown> {
    if (isNonNullType(type)) return this.nonNull(type.ofType, depth)
    return fc.oneof(
      { weight: 12, arbitrary: this.nonNull(type, depth) },
      { weight: 1, arbitrary: fc.constant(null) },
    )
  }

  private nonNull(type: GraphQLInputType, depth: number): fc.Arbitrary<unknown> {
    if (isNonNullType(type)) return this.nonNull(type.ofType, depth)
    if (isListType(type)) return fc.array(this.value(type.ofType, depth + 1), { maxLength: 3 })
    if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((value) => value.name))
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields()).filter(
        (field) => depth < this.options.maxInputDepth || isLeafType(getNamedType(field.type)),
      )
      // orderBy items take one key each; anything else takes a few.
      const maxLength = type.name.endsWith('OrderBy') ? 1 : 3
      return fc
        .subarray(fields, {
          minLength: Math.min(1, fields.length),
          maxLength: Math.min(maxLength, fields.length),
        })
        .chain((chosen) =>
          fc.tuple(
            ...chosen.map((field) =>
              this.value(field.type, depth + 1).map((value) => [field.name, value] as const),
            ),
          ),
        )
        .map((entries) => Object.fromEntries(entries))
    }
    if (isScalarType(type)) return this.scalar(type.name)
    throw new Error(`Unexpected input type ${String(type)}.`)
  }

  private scalar(name: string): fc.Arbitrary<unknown> {
    switch (name) {
      case 'Int':
        return fc.oneof(
          fc.integer({ min: -3, max: 400 }),
          fc.constantFrom(0, -1, 2147483647, -2147483648),
          fc.integer(),
        )
      case 'Float':
        return fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.constantFrom(0, 0.5, -1.25, 1e308, 5e-324, 9007199254740993),
        )
      case 'Boolean':
        return fc.boolean()
      case 'ID':
        return this.globalId()
      case 'String':
        return mostly(plainString, hostileString)
      case 'DateTime':
        return mostly(
          isoDate('1990-01-01', '2030-01-01'),
          fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
          fc.constantFrom(
            '2023-01-01',
            '2023-02-30',
            '2023-13-01',
            '0000-01-01',
            '0001-01-01T00:00:00Z',
            '9999-12-31T23:59:59.999999Z',
            '2023-01-01T25:00:00Z',
            '2023-01-01T10:00:00+15:00',
            '2023-01-01T10:00:00+24:00',
            'infinity',
            'now',
            'epoch',
          ),
          hostileString,
        )
      case 'Date':
        return mostly(
          isoDate('1990-01-01', '2030-01-01').map((date) => date.slice(0, 10)),
          fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
          fc.constantFrom(
            '2023-01-01',
            '2023-02-29',
            '2024-02-29',
            '0000-12-31',
            '99999-01-01',
            'today',
            'infinity',
          ),
          hostileString,
        )
      case 'Decimal':
        return mostly(
          fc.integer({ min: -1000, max: 100_000 }).map((cents) => (cents / 100).toFixed(2)),
          fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
          fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
          fc.constantFrom(
            '0',
            '-0',
            '0.1',
            '1e3',
            '1e400',
            'NaN',
            'Infinity',
            '.5',
            '5.',
            '1'.repeat(200),
            '-',
          ),
          hostileString,
        )
      case 'BigInt':
        return mostly(
          fc.integer({ min: -5, max: 100_000 }).map(String),
          fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
          fc.constantFrom('9223372036854775807', '9223372036854775808', '-9223372036854775809', '1.5', ''),
          fc.integer().map(String),
          hostileString,
        )
      case 'UUID':
        return mostly(
          fc.uuid(),
          fc.constantFrom('00000000-0000-0000-0000-000000000000', 'not-a-uuid'),
          hostileString,
        )
      case 'JSON':
        return fc.jsonValue({ maxDepth: 2 })
      default:
        return hostileString
    }
  }

  /** Global ids: real types with real, absent or malformed keys, and garbage. */
  private globalId(types: readonly string[] = this.nodeTypes): fc.Arbitrary<string> {
    const pk = mostly(
      fc.integer({ min: 1, max: 60 }).map(String),
      fc.integer({ min: -1, max: 300 }).map(String),
      fc.constantFrom('abc', '1.5', '99999999999999999999', '', ' 1', '0x10', '1e3', '-0'),
      hostileString,
    )
    return fc.oneof(
      {
        weight: 8,
        arbitrary: fc.tuple(fc.constantFrom(...types), pk).map(([type, key]) => b64(`${type}:${key}`)),
      },
      { weight: 1, arbitrary: hostileString.map(b64) },
      { weight: 1, arbitrary: hostileString },
    )
  }

  /** Cursors: real ones (maybe of another ordering), real ones with a forged key, and garbage. */
  private cursor(connection: string): fc.Arbitrary<string> {
    const real = this.options.cursors.get(connection) ?? []
    const garbage = fc.oneof(
      hostileString,
      hostileString.map(b64),
      fc.jsonValue({ maxDepth: 2 }).map((value) => b64(JSON.stringify(value))),
    )
    if (real.length === 0) return garbage
    const forged = fc
      .tuple(fc.constantFrom(...real), fc.nat(), fc.oneof(hostileString, fc.jsonValue({ maxDepth: 1 })))
      .map(([cursor, index, value]) => {
        const parts = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as unknown[]
        parts[1 + (index % Math.max(1, parts.length - 1))] = value
        return b64(JSON.stringify(parts))
      })
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...real) },
      { weight: 2, arbitrary: forged },
      { weight: 1, arbitrary: garbage },
    )
  }
}

/** Arguments of a connection's page. */
const PAGING = new Set(['first', 'last', 'after', 'before'])

/** Page sizes: mostly small, sometimes zero, negative, at or past the maximum, or huge. */
const pageSize: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 5 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 100, 101, 2147483647, -2147483648) },
)

/** Repeated fields get aliases (a field twice without one would conflict); some others get one too. */
function withAliases(selections: Selection[]): Selection[] {
  const seen = new Set<string>()
  return selections.map((selection, index) => {
    if (selection.on) return selection
    const repeated = seen.has(selection.field)
    seen.add(selection.field)
    return repeated || index % 3 === 2 ? { ...selection, alias: `a${index}_${selection.field}` } : selection
  })
}

/** Prints the operation, turning the arguments marked as variables into `$vN` definitions. */
function printOperation(kind: 'query' | 'mutation', selections: Selection[]): FuzzOperation {
  const definitions: string[] = []
  const variables: Record<string, unknown> = {}
  const printSelections = (items: Selection[], indent: string): string =>
    items
      .map((item) => {
        const head = item.on ? `... on ${item.on}` : `${item.alias ? `${item.alias}: ` : ''}${item.field}`
        const args = item.args.map((arg) => {
          if (!arg.asVariable) return `${arg.name}: ${printValue(arg.value, arg.type)}`
          const name = `v${definitions.length}`
          definitions.push(`$${name}: ${String(arg.type)}`)
          variables[name] = arg.value
          return `${arg.name}: $${name}`
        })
        const argText = args.length > 0 ? `(${args.join(', ')})` : ''
        const body = item.children ? ` {\n${printSelections(item.children, `${indent}  `)}\n${indent}}` : ''
        return `${indent}${head}${argText}${body}`
      })
      .join('\n')
  const body = printSelections(selections, '  ')
  const header = definitions.length > 0 ? `${kind} Fuzz(${definitions.join(', ')})` : `${kind} Fuzz`
  return { query: `${header} {\n${body}\n}`, variables }
}

/** A GraphQL literal for `value` of `type` (enums bare, input objects and JSON as object literals). */
function printValue(value: unknown, type: GraphQLInputType): string {
  if (value === null || value === undefined) return 'null'
  if (isNonNullType(type)) return printValue(value, type.ofType)
  if (isListType(type)) {
    return Array.isArray(value)
      ? `[${value.map((item) => printValue(item, type.ofType)).join(', ')}]`
      : printValue(value, type.ofType)
  }
  if (isEnumType(type)) return String(value)
  if (isInputObjectType(type)) {
    const fields = type.getFields()
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => `${key}: ${printValue(item, fields[key]!.type)}`)
      .join(', ')}}`
  }
  return printJson(value)
}

/** Any JSON value as a GraphQL literal (object keys that are not GraphQL names are left out). */
function printJson(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0'
  if (typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return `[${value.map(printJson).join(', ')}]`
  return `{${Object.entries(value as Record<string, unknown>)
    .filter(([key]) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(key))
    .map(([key, item]) => `${key}: ${printJson(item)}`)
    .join(', ')}}`
}
