import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PGliteDatabase } from '../database/index.js'
import { withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'
import { exampleTabs, GRAPHIQL_ASSETS_PATH } from './graphiql.js'
import { createServer } from './index.js'
import type { AutoGenServer } from './index.js'

describe('GraphiQL (offline, with example tabs)', () => {
  let shop: ShopFixture
  let server: AutoGenServer
  let url: string
  let origin: string

  beforeAll(async () => {
    shop = await withShop(new PGliteDatabase(), { scale: 0.1 })
    server = createServer({ schema: shop.schema })
    url = await server.listen(0, '127.0.0.1')
    origin = new URL(url).origin
  })
  afterAll(async () => {
    await server.close()
  })

  it('prefills one tab per model, each a query that runs without errors', async () => {
    const tabs = exampleTabs(shop.schema)
    const lists = Object.values(shop.schema.getQueryType()!.getFields()).filter((f) =>
      f.type.toString().endsWith('Connection!'),
    )
    // One query tab per model list, then one subscription tab (the example has subscriptions on).
    const queries = tabs.slice(0, -1)
    expect(queries.map((tab) => /query (\w+)/.exec(tab.query)?.[1])).toEqual(
      lists.map((f) => f.name.charAt(0).toUpperCase() + f.name.slice(1)),
    )
    expect(tabs.at(-1)!.query).toMatch(/^subscription \w+Created \{\n {2}\w+Created \{\n {4}id\n/m)
    for (const tab of queries) {
      const result = await shop.run(tab.query)
      expect(result.errors, tab.query).toBeUndefined()
    }
  })

  it('serves the page and every asset from this server, referencing no other origin', async () => {
    const html = await (await fetch(url, { headers: { accept: 'text/html' } })).text()
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
    expect(sources.length).toBeGreaterThanOrEqual(3)
    for (const source of sources) {
      expect(source.startsWith(GRAPHIQL_ASSETS_PATH), source).toBe(true)
      const asset = await fetch(origin + source)
      expect(asset.status, source).toBe(200)
      expect((await asset.arrayBuffer()).byteLength, source).toBeGreaterThan(100)
    }
    expect(html).not.toMatch(/https?:\/\//)
    expect((await fetch(`${origin}${GRAPHIQL_ASSETS_PATH}nope.js`)).status).toBe(404)
  })
})
