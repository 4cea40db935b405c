// The shop example's SDL is committed (examples/shop/schema.graphql) so every change to the
// generated schema shows up in review. Rewrite it with UPDATE_SNAPSHOTS=1.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildSchema, printSchema, validateSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import { buildShopSchema, updatingSnapshots } from '../testing/shopFixture.js'
import { sortedSchema } from './index.js'

const SDL_FILE = fileURLToPath(new URL('../../examples/shop/schema.graphql', import.meta.url))
const HOW_TO_UPDATE =
  'If the change is intended, run `UPDATE_SNAPSHOTS=1 npx vitest run src/schema/schemaSnapshot.test.ts` and commit examples/shop/schema.graphql.'

describe.each(testDatabases())('shop schema SDL on $name', ({ create }) => {
  let db: Database
  let dispose: () => Promise<void>

  beforeAll(async () => {
    ;({ database: db, dispose } = await create())
  })

  afterAll(async () => {
    await dispose()
  })

  it('equals the committed examples/shop/schema.graphql', () => {
    const sdl = `${printSchema(sortedSchema(buildShopSchema(db)))}\n`
    if (updatingSnapshots()) writeFileSync(SDL_FILE, sdl)
    if (!existsSync(SDL_FILE)) {
      expect.fail(`examples/shop/schema.graphql is missing. ${HOW_TO_UPDATE}`)
    }
    expect(sdl, `The shop schema differs from examples/shop/schema.graphql. ${HOW_TO_UPDATE}`).toBe(
      readFileSync(SDL_FILE, 'utf8'),
    )
  })

  it('is a valid schema whose SDL round-trips and does not depend on build order', () => {
    const schema = buildShopSchema(db)
    expect(validateSchema(schema)).toEqual([])
    const sdl = printSchema(sortedSchema(schema))
    expect(printSchema(sortedSchema(buildSchema(sdl)))).toBe(sdl)
    expect(printSchema(sortedSchema(buildShopSchema(db)))).toBe(sdl)
  })
})
