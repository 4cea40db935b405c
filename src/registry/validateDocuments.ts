import { validate } from '@graphql-inspector/core'
import { GraphQLError, getLocation, parse } from 'graphql'
import type { GraphQLSchema, Source } from 'graphql'

/** One problem found in a client document. */
export interface DocumentProblem {
  /** The file the document came from. */
  file: string
  line: number
  column: number
  message: string
  /** `error` fails the check; `deprecated` (use of a deprecated field or value) only warns. */
  severity: 'error' | 'deprecated'
}

/**
 * Validates client documents against a schema. Fragments may live in other documents (as with
 * Apollo and Relay); each operation is checked with the fragments it uses, wherever they are.
 * Syntax errors are reported per document.
 */
export function validateDocuments(schema: GraphQLSchema, sources: readonly Source[]): DocumentProblem[] {
  const problems: DocumentProblem[] = []
  const parsed: Source[] = []
  for (const source of sources) {
    try {
      parse(source)
      parsed.push(source)
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error
      problems.push(toProblem(source, error, 'error'))
    }
  }
  // Inspector re-parses each body into an anonymous Source; bodies lead back to the files.
  const byBody = new Map<string, Source>()
  for (const source of parsed) if (!byBody.has(source.body)) byBody.set(source.body, source)
  const seen = new Set<string>()
  const add = (problem: DocumentProblem): void => {
    // A fragment used by several operations would otherwise be reported once per operation.
    const key = JSON.stringify(problem)
    if (!seen.has(key)) problems.push(problem)
    seen.add(key)
  }
  for (const invalid of validate(schema, parsed, { strictDeprecated: true })) {
    for (const error of invalid.errors) add(toProblem(invalid.source, error, 'error', byBody))
    for (const error of invalid.deprecated) add(toProblem(invalid.source, error, 'deprecated', byBody))
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column)
}

function toProblem(
  fallback: Source,
  error: GraphQLError,
  severity: DocumentProblem['severity'],
  byBody: ReadonlyMap<string, Source> = new Map(),
): DocumentProblem {
  // The node's own source names the file: a fragment from another file carries that file.
  const node = error.nodes?.[0]
  const located = node?.loc?.source ?? error.source
  const source = (located && byBody.get(located.body)) ?? located ?? fallback
  const position = node?.loc?.start ?? error.positions?.[0]
  const { line, column } = position !== undefined ? getLocation(source, position) : { line: 1, column: 1 }
  // getLocation counts within the source's body; the body may start mid-file (a template in .tsx).
  const offset = source.locationOffset
  return {
    file: source.name,
    line: offset.line + line - 1,
    column: line === 1 ? offset.column + column - 1 : column,
    message: error.message,
    severity,
  }
}
