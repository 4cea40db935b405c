// The permission matrix: for the shop example with row policies, permission classes and a field
// permission, every (role, model, operation) and access path is checked against expected sets
// computed here in TypeScript by evaluating the same policy definitions over every row.
import { graphql, GraphQLNonNull, isObjectType } from 'graphql'
import type { ExecutionResult, GraphQLSchema } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANONYMOUS_USER, IsAdminUser, IsAuthenticated, permissionRequired } from '../auth/index.js'
import type { AuthUser, PermissionClass, RowPolicy } from '../auth/index.js'
import type { UserConfig } from './index.js'
import { countStatements } from '../database/index.js'
import { testDatabases } from '../testing/testDatabases.js'
import type { Database } from '../database/index.js'
import type { TestDatabase } from '../testing/testDatabases.js'
import type { ModelOptions, Relation } from '../models/index.js'
import { encodeGlobalId } from '../naming/index.js'
import type { ModelNames } from '../naming/index.js'
import { shopConfig, withShop } from '../testing/shopFixture.js'
import type { ShopFixture } from '../testing/shopFixture.js'
import { getSchemaRuntime } from './index.js'

type Row = Record<string, unknown>
type Filter = Record<string, unknown>

/** A customer sees their own user, profile, orders and order items; staff see everything. */
const own = (user: AuthUser, path: (id: string) => Filter): ReturnType<RowPolicy> =>
  user.isStaff ? true : user.id === null ? false : path(user.id)
const POLICIES: Record<string, RowPolicy> = {
  users: (user) => own(user, (id) => ({ pk: { exact: id } })),
  profiles: (user) => own(user, (id) => ({ user: { pk: { exact: id } } })),
  orders: (user) => own(user, (id) => ({ user: { pk: { exact: id } } })),
  // Reaches orders, whose own policy applies inside it too.
  orderItems: (user) => own(user, (id) => ({ order: { user: { pk: { exact: id } } } })),
}
/** View permission per model (others: the global IsAuthenticatedOrReadOnly, so anyone may view). */
const VIEW: Record<string, PermissionClass[]> = {
  users: [IsAuthenticated],
  profiles: [IsAuthenticated],
  orders: [IsAuthenticated],
  orderItems: [IsAuthenticated],
}
const EMAIL_PERMISSION = 'users.view_user'

/** The example config with the policies, classes and the `email` field permission added. */
function policyConfig(): UserConfig {
  const models = shopConfig.models as Record<string, ModelOptions | ModelOptions['table']>
  const withOptions = Object.fromEntries(
    Object.entries(models).map(([name, input]) => {
      const options: ModelOptions =
        'table' in input && !('getSQL' in input)
          ? { ...(input as ModelOptions) }
          : { table: input as ModelOptions['table'] }
      if (POLICIES[name]) options.rowPolicy = POLICIES[name]
      if (VIEW[name]) {
        options.permissions = {
          view: VIEW[name],
          ...(name === 'orders'
            ? { add: [IsAuthenticated], change: [IsAuthenticated], delete: [IsAdminUser] }
            : {}),
        }
      }
      if (name === 'users') options.fields = { email: { permission: permissionRequired(EMAIL_PERMISSION) } }
      return [name, options]
    }),
  )
  return {
    ...shopConfig,
    models: withOptions,
    security: { permissionClasses: ['IsAuthenticatedOrReadOnly'] },
  }
}

describe.each(testDatabases())('permission matrix on $name', (entry: TestDatabase) => {
  let shop: ShopFixture
  let schema: GraphQLSchema
  let db: Database
  let dispose: () => Promise<void>
  let names: Map<string, ModelNames>
  const rows = new Map<string, Row[]>()
  const junctions = new Map<string, Row[]>()
  const roles: Record<'anonymous' | 'customer' | 'staff', AuthUser> = {
    anonymous: ANONYMOUS_USER,
    customer: ANONYMOUS_USER,
    staff: ANONYMOUS_USER,
  }
  const roleNames = ['anonymous', 'customer', 'staff'] as const
  type Role = (typeof roleNames)[number]

  beforeAll(async () => {
    const created = await entry.create()
    dispose = created.dispose
    db = created.database
    shop = await withShop(db, { scale: 0.05, configure: policyConfig })
    schema = shop.schema
    names = getSchemaRuntime(schema).names.models
    await reloadRows()
    // A customer with orders (and a profile), and a staff member who may read emails.
    const orders = rows.get('orders')!
    const profiles = rows.get('profiles')!
    const customerId = orders
      .map((o) => String(o['user_id']))
      .find((id) => profiles.some((p) => String(p['user_id']) === id))!
    const staffId = rows
      .get('users')!
      .map((u) => String(u['id']))
      .find((id) => id !== customerId)!
    roles.customer = {
      id: customerId,
      isAuthenticated: true,
      isStaff: false,
      isSuperuser: false,
      permissions: [],
      groups: [],
    }
    roles.staff = {
      id: staffId,
      isAuthenticated: true,
      isStaff: true,
      isSuperuser: false,
      permissions: [EMAIL_PERMISSION],
      groups: [],
    }
  })
  afterAll(async () => dispose())

  async function reloadRows(): Promise<void> {
    for (const model of names.values()) {
      rows.set(model.model.name, await shop.rows(`select * from ${quote(model.model.table)}`))
      for (const relation of model.model.relations) {
        if (relation.through)
          junctions.set(
            relation.through.table,
            await shop.rows(`select * from ${quote(relation.through.table)}`),
          )
      }
    }
  }

  // ---- expectations: the policy definitions evaluated in TypeScript over every row ----

  const pkOf = (model: string, row: Row): string => String(row[names.get(model)!.model.primaryKey[0]!.column])

  function mayView(role: Role, model: string): boolean {
    const user = roles[role]
    const classes = VIEW[model] ?? []
    const ctx = {
      user,
      operation: 'view' as const,
      context: { user },
      model: { name: model, typeName: '', appLabel: model, codename: '' },
    }
    return classes.every((c) => c.hasPermission!(ctx, 'view') === true)
  }

  function related(relation: Relation, row: Row): Row[] {
    const targets = rows.get(relation.target)!
    const through = relation.through
    if (through) {
      const links = junctions
        .get(through.table)!
        .filter((j) =>
          through.sourceColumns.every((c, i) => String(j[c]) === String(row[through.sourceKeys[i]!])),
        )
      return targets.filter((t) =>
        links.some((j) =>
          through.targetColumns.every((c, i) => String(j[c]) === String(t[through.targetKeys[i]!])),
        ),
      )
    }
    return targets.filter((t) =>
      relation.targetColumns.every(
        (c, i) =>
          row[relation.sourceColumns[i]!] !== null &&
          String(t[c]) === String(row[relation.sourceColumns[i]!]),
      ),
    )
  }

  function visible(role: Role, model: string, row: Row): boolean {
    if (!mayView(role, model)) return false
    const policy = POLICIES[model]?.(roles[role]) ?? true
    if (typeof policy === 'boolean' || policy === null || policy === undefined) return policy !== false
    return matches(role, model, row, policy)
  }

  /** The filter language subset the policies use: `pk`/column `{ exact }` and to-one relations. */
  function matches(role: Role, model: string, row: Row, filter: Filter): boolean {
    const modelNames = names.get(model)!
    return Object.entries(filter).every(([key, value]) => {
      const binding = modelNames.fields.get(key)!
      if (binding.kind === 'relation') {
        return related(binding.relation, row).some(
          (r) =>
            visible(role, binding.relation.target, r) &&
            matches(role, binding.relation.target, r, value as Filter),
        )
      }
      if (binding.kind === 'primaryKey' || binding.kind === 'column') {
        return String(row[binding.field.column]) === String((value as { exact: unknown }).exact)
      }
      throw new Error(`unsupported policy key ${key}`)
    })
  }

  const visibleRows = (role: Role, model: string): Row[] =>
    rows.get(model)!.filter((r) => visible(role, model, r))
  const visiblePks = (role: Role, model: string): string[] =>
    visibleRows(role, model)
      .map((r) => pkOf(model, r))
      .sort()

  // ---- running documents as a role ----

  const run = (
    role: Role,
    source: string,
    variableValues?: Record<string, unknown>,
  ): Promise<ExecutionResult> =>
    graphql({
      schema,
      source,
      contextValue: { user: roles[role] },
      ...(variableValues ? { variableValues } : {}),
    })

  const codes = (result: ExecutionResult): string[] =>
    (result.errors ?? []).map((e) => String(e.extensions['code']))

  /** Every row of a list field as `select`'s JSON, paging through with cursors. */
  async function readAll(
    role: Role,
    model: ModelNames,
    select: string,
    filter?: Filter,
  ): Promise<{ nodes: Row[]; totalCount: number; errors: string[] }> {
    const nodes: Row[] = []
    let after: string | null = null
    let totalCount = 0
    for (;;) {
      const result: ExecutionResult = await run(
        role,
        `query($after: String, $filter: ${model.filterTypeName}) { list: ${model.listField}(first: 100, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } nodes { ${select} } } }`,
        { after, filter: filter ?? null },
      )
      if (result.errors) return { nodes, totalCount, errors: codes(result) }
      const list = (
        result.data as {
          list: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: Row[] }
        }
      ).list
      nodes.push(...list.nodes)
      totalCount = list.totalCount
      if (!list.pageInfo.hasNextPage) return { nodes, totalCount, errors: [] }
      after = list.pageInfo.endCursor
    }
  }

  const refusal = (role: Role): string => (role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN')
  const sorted = (values: unknown[]): string[] => values.map(String).sort()

  it('lists exactly the rows each role may see, with totalCount, or refuses the model', async () => {
    for (const role of roleNames) {
      for (const model of names.values()) {
        const name = model.model.name
        const { nodes, totalCount, errors } = await readAll(role, model, 'pk')
        if (!mayView(role, name)) {
          expect(errors, `${role} ${name}`).toEqual([refusal(role)])
          continue
        }
        expect(errors, `${role} ${name}`).toEqual([])
        expect(sorted(nodes.map((n) => n['pk'])), `${role} ${name}`).toEqual(visiblePks(role, name))
        expect(totalCount, `${role} ${name}`).toBe(visiblePks(role, name).length)
      }
    }
    // The matrix is not trivial: the customer sees some but not all orders, staff all of them.
    expect(visiblePks('customer', 'orders').length).toBeGreaterThan(0)
    expect(visiblePks('customer', 'orders').length).toBeLessThan(rows.get('orders')!.length)
    expect(visiblePks('customer', 'orderItems').length).toBeGreaterThan(0)
    expect(visiblePks('staff', 'orders').length).toBe(rows.get('orders')!.length)
  })

  it('reads rows by node(id) and by the single field exactly when visible; hidden ids look like missing ones', async () => {
    for (const role of roleNames) {
      for (const model of names.values()) {
        const name = model.model.name
        const all = rows.get(name)!.map((r) => pkOf(name, r))
        const missing = String(Math.max(...all.map(Number)) + 1000)
        const ids = [...all, missing]
        const fields = ids.flatMap((pk, i) => {
          const id = JSON.stringify(encodeGlobalId(model.typeName, pk))
          return [
            `n${i}: node(id: ${id}) { ... on ${model.typeName} { pk } }`,
            `s${i}: ${model.singleField}(id: ${id}) { pk }`,
          ]
        })
        const result = await run(role, `{ ${fields.join(' ')} }`)
        if (!mayView(role, name)) {
          expect(new Set(codes(result)), `${role} ${name}`).toEqual(new Set([refusal(role)]))
          continue
        }
        expect(result.errors, `${role} ${name}`).toBeUndefined()
        const data = result.data as Record<string, { pk: unknown } | null>
        const shown = new Set(visiblePks(role, name))
        ids.forEach((pk, i) => {
          const expected = shown.has(pk) ? { pk: Number(pk) } : null
          expect(data[`n${i}`], `${role} node ${name} ${pk}`).toEqual(expected)
          expect(data[`s${i}`], `${role} ${model.singleField} ${pk}`).toEqual(expected)
        })
      }
    }
  })

  it('nests, in both directions, only related rows the role may see', async () => {
    for (const role of roleNames) {
      for (const model of names.values()) {
        const name = model.model.name
        if (!mayView(role, name)) continue
        for (const [field, binding] of model.fields) {
          if (binding.kind !== 'relation') continue
          const target = binding.relation.target
          const toOne = binding.relation.kind === 'toOne'
          const select = toOne ? `pk ${field} { pk }` : `pk ${field}(first: 100) { totalCount nodes { pk } }`
          const { nodes, errors } = await readAll(role, model, select)
          expect(errors, `${role} ${name}.${field}`).toEqual([])
          const byPk = new Map(rows.get(name)!.map((r) => [pkOf(name, r), r]))
          for (const node of nodes) {
            const expected = related(binding.relation, byPk.get(String(node['pk']))!)
              .filter((r) => visible(role, target, r))
              .map((r) => pkOf(target, r))
              .sort()
            const value = node[field] as
              { pk: unknown } | { totalCount: number; nodes: Array<{ pk: unknown }> } | null
            if (toOne) {
              expect(
                value === null ? [] : [String((value as { pk: unknown }).pk)],
                `${role} ${name}.${field}`,
              ).toEqual(expected)
            } else {
              const connection = value as { totalCount: number; nodes: Array<{ pk: unknown }> }
              expect(sorted(connection.nodes.map((n) => n.pk)), `${role} ${name}.${field}`).toEqual(expected)
              expect(connection.totalCount, `${role} ${name}.${field} totalCount`).toBe(expected.length)
            }
          }
        }
      }
    }
  })

  it('relation filters (some / none / every / to-one) never count hidden rows', async () => {
    for (const role of roleNames) {
      for (const model of names.values()) {
        const name = model.model.name
        if (!mayView(role, name)) continue
        for (const [field, binding] of model.fields) {
          if (binding.kind !== 'relation') continue
          const target = binding.relation.target
          const seen = (row: Row): number =>
            related(binding.relation, row).filter((r) => visible(role, target, r)).length
          const cases: Array<[Filter, (row: Row) => boolean]> =
            binding.relation.kind === 'toOne'
              ? [
                  [{ [field]: {} }, (row) => seen(row) > 0],
                  [{ [field]: null }, (row) => seen(row) === 0],
                ]
              : [
                  [{ [field]: { some: {} } }, (row) => seen(row) > 0],
                  [{ [field]: { none: {} } }, (row) => seen(row) === 0],
                  [{ [field]: { every: { pk: { in: [] } } } }, (row) => seen(row) === 0],
                ]
          for (const [filter, expectedOf] of cases) {
            const { nodes, totalCount, errors } = await readAll(role, model, 'pk', filter)
            const expected = visibleRows(role, name)
              .filter(expectedOf)
              .map((r) => pkOf(name, r))
              .sort()
            expect(errors, `${role} ${name} ${JSON.stringify(filter)}`).toEqual([])
            expect(sorted(nodes.map((n) => n['pk'])), `${role} ${name} ${JSON.stringify(filter)}`).toEqual(
              expected,
            )
            expect(totalCount).toBe(expected.length)
          }
        }
      }
    }
  })

  it('guards a field: null plus FORBIDDEN at its path without the permission, no filter or order oracle', async () => {
    const users = names.get('users')!
    const emailType = (
      schema.getType(users.typeName) as { getFields(): Record<string, { type: unknown }> }
    ).getFields()['email']!.type
    expect(emailType instanceof GraphQLNonNull).toBe(false)
    expect(isObjectType(schema.getType(users.typeName))).toBe(true)
    const emails = new Map(rows.get('users')!.map((u) => [String(u['id']), u['email']]))
    const staff = await readAll('staff', users, 'pk email')
    expect(staff.errors).toEqual([])
    expect(staff.nodes.map((n) => n['email'])).toEqual(staff.nodes.map((n) => emails.get(String(n['pk']))))
    const result = await run('customer', '{ users(first: 100) { nodes { pk username email } } }')
    const nodes = (result.data as { users: { nodes: Row[] } }).users.nodes
    expect(nodes.length).toBe(visiblePks('customer', 'users').length)
    expect(nodes.every((n) => n['email'] === null && typeof n['username'] === 'string')).toBe(true)
    expect(result.errors?.map((e) => [e.extensions['code'], e.path?.join('.')])).toEqual(
      nodes.map((_, i) => ['FORBIDDEN', `users.nodes.${i}.email`]),
    )
    for (const document of [
      '{ users(filter: { email: { contains: "@" } }) { totalCount } }',
      '{ users(orderBy: [{ email: ASC }]) { totalCount } }',
      '{ orders(filter: { user: { email: { startswith: "a" } } }) { totalCount } }',
    ]) {
      const { result: refused, count } = await countStatements(db, () => run('customer', document))
      expect(codes(refused), document).toEqual(['FORBIDDEN'])
      expect(count, document).toBe(0)
    }
    expect(
      codes(
        await run(
          'staff',
          '{ users(filter: { email: { contains: "@" } }, orderBy: [{ email: ASC }]) { totalCount } }',
        ),
      ),
    ).toEqual([])
  })

  it('compiles row policies into the one statement per root field', async () => {
    const document = `{ orders(first: 20, filter: { items: { some: {} } }) { totalCount nodes { pk user { pk profile { pk } } items(first: 5) { totalCount nodes { pk product { pk } } } } } }`
    for (const role of ['customer', 'staff'] as const) {
      const { result, count, statements } = await countStatements(db, () => run(role, document))
      expect(result.errors).toBeUndefined()
      expect(count, role).toBe(1)
      if (role === 'customer') expect(statements[0]!.values).toContain(Number(roles.customer.id))
    }
  })

  it('mutations obey permission classes, row policies and field permissions', async () => {
    const orders = names.get('orders')!
    const ownOrder = visiblePks('customer', 'orders')[0]!
    const otherOrder = rows
      .get('orders')!
      .map((r) => pkOf('orders', r))
      .find((pk) => !visiblePks('customer', 'orders').includes(pk))!
    const missingOrder = String(Math.max(...rows.get('orders')!.map((r) => Number(r['id']))) + 1000)
    const id = (model: ModelNames, pk: string): string => encodeGlobalId(model.typeName, pk)
    const update = (role: Role, pk: string) =>
      run(
        role,
        `mutation($id: ID!) { updateOrder(id: $id, input: { note: "changed" }) { success errors { field code message } order { pk note } } }`,
        { id: id(orders, pk) },
      )

    // Own order: changed and read back. Someone else's order: exactly like an id that does not exist.
    const mine = await update('customer', ownOrder)
    expect(mine.data).toEqual({
      updateOrder: { success: true, errors: [], order: { pk: Number(ownOrder), note: 'changed' } },
    })
    const hidden = (await update('customer', otherOrder)).data as { updateOrder: unknown }
    const missing = (await update('customer', missingOrder)).data as { updateOrder: unknown }
    expect(hidden).toEqual(missing)
    expect(hidden.updateOrder).toMatchObject({ success: false, errors: [{ field: 'id', code: 'NOT_FOUND' }] })
    const [other] = await shop.rows<{ note: string | null }>('select note from orders where id = $1', [
      otherOrder,
    ])
    expect(other!.note).not.toBe('changed')

    // Bulk changes reach only visible rows.
    const bulk = await run(
      'customer',
      `mutation { bulkUpdateOrders(all: true, input: { note: "bulk" }) { count success } }`,
    )
    expect(bulk.data).toEqual({
      bulkUpdateOrders: { count: visiblePks('customer', 'orders').length, success: true },
    })
    const [{ n }] = (await shop.rows<{ n: number }>(
      `select count(*)::int as n from orders where note = 'bulk'`,
    )) as [{ n: number }]
    expect(n).toBe(visiblePks('customer', 'orders').length)

    // Permission classes: delete needs staff, anonymous callers are UNAUTHENTICATED.
    const del = `mutation($id: ID!) { deleteOrder(id: $id) { success deletedId } }`
    expect(codes(await run('customer', del, { id: id(orders, ownOrder) }))).toEqual(['FORBIDDEN'])
    expect(codes(await run('anonymous', del, { id: id(orders, ownOrder) }))).toEqual(['UNAUTHENTICATED'])
    const create = (role: Role, userPk: string) =>
      run(
        role,
        `mutation($user: ID!) { createOrder(input: { userId: $user, total: "9.99" }) { success errors { field code message } order { pk } } }`,
        {
          user: id(names.get('users')!, userPk),
        },
      )
    expect(codes(await create('anonymous', roles.customer.id!))).toEqual(['UNAUTHENTICATED'])
    const before = rows.get('orders')!.length
    // An input may only point at rows the caller can see: another user is as good as missing, with
    // the same error and message as an id that names no row, so the answer is no existence oracle.
    const foreign = await create('customer', roles.staff.id!)
    const nobody = await create('customer', '999999')
    const invalidReference = {
      createOrder: {
        success: false,
        errors: [
          {
            field: 'userId',
            code: 'INVALID_REFERENCE',
            message: 'No User with this id (it does not exist or was deleted).',
          },
        ],
        order: null,
      },
    }
    expect(foreign.data).toEqual(invalidReference)
    expect(nobody.data).toEqual(invalidReference)
    // Staff see every user, so the same reference is fine for them; the row policy of the written
    // row still applies to the customer (checked above by the bulk update staying in their rows).
    const [{ n: ordersBefore }] = (
      await db.query<{ n: number }>({
        text: 'select count(*)::int as n from orders',
        values: [],
      })
    ).rows as [{ n: number }]
    const byStaff = await create('staff', roles.customer.id!)
    expect((byStaff.data as { createOrder: { success: boolean } }).createOrder.success).toBe(true)
    const staffPk = (byStaff.data as { createOrder: { order: { pk: number } } }).createOrder.order.pk
    expect((await run('staff', del, { id: id(orders, String(staffPk)) })).errors).toBeUndefined()
    const [{ n: ordersAfter }] = (
      await db.query<{ n: number }>({
        text: 'select count(*)::int as n from orders',
        values: [],
      })
    ).rows as [{ n: number }]
    expect(ordersAfter).toBe(ordersBefore)
    const created = await create('customer', roles.customer.id!)
    const createdPk = String(
      (created.data as { createOrder: { order: { pk: number } } }).createOrder.order.pk,
    )
    await reloadRows()
    expect(rows.get('orders')!.length).toBe(before + 1)
    expect(visiblePks('customer', 'orders')).toContain(createdPk)
    const staffDelete = await run('staff', del, { id: id(orders, createdPk) })
    expect(staffDelete.data).toEqual({ deleteOrder: { success: true, deletedId: id(orders, createdPk) } })

    // A guarded field cannot be written by a user without its permission.
    const users = names.get('users')!
    const write = await run(
      'customer',
      `mutation($id: ID!) { updateUser(id: $id, input: { email: "x@example.com" }) { success errors { field code } } }`,
      {
        id: id(users, roles.customer.id!),
      },
    )
    expect(write.data).toEqual({
      updateUser: { success: false, errors: [{ field: 'email', code: 'FORBIDDEN' }] },
    })
    await reloadRows()
  })
})

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}
