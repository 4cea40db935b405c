import pg from 'pg'

/** Where a PostgreSQL URL points, without credentials: `host:port/database`. */
export function describeTarget(url: string): string {
  try {
    const parsed = new URL(url)
    // A socket directory may come as ?host=/var/run/postgresql.
    const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost'
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)'
    return `${host}:${parsed.port || '5432'}/${database}`
  } catch {
    return '(unparsable DATABASE_URL)'
  }
}

/**
 * Opens one short-lived connection to `url` and runs `select 1`: undefined when it answers, else
 * a sentence naming host:port and the driver's reason (ECONNREFUSED, ENOTFOUND, an
 * authentication failure, an unknown database, a timeout). The pool's own errors are masked for
 * clients (SERVICE_UNAVAILABLE), which is right for requests but tells an operator nothing.
 */
export async function probeConnection(url: string, timeoutMs = 5000): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs })
  // A connection dropped after connecting must not crash the process as an unheard 'error'.
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('select 1')
    return undefined
  } catch (error) {
    return `Cannot connect to PostgreSQL at ${describeTarget(url)}: ${driverReason(error)}`
  } finally {
    await client.end().catch(() => {})
  }
}

/** The driver's code and message (`ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5999`). */
function driverReason(error: unknown): string {
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown }
  // A host resolving to several addresses fails with an AggregateError holding each attempt.
  const detail =
    Array.isArray(errors) && errors.length > 0 ? (errors[0] as { message?: unknown }).message : message
  const text = typeof detail === 'string' && detail !== '' ? detail : String(error)
  return typeof code === 'string' ? `${SQLSTATE_NAMES[code] ?? code}: ${text}` : text
}

/** SQLSTATEs an operator meets when connecting, by name. */
const SQLSTATE_NAMES: Record<string, string> = {
  '28P01': 'authentication failed (28P01)',
  '28000': 'authorization failed (28000)',
  '3D000': 'unknown database (3D000)',
  '53300': 'too many connections (53300)',
  '57P03': 'the server is starting up (57P03)',
}
