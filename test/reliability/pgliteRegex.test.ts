// PGlite has no statement timeout (it runs PostgreSQL in WASM on the event loop: one long
// statement stops every request, /health included). A caller's regular expression that could run
// for long (back references, nested repetition) is refused there before any SQL runs, with a
// coded error naming the opt-in; ordinary patterns still run, and the opt-in runs them all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserConfig } from '../../src/schema/index.js'
import { PGliteDatabase } from '../../src/database/index.js'
import { ErrorCodes } from '../../src/errors.js'
import { sharedDatabase } from '../../src/testing/sharedDatabase.js'
import { startTestServer } from '../../src/testing/testServer.js'
import type { TestServer } from '../../src/testing/testServer.js'
import { SchemaBuilder } from '../../src/schema/index.js'
import { shopConfig, withShop } from '../../src/testing/shopFixture.js'

/** The pattern of the issue: over "abc…!" its run time grows with about the fifth power of the length (61 + "!": seconds). */
const CATASTROPHIC = '^(.*)(.*)(.*)(.*)(.*)\\5\\4\\3\\2\\1!$'
const NAME = `${'abcdefghijklmnopqrstuvwxyz0123456789'.slice(0, 30)}!`
const usersMatching = (pattern: string) => ({
  query: 'query($p: String!) { users(filter: { username: { regex: $p } }) { totalCount } }',
  variables: { p: pattern },
})

describe('regular expressions on PGlite', () => {
  const database = new PGliteDatabase()
  let guarded: TestServer
  let optedIn: TestServer

  const start = (queries: UserConfig['queries']) =>
    startTestServer(
      new SchemaBuilder(
        { ...shopConfig, queries: { ...shopConfig.queries, ...queries } },
        {
          database: sharedDatabase(database),
        },
      ).build(),
      database,
    )

  beforeAll(async () => {
    await withShop(database, { seed: false })
    await database.query({
      text: `insert into users (username, email) values ($1, 'a@x'), ($2, 'b@x'), ($3, 'c@x')`,
      values: [NAME, 'short!', 'abba!'],
    })
    guarded = await start({})
    optedIn = await start({ unsafeRegexOnPGlite: true })
  }, 60_000)
  afterAll(async () => {
    await guarded?.server.close()
    await optedIn?.server.close()
    await database.close()
  })

  it('refuses a catastrophic pattern by default, before any SQL', async () => {
    const refused = await guarded.post(usersMatching(CATASTROPHIC))
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: ErrorCodes.BAD_USER_INPUT,
      reason: 'unsafeRegex',
    })
    expect(refused.body.errors?.[0]?.message).toContain('queries.unsafeRegexOnPGlite')
    expect(refused.statements).toBe(0)
  })

  it('runs ordinary patterns as before', async () => {
    const answered = await guarded.post(usersMatching('^abc.*!$'))
    expect(answered.body).toEqual({ data: { users: { totalCount: 1 } } })
  })

  it('runs every pattern with queries.unsafeRegexOnPGlite (here over short values)', async () => {
    const count = async (prefix: string) =>
      (
        await optedIn.post({
          query:
            'query($p: String!, $s: String!) { users(filter: { username: { regex: $p, startswith: $s } }) { totalCount } }',
          variables: { p: CATASTROPHIC, s: prefix },
        })
      ).body
    expect(await count('abba')).toEqual({ data: { users: { totalCount: 1 } } })
    expect(await count('short')).toEqual({ data: { users: { totalCount: 0 } } })
  })
})
