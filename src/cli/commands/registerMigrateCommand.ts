import type { Command } from 'commander'
import { BACKUP_DIR, supportedPaths, VERSIONS } from '../../migrate/help.js'
import type { MigrateCommandOptions } from './migrate.js'

const HELP_AFTER = `
What it migrates (in every file given, default: the config file here and src/**):
  config     v1 { MODELS, ENABLE_MUTATIONS, database } and v2 { SCHEMA_CONFIG: { snake_case } } in .ts/.js/.json
             → export default defineConfig({ camelCase }) (a .json config becomes a .ts file beside it);
             enable_mutations → mutations: { enabled }, keys no version reads are marked TODO
  code       new AutoSchema({ models }) → new SchemaBuilder(new SchemaConfig({ models })).build(),
             reads of old config keys (config.MODELS → config.models), GraphQLSchema imports,
             simpleResolver(Model, 'name', fn) → defineResolvers(Model, { name: field(fn) }),
             v2.1 extension classes (processSchema) → definePlugin({ name, schema(schema) { … } })
  documents  .graphql/.gql files, gql/graphql templates, graphql(\`…\`) calls and /* GraphQL */ templates:
             limit/offset lists → relay connections (1.0→2.0; a list without limit gets
             first: <maxPageSize>, so it returns the same rows), basic filters { name: "x" } →
             { name: { exact: "x" } } (2.0→2.1); CRLF files stay CRLF
Supported paths: ${supportedPaths().join(', ')}.
Anything it cannot do is marked "// TODO(graphql-auto-gen migrate)" and listed as a manual step.
Files are written all or nothing; after writing, the project's tsconfig.json (if any) is type-checked.

Exit codes:
  0  migrated (or nothing to do), no manual steps left
  1  manual steps remain: TODO markers (also ones left by an earlier run), files it could not
     read or parse (named with their line), TypeScript errors after writing; or declined at the prompt
  2  usage or runtime error (unsupported path, no terminal to confirm on without --force, a file it
     could not write (nothing is changed), no backup to roll back, files edited since the migration)
`

/** Registers `migrate` on the program; its implementation (migrate.ts, with ts-morph) loads when it runs. */
export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Migrate config, code and client documents between graphql-auto-gen versions.')
    .argument('[paths...]', 'files, directories or globs (default: the config file here and src/**)')
    .option('--from <version>', `version migrated from (${VERSIONS.join(', ')})`)
    .option('--to <version>', 'version migrated to', '3.0')
    .option('--dry-run', 'print a unified diff of every change and write nothing')
    .option('--backup', `keep restorable copies (<file>.bak-<from>-<time>, manifest in ${BACKUP_DIR}/)`)
    .option(
      '--force',
      'write without asking (required when stdin is not a terminal); with --rollback, also discard edits made since the migration',
    )
    .option(
      '--rollback',
      'restore the files of the latest --backup run (or --backup-id); refuses when they were edited since, unless --force',
    )
    .option('--backup-id <id>', 'the backup to roll back (a manifest name without .json)')
    .option('--connection-style <style>', 'how converted lists select items: edges or nodes', 'edges')
    .option('--json', 'print a machine-readable summary on stdout')
    .addHelpText('after', HELP_AFTER)
    .action(async (paths: string[], options: MigrateCommandOptions) => {
      const { processIo, runMigrate } = await import('./migrate.js')
      process.exitCode = await runMigrate(paths, options, processIo())
    })
}
