// GraphiQL in a real browser (Debian's chromium through playwright-core), offline: run a query,
// order it through the explorer's `orderBy` node, subscribe and see a creation arrive. Screenshots
// of each step go to test-results/graphiql/ (gitignored; CI keeps them as artifacts).
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isInputObjectType } from 'graphql'
import { chromium } from 'playwright-core'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PGliteDatabase } from '../database/index.js'
import { getSchemaRuntime } from '../schema/index.js'
import { withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'
import { chromiumPath } from '../testing/tiers.js'
import { createServer } from './index.js'
import type { AutoGenServer } from './index.js'

const RESULTS = fileURLToPath(new URL('../../test-results/graphiql/', import.meta.url))
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

describe('GraphiQL in Chromium', () => {
  let shop: ShopFixture
  let server: AutoGenServer
  let url: string
  let profile: string
  let browser: BrowserContext
  let page: Page
  const foreign: string[] = []

  beforeAll(async () => {
    shop = await withShop(new PGliteDatabase(), { scale: 0.1 })
    server = createServer({ schema: shop.schema })
    url = await server.listen(0, '127.0.0.1')
    const origin = new URL(url).origin
    await mkdir(RESULTS, { recursive: true })
    profile = await mkdtemp(join(tmpdir(), 'gag-chromium-'))
    // A persistent context is how playwright takes a fresh user-data-dir (the profile above).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      // Narrow enough that an open side panel squeezes the editor (the title must stay on one line).
      viewport: { width: 1100, height: 900 },
      headless: true,
      args: CHROMIUM_ARGS,
    })
    page = browser.pages()[0] ?? (await browser.newPage())
    // Any request to another origin would mean a CDN dependency: refuse it and remember it.
    await page.route('**/*', (route) => {
      const target = route.request().url()
      if (target.startsWith(origin) || target.startsWith('blob:') || target.startsWith('data:'))
        return route.continue()
      foreign.push(target)
      return route.abort()
    })
    await page.goto(url, { waitUntil: 'load' })
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 60_000 })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (profile) await rm(profile, { recursive: true, force: true })
  })

  /** The response pane's text (Monaco draws spaces as no-break spaces, and only visible lines). */
  const response = async (): Promise<string> =>
    (await page.locator('.graphiql-response').innerText()).replace(/\u00a0/g, ' ')
  const editor = async (): Promise<string> =>
    (await page.locator('.graphiql-query-editor').innerText()).replace(/\u00a0/g, ' ')
  const screenshot = async (name: string): Promise<void> => {
    const path = join(RESULTS, `${name}.png`)
    await page.screenshot({ path })
    expect((await stat(path)).size).toBeGreaterThan(10_000)
  }

  it('loads offline and runs the first tab’s query, showing the rows the database holds', async () => {
    await expect.poll(editor, { timeout: 30_000 }).toContain('totalCount')
    await page.locator('.graphiql-execute-button').click()
    const [counted] = await shop.rows<{ count: string }>('select count(*)::text as count from users')
    await expect.poll(response, { timeout: 30_000 }).toContain(`"totalCount": ${counted!.count}`)
    const shown = await response()
    const first = await shop.rows<{ username: string }>('select username from users order by id limit 2')
    // A narrow pane wraps long lines after the key.
    for (const row of first)
      expect(shown).toMatch(new RegExp(`"username":\\s*${JSON.stringify(row.username)}`))
    expect(shown).not.toContain('"errors"')
    expect(foreign).toEqual([])
    await screenshot('1-query')
  })

  it('opens the explorer on orderBy: it lists the order keys, and picking one orders the rows', async () => {
    await page.locator('.graphiql-sidebar button[aria-label="Show GraphiQL Explorer"]').first().click()
    const explorer = page.locator('.graphiql-explorer-root')
    await explorer.waitFor({ timeout: 15_000 })
    const orderBy = explorer.locator('[data-arg-name="orderBy"]').first()
    await orderBy.getByText('orderBy:').click()
    // The explorer edits the one-item form `orderBy: {…}` (GraphQL takes one item for a list).
    await expect.poll(editor, { timeout: 15_000 }).toMatch(/users\(first: 10, orderBy: \{\s*\}\)/)
    const keys = await orderBy
      .locator('[data-arg-name]')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-arg-name')))
    const orderType = shop.schema.getType('UserOrderBy')
    if (!isInputObjectType(orderType)) throw new Error('UserOrderBy is not an input type')
    expect(keys).toEqual(Object.keys(orderType.getFields()).sort())
    await orderBy.locator('[data-arg-name="username"]').getByText('username:').click()
    await expect.poll(editor, { timeout: 15_000 }).toContain('orderBy: { username: ASC }')
    await page.locator('.graphiql-execute-button').click()
    // What the API answers for that ordering (ordering itself is tested against SQL elsewhere).
    const expected = await shop.data<{ users: { nodes: Array<{ username: string }> } }>(
      '{ users(first: 1, orderBy: {username: ASC}) { nodes { username } } }',
    )
    const firstByName = expected.users.nodes[0]!
    await expect
      .poll(async () => /"username":\s*("[^"]*")/.exec(await response())?.[1], { timeout: 30_000 })
      .toBe(JSON.stringify(firstByName!.username))
    // With the panel open the title keeps to one line (it wrapped under the tabs before).
    const titleLines = await page.locator('.graphiql-logo').evaluate((logo) => {
      // The text's line boxes (the icon beside it is not text).
      const walker = document.createTreeWalker(logo, NodeFilter.SHOW_TEXT)
      const tops = new Set<number>()
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const range = document.createRange()
        range.selectNodeContents(node)
        for (const rect of range.getClientRects()) if (rect.width > 0) tops.add(Math.round(rect.top))
      }
      return tops.size
    })
    expect(titleLines).toBe(1)
    await screenshot('2-explorer-orderBy')
  })

  it('runs the subscription tab and shows a creation made through the API', async () => {
    // A newcomer's browser (a fresh profile: GraphiQL keeps tabs and operation names per profile),
    // wide enough to show every tab.
    await browser.close()
    await rm(profile, { recursive: true, force: true })
    profile = await mkdtemp(join(tmpdir(), 'gag-chromium-'))
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      viewport: { width: 1700, height: 900 },
      headless: true,
      args: CHROMIUM_ARGS,
    })
    page = browser.pages()[0] ?? (await browser.newPage())
    await page.goto(url, { waitUntil: 'load' })
    await page.locator('button.graphiql-tab-button[title="UserCreated"]').click()
    await expect.poll(editor, { timeout: 15_000 }).toContain('subscription UserCreated')
    // GraphiQL updates the tab's operation name on a debounce after the switch; Run before it
    // fires sends the previous tab's name ("Cannot infer operation Users").
    await page.waitForTimeout(1500)
    await page.locator('.graphiql-execute-button').click()
    // GraphiQL subscribes over SSE; wait until the server holds the subscription, then create.
    await expect
      .poll(() => getSchemaRuntime(shop.schema).changes?.active ?? 0, { timeout: 30_000 })
      .toBe(1)
      .catch(async (error: unknown) => {
        // What GraphiQL showed instead (an error from the server, say) is the useful part.
        await screenshot('3-subscription-failed')
        throw new Error(`no subscription reached the server; GraphiQL shows: ${await response()}`, {
          cause: error,
        })
      })
    const created = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'mutation { createUser(input: {username: "seen_in_graphiql", email: "s@example.com"}) { success } }',
      }),
    })
    expect(((await created.json()) as { data: unknown }).data).toEqual({ createUser: { success: true } })
    await expect.poll(response, { timeout: 30_000 }).toMatch(/"username":\s*"seen_in_graphiql"/)
    await screenshot('3-subscription')
  })
})
