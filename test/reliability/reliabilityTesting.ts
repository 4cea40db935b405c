// Small helpers shared by the reliability tests: polling for a condition, and checking the rows
// of the load mix's creates against what the server answered.
import { PgDatabase } from '../../src/database/index.js'
import type { LoadOutcome } from './loadDriver.js'

/** Polls `condition` every 50 ms; throws naming `what` when it is still false after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    if (await condition()) return
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** How the creates of a load run compare with the rows in the database. */
export interface CreatedRowsReport {
  /** Successful creates. */
  created: number
  /** Successful creates whose row is missing or has another pk than the response said. */
  missing: string[]
  /** Rows written by requests that reported a failure other than "commit outcome unknown". */
  unexpected: string[]
}

/**
 * Looks up the row of every createOrder / createTag of `outcomes` by its marker (orders.note,
 * tags.name): a success must have its row, under the pk it answered; a failure must have none,
 * unless the server said the outcome of its COMMIT is unknown.
 */
export async function createdRowsReport(
  url: string,
  outcomes: readonly LoadOutcome[],
): Promise<CreatedRowsReport> {
  const database = new PgDatabase({ url })
  try {
    const rowsBy = async (operation: string, text: string): Promise<Map<string, string>> => {
      const markers = outcomes.filter((o) => o.operation === operation).map((o) => o.marker)
      const { rows } = await database.query<{ id: number; marker: string }>({ text, values: [markers] })
      return new Map(rows.map((row) => [row.marker, String(row.id)]))
    }
    const orders = await rowsBy(
      'createOrder',
      'select id, note as marker from orders where note = any($1::text[])',
    )
    const tags = await rowsBy('createTag', 'select id, name as marker from tags where name = any($1::text[])')
    const report: CreatedRowsReport = { created: 0, missing: [], unexpected: [] }
    for (const outcome of outcomes) {
      const rows =
        outcome.operation === 'createOrder' ? orders : outcome.operation === 'createTag' ? tags : undefined
      if (!rows) continue
      const pk = rows.get(outcome.marker)
      if (outcome.ok) {
        report.created++
        if (pk !== outcome.createdPk)
          report.missing.push(
            `${outcome.operation} ${outcome.marker}: answered pk ${outcome.createdPk}, row ${pk ?? 'absent'}`,
          )
      } else if (pk !== undefined && !outcome.reasons.includes('commitOutcomeUnknown')) {
        report.unexpected.push(
          `${outcome.operation} ${outcome.marker}: failed with ${outcome.codes.join(',')} but row ${pk} exists`,
        )
      }
    }
    return report
  } finally {
    await database.close()
  }
}
