// PostgreSQL's own execution time of the statements a server sent, from pg_stat_statements: reset
// before a measurement, summed after it (the bench's bookkeeping statements left out), divided by
// the requests the measurement completed. Only one server runs requests at a time, so the sum is
// that server's.
import pg from 'pg'

/** pg_stat_statements of the bench database, when the extension is loaded on its server. */
export interface StatementTime {
  /** Forgets everything counted so far. */
  reset(): Promise<void>
  /** Execution time (ms) and calls of statements since the last reset. */
  read(): Promise<{ totalMs: number; calls: number }>
  close(): Promise<void>
}

// Statements the bench itself sends around a measurement (idle polls, resets, this module's own).
const BOOKKEEPING = `s.query not ilike '%pg_stat%' and s.query not ilike 'vacuum%' and s.query not ilike 'delete from orders where id >%'`

/** Connects and enables the extension; `undefined` when the server has not preloaded it. */
export async function statementTime(databaseUrl: string): Promise<StatementTime | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  const preload = await client.query<{ v: string }>("select current_setting('shared_preload_libraries') as v")
  if (!/\bpg_stat_statements\b/.test(preload.rows[0]?.v ?? '')) {
    await client.end()
    return undefined
  }
  await client.query('create extension if not exists pg_stat_statements')
  return {
    async reset() {
      await client.query('select pg_stat_statements_reset()')
    },
    async read() {
      const result = await client.query<{ ms: number; calls: number }>(
        `select coalesce(sum(s.total_exec_time), 0)::float8 as ms, coalesce(sum(s.calls), 0)::float8 as calls
         from pg_stat_statements s join pg_database d on d.oid = s.dbid
         where d.datname = current_database() and ${BOOKKEEPING}`,
      )
      return { totalMs: result.rows[0]?.ms ?? 0, calls: result.rows[0]?.calls ?? 0 }
    },
    close: () => client.end(),
  }
}
