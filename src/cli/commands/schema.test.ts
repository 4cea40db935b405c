import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { buildClientSchema, buildSchema, introspectionFromSchema, printSchema } from 'graphql'
import type { GraphQLSchema, IntrospectionQuery } from 'graphql'
import { beforeAll, describe, expect, it } from 'vitest'
import { compareSchemas } from '../../registry/index.js'
import { CORPUS, CORPUS_BASE } from '../../testing/schemaChangeCorpus.js'
import { SchemaBuilder, sortedSchema } from '../../schema/index.js'
import { repoRoot, runCli } from '../testing/runCli.js'
import type { CliRun } from '../testing/runCli.js'
import { runMain } from '../testing/runMain.js'
import type { MainRun } from '../testing/runMain.js'

/** CLI processes start Node; on a busy shared machine each can take many seconds. */
const LONG = 600_000

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'gag-schema-'))

interface CheckJson {
  ok: boolean
  summary: { breaking: number; dangerous: number; safe: number; invalidDocuments: number }
  changes: Array<{ level: string; type: string; coordinate: string; message: string; reason: string }>
  documents: {
    checked: number
    problems: Array<{ file: string; line: number; column: number; message: string; severity: string }>
  }
}

// One run per form of output, side by side once: the SDL and JSON files by CLI processes, SDL on
// stdout in this process, whose own build of the same config is what "the same bytes every time"
// is checked against.
describe('graphql-auto-gen schema export', () => {
  const dir = tempDir()
  let sdlFile: CliRun
  let jsonFile: CliRun
  let sdlOut: MainRun
  let built: GraphQLSchema
  beforeAll(async () => {
    ;[sdlFile, jsonFile, sdlOut] = await Promise.all([
      runCli(['schema', 'export', '--example', 'shop', '--out', 'nested/a.graphql'], { cwd: dir }),
      runCli(['schema', 'export', '--example', 'shop', '--out', 'one.json'], { cwd: dir }),
      // SDL on stdout, collected in this process: bytes of another process than the file's.
      runMain(['schema', 'export', '--example', 'shop'], { cwd: dir }),
    ])
    const config = (await import('../../../examples/shop/graphql-auto-gen.config.js')) as {
      default: ConstructorParameters<typeof SchemaBuilder>[0]
    }
    built = sortedSchema(new SchemaBuilder(config.default).build())
  }, LONG)

  it('writes the same SDL bytes every time (folders created), equal to the schema the config builds', () => {
    expect(sdlFile.code, sdlFile.stderr).toBe(0)
    expect(sdlOut.code, sdlOut.stderr).toBe(0)
    expect(sdlFile.stdout).toMatch(/^Wrote nested\/a\.graphql \(SDL, \d+ types\)\.\n$/)
    const a = readFileSync(join(dir, 'nested', 'a.graphql'), 'utf8')
    // Without --out the SDL goes to stdout: the same bytes, from another process.
    expect(sdlOut.stdout).toBe(a)
    expect(a).toBe(`${printSchema(built)}\n`)
    const committed = join(repoRoot, 'examples', 'shop', 'schema.graphql')
    if (existsSync(committed)) expect(a).toBe(readFileSync(committed, 'utf8'))
  })

  it('writes introspection JSON for a .json file, deterministic and equivalent to the SDL', () => {
    expect(jsonFile.code, jsonFile.stderr).toBe(0)
    expect(jsonFile.stdout).toMatch(/^Wrote one\.json \(introspection JSON, \d+ types\)\.\n$/)
    const one = readFileSync(join(dir, 'one.json'), 'utf8')
    // The same bytes as this process gets from the same schema: deterministic.
    const options = {
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
    }
    expect(one).toBe(`${JSON.stringify(introspectionFromSchema(built, options), null, 2)}\n`)
    const introspection = JSON.parse(one) as IntrospectionQuery
    expect(introspection.__schema.queryType.name).toBe('Query')
    // The JSON describes the very same schema as the SDL on stdout.
    expect(`${printSchema(buildClientSchema(introspection))}\n`).toBe(sdlOut.stdout)
  })

  it('explains a missing config with exit 2 and prints help with exit 0', async () => {
    const missing = await runMain(['schema', 'export', '--out', 'x.graphql'], { cwd: tempDir() })
    const help = await runMain(['schema', 'export', '--help'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('[CONFIG_INVALID]: No config file found')
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--out <file>')
    expect(help.stdout).toContain('Exit codes')
  })
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

describe('graphql-auto-gen schema check', () => {
  it(
    'reports the same classification from the command line, exit 1 only for a breaking change',
    async () => {
      // One corpus case per level, in-process (the exit codes of a real process: the next test).
      const picked = (['breaking', 'dangerous', 'safe'] as const).map((level) =>
        CORPUS.find((c) => c.expected.length === 1 && c.expected[0]![0] === level)!,
      )
      const dir = tempDir()
      writeFileSync(join(dir, 'old.graphql'), CORPUS_BASE)
      const runs = await Promise.all(
        picked.map((change, index) => {
          writeFileSync(join(dir, `new-${index}.graphql`), CORPUS_BASE.replace(change.from, change.to))
          return runMain(
            ['schema', 'check', '--against', 'old.graphql', '--schema', `new-${index}.graphql`, '--json'],
            { cwd: dir },
          )
        }),
      )
      for (const [index, change] of picked.entries()) {
        const run = runs[index]!
        const level = change.expected[0]![0]
        expect(run.code, `${change.name}: ${run.stderr}`).toBe(level === 'breaking' ? 1 : 0)
        const result = JSON.parse(run.stdout) as CheckJson
        const expected = compareSchemas(
          buildSchema(CORPUS_BASE),
          buildSchema(CORPUS_BASE.replace(change.from, change.to)),
        )
        expect(result.changes).toEqual(expected)
        expect(result.changes[0]!.coordinate).toBe(change.expected[0]![2])
        expect(result.ok).toBe(level !== 'breaking')
        expect(result.summary).toMatchObject({ [level]: 1 })
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
      expect(lines[1]).toMatch(/^ {2}BREAKING {3}Query\.legacy {2}Field Query\.legacy was removed — .+/)
      expect(lines[2]).toMatch(
        /^ {2}DANGEROUS {2}Status\.PENDING {2}Enum value Status\.PENDING was added — .+/,
      )
      expect(lines[3]).toMatch(/^ {2}SAFE {7}User\.email {2}Field User\.email: String was added — .+/)
      expect(lines[4]).toBe('3 changes: 1 breaking, 1 dangerous, 1 safe.')
      expect(lines[5]).toBe('FAILED: 1 breaking change.')
    },
    LONG,
  )

  it(
    'validates .graphql documents and GraphQL templates in .ts/.tsx files against the new schema',
    async () => {
      const dir = tempDir()
      // The shop's SDL as `schema export` writes it (the export tests prove the bytes are equal).
      const config = (await import('../../../examples/shop/graphql-auto-gen.config.js')) as {
        default: ConstructorParameters<typeof SchemaBuilder>[0]
      }
      writeFileSync(
        join(dir, 'old.graphql'),
        `${printSchema(sortedSchema(new SchemaBuilder(config.default).build()))}\n`,
      )
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
      // In-process, the new schema from the file: the real process above took it from the config.
      const invalid = await runMain(
        [
          'schema',
          'check',
          '--schema',
          'old.graphql',
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
        runMain(
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
        runMain(['schema', 'check', '--against', 'broken.graphql', '--schema', 'old.graphql'], { cwd: dir }),
        runMain(['schema', 'check', '--schema', 'old.graphql'], { cwd: dir }),
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
