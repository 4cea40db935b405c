// `explain` as a user runs it: the two commands of docs/performance.md (docs.test.ts leaves them to
// this file, see RUN_BY_OTHER_TESTS), a query mixing the two routes, and a refused mutation. Each
// explain of the example is a Node process that starts PGlite and seeds the shop.
import { describe, expect, it } from 'vitest'
import { DOC_COMMAND_ENV, docCommandsRunBy } from '../../../test/docSamples.js'
import { runCli } from '../testing/runCli.js'

/** CLI runs start Node processes; on a busy shared machine each can take many seconds. */
const LONG = 600_000
// The example on embedded PGlite, never a DATABASE_URL the test run may have set.
const env = { ...DOC_COMMAND_ENV }

describe('graphql-auto-gen explain', () => {
  it(
    "prints the route of the query and of each root field, each root field's SQL one clause a line, its bound values and PostgreSQL's plan",
    async () => {
      const docs = docCommandsRunBy('src/cli/commands/explain.test.ts')
      const plainArgs = docs.find((c) => !c.args.includes('--analyze'))?.args
      const analyzedArgs = docs.find((c) => c.args.includes('--analyze'))?.args
      // The commands of docs/performance.md, as written there.
      expect(docs.map((c) => c.where.replace(/:\d+$/, ''))).toEqual([
        'docs/performance.md',
        'docs/performance.md',
      ])
      expect(plainArgs?.slice(0, 3)).toEqual(['explain', '--example', 'shop'])
      expect(analyzedArgs?.slice(0, 6)).toEqual([
        'explain',
        '--example',
        'shop',
        '--analyze',
        '--variables',
        '{"q":"42"}',
      ])
      const [plain, analyzed, refused, mixed] = await Promise.all([
        runCli(plainArgs!, { env }),
        runCli(analyzedArgs!, { env }),
        runCli(['explain', '--example', 'shop', 'mutation { deleteUser(id: "VXNlcjox") { success } }'], {
          env,
        }),
        // A computed field (Profile.fullName) takes graphql-js; the other root field alone would not.
        runCli(
          [
            'explain',
            '--example',
            'shop',
            '{ people: profiles(first: 2) { nodes { fullName } } users(first: 1) { totalCount } }',
          ],
          { env },
        ),
      ])
      expect(analyzed.code, analyzed.stderr).toBe(0)
      const out = analyzed.stdout
      // The route chooseRoute gives, as the server would take it, and each root field's.
      expect(out).toMatch(
        /^Route: compiled \(every field is compiled SQL\)\n {2}users: compiled \(every field is compiled SQL\)\n\n# users\n/,
      )
      // One clause a line, the value bound, never in the text.
      const sql = out.slice(out.indexOf('# users\n'), out.indexOf('-- $1'))
      expect(sql).toMatch(/\n\s+from "users" as "c0"\n\s+where "c0"."username" i?like \$1::text/)
      expect(sql).not.toContain('42')
      expect(out).toContain('-- $1 = "%42%"')
      // EXPLAIN ANALYZE output: the scan of users with actual rows.
      expect(out).toMatch(/Seq Scan on users c0 .*actual time=/)
      expect(out).toContain('Execution Time:')

      // Without --analyze: the plan with its costs, the statement not run again.
      expect(plain.code, plain.stderr).toBe(0)
      expect(plain.stdout).toMatch(
        /^Route: compiled \(every field is compiled SQL\)\n {2}users: compiled \(every field is compiled SQL\)\n\n# users\n/,
      )
      expect(plain.stdout).toMatch(
        /\n\s+order by "t0"."created_at" DESC NULLS FIRST, "t0"."id" DESC NULLS FIRST\n\s+limit 5\)/,
      )
      expect(plain.stdout).toMatch(/\(cost=[\d.]+\.\.[\d.]+ rows=\d+ width=\d+\)\n/)
      expect(plain.stdout).not.toContain('actual time=')
      expect(plain.stdout).not.toContain('Execution Time:')

      // Two root fields on different routes: each named by its response key (an alias here).
      expect(mixed.code, mixed.stderr).toBe(0)
      expect(mixed.stdout).toMatch(
        /^Route: graphql-js \(Profile.fullName has its own resolver\)\n {2}people: graphql-js \(Profile.fullName has its own resolver\)\n {2}users: compiled \(every field is compiled SQL\)\n/,
      )
      expect(mixed.stdout).toMatch(/\n# people\n[^#]*"first_name"[^#]*\n# users\n/)
      expect(refused.code).toBe(2)
      expect(refused.stderr).toContain('explain runs queries only')
    },
    LONG,
  )
})
