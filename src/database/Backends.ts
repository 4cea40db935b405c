import pg from 'pg'

/**
 * The server processes behind a pool's connections, so they can be cancelled from outside:
 * `pg_cancel_backend` needs their pids, and a blocked statement cannot be interrupted from its own
 * connection.
 */
export class Backends {
  readonly #pids = new Set<number>()

  /** Records the backend of a newly opened pooled connection (call from the pool's `connect`). */
  opened(client: pg.PoolClient): void {
    const pid = (client as unknown as { processID?: number | null }).processID
    if (typeof pid !== 'number') return
    this.#pids.add(pid)
    // A connection that ends (closed by the pool, or lost) no longer has a backend to cancel.
    client.once('end', () => this.#pids.delete(pid))
  }

  /**
   * Cancels whatever statement each recorded backend is running, over one extra connection, and
   * resolves with how many were running one (idle backends are left alone). Never throws: a
   * database that cannot be reached has nothing of ours running either.
   */
  async cancelAll(connection: pg.ClientConfig): Promise<number> {
    if (this.#pids.size === 0) return 0
    const client = new pg.Client({ ...connection, connectionTimeoutMillis: 2_000 })
    client.on('error', () => {})
    try {
      await client.connect()
      const { rows } = await client.query<{ cancelled: number }>(
        `select count(*) filter (where pg_cancel_backend(pid))::int as "cancelled"
           from pg_stat_activity
          where pid = any($1::int[]) and state not in ('idle')`,
        [[...this.#pids]],
      )
      return rows[0]?.cancelled ?? 0
    } catch {
      return 0
    } finally {
      await client.end().catch(() => {})
    }
  }
}
