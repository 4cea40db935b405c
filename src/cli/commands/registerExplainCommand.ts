import type { Command } from 'commander'
import { runCommand } from '../commandOutput.js'
import type { ExplainOptions } from './explain.js'

const HELP_AFTER = `
Runs the query once, as the server would for an anonymous caller, and prints the route it took
(compiled SQL end to end, or graphql-js over compiled rows) and why, and the route each root
field takes on its own; then, for each root field, the ONE statement it compiled to (laid out
one clause a line, with its bound values) and PostgreSQL's plan for it. With --analyze the plan
comes from EXPLAIN ANALYZE: the statement runs again, with actual rows and times. Only queries:
a mutation would write.

Examples:
  graphql-auto-gen explain --example shop '{ users(first: 5) { nodes { username } } }'
  graphql-auto-gen explain --analyze --variables '{"q":"42"}' \\
    'query ($q: String) { users(filter: {username: {icontains: $q}}) { totalCount } }'

Exit codes: 0 explained, 2 usage or runtime error (bad document or variables, GraphQL errors).
`

/** Registers `explain` on the program; its implementation (explain.ts) loads when it runs. */
export function registerExplainCommand(program: Command): void {
  program
    .command('explain')
    .description(
      "Print the route of a query and of each root field, the SQL each root field compiles to, and PostgreSQL's plan for it.",
    )
    .argument('<document>', 'a GraphQL query document')
    .option(
      '-c, --config <file>',
      'config file (default: graphql-auto-gen.config.ts in the working directory)',
    )
    .option('--example <name>', 'explain against a bundled example on embedded PGlite (available: shop)')
    .option('--variables <json>', 'variables as a JSON object')
    .option('--operation <name>', 'the operation to run when the document has several')
    .option('--analyze', 'EXPLAIN ANALYZE: run the statement and show actual rows and times')
    .addHelpText('after', HELP_AFTER)
    .action(
      runCommand(async (source: string, options: ExplainOptions) =>
        (await import('./explain.js')).explain(source, options),
      ),
    )
}
