// Counts the SQL statements a server sends, for servers we cannot instrument (and for ours, so all
// are counted the same way). pg_stat_statements would need shared_preload_libraries, i.e. a
// PostgreSQL restart of a server others share, so instead a TCP proxy sits between a server and
// PostgreSQL and reads the frontend protocol: every simple Query ('Q') and every extended-protocol
// Execute ('E') is one statement (BEGIN/COMMIT sent as queries count too). The proxy is used only
// while checking answers and counting, never while measuring speed.
import { createConnection, createServer } from 'node:net'
import type { AddressInfo, Server, Socket } from 'node:net'

/** A running counting proxy. */
export interface StatementProxy {
  /** The port to connect to instead of PostgreSQL's. */
  readonly port: number
  /** Statements seen since the last reset. */
  count(): number
  reset(): void
  close(): Promise<void>
}

// Untyped startup-phase request codes that are followed by another untyped message.
const SSL_REQUEST = 80877103
const GSS_ENC_REQUEST = 80877104

/** Starts a proxy to `target` on a free loopback port. */
export async function startStatementProxy(target: { host: string; port: number }): Promise<StatementProxy> {
  let statements = 0
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = createConnection(target)
    sockets.add(client).add(upstream)
    let buffered: Buffer = Buffer.alloc(0)
    let untyped = true
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk)
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk])
      // Walk whole messages: [type byte] + int32 length (which counts itself) + payload.
      for (;;) {
        if (untyped) {
          if (buffered.length < 8) break
          const length = buffered.readInt32BE(0)
          if (buffered.length < length) break
          const code = buffered.readInt32BE(4)
          untyped = code === SSL_REQUEST || code === GSS_ENC_REQUEST
          buffered = buffered.subarray(length)
          continue
        }
        if (buffered.length < 5) break
        const length = buffered.readInt32BE(1)
        if (buffered.length < length + 1) break
        const type = String.fromCharCode(buffered[0] ?? 0)
        if (type === 'Q' || type === 'E') statements++
        buffered = buffered.subarray(length + 1)
      }
    })
    upstream.on('data', (chunk: Buffer) => client.write(chunk))
    const close = (): void => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
      sockets.delete(upstream)
    }
    client.on('close', close).on('error', close)
    upstream.on('close', close).on('error', close)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    count: () => statements,
    reset: () => {
      statements = 0
    },
    close: () => {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
