import type { ExecutionResult, GraphQLError } from 'graphql'

/** What an error may ask of the HTTP response (`extensions.http`, never sent to clients). */
interface HttpExtension {
  status?: number
  headers?: Record<string, string>
  /** A GraphQL-over-HTTP request error: 400 only for `application/graphql-response+json`. */
  spec?: boolean
}

/**
 * The HTTP status of one result, as graphql-yoga decides it (so both transports agree): the
 * highest `extensions.http.status` of its errors (spec request errors count only for
 * `application/graphql-response+json`), else 200. Headers errors ask for are added to `headers`.
 */
export function httpStatusOf(
  result: ExecutionResult,
  headers: Record<string, string | number>,
  applicationJson: boolean,
): number {
  let status: number | undefined
  for (const error of result.errors ?? []) {
    const http = error.extensions?.['http'] as HttpExtension | undefined
    if (!http) continue
    if (http.headers) Object.assign(headers, http.headers)
    if (applicationJson && http.spec) continue
    if (http.status && (!status || http.status > status)) status = http.status
  }
  return status ?? 200
}

/** The result as JSON, without `extensions.http` (the database's text kept as it is for compiled data). */
export function serializeResult(result: ExecutionResult): string {
  const errors = result.errors?.length ? result.errors.map(withoutInternals) : undefined
  const clean: ExecutionResult = errors ? { ...result, errors: errors as unknown as GraphQLError[] } : result
  const stringify = (result as { stringify?: (r: ExecutionResult) => string }).stringify
  return stringify ? stringify(clean) : JSON.stringify(clean)
}

function withoutInternals(error: GraphQLError): unknown {
  const json = error.toJSON()
  if (!json.extensions || !('http' in json.extensions)) return json
  const { http: _http, ...extensions } = json.extensions
  const { extensions: _extensions, ...rest } = json
  return Object.keys(extensions).length > 0 ? { ...rest, extensions } : rest
}
