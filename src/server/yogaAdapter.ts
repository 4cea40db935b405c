import type { IncomingMessage } from 'node:http'
import type { ExecutionResult } from 'graphql'
import type { Plugin as YogaPlugin } from 'graphql-yoga'
import type { ResolvedLimits } from '../config/index.js'
import { limitExceeded, readLimitedBody } from '../limits/index.js'
import type { Pipeline } from './operationPipeline.js'

/**
 * graphql-yoga as a transport only (GET, SSE, multipart, batches and malformed bodies, GraphiQL):
 * its request parsing (body and batch limits enforced here first) hands each operation's
 * parameters straight to the server's pipeline, which does everything from the context on —
 * yoga's own parse, validate, context and execute never run. Response headers the pipeline's
 * hooks add are copied onto yoga's response.
 */
export function pipelineAdapter(
  pipeline: Pipeline,
  limits: ResolvedLimits,
  onRefused: (request: Request, status: number) => void,
): YogaPlugin<Record<string, unknown>> {
  const headersOf = new WeakMap<Request, Record<string, string>>()
  const withOperations = new WeakSet<Request>()
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (request.method === 'POST' && requestParser) {
        const parseBody = requestParser
        setRequestParser(async (original) => {
          const body = await readLimitedBody(original, limits.maxRequestBytes)
          return parseBody(
            new fetchAPI.Request(original.url, { method: 'POST', headers: original.headers, body }),
          )
        })
      }
      return {
        onRequestParseDone({ requestParserResult }) {
          if (
            Array.isArray(requestParserResult) &&
            requestParserResult.length > limits.maxBatchedOperations
          ) {
            throw limitExceeded(
              'batchedOperations',
              `Batched operations limit of ${limits.maxBatchedOperations} exceeded (found ${requestParserResult.length}).`,
              limits.maxBatchedOperations,
              requestParserResult.length,
              { status: 413 },
            )
          }
        },
      }
    },
    onParams({ setParamsHandler }) {
      setParamsHandler(async ({ params, request, context: server }) => {
        withOperations.add(request)
        const address = (server as { req?: IncomingMessage }).req?.socket.remoteAddress
        const context = await pipeline.createContext(request, address)
        const sse = (request.headers.get('accept') ?? '').includes('text/event-stream')
        const operation = await pipeline.run({
          query: params.query ?? '',
          operationName: params.operationName,
          variables: params.variables,
          transport: sse ? 'sse' : 'http',
          method: request.method,
          context,
        })
        headersOf.set(request, { ...headersOf.get(request), ...operation.headers })
        return operation.result as ExecutionResult
      })
    },
    onResponse({ request, response }) {
      const headers = headersOf.get(request)
      if (headers) for (const [name, value] of Object.entries(headers)) response.headers.set(name, value)
      if (response.status >= 400 && !withOperations.has(request)) onRefused(request, response.status)
    },
  }
}
