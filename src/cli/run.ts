// Entry point of the `graphql-auto-gen` binary (and of `npm start`, through tsx).
import { setFlagsFromString } from 'node:v8'
import { main } from './main.js'

// PGlite is PostgreSQL compiled to WASM (9 MB). V8 first compiles it with its baseline compiler
// (Liftoff), then recompiles hot functions with TurboFan on background threads: for a command's
// first few thousand statements (creating and seeding the example, a check, a dump) that costs
// more CPU than it saves (DDL + seed of the shop: 2.2 s of CPU tiered, 0.6 s Liftoff only), and
// Liftoff code answered a join-and-aggregate query at the same CPU per call once tiered code
// was warm. Set before anything compiles WASM (PGlite loads on first use); nothing else in the
// CLI is WASM.
setFlagsFromString('--liftoff-only')

const code = await main(process.argv.slice(2))
if (code !== undefined) process.exit(code)
