// The ceiling: node:http + pg, no GraphQL. Each route runs ONE hand-written statement in which
// PostgreSQL builds the whole JSON answer as text, and the server wraps it in {"data": …} without
// parsing it. Every nested lookup is a correlated subquery on an indexed key (user_id, order_id,
// products' primary key), so the plan never scans a table per parent row.
import { createServer } from 'node:http'
import type { IncomingMessage } from 'node:http'
import pg from 'pg'
import { announceReady, exitOnSignal, serverEnv } from './serverEnv.js'

const userPage = `json_build_object('id', u.id, 'username', u.username, 'email', u.email)`

/** Route → statement and how to take its parameters from the request's JSON variables. */
const ROUTES: Record<string, { text: string; values: (variables: Record<string, unknown>) => unknown[] }> = {
  q1: {
    text: `select coalesce(json_agg(${userPage} order by u.id), '[]')::text as json
           from (select id, username, email from users order by id limit 50) u`,
    values: () => [],
  },
  q2: {
    text: `select coalesce(json_agg(json_build_object(
             'id', u.id, 'username', u.username,
             'profile', (select json_build_object('firstName', p.first_name, 'lastName', p.last_name)
                         from profiles p where p.user_id = u.id),
             'orders', (select coalesce(json_agg(json_build_object(
                           'id', o.id, 'status', o.status, 'total', o.total::text, 'createdAt', o.created_at,
                           'items', (select coalesce(json_agg(json_build_object(
                                        'quantity', i.quantity, 'unitPrice', i.unit_price::text,
                                        'product', (select json_build_object('id', pr.id, 'name', pr.name, 'price', pr.price::text)
                                                    from products pr where pr.id = i.product_id)) order by i.id), '[]')
                                     from order_items i where i.order_id = o.id)) order by o.id), '[]')
                        from (select id, status, total, created_at from orders where user_id = u.id order by id limit 5) o)
           ) order by u.id), '[]')::text as json
           from (select id, username from users order by id limit 20) u`,
    values: () => [],
  },
  q3: {
    text: `select json_build_object(
             'totalCount', (select count(*) from users where username ilike $1),
             'nodes', (select coalesce(json_agg(json_build_object('id', u.id, 'username', u.username, 'email', u.email,
                         'createdAt', u.created_at) order by u.created_at desc), '[]')
                       from (select id, username, email, created_at from users where username ilike $1
                             order by created_at desc limit 20) u))::text as json`,
    values: () => ['%42%'],
  },
  q3b: {
    text: `select coalesce(json_agg(json_build_object('id', u.id, 'username', u.username, 'email', u.email,
             'createdAt', u.created_at) order by u.created_at desc), '[]')::text as json
           from (select id, username, email, created_at from users where username ilike $1
                 order by created_at desc limit 20) u`,
    values: () => ['%42%'],
  },
  q4: {
    text: `select json_build_object('id', u.id, 'username', u.username, 'email', u.email, 'createdAt', u.created_at,
             'profile', (select json_build_object('firstName', p.first_name, 'lastName', p.last_name, 'bio', p.bio,
                                                  'birthDate', p.birth_date)
                         from profiles p where p.user_id = u.id))::text as json
           from users u where u.id = $1`,
    values: (variables) => [variables['id']],
  },
  q5: {
    // One row beyond the page tells whether there is a next page, as the GraphQL servers do.
    text: `select coalesce(json_agg(${userPage} order by u.id) filter (where u.n <= 20), '[]')::text as json
           from (select id, username, email, row_number() over (order by id) as n
                 from users where id > $1 order by id limit 21) u`,
    values: (variables) => [variables['after']],
  },
  q6: {
    text: `with created as (
             insert into orders (user_id, status, total, note)
             select r.user_id, 'pending', r.total, r.note
             from json_to_recordset($1::json) as r(user_id int, total numeric, note text)
             returning 1)
           select json_build_object('count', count(*))::text as json from created`,
    values: (variables) => [
      JSON.stringify(
        (variables['inputs'] as { userId: number; total: string; note: string }[]).map((row) => ({
          user_id: row.userId,
          total: row.total,
          note: row.note,
        })),
      ),
    ],
  },
}

// Q7-Q10 (issue 17): the statements a careful developer writes for those shapes.
Object.assign(ROUTES, {
  q7: {
    text: `select coalesce(json_agg(json_build_object('id', u.id, 'username', u.username, 'email', u.email,
             'createdAt', u.created_at) order by u.created_at desc), '[]')::text as json
           from (select id, username, email, created_at from users
                 where is_active and username ilike $1 and created_at >= $2 and created_at < $3
                 order by created_at desc limit 20) u`,
    values: () => ['%42%', '2023-03-01T00:00:00Z', '2023-09-01T00:00:00Z'],
  },
  q8: {
    text: `select coalesce(json_agg(json_build_object('id', o.id, 'total', o.total::text,
             'user', json_build_object('username', o.username)) order by o.username, o.id), '[]')::text as json
           from (select o.id, o.total, u.username from orders o join users u on u.id = o.user_id
                 order by u.username, o.id limit 20) o`,
    values: () => [],
  },
  q9: {
    text: `select json_build_object('pageInfo', json_build_object('hasPreviousPage', count(*) > 20),
             'nodes', coalesce(json_agg(${userPage} order by u.id) filter (where u.n <= 20), '[]'))::text as json
           from (select id, username, email, row_number() over (order by id desc) as n
                 from users where id < $1 order by id desc limit 21) u`,
    values: (variables) => [variables['before']],
  },
  q10: {
    text: `insert into orders (user_id, status, total, note) values ($1, 'pending', 10.50, 'bench')
           returning json_build_object('total', total::text, 'note', note)::text as json`,
    values: () => [42],
  },
} satisfies typeof ROUTES)

const env = serverEnv()
// BENCH_HAND_PREPARED=1: statements prepared (named) per connection, for experiments.
const prepared = process.env['BENCH_HAND_PREPARED'] === '1'
const pool = new pg.Pool({ connectionString: env.databaseUrl, max: env.poolSize })

const server = createServer((req, res) => {
  const name = (req.url ?? '/').slice(1)
  const route = ROUTES[name]
  if (route === undefined) {
    res.writeHead(404).end()
    return
  }
  readBody(req)
    .then(async (body) => {
      const variables = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>)
      const text = route.text
      const values = route.values(variables)
      const result = await pool.query<{ json: string | null }>(
        prepared ? { name, text, values } : { text, values },
      )
      const json = result.rows[0]?.json ?? 'null'
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(`{"data":${json}}`)
    })
    .catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ errors: [{ message: String(error) }] }))
    })
})
exitOnSignal(() => pool.end())
server.listen(env.port, '127.0.0.1', () => announceReady(`http://127.0.0.1:${env.port}`))

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => resolve(body))
    req.on('error', reject)
  })
}
