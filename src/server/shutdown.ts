import type { Database } from '../database/index.js'

/** How a shutdown ended: requests cut at the deadline, and statements cancelled for them. */
export interface ShutdownReport {
  /** Requests still unanswered at `shutdownTimeoutMs`, whose connections were closed. */
  cut: number
  /** Statements of ours still running then, cancelled with `pg_cancel_backend`. */
  cancelledStatements: number
  /** False when the database did not close within the grace period after the deadline. */
  databaseClosed: boolean
}

/** How long closing the database may take once its statements were cancelled at the deadline. */
export const CLOSE_GRACE_MS = 2_000

/** The deadline of one shutdown, armed at its start. */
export interface ShutdownDeadline {
  /** Closes the database: at once when in time, else after cancelling, at most {@link CLOSE_GRACE_MS}. */
  closeDatabase(): Promise<void>
  /** What happened, once the shutdown is over. */
  report(): ShutdownReport
}

/**
 * Arms the shutdown deadline: at `timeoutMs` the requests still in flight are counted and their
 * connections closed (`cutConnections`), and the database's running statements are cancelled,
 * so closing its pool does not wait for a statement blocked on a lock (pg waits for checked-out
 * connections, up to `statement_timeout` or forever).
 */
export function armShutdownDeadline(options: {
  timeoutMs: number
  inFlight: () => number
  cutConnections: () => void
  database: Database
}): ShutdownDeadline {
  const report: ShutdownReport = { cut: 0, cancelledStatements: 0, databaseClosed: true }
  let cancelling: Promise<void> | undefined
  let reached: () => void = () => {}
  const deadline = new Promise<void>((resolve) => (reached = resolve))
  const timer = setTimeout(() => {
    report.cut = options.inFlight()
    options.cutConnections()
    cancelling = (options.database.cancelRunning?.() ?? Promise.resolve(0)).then((n) => {
      report.cancelledStatements = n
    })
    void cancelling.then(reached)
  }, options.timeoutMs)
  return {
    async closeDatabase() {
      const closed = options.database.close().then(() => true)
      // In time, closing may still wait for a statement (a request whose client went away): it
      // waits only until the deadline, which cancels that statement, plus a grace period.
      const first = await Promise.race([closed, deadline.then(() => false)])
      clearTimeout(timer)
      if (!first) report.databaseClosed = await within(closed, CLOSE_GRACE_MS)
      // The pool may close before the cancelling connection has said how many it cancelled.
      await cancelling
    },
    report: () => ({ ...report }),
  }
}

async function within(closed: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
    timer.unref()
  })
  try {
    return await Promise.race([closed, late])
  } finally {
    clearTimeout(timer)
  }
}

/** The last line `serve` logs: whether every request finished, or how many were cut. */
export function stoppedMessage(report: ShutdownReport, timeoutMs: number): string {
  if (report.cut === 0 && report.databaseClosed)
    return 'Stopped: in-flight requests finished, connections and database pool closed.'
  const cut =
    report.cut === 0
      ? 'no request was cut'
      : `${report.cut} request${report.cut === 1 ? ' was' : 's were'} cut at the ${timeoutMs} ms deadline (not finished)`
  const statements =
    report.cancelledStatements > 0 ? `, ${report.cancelledStatements} running statement(s) cancelled` : ''
  const database = report.databaseClosed ? 'database pool closed' : 'database pool did not close in time'
  return `Stopped: ${cut}${statements}; connections closed, ${database}.`
}
