// Extracts the fenced code samples of the docs, so tests can run every one of them.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

/** The repository root. */
export const ROOT = new URL('..', import.meta.url).pathname

/** One fenced sample of a Markdown file. */
export interface DocSample {
  /** `docs/queries.md:42` (the line of the opening fence). */
  where: string
  lang: string
  code: string
  /** The reason given by a `<!-- no-test: reason -->` comment right above the fence. */
  noTest?: string
}

/** README.md and every docs/*.md file. */
export function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(ROOT, 'docs', name))
  return [join(ROOT, 'README.md'), ...docs]
}

/** Every fenced block of `file`, with its language tag and an optional no-test reason. */
export function samplesOf(file: string): DocSample[] {
  const lines = readFileSync(file, 'utf8').split('\n')
  const samples: DocSample[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i]!)
    if (!open) continue
    const indent = open[1]!.length
    const start = i
    const body: string[] = []
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) body.push(lines[i]!.slice(indent))
    let previous = start - 1
    while (previous >= 0 && lines[previous]!.trim() === '') previous--
    const marker = previous >= 0 ? /<!--\s*no-test:\s*(.*?)\s*-->/.exec(lines[previous]!) : null
    samples.push({
      where: `${relative(ROOT, file)}:${start + 1}`,
      lang: open[2]!,
      code: body.join('\n'),
      ...(marker ? { noTest: marker[1]! } : {}),
    })
  }
  return samples
}

/** Every sample of every doc file. */
export function allSamples(): DocSample[] {
  return docFiles().flatMap(samplesOf)
}

/** The `graphql-auto-gen …` commands of a sh sample (comments and other commands dropped). */
export function cliCommands(code: string): string[][] {
  return code
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => /^(npx )?graphql-auto-gen( |$)/.test(line))
    .map((line) => splitArgs(line.replace(/^npx /, '')).slice(1))
}

/** One `graphql-auto-gen …` command of a tested sh sample. */
export interface DocCommand {
  /** `docs/performance.md:71` (the sample's opening fence). */
  where: string
  /** The arguments after `graphql-auto-gen`. */
  args: string[]
}

/** The environment every doc command runs in: the examples on PGlite (never a DATABASE_URL of the test run), any free port. */
export const DOC_COMMAND_ENV: Readonly<Record<string, string>> = { PORT: '0', DATABASE_URL: '' }

/**
 * Doc commands that another test file runs, in {@link DOC_COMMAND_ENV}, with assertions of its own
 * beyond "exits 0", keyed by the exact command line: each is a whole start of the example on PGlite
 * (seconds of CPU), and docs.test.ts running it a second time would prove nothing more. A command
 * line that changes in the docs no longer matches, so docs.test.ts runs it, and the other test
 * fails until this table is updated.
 */
export const RUN_BY_OTHER_TESTS: Readonly<Record<string, string>> = {
  'serve --example shop': 'src/cli/serve.test.ts',
  'explain --example shop { users(first: 5, orderBy: [{createdAt: DESC}]) { nodes { username } } }':
    'src/cli/commands/explain.test.ts',
  'explain --example shop --analyze --variables {"q":"42"} query ($q: String) { users(filter: {username: {icontains: $q}}) { totalCount } }':
    'src/cli/commands/explain.test.ts',
}

/** Every `graphql-auto-gen …` command of the sh samples that are tested, in document order. */
export function docCommands(): DocCommand[] {
  return allSamples()
    .filter((s) => s.lang === 'sh' && s.noTest === undefined)
    .flatMap((s) => cliCommands(s.code).map((args) => ({ where: s.where, args })))
}

/** The doc commands {@link RUN_BY_OTHER_TESTS} gives to `testFile` (relative to the repository root). */
export function docCommandsRunBy(testFile: string): DocCommand[] {
  return docCommands().filter((c) => RUN_BY_OTHER_TESTS[c.args.join(' ')] === testFile)
}

/** Splits a command line on spaces, honouring single and double quotes. */
function splitArgs(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!)
}
