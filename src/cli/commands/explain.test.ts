import { describe, expect, it } from 'vitest'
import { runCli } from '../testing/runCli.js'

/** CLI runs start Node processes; on a busy shared machine each can take many seconds. */
const LONG = 600_000
// The example on embedded PGlite, never a DATABASE_URL the test run may have set.
const env = { DATABASE_URL: '' }

describe('graphql-auto-gen explain', () => {
  it(
    "prints the route of the query and of each root field, each root field's SQL one clause a line, its bound values and PostgreSQL's plan",
    async () => {
      const [analyzed, refused, mixed] = await Promise.all([
        runCli(
          [
            'explain',
            '--example',
            'shop',
            '--analyze',
            '--variables',
            '{"q":"a"}',
            'query ($q: String) { users(first: 3, filter: {username: {icontains: $q}}) { totalCount } top: products(first: 1) { nodes { name } } }',
          ],
          { env },
        ),
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
        /^Route: compiled \(every field is compiled SQL\)\n {2}users: compiled \(every field is compiled SQL\)\n {2}top: compiled /,
      )
      expect(out).toContain('\n# users\n')
      expect(out).toContain('\n# top\n')
      // One clause a line, the value bound, never in the text.
      expect(out).toMatch(/\n\s+from "users" as "c0"\n\s+where "c0"."username" ilike \$1::text/)
      expect(out).toContain('-- $1 = "%a%"')
      // EXPLAIN ANALYZE output: the scan of users with actual rows.
      expect(out).toMatch(/Seq Scan on users c0 .*actual time=/)
      expect(out).toContain('Execution Time:')
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
