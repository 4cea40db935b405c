// Entry point of the `graphql-auto-gen` binary.
import { main } from './main.js'

const code = await main(process.argv.slice(2))
if (code !== undefined) process.exit(code)
