// Measures /health during the catastrophic regex on PGlite, with and without the guard:
// npx tsx test/reliability/measurePgliteRegex.ts (numbers in docs/operations.md).
import { PGliteDatabase } from '../../src/database/index.js'
import { sharedDatabase } from '../../src/testing/sharedDatabase.js'
import { SchemaBuilder } from '../../src/schema/index.js'
import { createServer } from '../../src/server/index.js'
import { shopConfig, withShop } from '../../src/testing/shopFixture.js'
const NAME = `${'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(2).slice(0, 61)}!`
const BAD = '^(.*)(.*)(.*)(.*)(.*)\\5\\4\\3\\2\\1!$'
const db = new PGliteDatabase()
await withShop(db, { seed: false })
await db.query({ text: `insert into users (username, email) values ($1, 'a@x')`, values: [NAME] })
for (const unsafe of [true, false]) {
  const server = createServer({
    schema: new SchemaBuilder(
      { ...shopConfig, queries: { ...shopConfig.queries, unsafeRegexOnPGlite: unsafe } },
      { database: sharedDatabase(db) },
    ).build(),
  })
  const url = await server.listen(0, '127.0.0.1')
  const t0 = performance.now()
  const bad = fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'query($p: String!) { users(filter: { username: { regex: $p } }) { totalCount } }',
      variables: { p: BAD },
    }),
  })
    .then((r) => r.json())
    .then((b) => ({ ms: performance.now() - t0, b }))
  await new Promise((r) => setTimeout(r, 800))
  await fetch(new URL('/health', url))
  const health = performance.now() - (t0 + 800)
  const res = await bad
  console.log(
    JSON.stringify({
      unsafeRegexOnPGlite: unsafe,
      badQueryMs: Math.round(res.ms),
      healthMs: Math.round(health),
      answer: JSON.stringify(res.b).slice(0, 120),
    }),
  )
  await server.close()
}
await db.close()
