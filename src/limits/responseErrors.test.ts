// A response never carries more than `limits.maxResponseErrors` errors (default 10): a document
// that makes hundreds of errors (500 directives on one field) gets the first ones and one
// TOO_MANY_ERRORS error saying how many were left out, so errors cannot amplify a small request.
import { GraphQLError } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { capErrors, ErrorCodes } from '../errors.js'
import { buildShopSchema, shopConfig, withShop } from '../testing/shopFixture.js'
import { sharedDatabase } from '../testing/sharedDatabase.js'
import { startTestServer } from '../testing/testServer.js'
import type { TestServer } from '../testing/testServer.js'

const FIVE_HUNDRED_DIRECTIVES = `{ users(first: 1) ${'@skip(if: false) '.repeat(500)}{ totalCount } }`

describe('capErrors', () => {
  const errors = Array.from({ length: 25 }, (_, i) => new GraphQLError(`e${i}`))

  it('keeps up to `max` errors as they are', () => {
    expect(capErrors(errors.slice(0, 10), 10)).toEqual(errors.slice(0, 10))
  })

  it('keeps the first `max` and summarises the rest in one coded error', () => {
    const capped = capErrors(errors, 10)
    expect(capped).toHaveLength(11)
    expect(capped.slice(0, 10)).toEqual(errors.slice(0, 10))
    expect(capped[10]!.message).toBe('15 more errors were left out of this response.')
    expect(capped[10]!.extensions).toEqual({ code: ErrorCodes.TOO_MANY_ERRORS, omitted: 15, max: 10 })
  })
})

describe.each(testDatabases())('errors per response on $name', ({ create }) => {
  let database: Database
  let dispose: () => Promise<void>
  let api: TestServer
  let three: TestServer

  beforeAll(async () => {
    ;({ database, dispose } = await create())
    await withShop(database, { seed: false })
    api = await startTestServer(buildShopSchema(sharedDatabase(database), shopConfig), database)
    three = await startTestServer(
      buildShopSchema(sharedDatabase(database), { ...shopConfig, limits: { maxResponseErrors: 3 } }),
      database,
    )
  }, 120_000)
  afterAll(async () => {
    await api?.server.close()
    await three?.server.close()
    await dispose()
  })

  it('answers 500 directives on one field with at most 11 errors, the last one TOO_MANY_ERRORS', async () => {
    const posted = await api.post({ query: FIVE_HUNDRED_DIRECTIVES })
    const errors = posted.body.errors ?? []
    expect(errors).toHaveLength(11)
    expect(errors.at(-1)!.extensions['code']).toBe(ErrorCodes.TOO_MANY_ERRORS)
    expect(errors.at(-1)!.extensions['omitted']).toBeGreaterThan(0)
    expect(posted.statements).toBe(0)
  })

  it('follows limits.maxResponseErrors', async () => {
    const errors = (await three.post({ query: FIVE_HUNDRED_DIRECTIVES })).body.errors ?? []
    expect(errors).toHaveLength(4)
    expect(errors.map((e) => e.extensions['code'])).toEqual([
      ...errors.slice(0, 3).map((e) => e.extensions['code']),
      ErrorCodes.TOO_MANY_ERRORS,
    ])
  })
})
