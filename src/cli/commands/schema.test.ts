import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { buildClientSchema, buildSchema, printSchema } from 'graphql'
import type { IntrospectionQuery } from 'graphql'
import { describe, expect, it } from 'vitest'
import { compareSchemas } from '../../registry/index.js'
import { SchemaBuilder, sortedSchema } from '../../schema/index.js'
import { repoRoot, runCli } from '../testing/runCli.js'

/** CLI runs start Node processes; on a busy shared machine each can take many seconds. */
const LONG = 600_000

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'gag-schema-'))

interface CheckJson {
  ok: boolean
  summary: { breaking: number; dangerous: number; safe: number; invalidDocuments: number }
  changes: Array<{ level: string; type: string; path?: string; message: string; reason: string }>
  documents: {
    checked: number
    problems: Array<{ file: string; line: number; column: number; message: string; severity: string }>
  }
}

describe('graphql-auto-gen schema export', () => {
  it(
    'writes the same SDL bytes every time, equal to the schema the config builds',
    async () => {
      const dir = tempDir()
      const [first, second] = await Promise.all([
        runCli(['schema', 'export', '--example', 'shop', '--out', 'a.graphql'], { cwd: dir }),
        runCli(['schema', 'export', '--example', 'shop', '--out', 'nested/b.graphql'], { cwd: dir }),
      ])
      expect(first.code, first.stderr).toBe(0)
      expect(second.code, second.stderr).toBe(0)
      expect(first.stdout).toMatch(/^Wrote a\.graphql \(SDL, \d+ types\)\.\n$/)
      const a = readFileSync(join(dir, 'a.graphql'))
      expect(readFileSync(join(dir, 'nested', 'b.graphql')).equals(a)).toBe(true)
      const config = (await import('../../../examples/shop/graphql-auto-gen.config.js')) as {
        default: ConstructorParameters<typeof SchemaBuilder>[0]
      }
      const expected = `${printSchema(sortedSchema(new SchemaBuilder(config.default).build()))}\n`
      expect(a.toString()).toBe(expected)
      const committed = join(repoRoot, 'examples', 'shop', 'schema.graphql')
      if (existsSync(committed)) expect(a.toString()).toBe(readFileSync(committed, 'utf8'))
    },
    LONG,
  )

  it(
    'writes introspection JSON for a .json file, deterministic and equivalent to the SDL',
    async () => {
      const dir = tempDir()
      const runs = await Promise.all([
        runCli(['schema', 'export', '--example', 'shop', '--out', 'one.json'], { cwd: dir }),
        runCli(['schema', 'export', '--example', 'shop', '--out', 'two.json'], { cwd: dir }),
        runCli(['schema', 'export', '--example', 'shop'], { cwd: dir }),
      ])
      for (const run of runs) expect(run.code, run.stderr).toBe(0)
      const one = readFileSync(join(dir, 'one.json'), 'utf8')
      expect(readFileSync(join(dir, 'two.json'), 'utf8')).toBe(one)
      const introspection = JSON.parse(one) as IntrospectionQuery
      expect(introspection.__schema.queryType.name).toBe('Query')
      // Without --out the SDL goes to stdout; the JSON describes the very same schema.
      expect(`${printSchema(buildClientSchema(introspection))}\n`).toBe(runs[2]!.stdout)
    },
    LONG,
  )

  it(
    'explains a missing config with exit 2 and prints help with exit 0',
    async () => {
      const [missing, help] = await Promise.all([
        runCli(['schema', 'export', '--out', 'x.graphql'], { cwd: tempDir() }),
        runCli(['schema', 'export', '--help']),
      ])
      expect(missing.code).toBe(2)
      expect(missing.stderr).toContain('[CONFIG_INVALID]: No config file found')
      expect(help.code).toBe(0)
      expect(help.stdout).toContain('--out <file>')
      expect(help.stdout).toContain('Exit codes')
    },
    LONG,
  )
})

/** A small schema that each case below changes in one way. */
const BASE = `
"""The root."""
type Query {
  user(id: ID!): User
  users(first: Int = 20, filter: UserFilter): [User!]!
  search(text: String!): [SearchResult!]!
  legacy: String
}

"""A person."""
type User {
  id: ID!
  name: String
  age: Int
  status: Status!
}

type Post {
  id: ID!
  title: String!
}

type Comment {
  id: ID!
}

union SearchResult = User | Post

enum Status {
  ACTIVE
  BANNED
}

input UserFilter {
  name: String
  minAge: Int = 0
}

type Extra {
  id: ID!
}
`

interface ChangeCase {
  name: string
  /** Replaces the first `from` in BASE with `to` (or removes `from` when `to` is ''). */
  from: string
  to: string
  expected: { level: 'breaking' | 'dangerous' | 'safe'; type: string; path: string }
}

const CASES: ChangeCase[] = [
  {
    name: 'type removed',
    from: 'type Extra {\n  id: ID!\n}',
    to: '',
    expected: { level: 'breaking', type: 'TYPE_REMOVED', path: 'Extra' },
  },
  {
    name: 'type added',
    from: 'type Extra {',
    to: 'scalar Money\n\ntype Extra {',
    expected: { level: 'safe', type: 'TYPE_ADDED', path: 'Money' },
  },
  {
    name: 'field removed',
    from: '  legacy: String\n',
    to: '',
    expected: { level: 'breaking', type: 'FIELD_REMOVED', path: 'Query.legacy' },
  },
  {
    name: 'field added',
    from: '  age: Int\n',
    to: '  age: Int\n  email: String\n',
    expected: { level: 'safe', type: 'FIELD_ADDED', path: 'User.email' },
  },
  {
    name: 'field type changed',
    from: '  age: Int\n',
    to: '  age: String\n',
    expected: { level: 'breaking', type: 'FIELD_TYPE_CHANGED', path: 'User.age' },
  },
  {
    name: 'field made non-null (output)',
    from: '  name: String\n  age',
    to: '  name: String!\n  age',
    expected: { level: 'safe', type: 'FIELD_TYPE_CHANGED', path: 'User.name' },
  },
  {
    name: 'required argument added',
    from: 'user(id: ID!)',
    to: 'user(id: ID!, tenant: String!)',
    expected: { level: 'breaking', type: 'FIELD_ARGUMENT_ADDED', path: 'Query.user.tenant' },
  },
  {
    name: 'optional argument added',
    from: 'user(id: ID!)',
    to: 'user(id: ID!, withDeleted: Boolean)',
    expected: { level: 'dangerous', type: 'FIELD_ARGUMENT_ADDED', path: 'Query.user.withDeleted' },
  },
  {
    name: 'argument removed',
    from: 'users(first: Int = 20, filter: UserFilter)',
    to: 'users(first: Int = 20)',
    expected: { level: 'breaking', type: 'FIELD_ARGUMENT_REMOVED', path: 'Query.users.filter' },
  },
  {
    name: 'argument default changed',
    from: 'first: Int = 20',
    to: 'first: Int = 50',
    expected: { level: 'dangerous', type: 'FIELD_ARGUMENT_DEFAULT_CHANGED', path: 'Query.users.first' },
  },
  {
    name: 'enum value added',
    from: '  BANNED\n',
    to: '  BANNED\n  PENDING\n',
    expected: { level: 'dangerous', type: 'ENUM_VALUE_ADDED', path: 'Status.PENDING' },
  },
  {
    name: 'enum value removed',
    from: '  BANNED\n',
    to: '',
    expected: { level: 'breaking', type: 'ENUM_VALUE_REMOVED', path: 'Status.BANNED' },
  },
  {
    name: 'union member added',
    from: 'union SearchResult = User | Post',
    to: 'union SearchResult = User | Post | Comment',
    expected: { level: 'dangerous', type: 'UNION_MEMBER_ADDED', path: 'SearchResult' },
  },
  {
    name: 'union member removed',
    from: 'union SearchResult = User | Post',
    to: 'union SearchResult = User',
    expected: { level: 'breaking', type: 'UNION_MEMBER_REMOVED', path: 'SearchResult' },
  },
  {
    name: 'required input field added',
    from: '  minAge: Int = 0\n',
    to: '  minAge: Int = 0\n  tenant: String!\n',
    expected: { level: 'breaking', type: 'INPUT_FIELD_ADDED', path: 'UserFilter.tenant' },
  },
  {
    name: 'optional input field added',
    from: '  minAge: Int = 0\n',
    to: '  minAge: Int = 0\n  maxAge: Int\n',
    expected: { level: 'safe', type: 'INPUT_FIELD_ADDED', path: 'UserFilter.maxAge' },
  },
  {
    name: 'input field made required',
    from: '  name: String\n  minAge',
    to: '  name: String!\n  minAge',
    expected: { level: 'breaking', type: 'INPUT_FIELD_TYPE_CHANGED', path: 'UserFilter.name' },
  },
  {
    name: 'input field default changed',
    from: 'minAge: Int = 0',
    to: 'minAge: Int = 18',
    expected: { level: 'dangerous', type: 'INPUT_FIELD_DEFAULT_VALUE_CHANGED', path: 'UserFilter.minAge' },
  },
  {
    name: 'description changed',
    from: '"""A person."""',
    to: '"""Someone with an account."""',
    expected: { level: 'safe', type: 'TYPE_DESCRIPTION_CHANGED', path: 'User' },
  },
  {
    name: 'field deprecated',
    from: '  legacy: String\n',
    to: '  legacy: String @deprecated(reason: "Use search.")\n',
    expected: { level: 'safe', type: 'FIELD_DEPRECATION_ADDED', path: 'Query.legacy.@deprecated' },
  },
]

describe('graphql-auto-gen schema check', () => {
  it('classifies each kind of change with a one-line reason', async () => {
    for (const change of CASES) {
      expect(BASE.includes(change.from), change.name).toBe(true)
      const changes = await compareSchemas(
        buildSchema(BASE),
        buildSchema(BASE.replace(change.from, change.to)),
      )
      expect(changes, change.name).toHaveLength(1)
      const [found] = changes
      expect({ level: found!.level, type: found!.type, path: found!.path }, change.name).toEqual(
        change.expected,
      )
      expect(found!.reason, change.name).toMatch(/^[^\n]{10,140}$/)
    }
  })

  it(
    'reports the same classification from the command line, exit 1 only for a breaking change',
    async () => {
      // One case per level as separate processes (each CLI run is a Node process start).
      const picked = (['breaking', 'dangerous', 'safe'] as const).map((level) =>
        CASES.find((c) => c.expected.level === level)!,
      )
      const dir = tempDir()
      writeFileSync(join(dir, 'old.graphql'), BASE)
      const runs = await Promise.all(
        picked.map((change, index) => {
          writeFileSync(join(dir, `new-${index}.graphql`), BASE.replace(change.from, change.to))
          return runCli(
            ['schema', 'check', '--against', 'old.graphql', '--schema', `new-${index}.graphql`, '--json'],
            {
              cwd: dir,
            },
          )
        }),
      )
      for (const [index, change] of picked.entries()) {
        const run = runs[index]!
        expect(run.code, `${change.name}: ${run.stderr}`).toBe(change.expected.level === 'breaking' ? 1 : 0)
        const result = JSON.parse(run.stdout) as CheckJson
        const expected = await compareSchemas(
          buildSchema(BASE),
          buildSchema(BASE.replace(change.from, change.to)),
        )
        expect(result.changes).toEqual(expected)
        expect(result.ok).toBe(change.expected.level !== 'breaking')
        expect(result.summary).toMatchObject({ [change.expected.level]: 1 })
      }
    },
    LONG,
  )

  it(
    'prints one line per change with its level and reason, and a verdict',
    async () => {
      const dir = tempDir()
      writeFileSync(join(dir, 'old.graphql'), BASE)
      writeFileSync(
        join(dir, 'new.graphql'),
        BASE.replace('  legacy: String\n', '')
          .replace('  BANNED\n', '  BANNED\n  PENDING\n')
          .replace('  age: Int\n', '  age: Int\n  email: String\n'),
      )
      const run = await runCli(['schema', 'check', '--against', 'old.graphql', '--schema', 'new.graphql'], {
        cwd: dir,
      })
      expect(run.code).toBe(1)
      const lines = run.stdout.trim().split('\n')
      expect(lines[0]).toBe('Comparing old.graphql → new.graphql')
      expect(lines[1]).toMatch(/^ {2}BREAKING {3}Field 'legacy' was removed from object type 'Query' — .+/)
      expect(lines[2]).toMatch(/^ {2}DANGEROUS {2}Enum value 'PENDING' was added to enum 'Status' — .+/)
      expect(lines[3]).toMatch(/^ {2}SAFE {7}Field 'email' was added to object type 'User' — .+/)
      expect(lines[4]).toBe('3 changes: 1 breaking, 1 dangerous, 1 safe.')
      expect(lines[5]).toBe('FAILED: 1 breaking change.')
    },
    LONG,
  )

  it(
    'validates .graphql documents and GraphQL templates in .ts/.tsx files against the new schema',
    async () => {
      const dir = tempDir()
      const exported = await runCli(['schema', 'export', '--example', 'shop', '--out', 'old.graphql'], {
        cwd: dir,
      })
      expect(exported.code, exported.stderr).toBe(0)
      const files: Record<string, string> = {
        'src/fragments.graphql': 'fragment UserBits on User {\n  username\n  email\n}\n',
        'src/users.graphql': 'query Users {\n  users(first: 2) {\n    nodes { ...UserBits }\n  }\n}\n',
        'src/Orders.tsx': [
          "import { gql } from '@apollo/client'",
          '',
          'const ORDERS = gql`',
          '  query Orders {',
          '    orders(first: 5) { nodes { status total user { ...UserBits } } }',
          '  }',
          '  ${USER_BITS}',
          '`',
          '',
          'export function Orders(): JSX.Element {',
          '  const data = useQuery(graphql(`query Products { products(first: 1) { nodes { name price } } }`))',
          '  return <ul>{data.map((o) => <li key={o.id}>{o.status}</li>)}</ul>',
          '}',
          '',
          'const plain = /* GraphQL */ `query Tags { tags(first: 3) { nodes { name } } }`',
          'const notGraphQL = `query Nope { this is not graphql }`',
          '',
        ].join('\n'),
      }
      for (const [name, text] of Object.entries(files)) writeFile(dir, name, text)
      const valid = await runCli(
        [
          'schema',
          'check',
          '--example',
          'shop',
          '--against',
          'old.graphql',
          '--documents',
          'src/**/*.{graphql,tsx}',
          '--json',
        ],
        { cwd: dir },
      )
      expect(valid.code, valid.stdout + valid.stderr).toBe(0)
      const validResult = JSON.parse(valid.stdout) as CheckJson
      expect(validResult.changes).toEqual([])
      expect(validResult.documents).toEqual({ checked: 3, problems: [] })

      // Now break one field in a .graphql file and one in the .tsx file.
      writeFileSync(
        join(dir, 'src/users.graphql'),
        files['src/users.graphql']!.replace('nodes {', 'nodes {\n      nickname'),
      )
      const tsx = files['src/Orders.tsx']!.replace('name price', 'name cost')
      writeFileSync(join(dir, 'src/Orders.tsx'), tsx)
      const invalid = await runCli(
        [
          'schema',
          'check',
          '--example',
          'shop',
          '--against',
          'old.graphql',
          '--documents',
          'src/**/*.graphql',
          'src/**/*.tsx',
          '--json',
        ],
        { cwd: dir },
      )
      expect(invalid.code).toBe(1)
      const result = JSON.parse(invalid.stdout) as CheckJson
      expect(result.ok).toBe(false)
      expect(result.summary.invalidDocuments).toBe(2)
      const tsxLines = tsx.split('\n')
      const costLine = tsxLines.findIndex((line) => line.includes('cost'))
      expect(result.documents.problems).toEqual([
        {
          file: 'src/Orders.tsx',
          line: costLine + 1,
          column: tsxLines[costLine]!.indexOf('cost') + 1,
          message: 'Cannot query field "cost" on type "Product".',
          severity: 'error',
        },
        {
          file: 'src/users.graphql',
          line: 4,
          column: 7,
          message: 'Cannot query field "nickname" on type "User". Did you mean "username"?',
          severity: 'error',
        },
      ])
    },
    LONG,
  )

  it(
    'exits 2 on a glob that matches nothing, an unreadable schema, or a missing --against',
    async () => {
      const dir = tempDir()
      writeFileSync(join(dir, 'old.graphql'), BASE)
      writeFileSync(join(dir, 'broken.graphql'), 'type Query {')
      const [noDocs, broken, noAgainst] = await Promise.all([
        runCli(
          [
            'schema',
            'check',
            '--against',
            'old.graphql',
            '--schema',
            'old.graphql',
            '--documents',
            'nothing/**/*.graphql',
          ],
          { cwd: dir },
        ),
        runCli(['schema', 'check', '--against', 'broken.graphql', '--schema', 'old.graphql'], { cwd: dir }),
        runCli(['schema', 'check', '--schema', 'old.graphql'], { cwd: dir }),
      ])
      expect(noDocs.code).toBe(2)
      expect(noDocs.stderr).toContain("error: No document files match --documents 'nothing/**/*.graphql'")
      expect(broken.code).toBe(2)
      expect(broken.stderr).toContain('error: broken.graphql is not a valid GraphQL schema: Syntax Error')
      expect(noAgainst.code).toBe(2)
      expect(noAgainst.stderr).toContain("required option '--against <old>' not specified")
    },
    LONG,
  )
})

/** Writes `text` to `dir/name`, creating folders on the way. */
function writeFile(dir: string, name: string, text: string): void {
  const path = join(dir, name)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
}
