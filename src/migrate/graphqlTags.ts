import { Node, SyntaxKind } from 'ts-morph'
import type { SourceFile, TemplateLiteral } from 'ts-morph'
import { documentEdits } from './documentMigration.js'
import type { DocumentContext } from './documentMigration.js'
import type { NoteSink } from './notes.js'
import { applyEdits } from './textEdits.js'
import type { TextEdit } from './textEdits.js'
import { rewrite } from './rewrite.js'
import type { Step } from './versions.js'

/** A `/* GraphQL *\/` comment right before a template (its trivia). */
const GRAPHQL_COMMENT = /\/\*\s*GraphQL\s*\*\/\s*$/i

/** Tags (and call names) that mark a template literal as a GraphQL document. */
const TAGS = new Set(['gql', 'graphql'])

/**
 * Migrates the GraphQL documents embedded in a TypeScript/JavaScript file: templates tagged
 * `gql`/`graphql`, `graphql(`…`)` calls and templates after a `/* GraphQL *\/` comment (the
 * forms `schema check --documents` reads). `${…}` substitutions (usually fragments) are kept.
 */
export function migrateEmbeddedDocuments(
  file: SourceFile,
  step: Step,
  notes: NoteSink,
  context: DocumentContext,
): void {
  const replacements: TextEdit[] = []
  for (const template of findDocumentTemplates(file)) {
    const start = template.getStart() + 1
    const inner = template.getText().slice(1, -1)
    const blanks = substitutionSpans(template, start)
    // Substitutions become spaces of the same length: offsets stay put and the text parses.
    let parsable = inner
    for (const [from, to] of blanks)
      parsable = parsable.slice(0, from) + ' '.repeat(to - from) + parsable.slice(to)
    const lineAt = (offset: number): number => file.getLineAndColumnAtPos(start + offset).line
    const edits = documentEdits(parsable, step, notes, context, lineAt)
    if (edits.length === 0) continue
    if (edits.some((e) => blanks.some(([from, to]) => e.start < to && e.end > from && e.end > e.start))) {
      notes.manual(
        'Documents: an edit would touch a ${…} substitution, so this template was not migrated; migrate it by hand.',
        lineAt(0),
      )
      continue
    }
    replacements.push({ start, end: template.getEnd() - 1, text: applyEdits(inner, edits) })
  }
  rewrite(file, replacements)
}

function findDocumentTemplates(file: SourceFile): TemplateLiteral[] {
  const found: TemplateLiteral[] = []
  for (const tagged of file.getDescendantsOfKind(SyntaxKind.TaggedTemplateExpression)) {
    if (TAGS.has(lastName(tagged.getTag()))) found.push(tagged.getTemplate())
  }
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const first = call.getArguments()[0]
    if (!TAGS.has(lastName(call.getExpression())) || !first) continue
    if (Node.isNoSubstitutionTemplateLiteral(first) || Node.isTemplateExpression(first)) found.push(first)
  }
  for (const template of [
    ...file.getDescendantsOfKind(SyntaxKind.NoSubstitutionTemplateLiteral),
    ...file.getDescendantsOfKind(SyntaxKind.TemplateExpression),
  ]) {
    if (found.includes(template) || Node.isTaggedTemplateExpression(template.getParent())) continue
    // The comment sits on the template's own line, where TypeScript calls it trailing, not leading.
    if (GRAPHQL_COMMENT.test(template.getFullText().slice(0, template.getStart() - template.getPos())))
      found.push(template)
  }
  return found
}

/** `gql`, `Apollo.gql` → `gql`. */
function lastName(node: Node): string {
  return Node.isPropertyAccessExpression(node) ? node.getName() : node.getText()
}

/** `[from, to)` of each `${…}` relative to `start` (the first character inside the backticks). */
function substitutionSpans(template: TemplateLiteral, start: number): Array<[number, number]> {
  if (!Node.isTemplateExpression(template)) return []
  return template.getTemplateSpans().map((span) => {
    const from = span.getExpression().getFullStart() - 2 - start
    const to = span.getLiteral().getStart() + 1 - start
    return [from, to]
  })
}
