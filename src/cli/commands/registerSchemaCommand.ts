import type { Command } from 'commander'
import { runCommand } from '../commandOutput.js'
import type { CheckOptions, ExportOptions, ListOptions } from './schema.js'

const EXIT_CODES = `
Exit codes: 0 ok, 1 problems found (check only), 2 usage or runtime error.`

/**
 * Registers `schema export|check|history|diff` on the program; their implementation (schema.ts)
 * loads when one runs.
 */
export function registerSchemaCommand(program: Command): void {
  const schema = program
    .command('schema')
    .description('Export the GraphQL schema, check compatibility, and browse recorded versions.')
  withSchemaSource(
    schema
      .command('export')
      .description('Write the schema as SDL, or as introspection JSON when FILE ends in .json.')
      .option('-o, --out <file>', 'file to write (default: stdout, as SDL)'),
  )
    .addHelpText(
      'after',
      `\nThe output is sorted, so the same models always give the same bytes. A v1/v2 config (MODELS, or
SCHEMA_CONFIG) is read as \`migrate\` reads it and exports the schema that version served (v1:
legacy lists and basic filters), so the old schema can be saved before migrating.${EXIT_CODES}`,
    )
    .action(runCommand(async (options: ExportOptions) => (await import('./schema.js')).exportSchema(options)))
  withSchemaSource(
    schema
      .command('check')
      .description(
        'Classify every change from an old schema to the current one (breaking, dangerous, safe) and validate client documents against the current one.',
      )
      .requiredOption(
        '--against <old>',
        'the old schema: an SDL file, an introspection .json file, or "deployed" (the latest version in the registry)',
      )
      .option(
        '--documents <glob...>',
        'client documents to validate: .graphql/.gql files, and gql/graphql templates, graphql(`…`) calls and /* GraphQL */ templates in .ts/.tsx/.js/.jsx',
      )
      .option('--schema <file>', 'take the new schema from this SDL or .json file instead of the config')
      .option('--json', 'print the result as JSON'),
  )
    .addHelpText(
      'after',
      `\nEach change is named by its schema coordinate (Mutation.deleteUser, Query.users(first:),
CreateUserInput.email, @auth(role:)). Breaking covers every rule of graphql-js findBreakingChanges,
plus a default removed from a non-null argument or input field, and a create input field that
becomes required (a nullable column made NOT NULL).
Exit codes: 0 no breaking change and every document valid (dangerous changes only warn),
1 breaking changes or invalid documents, 2 usage or runtime error.`,
    )
    .action(runCommand(async (options: CheckOptions) => (await import('./schema.js')).checkSchema(options)))
  withSchemaSource(
    schema
      .command('history')
      .description(
        'List the schema versions recorded in the registry (serve records one when the schema changes).',
      )
      .option('--json', 'print the versions as JSON'),
  )
    .addHelpText('after', EXIT_CODES)
    .action(runCommand(async (options: ListOptions) => (await import('./schema.js')).showHistory(options)))
  withSchemaSource(
    schema
      .command('diff')
      .description('Classify the changes between two recorded versions (numbers, or "latest").')
      .argument('<from>', 'the older version')
      .argument('<to>', 'the newer version')
      .option('--json', 'print the changes as JSON'),
  )
    .addHelpText('after', `\nA report: exits 0 whatever changed (use \`schema check\` to gate).${EXIT_CODES}`)
    .action(
      runCommand(async (from: string, to: string, options: ListOptions) =>
        (await import('./schema.js')).diffVersions(from, to, options),
      ),
    )
}

function withSchemaSource(command: Command): Command {
  return command
    .option(
      '-c, --config <file>',
      'config file (default: graphql-auto-gen.config.ts in the working directory)',
    )
    .option('--example <name>', 'use a bundled example instead (available: shop)')
}
