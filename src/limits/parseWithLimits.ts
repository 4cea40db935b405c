import { parse } from 'graphql'
import type { DocumentNode, ParseOptions, Source } from 'graphql'
import type { ResolvedLimits } from '../config/index.js'
import { limitExceeded } from './limitErrors.js'

/**
 * graphql-js `parse` with the document length checked first (nothing is lexed) and the token
 * limit enforced by the parser itself (`maxTokens` stops lexing as soon as it is passed).
 */
export function parseWithLimits(limits: ResolvedLimits) {
  return (source: string | Source, options?: ParseOptions): DocumentNode => {
    const length = typeof source === 'string' ? source.length : source.body.length
    if (length > limits.maxDocumentLength) {
      throw limitExceeded(
        'documentLength',
        `Document length limit of ${limits.maxDocumentLength} characters exceeded (found ${length}).`,
        limits.maxDocumentLength,
        length,
      )
    }
    try {
      return parse(source, { ...options, maxTokens: limits.maxTokens })
    } catch (error) {
      // graphql-js 16 says "Document contains more that N tokens. Parsing aborted." (sic).
      if (error instanceof Error && /Document contains more th\w+ \d+ tokens/.test(error.message)) {
        throw limitExceeded('tokens', `Token limit of ${limits.maxTokens} exceeded.`, limits.maxTokens)
      }
      throw error
    }
  }
}
