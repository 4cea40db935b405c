import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PGliteDatabase } from '../database/index.js'
import { withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'
import { exampleTabs, GRAPHIQL_ASSETS_PATH } from './graphiql.js'
import { createServer } from './index.js'
import type { AutoGenServer } from './index.js'

/** Debian's chromium package (`apt-get install chromium`); .ci/run installs it when missing. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url))

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
    expect(tabs.map((tab) => /query (\w+)/.exec(tab.query)?.[1])).toEqual(
      lists.map((f) => f.name.charAt(0).toUpperCase() + f.name.slice(1)),
    )
    for (const tab of tabs) {
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

  it('runs a query in a real browser with no network and shows the rows the database holds', async () => {
    // In CI a missing browser is a failure, not a skip: the check below fails the test.
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true)
    const profile = await mkdtemp(join(tmpdir(), 'gag-chromium-'))
    let browser: BrowserContext | undefined
    try {
      // A persistent context is how playwright takes a fresh user-data-dir (the profile above).
      browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        viewport: { width: 1400, height: 1600 },
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic',
        ],
      })
      const page = browser.pages()[0] ?? (await browser.newPage())
      const foreign: string[] = []
      // Any request to another origin would mean a CDN dependency: refuse it and remember it.
      await page.route('**/*', (route) => {
        const target = route.request().url()
        if (target.startsWith(origin) || target.startsWith('blob:') || target.startsWith('data:'))
          return route.continue()
        foreign.push(target)
        return route.abort()
      })
      await page.goto(url, { waitUntil: 'load' })
      const runButton = page.locator('.graphiql-execute-button')
      await runButton.waitFor({ timeout: 30_000 })
      // The first tab is the first model's example query; run it as a user would.
      await expect
        .poll(() => page.locator('.graphiql-query-editor').innerText(), { timeout: 30_000 })
        .toContain('totalCount')
      await runButton.click()
      const expected = await shop.rows<{ username: string }>('select username from users order by id limit 3')
      const [counted] = await shop.rows<{ count: string }>('select count(*)::text as count from users')
      // Monaco draws spaces as no-break spaces.
      const response = async (): Promise<string> =>
        (await page.locator('.graphiql-response').innerText()).replace(/\u00a0/g, ' ')
      await expect.poll(response, { timeout: 30_000 }).toContain(`"totalCount": ${counted!.count}`)
      const shown = await response()
      // Monaco renders only the visible lines: the first rows are on screen.
      for (const row of expected) expect(shown).toContain(`"username": ${JSON.stringify(row.username)}`)
      expect(shown).not.toContain('"errors"')
      // The explorer plugin is bundled too: open it from the sidebar.
      await page.locator('.graphiql-sidebar button[aria-label="Show GraphiQL Explorer"]').first().click()
      await page.locator('.graphiql-explorer-root').waitFor({ timeout: 15_000 })
      expect(foreign).toEqual([])
      await mkdir(RESULTS, { recursive: true })
      await page.screenshot({ path: join(RESULTS, 'graphiql.png') })
      expect(existsSync(join(RESULTS, 'graphiql.png'))).toBe(true)
    } finally {
      await browser?.close()
      await rm(profile, { recursive: true, force: true })
    }
  })
})
