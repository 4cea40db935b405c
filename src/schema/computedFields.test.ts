// Computed fields (defineResolvers + field): declared columns read in the same statement as the
// rest of the response, async resolvers, arguments, permissions, masking, and config errors.
import { graphql } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { permissionRequired, toAuthUser } from '../auth/index.js'
import type { UserConfig } from './index.js'
import { countStatements, PGliteDatabase } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { TestDatabase } from '../testing/testDatabases.js'
import { AutoGenError, ErrorCodes, setMaskedErrorLogger } from '../errors.js'
import type { MaskedErrorLogger } from '../errors.js'
import { defineResolvers, field } from '../models/index.js'
import { sharedDatabase } from '../testing/sharedDatabase.js'
import { createServer } from '../server/index.js'
import { buildShopSchema, shopConfig, withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'
import { orders, profiles, tags, users } from '../../examples/shop/models.js'

const SECRET_PERMISSION = 'shop.view_secret'
const defaultLogger: MaskedErrorLogger = (id, error) =>
  console.error(`[graphql-auto-gen] internal error ${id}:`, error)

/** Resolver calls per field, so tests can see what ran. */
const calls = { displayName: 0 }

const userResolvers = defineResolvers(users, {
  displayName: field({
    type: 'String!',
    needs: ['username', 'createdAt'],
    // Async on purpose: resolvers may await.
    resolve: async (user) => {
      calls.displayName++
      await new Promise((resolve) => setImmediate(resolve))
      return `@${user.username} (since ${user.createdAt.slice(0, 4)})`
    },
  }),
  initials: field({
    needs: ['username'],
    args: { separator: { type: 'String', defaultValue: '.' }, upper: 'Boolean' },
    resolve: (user, args) => {
      const letters = user.username.slice(0, 2).split('')
      const text = letters.join(String(args['separator']))
      return args['upper'] === true ? text.toUpperCase() : text
    },
  }),
  secretNote: field({
    needs: ['email'],
    permission: permissionRequired(SECRET_PERMISSION),
    resolve: (user) => `secret of ${user.email}`,
  }),
  broken: field({
    needs: ['username'],
    resolve: () => {
      throw new Error('database password is hunter2')
    },
  }),
  refused: field({
    needs: ['username'],
    resolve: () => {
      throw new AutoGenError(ErrorCodes.BAD_USER_INPUT, 'Not for this user.')
    },
  }),
})

const orderResolvers = defineResolvers(orders, {
  label: field({
    type: 'String!',
    needs: ['status', 'total'],
    resolve: (order) => `${order.status}: ${order.total}`,
  }),
})

/** The shop config (which already has Profile.fullName) plus the resolvers above. */
function computedConfig(config: UserConfig = shopConfig): UserConfig {
  return { ...config, resolvers: [...(config.resolvers ?? []), userResolvers, orderResolvers] }
}

describe.each(testDatabases())('computed fields on $name', (entry: TestDatabase) => {
  let shop: ShopFixture
  let dispose: () => Promise<void>

  beforeAll(async () => {
    const created = await entry.create()
    dispose = created.dispose
    shop = await withShop(created.database, { scale: 0.05, configure: computedConfig })
  })
  afterAll(async () => dispose())

  it('fullName reads firstName and lastName in the same statement', async () => {
    const { result, count, statements } = await countStatements(shop.db, () =>
      shop.data<{ profiles: { nodes: Array<{ firstName: string; lastName: string; fullName: string }> } }>(
        '{ profiles(first: 5) { nodes { fullName firstName lastName } } }',
      ),
    )
    expect(count).toBe(1)
    expect(statements[0]!.text).toContain(`'fullName', json_build_object('id', `)
    expect(result.profiles.nodes).toHaveLength(5)
    for (const profile of result.profiles.nodes)
      expect(profile.fullName).toBe(`${profile.firstName} ${profile.lastName}`)
    const rows = await shop.rows<{ first_name: string; last_name: string }>(
      'select first_name, last_name from profiles order by id limit 5',
    )
    expect(result.profiles.nodes.map((p) => p.fullName)).toEqual(
      rows.map((r) => `${r.first_name} ${r.last_name}`),
    )
  })

  it('reads only the needed columns when fullName is selected alone', async () => {
    const { result, count, statements } = await countStatements(shop.db, () =>
      shop.data<{ profiles: { nodes: Array<{ fullName: string }> } }>(
        '{ profiles(first: 2) { nodes { fullName } } }',
      ),
    )
    expect(count).toBe(1)
    expect(statements[0]!.text).not.toContain('"bio"')
    expect(result.profiles.nodes[0]!.fullName).toMatch(/^\S+ \S+$/)
  })

  it('works nested in connections and to-one relations, with async resolvers, in one statement', async () => {
    const before = calls.displayName
    const { result, count } = await countStatements(shop.db, () =>
      shop.data<{
        users: {
          nodes: Array<{
            username: string
            displayName: string
            profile: { fullName: string } | null
            orders: { nodes: Array<{ label: string; status: string; user: { displayName: string } }> }
          }>
        }
      }>(
        `{ users(first: 3, orderBy: [{ pk: ASC }]) { nodes { username displayName profile { fullName }
            orders(first: 2) { nodes { label status user { displayName } } } } } }`,
      ),
    )
    expect(count).toBe(1)
    const nodes = result.users.nodes
    expect(nodes).toHaveLength(3)
    let expectedCalls = 0
    for (const user of nodes) {
      expect(user.displayName).toMatch(new RegExp(`^@${user.username} \\(since \\d{4}\\)$`))
      expectedCalls++
      for (const order of user.orders.nodes) {
        // The row holds the SQL value of an enum (`paid`), the API shows its GraphQL name (`PAID`).
        expect(order.label.startsWith(`${order.status.toLowerCase()}: `)).toBe(true)
        expect(order.user.displayName).toBe(user.displayName)
        expectedCalls++
      }
    }
    expect(nodes.some((u) => u.profile !== null)).toBe(true)
    expect(calls.displayName - before).toBe(expectedCalls)
  })

  it('serves computed fields over HTTP (graphql-js runs them; the statement is still one)', async () => {
    const server = createServer({ schema: buildShopSchema(sharedDatabase(shop.db), computedConfig()) })
    try {
      const url = await server.listen(0, '127.0.0.1')
      const { result, count } = await countStatements(shop.db, async () => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ profiles(first: 2) { nodes { firstName lastName fullName } } }' }),
        })
        return (await response.json()) as {
          data: { profiles: { nodes: Array<{ firstName: string; lastName: string; fullName: string }> } }
        }
      })
      expect(count).toBe(1)
      for (const p of result.data.profiles.nodes) expect(p.fullName).toBe(`${p.firstName} ${p.lastName}`)
    } finally {
      await server.close()
    }
  })

  it('takes arguments, and aliases with different arguments each get their value', async () => {
    const data = await shop.data<{ users: { nodes: Array<Record<string, string>> } }>(
      `{ users(first: 1, orderBy: [{ pk: ASC }]) { nodes { username a: initials b: initials(separator: "-", upper: true) } } }`,
    )
    const user = data.users.nodes[0]!
    const [first, second] = user['username']!.split('')
    expect(user['a']).toBe(`${first}.${second}`)
    expect(user['b']).toBe(`${first}-${second}`.toUpperCase())
  })

  it('works in a root single field and in mutation payloads', async () => {
    const [profile] = await shop.rows<{ id: number; first_name: string }>(
      'select id, first_name from profiles order by id limit 1',
    )
    const id = Buffer.from(`Profile:${profile!.id}`).toString('base64')
    const single = await shop.data<{ profile: { fullName: string } }>(`{ profile(id: "${id}") { fullName } }`)
    expect(single.profile.fullName.startsWith(`${profile!.first_name} `)).toBe(true)
    const updated = await shop.data<{ updateProfile: { profile: { fullName: string } } }>(
      `mutation { updateProfile(id: "${id}", input: { lastName: "Computed" }) { profile { fullName } } }`,
    )
    expect(updated.updateProfile.profile.fullName).toBe(`${profile!.first_name} Computed`)
  })

  it('cannot filter or order by a computed field', async () => {
    for (const source of [
      '{ profiles(filter: { fullName: { exact: "x" } }) { totalCount } }',
      '{ profiles(orderBy: [{ fullName: ASC }]) { totalCount } }',
    ]) {
      const result = await shop.run(source)
      expect(result.errors?.[0]?.message).toMatch(/fullName/)
      expect(result.data).toBeUndefined()
    }
  })

  it('masks errors of user resolvers unless they are catalogue errors', async () => {
    const logged: Array<[string, unknown]> = []
    setMaskedErrorLogger((id, error) => logged.push([id, error]))
    const result = await shop.run('{ users(first: 1) { nodes { username broken refused } } }')
    setMaskedErrorLogger(defaultLogger)
    const byPath = new Map(result.errors!.map((e) => [e.path!.join('.'), e]))
    const broken = byPath.get('users.nodes.0.broken')!
    expect(broken.message).not.toContain('hunter2')
    expect(broken.extensions['code']).toBe(ErrorCodes.INTERNAL_SERVER_ERROR)
    expect(broken.extensions['errorId']).toMatch(/^[0-9a-f-]{36}$/)
    // The real error is logged under the id the client got.
    expect(logged.map(([id]) => id)).toEqual([broken.extensions['errorId']])
    expect(String((logged[0]![1] as Error).message)).toContain('hunter2')
    const refused = byPath.get('users.nodes.0.refused')!
    expect(refused.message).toBe('Not for this user.')
    expect(refused.extensions['code']).toBe(ErrorCodes.BAD_USER_INPUT)
    // The rest of the row is still served.
    expect(
      (result.data as { users: { nodes: Array<{ username: string }> } }).users.nodes[0]!.username,
    ).toBeTruthy()
  })

  it('permissionRequired guards a computed field: null and FORBIDDEN, and its columns are not read', async () => {
    const source = '{ users(first: 1, orderBy: [{ pk: ASC }]) { nodes { email secretNote } } }'
    const anonymous = await countStatements(shop.db, () => shop.run(source))
    expect(anonymous.result.errors?.map((e) => e.extensions['code'])).toEqual([ErrorCodes.FORBIDDEN])
    const node = (anonymous.result.data as { users: { nodes: Array<Record<string, unknown>> } }).users
      .nodes[0]!
    expect(node['secretNote']).toBeNull()
    expect(anonymous.statements[0]!.text).toContain(`'secretNote', NULL`)
    const allowed = await graphql({
      schema: shop.schema,
      source,
      contextValue: { user: toAuthUser({ id: '1', permissions: [SECRET_PERMISSION] }) },
    })
    expect(allowed.errors).toBeUndefined()
    const row = (allowed.data as { users: { nodes: Array<Record<string, string>> } }).users.nodes[0]!
    expect(row['secretNote']).toBe(`secret of ${row['email']}`)
  })
})

describe('computed field config errors', () => {
  // Never queried: building fails before any SQL runs.
  const db = new PGliteDatabase()
  afterAll(() => db.close())
  const build =
    (resolvers: unknown[]): (() => unknown) =>
    () =>
      buildShopSchema(db, { ...shopConfig, resolvers: resolvers as UserConfig['resolvers'] })

  it('names the key and suggests the column for an unknown need', () => {
    const typo = defineResolvers(users, {
      // @ts-expect-error -- `usrname` is not a column: the type checker refuses it too.
      shout: field({ needs: ['usrname'], resolve: (user) => user }),
    })
    expect(build([typo])).toThrow(
      /resolvers\.0\.shout\.needs\.0: `users` has no column `usrname`\. Did you mean `username`\?/,
    )
  })

  it('refuses tables that are not models, non-sets, unknown types and names taken by columns', () => {
    const notModel = defineResolvers(tags, { x: field(() => 'x') })
    expect(() =>
      buildShopSchema(db, { ...shopConfig, models: { users, profiles }, resolvers: [notModel] }),
    ).toThrow(/resolvers\.0: table `tags` is not a model of this config; add it to `models`/)
    expect(build([{ fullName: () => 'x' }])).toThrow(/resolvers\.0: expected defineResolvers\(table/)
    expect(build([defineResolvers(users, { x: field({ type: 'Strng', resolve: () => 'x' }) })])).toThrow(
      /resolvers\.0\.x\.type: unknown type `Strng`.*Did you mean `String`\?/,
    )
    expect(build([defineResolvers(users, { email: field(() => 'x') })])).toThrow(
      /resolvers\.0\.email: `email` is a column of `users`/,
    )
    // Two computed fields wanting one name: the naming stage names both sources.
    const twice = [
      defineResolvers(users, { nick: field(() => 'a') }),
      defineResolvers(users, { nick: field(() => 'b') }),
    ]
    expect(build(twice)).toThrow(
      /`nick` is wanted by computed field resolvers\.0\.nick and by computed field resolvers\.1\.nick/,
    )
  })
})
