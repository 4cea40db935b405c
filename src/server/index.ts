// server/: HTTP (graphql-yoga + GraphiQL), /health, /ready, graceful shutdown.
export { createServer } from './createServer.js'
export type { AutoGenServer, ServerOptions } from './createServer.js'
export { stoppedMessage } from './shutdown.js'
export type { ShutdownReport } from './shutdown.js'
