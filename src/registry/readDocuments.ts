import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { Source } from 'graphql'
import type { ts as TsApi } from 'ts-morph'

/** Extensions read as whole GraphQL documents. */
const GRAPHQL_EXTENSIONS = new Set(['.graphql', '.gql', '.graphqls'])
/** Extensions searched for GraphQL tagged templates. */
const CODE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'])
/** Template tags (and call names) that hold GraphQL, as Apollo, urql, Relay and codegen write them. */
const GRAPHQL_TAGS = new Set(['gql', 'graphql'])

/**
 * Reads client documents: `.graphql`/`.gql` files whole, and from `.ts`/`.tsx`/`.js`/`.jsx`
 * files every `gql`/`graphql` tagged template, `graphql(\`…\`)` call and template preceded by a
 * `/* GraphQL *\/` comment. Each result is a graphql `Source` named after its file, with the
 * offset of its text in that file, so errors point at the right line and column.
 */
export async function readDocuments(files: readonly string[]): Promise<Source[]> {
  const sources: Source[] = []
  for (const file of files) {
    const extension = extname(file).toLowerCase()
    const text = await readFile(file, 'utf8')
    if (GRAPHQL_EXTENSIONS.has(extension)) {
      if (text.trim() !== '') sources.push(new Source(text, file))
    } else if (CODE_EXTENSIONS.has(extension)) {
      sources.push(...(await extractGraphQLTemplates(text, file)))
    }
  }
  return sources
}

/** True for files {@link readDocuments} knows how to read. */
export function isDocumentFile(file: string): boolean {
  const extension = extname(file).toLowerCase()
  return GRAPHQL_EXTENSIONS.has(extension) || CODE_EXTENSIONS.has(extension)
}

/**
 * Finds GraphQL templates in JavaScript or TypeScript with the TypeScript parser (from ts-morph,
 * loaded only when code files are checked). `${…}` substitutions, usually fragment documents,
 * are blanked out; the fragments they name are found among the other documents.
 */
export async function extractGraphQLTemplates(text: string, file: string): Promise<Source[]> {
  const { ts } = await import('ts-morph')
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(ts, file))
  const sources: Source[] = []
  const visit = (node: TsNode): void => {
    const template = graphqlTemplate(ts, node, text)
    if (template !== undefined) {
      const start = template.getStart(sourceFile) + 1
      const body = blankSubstitutions(ts, template, text, sourceFile)
      if (body.trim() !== '') {
        const position = sourceFile.getLineAndCharacterOfPosition(start)
        sources.push(new Source(body, file, { line: position.line + 1, column: position.character + 1 }))
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(sourceFile)
  return sources
}

type Ts = typeof TsApi
type TsNode = TsApi.Node
type TsTemplate = TsApi.TemplateLiteral

/** The template literal holding GraphQL at `node`, if `node` is one of the recognised forms. */
function graphqlTemplate(ts: Ts, node: TsNode, text: string): TsTemplate | undefined {
  if (ts.isTaggedTemplateExpression(node) && GRAPHQL_TAGS.has(calleeName(ts, node.tag))) {
    return node.template
  }
  if (ts.isCallExpression(node) && GRAPHQL_TAGS.has(calleeName(ts, node.expression))) {
    const first = node.arguments[0]
    if (
      first !== undefined &&
      (ts.isNoSubstitutionTemplateLiteral(first) || ts.isTemplateExpression(first))
    ) {
      return first
    }
  }
  if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
    const parent = node.parent
    if (ts.isTaggedTemplateExpression(parent)) return undefined
    // On the template's own line TypeScript counts the comment as trailing trivia, not leading.
    const trivia = text.slice(node.pos, node.getStart())
    if (/\/\*\s*GraphQL\s*\*\/\s*$/i.test(trivia)) return node
  }
  return undefined
}

/** `gql`, `graphql`, or the last name of `x.gql`; '' for anything else. */
function calleeName(ts: Ts, expression: TsNode): string {
  if (ts.isIdentifier(expression)) return expression.text
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text
  return ''
}

/** The template's text between its backticks, with each `${…}` replaced by spaces (newlines kept). */
function blankSubstitutions(
  ts: Ts,
  template: TsTemplate,
  text: string,
  sourceFile: TsApi.SourceFile,
): string {
  const start = template.getStart(sourceFile) + 1
  const end = template.getEnd() - 1
  let body = text.slice(start, end)
  if (ts.isTemplateExpression(template)) {
    let previousEnd = template.head.getEnd()
    for (const span of template.templateSpans) {
      // From the `${` that ends the previous literal to the `}` that starts the next one.
      const from = previousEnd - 2 - start
      const to = span.literal.getStart(sourceFile) + 1 - start
      body = body.slice(0, from) + body.slice(from, to).replace(/[^\n]/g, ' ') + body.slice(to)
      previousEnd = span.literal.getEnd()
    }
  }
  return body
}

function scriptKind(ts: Ts, file: string): TsApi.ScriptKind {
  const extension = extname(file).toLowerCase()
  if (extension === '.tsx') return ts.ScriptKind.TSX
  if (extension === '.jsx') return ts.ScriptKind.JSX
  if (extension === '.js' || extension === '.mjs' || extension === '.cjs') return ts.ScriptKind.JS
  return ts.ScriptKind.TS
}
