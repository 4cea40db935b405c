import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { CommandFailure, printLine } from '../commandOutput.js'

/** npm scripts `init` adds to package.json (existing scripts of other names are kept). */
export const INIT_SCRIPTS: Readonly<Record<string, string>> = {
  graphql: 'graphql-auto-gen serve',
  'graphql:doctor': 'graphql-auto-gen doctor',
  'db:push': 'drizzle-kit push',
}

/** The files `init` writes, relative to the target folder (package.json is merged, not listed). */
export const INIT_FILES = {
  config: 'graphql-auto-gen.config.ts',
  models: 'src/db/schema.ts',
  drizzle: 'drizzle.config.ts',
} as const

/** Lines `init` makes sure .gitignore has (appended when missing; the file is created if absent). */
export const INIT_GITIGNORE = ['node_modules/', '.pglite/']

/** `init`: writes the scaffold into `dir` and prints what it wrote and what to do next. */
export async function runInit(dir: string, options: { force?: boolean }): Promise<void> {
  const written = await initProject(resolve(dir), options)
  const shown = relative(process.cwd(), resolve(dir)) || '.'
  printLine(`Set up graphql-auto-gen in ${shown}:`)
  for (const file of written) printLine(`  wrote ${file}`)
  printLine('')
  printLine('Next:')
  if (shown !== '.') printLine(`  cd ${shown}`)
  printLine('  npm install graphql-auto-gen drizzle-orm && npm install -D drizzle-kit')
  printLine('  npm run db:push     # create the tables of src/db/schema.ts (embedded PGlite in .pglite/)')
  printLine('  npm run graphql     # serve them; open the printed URL for GraphiQL')
}

/**
 * Writes the scaffold into `dir` and returns the files written (relative to `dir`). Refuses,
 * naming every file in the way, when one exists and `force` is not set.
 */
export async function initProject(dir: string, options: { force?: boolean } = {}): Promise<string[]> {
  const packagePath = join(dir, 'package.json')
  const packageJson = existsSync(packagePath) ? await readPackageJson(packagePath) : undefined
  const scripts = (packageJson?.['scripts'] ?? {}) as Record<string, unknown>
  const conflicts = [
    ...Object.values(INIT_FILES).filter((file) => existsSync(join(dir, file))),
    ...Object.entries(INIT_SCRIPTS)
      .filter(([name, command]) => scripts[name] !== undefined && scripts[name] !== command)
      .map(([name]) => `package.json (scripts.${name})`),
  ]
  if (conflicts.length > 0 && !options.force) {
    throw new CommandFailure(
      `${conflicts.join(', ')} already exist${conflicts.length === 1 ? 's' : ''} in ${dir}; nothing was written. Pass --force to overwrite.`,
    )
  }
  const files: Array<[string, string]> = [
    [INIT_FILES.config, CONFIG_TEMPLATE],
    [INIT_FILES.models, MODELS_TEMPLATE],
    [INIT_FILES.drizzle, DRIZZLE_TEMPLATE],
  ]
  for (const [file, text] of files) {
    await mkdir(dirname(join(dir, file)), { recursive: true })
    await writeFile(join(dir, file), text)
  }
  const merged = {
    ...(packageJson ?? { name: packageName(dir), version: '0.1.0', private: true, type: 'module' }),
    scripts: { ...scripts, ...INIT_SCRIPTS },
  }
  await writeFile(packagePath, `${JSON.stringify(merged, null, 2)}\n`)
  const gitignore = (await ensureGitignore(join(dir, '.gitignore'))) ? ['.gitignore'] : []
  return [...files.map(([file]) => file), 'package.json', ...gitignore]
}

/** Appends the lines of {@link INIT_GITIGNORE} that `path` lacks; true when it wrote anything. */
async function ensureGitignore(path: string): Promise<boolean> {
  const existing = existsSync(path) ? await readFile(path, 'utf8') : ''
  const present = new Set(existing.split('\n').map((line) => line.trim().replace(/^\//, '')))
  const missing = INIT_GITIGNORE.filter((line) => !present.has(line) && !present.has(line.replace(/\/$/, '')))
  if (missing.length === 0) return false
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n'
  await writeFile(path, `${existing}${separator}${missing.join('\n')}\n`)
  return true
}

async function readPackageJson(path: string): Promise<Record<string, unknown>> {
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'))
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>
  } catch {
    // Reported below: an unreadable package.json must not be replaced silently.
  }
  throw new CommandFailure(`${path} is not a JSON object; fix it first (nothing was written).`)
}

/** npm package names are lower case, without spaces. */
function packageName(dir: string): string {
  return (
    basename(dir)
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[._-]+/, '') || 'my-api'
  )
}

const CONFIG_TEMPLATE = `// graphql-auto-gen configuration: every key is documented in docs/configuration.md.
import { defineConfig } from 'graphql-auto-gen'
import { authors, posts } from './src/db/schema.js'

export default defineConfig({
  // Drizzle tables, keyed by model name. Relations come from foreign keys.
  models: { authors, posts },
  // Absent url: embedded PGlite stored in .pglite/ (no server needed). Set DATABASE_URL for PostgreSQL.
  database: { url: process.env['DATABASE_URL'], dataDir: '.pglite' },
  queries: { defaultPageSize: 20, maxPageSize: 100 },
})
`

const MODELS_TEMPLATE = `// Your data models: Drizzle pgTables. Each table becomes a GraphQL type with queries and mutations.
import { boolean, index, integer, pgTable, serial, text, timestamp, varchar } from 'drizzle-orm/pg-core'

/** People who write posts (an example: rename it, add columns, add tables). */
export const authors = pgTable('authors', {
  id: serial('id').primaryKey(),
  name: varchar('name', { length: 100 }).notNull(),
})

/** Blog posts; the foreign key gives Post.author and Author.posts (indexed, as every foreign key should be). */
export const posts = pgTable(
  'posts',
  {
    id: serial('id').primaryKey(),
    authorId: integer('author_id')
      .notNull()
      .references(() => authors.id),
    title: varchar('title', { length: 200 }).notNull(),
    body: text('body'),
    published: boolean('published').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('posts_author_id_idx').on(table.authorId)],
)
`

const DRIZZLE_TEMPLATE = `// drizzle-kit creates and changes the tables of src/db/schema.ts: \`npm run db:push\`.
import { defineConfig } from 'drizzle-kit'

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  // Your tables live in public. graphql-auto-gen keeps its own objects in schema graphql_auto_gen
  // (and 0.1 kept a graphql_auto_gen_schema table in public): never push or pull them.
  schemaFilter: ['public'],
  tablesFilter: ['!graphql_auto_gen_*'],
  ...(process.env['DATABASE_URL']
    ? { dbCredentials: { url: process.env['DATABASE_URL'] } }
    : { driver: 'pglite', dbCredentials: { url: './.pglite' } }),
})
`
