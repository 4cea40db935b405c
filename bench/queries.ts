// The benchmark queries, written once per server in that server's own dialect (PostGraphile's
// `rowId` and enum orderings, drizzle-graphql's lists with limit/offset, our `pk` and connections).
// Aliases give every answer the same keys, so `canonical()` can compare them as data.

/** The servers under test. */
export const SERVER_NAMES = ['handwritten', 'autogen', 'postgraphile', 'drizzle'] as const
/** One server under test. */
export type ServerName = (typeof SERVER_NAMES)[number]

/** What a query needs before it can be sent: cursors, which only the server itself can mint. */
export interface SetupContext {
  /** Runs a GraphQL document on a server and returns `data`; throws on errors. */
  graphql(server: ServerName, query: string, variables?: Record<string, unknown>): Promise<unknown>
}

/** How one server runs one query. */
export interface QueryPlan {
  /** GraphQL document, or (hand-written server) the route name. */
  document: string
  /** Variables, possibly found through the server first. */
  variables?: (setup: SetupContext) => Promise<Record<string, unknown>>
  /** Keys from `data` down to the value that is compared across servers. */
  path: readonly string[]
  /** Reshapes that value before comparison (e.g. a list of created rows → its count). */
  transform?: (value: unknown) => unknown
}

/** One benchmark query and how each server runs it (a server absent here cannot express it). */
export interface BenchQuery {
  id: string
  title: string
  plans: Partial<Record<ServerName, QueryPlan>>
  /** Writes rows: the runner deletes them after every batch of requests (outside the timing). */
  mutates?: boolean
  /** Shortest measurement, for requests so slow that a `--quick` window would see none finish. */
  minSeconds?: number
}

/** The user Q4 fetches. */
export const Q4_USER_ID = 4242
/** Q5b reads page 500 of 20 by id (the last page): the rows after this id. */
export const Q5_AFTER_ID = 9980
/** Orders Q6 creates per request. */
export const Q6_ROWS = 1000
/** Q5c reads page 251 of 20 by id (mid-table), where a keyset that cannot use the index shows. */
export const Q5_MID_AFTER_ID = 5000

/** Q7 filters on a date range and a boolean as well as Q3b's `icontains`. */
export const Q7_RANGE = { from: '2023-03-01', to: '2023-09-01', text: '42' } as const
/** Q9 reads the 20 users before this id, backwards. */
export const Q9_BEFORE_ID = 5000
/** The user Q10's orders belong to. */
export const Q10_USER_ID = 42

const drizzleById = `orderBy: {id: {direction: asc, priority: 1}}`

/** Every query, in report order. */
export const QUERIES: readonly BenchQuery[] = [
  {
    id: 'Q1',
    title: 'first 50 users (id, username, email)',
    plans: {
      handwritten: { document: 'q1', path: [] },
      autogen: {
        document: `{ users(first: 50) { nodes { id: pk username email } } }`,
        path: ['users', 'nodes'],
      },
      postgraphile: {
        document: `{ users(first: 50) { nodes { id: rowId username email } } }`,
        path: ['users', 'nodes'],
      },
      drizzle: { document: `{ users(limit: 50, ${drizzleById}) { id username email } }`, path: ['users'] },
    },
  },
  {
    id: 'Q2',
    title: 'first 20 users + profile + first 5 orders + items + product',
    plans: {
      handwritten: { document: 'q2', path: [] },
      autogen: {
        document: `{ users(first: 20) { nodes { id: pk username profile { firstName lastName }
          orders(first: 5, orderBy: [{pk: ASC}]) { nodes { id: pk status total createdAt
            items { nodes { quantity unitPrice product { id: pk name price } } } } } } } }`,
        path: ['users', 'nodes'],
      },
      postgraphile: {
        document: `{ users(first: 20) { nodes { id: rowId username profile { firstName lastName }
          orders(first: 5, orderBy: [PRIMARY_KEY_ASC]) { nodes { id: rowId status total createdAt
            items: orderItems(orderBy: [PRIMARY_KEY_ASC]) { nodes { quantity unitPrice product { id: rowId name price } } } } } } } }`,
        path: ['users', 'nodes'],
      },
      drizzle: {
        document: `{ users(limit: 20, ${drizzleById}) { id username profile { firstName lastName }
          orders(limit: 5, ${drizzleById}) { id status total createdAt
            items(${drizzleById}) { quantity unitPrice product { id name price } } } } }`,
        path: ['users'],
      },
    },
  },
  {
    id: 'Q3',
    title: 'filtered (username icontains "42"), ordered by createdAt desc, first 20 + totalCount',
    plans: {
      handwritten: { document: 'q3', path: [] },
      autogen: {
        document: `{ users(first: 20, filter: {username: {icontains: "42"}}, orderBy: [{createdAt: DESC}]) {
          totalCount nodes { id: pk username email createdAt } } }`,
        path: ['users'],
      },
      postgraphile: {
        document: `{ users(first: 20, filter: {username: {includesInsensitive: "42"}}, orderBy: [CREATED_AT_DESC]) {
          totalCount nodes { id: rowId username email createdAt } } }`,
        path: ['users'],
      },
    },
  },
  {
    id: 'Q3b',
    title: 'Q3 without totalCount (drizzle-graphql has no count)',
    plans: {
      handwritten: { document: 'q3b', path: [] },
      autogen: {
        document: `{ users(first: 20, filter: {username: {icontains: "42"}}, orderBy: [{createdAt: DESC}]) {
          nodes { id: pk username email createdAt } } }`,
        path: ['users', 'nodes'],
      },
      postgraphile: {
        document: `{ users(first: 20, filter: {username: {includesInsensitive: "42"}}, orderBy: [CREATED_AT_DESC]) {
          nodes { id: rowId username email createdAt } } }`,
        path: ['users', 'nodes'],
      },
      drizzle: {
        document: `{ users(limit: 20, where: {username: {ilike: "%42%"}}, orderBy: {createdAt: {direction: desc, priority: 1}}) {
          id username email createdAt } }`,
        path: ['users'],
      },
    },
  },
  {
    id: 'Q4',
    title: 'one user by id + profile',
    plans: {
      handwritten: { document: 'q4', variables: async () => ({ id: Q4_USER_ID }), path: [] },
      autogen: {
        document: `query ($id: ID!) { user(id: $id) { id: pk username email createdAt profile { firstName lastName bio birthDate } } }`,
        // Our `id` is the global id; the client has it from an earlier answer.
        variables: async () => ({ id: Buffer.from(`User:${Q4_USER_ID}`).toString('base64') }),
        path: ['user'],
      },
      postgraphile: {
        document: `query ($id: Int!) { user(rowId: $id) { id: rowId username email createdAt profile { firstName lastName bio birthDate } } }`,
        variables: async () => ({ id: Q4_USER_ID }),
        path: ['user'],
      },
      drizzle: {
        document: `query ($id: Int!) { usersSingle(where: {id: {eq: $id}}) { id username email createdAt profile { firstName lastName bio birthDate } } }`,
        variables: async () => ({ id: Q4_USER_ID }),
        path: ['usersSingle'],
      },
    },
  },
  ...pageQueries(),
  bulkCreate(),
  ...planQueries(),
]

/**
 * Shapes whose cost is PostgreSQL's plan (issue 17): a filtered, ranged, newest-first page; a page
 * ordered by a to-one relation's column; a backward page; one single-row create per request.
 */
function planQueries(): BenchQuery[] {
  const { from, to, text } = Q7_RANGE
  const usersNodes = ['users', 'nodes'] as const
  const ourBefore = `query ($before: String) { users(last: 20, before: $before) { pageInfo { hasPreviousPage } nodes { id: pk username email } } }`
  const theirBefore = `query ($before: Cursor) { users(last: 20, before: $before) { pageInfo { hasPreviousPage } nodes { id: rowId username email } } }`
  return [
    {
      id: 'Q7',
      title: `active users, username icontains "${text}", createdAt in [${from}, ${to}), newest first, first 20`,
      plans: {
        handwritten: { document: 'q7', path: [] },
        autogen: {
          document: `{ users(first: 20, filter: {isActive: true, username: {icontains: "${text}"}, createdAt: {gte: "${from}", lt: "${to}"}}, orderBy: [{createdAt: DESC}]) {
            nodes { id: pk username email createdAt } } }`,
          path: usersNodes,
        },
        postgraphile: {
          document: `{ users(first: 20, filter: {isActive: {equalTo: true}, username: {includesInsensitive: "${text}"}, createdAt: {greaterThanOrEqualTo: "${from}T00:00:00Z", lessThan: "${to}T00:00:00Z"}}, orderBy: [CREATED_AT_DESC]) {
            nodes { id: rowId username email createdAt } } }`,
          path: usersNodes,
        },
      },
    },
    {
      // PostGraphile 5 orders by a related column only with a plugin the bench does not install.
      id: 'Q8',
      title: "orders ordered by their user's username (a to-one relation column), first 20",
      plans: {
        handwritten: { document: 'q8', path: [] },
        autogen: {
          document: `{ orders(first: 20, orderBy: [{user: {username: ASC}}]) { nodes { id: pk total user { username } } } }`,
          path: ['orders', 'nodes'],
        },
      },
    },
    {
      id: 'Q9',
      title: `backward page: last 20 users before id ${Q9_BEFORE_ID} (a cursor) + hasPreviousPage`,
      plans: {
        handwritten: { document: 'q9', variables: async () => ({ before: Q9_BEFORE_ID }), path: [] },
        autogen: {
          document: ourBefore,
          variables: async (setup) => ({
            before: cursorOf(
              await setup.graphql(
                'autogen',
                `{ users(first: 1, filter: {pk: {exact: ${Q9_BEFORE_ID}}}) { edges { cursor } } }`,
              ),
            ),
          }),
          path: ['users'],
        },
        postgraphile: {
          document: theirBefore,
          variables: async (setup) => ({
            before: cursorOf(
              await setup.graphql(
                'postgraphile',
                `{ users(first: 1, offset: ${Q9_BEFORE_ID - 1}) { edges { cursor } } }`,
              ),
            ),
          }),
          path: ['users'],
        },
      },
    },
    {
      id: 'Q10',
      title: 'one createOrder per request (hand-written: one INSERT … RETURNING)',
      mutates: true,
      plans: {
        handwritten: { document: 'q10', path: [] },
        autogen: {
          document: `mutation ($user: ID!) { createOrder(input: {userId: $user, status: PENDING, total: "10.50", note: "bench"}) { order { total note } } }`,
          variables: async () => ({ user: Buffer.from(`User:${Q10_USER_ID}`).toString('base64') }),
          path: ['createOrder', 'order'],
        },
        postgraphile: {
          document: `mutation { createOrder(input: {order: {userId: ${Q10_USER_ID}, status: pending, total: "10.50", note: "bench"}}) { order { total note } } }`,
          path: ['createOrder', 'order'],
        },
      },
    },
  ]
}

/** Q6: 1,000 orders in one request (PostGraphile 5 has no bulk create: 1,000 aliased createOrder). */
function bulkCreate(): BenchQuery {
  const rows = Array.from({ length: Q6_ROWS }, (_, i) => ({
    userId: 1 + i,
    total: `${10 + (i % 90)}.50`,
    note: 'bench',
  }))
  const count = (value: unknown): unknown => ({ count: Array.isArray(value) ? value.length : undefined })
  return {
    id: 'Q6',
    title: `bulk create of ${Q6_ROWS} orders in one request (hand-written: one multi-row INSERT)`,
    mutates: true,
    minSeconds: 10,
    plans: {
      handwritten: { document: 'q6', variables: async () => ({ inputs: rows }), path: [] },
      autogen: {
        document: `mutation ($inputs: [CreateOrderInput!]!) { bulkCreateOrders(inputs: $inputs) { count } }`,
        variables: async () => ({
          inputs: rows.map((row) => ({
            userId: Buffer.from(`User:${row.userId}`).toString('base64'),
            status: 'PENDING',
            total: row.total,
            note: row.note,
          })),
        }),
        path: ['bulkCreateOrders'],
      },
      postgraphile: {
        document: `mutation { ${rows
          .map(
            (row, i) =>
              `m${i}: createOrder(input: {order: {userId: ${row.userId}, status: pending, total: "${row.total}", note: "${row.note}"}}) { clientMutationId }`,
          )
          .join('\n')} }`,
        path: [],
        transform: (value) => count(Object.keys(value as object)),
      },
      drizzle: {
        document: `mutation ($values: [OrdersInsertInput!]!) { insertIntoOrders(values: $values) { id } }`,
        variables: async () => ({
          values: rows.map((row) => ({
            userId: row.userId,
            status: 'pending',
            total: row.total,
            note: row.note,
          })),
        }),
        path: ['insertIntoOrders'],
        transform: count,
      },
    },
  }
}

/** Q5a (page 1) and Q5b (page 500 of 20, from a cursor; drizzle-graphql can only offset). */
function pageQueries(): BenchQuery[] {
  const ours = `query ($after: String) { users(first: 20, after: $after) { pageInfo { hasNextPage } nodes { id: pk username email } } }`
  const theirs = `query ($after: Cursor) { users(first: 20, after: $after) { pageInfo { hasNextPage } nodes { id: rowId username email } } }`
  const drizzle = `query ($offset: Int) { users(limit: 20, offset: $offset, ${drizzleById}) { id username email } }`
  const nodes = ['users', 'nodes'] as const
  return [
    {
      id: 'Q5a',
      title: 'keyset page 1 of 20 (by id)',
      plans: {
        handwritten: { document: 'q5', variables: async () => ({ after: 0 }), path: [] },
        autogen: { document: ours, variables: async () => ({ after: null }), path: nodes },
        postgraphile: { document: theirs, variables: async () => ({ after: null }), path: nodes },
        drizzle: { document: drizzle, variables: async () => ({ offset: 0 }), path: ['users'] },
      },
    },
    deepPage(
      'Q5b',
      'keyset page 500 of 20, the last (after a cursor; drizzle-graphql: offset 9980)',
      Q5_AFTER_ID,
    ),
    deepPage(
      'Q5c',
      'keyset page 251 of 20, mid-table (after a cursor; drizzle-graphql: offset 5000)',
      Q5_MID_AFTER_ID,
    ),
  ]

  function deepPage(id: string, title: string, afterId: number): BenchQuery {
    return {
      id,
      title,
      plans: {
        handwritten: { document: 'q5', variables: async () => ({ after: afterId }), path: [] },
        autogen: {
          document: ours,
          // The cursor of row `afterId` under the default ordering, as a client would hold it.
          variables: async (setup) => ({
            after: cursorOf(
              await setup.graphql(
                'autogen',
                `{ users(first: 1, filter: {pk: {exact: ${afterId}}}) { edges { cursor } } }`,
              ),
            ),
          }),
          path: nodes,
        },
        postgraphile: {
          document: theirs,
          variables: async (setup) => ({
            after: cursorOf(
              await setup.graphql(
                'postgraphile',
                `{ users(first: 1, offset: ${afterId - 1}) { edges { cursor } } }`,
              ),
            ),
          }),
          path: nodes,
        },
        drizzle: { document: drizzle, variables: async () => ({ offset: afterId }), path: ['users'] },
      },
    }
  }
}

function cursorOf(data: unknown): string {
  const cursor = (data as { users?: { edges?: { cursor?: unknown }[] } }).users?.edges?.[0]?.cursor
  if (typeof cursor !== 'string') throw new Error(`no cursor in ${JSON.stringify(data)}`)
  return cursor
}

/**
 * The server-independent form of an answer: single-key `{ nodes }` connections become their list,
 * numbers and numeric strings one spelling ("99.70" = 99.7), timestamps ISO in UTC, enum values
 * lower case (PostgreSQL's labels).
 */
export function canonical(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item))
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
    if (entries.length === 1 && entries[0]?.[0] === 'nodes') return canonical(entries[0][1])
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v, k)]))
  }
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') {
    if (key === 'status') return value.toLowerCase()
    if (/^-?\d+(\.\d+)?$/.test(value)) return String(Number(value))
    if (/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(value)) return new Date(value).toISOString()
  }
  return value
}

/** Follows `path` from `data`. */
export function atPath(data: unknown, path: readonly string[]): unknown {
  let value = data
  for (const key of path) value = (value as Record<string, unknown> | null)?.[key]
  return value
}
