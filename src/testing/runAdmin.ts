// Test helper: one statement on a short-lived connection of its own (schema and database set-up
// and clean-up that must not run on a pool under test).
import pg from 'pg'

/** Runs `sql` on a new connection to `url`, then closes it. */
export async function runAdmin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}
