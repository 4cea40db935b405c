// cli/: the `graphql-auto-gen` command.
export { main, buildProgram } from './main.js'
export { serve, UsageError } from './serve.js'
export type { ServeOptions } from './serve.js'
