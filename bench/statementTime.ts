// PostgreSQL's own execution time of the statements a server sent, from pg_stat_statements: reset
// before a measurement, summed after it (the bench's bookkeeping statements left out), divided by
// the requests the measurement completed. Only one server runs requests at a time, so the sum is
// that server's. Planning time is summed apart (pg_stat_statements.track_planning, on in the
// bench's private cluster), and so is the CPU time of the database's backends from
// /proc/<pid>/schedstat: everything PostgreSQL spent on the requests (parse, plan, execution,
// protocol), measured outside pg_stat_statements.
import { readFile } from 'node:fs/promises'
import pg from 'pg'

/** pg_stat_statements of the bench database, when the extension is loaded on its server. */
export interface StatementTime {
  /** Forgets everything counted so far. */
  reset(): Promise<void>
  /** Execution time (ms), planning time (ms) and calls of statements since the last reset. */
  read(): Promise<{ totalMs: number; planMs: number; calls: number }>
  /**
   * CPU time (ns) each of the database's other backends has used so far, by pid; `undefined`
   * when /proc does not show them (PostgreSQL on another machine or in a container).
   */
  backendCpu(): Promise<Map<number, number> | undefined>
  close(): Promise<void>
}

/** CPU time (ms) the backends present in both snapshots used between them. */
export function backendCpuMs(before: Map<number, number>, after: Map<number, number>): number {
  let ns = 0
  for (const [pid, time] of after) {
    const start = before.get(pid)
    if (start !== undefined) ns += time - start
  }
  return ns / 1e6
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
      const result = await client.query<{ ms: number; plan: number; calls: number }>(
        `select coalesce(sum(s.total_exec_time), 0)::float8 as ms, coalesce(sum(s.total_plan_time), 0)::float8 as plan,
                coalesce(sum(s.calls), 0)::float8 as calls
         from pg_stat_statements s join pg_database d on d.oid = s.dbid
         where d.datname = current_database() and ${BOOKKEEPING}`,
      )
      const row = result.rows[0]
      return { totalMs: row?.ms ?? 0, planMs: row?.plan ?? 0, calls: row?.calls ?? 0 }
    },
    async backendCpu() {
      const { rows } = await client.query<{ pid: number }>(
        `select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
      )
      const times = new Map<number, number>()
      for (const { pid } of rows) {
        // The first field of schedstat: nanoseconds on the CPU. A backend that has exited is left out.
        const stat = await readFile(`/proc/${pid}/schedstat`, 'utf8').catch(() => undefined)
        if (stat !== undefined) times.set(pid, Number(stat.split(' ')[0]))
      }
      return rows.length > 0 && times.size === 0 ? undefined : times
    },
    close: () => client.end(),
  }
}
