import { performance } from 'node:perf_hooks'
import { execute, getOperationAST, GraphQLError, parse, specifiedRules, subscribe, validate } from 'graphql'
import type { DocumentNode, ExecutionResult, GraphQLSchema, ValidationRule } from 'graphql'
import type { Logger } from 'pino'
import { ErrorCodes, setContextErrorLogger, toClientError } from '../errors.js'
import type { MaskedErrorScope, RequestErrorLogger } from '../errors.js'
import { LruCache } from '../lruCache.js'
import { runRequestHooks } from '../plugins/index.js'
import type { OperationHooks, PipelineOperation, RequestContext, ResolvedPlugin } from '../plugins/index.js'
import { compiledRead, routeOf, useCompiledRows } from '../schema/index.js'
import type { Database } from '../database/index.js'
import { coerceVariables } from './coerceVariables.js'
import { rawResult } from './rawResult.js'

/** What the pipeline needs from its server. */
export interface PipelineOptions {
  schema: GraphQLSchema
  database: Database
  /** The schema's plugins, resolved and ordered: their request hooks build each context. */
  plugins: readonly ResolvedPlugin[]
  /** Every server extension's operation steps, in plugin order. */
  hooks: readonly OperationHooks[]
  /** Where the route of each operation is logged (at debug). */
  logger: Logger
  /** Where internal errors masked while serving an operation are logged, with its request id. */
  logMaskedError: RequestErrorLogger
}

/** One operation as a transport hands it over. */
export interface OperationInput {
  query: string
  operationName?: string | undefined
  variables?: Readonly<Record<string, unknown>> | undefined
  transport: PipelineOperation['transport']
  /** The HTTP method (GET never runs a mutation). */
  method?: string
  context: RequestContext
}

/** The one per-operation protocol of a server (docs/architecture.md). */
export interface Pipeline {
  readonly schema: GraphQLSchema
  /** A request's context, built by every plugin's request hook (may throw: the request is refused). */
  createContext(
    request: Request | undefined,
    clientAddress?: string,
  ): RequestContext | Promise<RequestContext>
  /** parse → validate → admit → plan → execute → respond → report; resolves once the answer is known. */
  run(input: OperationInput): Promise<PipelineOperation>
}

/** Most document texts whose parse (document or error) is remembered. */
const PARSED_DOCUMENTS = 1000

/**
 * Makes the server's pipeline. Each step is written once here, and each concern (auth, limits,
 * cost, rate, response cache, logs, user plugins) implements its steps once as {@link OperationHooks};
 * every transport calls {@link Pipeline.run}, and the route is chosen by `chooseRoute` alone
 * (its synchronous form `routeOf`).
 */
export function createPipeline(options: PipelineOptions): Pipeline {
  const { schema, hooks } = options
  const parseFn = hooks.find((hook) => hook.parse)?.parse ?? ((source: string) => parse(source))
  const rules: readonly ValidationRule[] = [
    ...specifiedRules,
    ...hooks.flatMap((hook) => hook.validationRules ?? []),
  ]
  const parsed = new LruCache<string, DocumentNode | GraphQLError>(PARSED_DOCUMENTS)
  const validated = new WeakMap<DocumentNode, readonly GraphQLError[]>()
  const admitters = hooks.filter((hook) => hook.admit)
  const responders = hooks.filter((hook) => hook.respond)
  const reporters = hooks.filter((hook) => hook.report)
  const enders = hooks.filter((hook) => hook.ended)

  const parseStep = (source: string, scope: MaskedErrorScope): DocumentNode | GraphQLError => {
    let document = parsed.get(source)
    if (document === undefined) {
      try {
        document = parseFn(source)
      } catch (error) {
        document = requestError(error, ErrorCodes.GRAPHQL_PARSE_FAILED, scope)
      }
      parsed.set(source, document)
    }
    return document
  }
  const validateStep = (document: DocumentNode, scope: MaskedErrorScope): readonly GraphQLError[] => {
    let errors = validated.get(document)
    if (!errors) {
      errors = validate(schema, document, rules).map((e) =>
        requestError(e, ErrorCodes.GRAPHQL_VALIDATION_FAILED, scope),
      )
      validated.set(document, errors)
    }
    return errors
  }

  /** Steps up to the answer: any of them may settle `operation.result` and end the run. */
  async function answer(operation: Operation, input: OperationInput): Promise<void> {
    const document = parseStep(input.query, operation.context)
    if (document instanceof GraphQLError) return void (operation.result = { errors: [document] })
    operation.document = document
    const errors = validateStep(document, operation.context)
    if (errors.length > 0) return void (operation.result = { errors })
    operation.valid = true
    operation.definition = getOperationAST(document, input.operationName) ?? undefined
    if (operation.definition?.operation === 'mutation' && input.method === 'GET')
      return void (operation.result = { errors: [mutationOverGet()] })
    // Coerced once, here: admit (cost) and the route read these. Variables that do not coerce are
    // answered by graphql-js's own execution (its errors, exactly as always).
    if (operation.definition) {
      const coerced = coerceVariables(schema, operation.definition, operation.variables)
      operation.coercedVariables = coerced.errors ? null : coerced.coerced
    }
    for (const hook of admitters) {
      // Awaited only when the hook is async: an await costs a turn of the microtask queue.
      const pending = hook.admit!(operation)
      if (pending) await pending
      if (operation.result) return
    }
    const args = {
      schema,
      document,
      operationName: input.operationName,
      variableValues: input.variables,
      contextValue: operation.context,
      coercedVariableValues: operation.coercedVariables,
    }
    // Synchronous for a remembered decision (a hot query): no promise to wait for.
    const routed = routeOf(args)
    const choice = routed instanceof Promise ? await routed : routed
    operation.route = { route: choice.route, reason: choice.reason }
    if (options.logger.isLevelEnabled('debug'))
      options.logger.debug({ requestId: operation.context.requestId, ...operation.route }, 'graphql route')
    if (choice.route === 'compiled') {
      const outcome = await compiledRead(choice.plan)
      if ('data' in outcome) return void (operation.result = rawResult(outcome.data))
      // A statement failed or a Float is NaN: graphql-js answers from the rows already read.
      useCompiledRows(operation.context, outcome.rows)
      operation.route = { route: 'graphql-js', reason: outcome.reason }
    }
    operation.result =
      operation.definition?.operation === 'subscription' ? await subscribe(args) : await execute(args)
  }

  return {
    schema,
    createContext(request, clientAddress) {
      const context: RequestContext = { requestId: '', database: options.database, state: {} }
      // Resolvers and steps mask internal errors with `toClientError(error, context)`: logged here.
      setContextErrorLogger(context, options.logMaskedError)
      if (request) context.request = request
      if (clientAddress !== undefined) context.clientAddress = clientAddress
      const pending = runRequestHooks(options.plugins, context)
      return pending ? pending.then(() => context) : context
    },
    run(input) {
      return settle(new Operation(input), input)
    },
  }

  /** Answers, responds (a thrown error is the answer), masks, reports. */
  async function settle(operation: Operation, input: OperationInput): Promise<PipelineOperation> {
    try {
      await answer(operation, input)
      for (const hook of responders) {
        const pending = hook.respond!(operation)
        if (pending) await pending
      }
    } catch (error) {
      operation.result = { errors: [toClientError(error, operation.context)] }
    }
    const result = operation.result!
    operation.result =
      Symbol.asyncIterator in result
        ? maskedStream(result, operation.context, () => {
            for (const hook of enders) hook.ended!(operation)
          })
        : maskedResult(result, operation.context)
    for (const hook of reporters) hook.report!(operation)
    return operation
  }
}

/** The pipeline's operation record (see PipelineOperation). */
class Operation implements PipelineOperation {
  readonly context: RequestContext
  readonly source: string
  readonly operationName: string | undefined
  readonly variables: Readonly<Record<string, unknown>>
  readonly transport: PipelineOperation['transport']
  readonly start = performance.now()
  document?: DocumentNode
  definition?: PipelineOperation['definition']
  valid = false
  coercedVariables?: Readonly<Record<string, unknown>> | null
  route?: PipelineOperation['route']
  cost?: number
  result?: ExecutionResult | AsyncIterable<ExecutionResult>
  readonly headers: Record<string, string> = {}

  constructor(input: OperationInput) {
    this.context = input.context
    this.source = input.query
    this.operationName = input.operationName
    this.variables = input.variables ?? {}
    this.transport = input.transport
  }

  refuse(error: GraphQLError): void {
    this.result = { errors: [error] }
  }

  answer(result: ExecutionResult): void {
    this.result = result
  }
}

/** Every error of a result as a client may see it (catalogue errors pass, anything else masked with an id). */
function maskedResult(result: ExecutionResult, scope: MaskedErrorScope): ExecutionResult {
  if (!result.errors?.length) return result
  return { ...result, errors: result.errors.map((error) => toClientError(error, scope)) }
}

/**
 * The stream with each event masked. A plain iterator, not an async generator: a generator
 * queues `return()` behind its pending `next()`, so a client leaving would not end the
 * subscription (and free its change feed listener) until the next event.
 */
function maskedStream(
  events: AsyncIterable<ExecutionResult>,
  scope: MaskedErrorScope,
  onEnd: () => void,
): AsyncIterableIterator<ExecutionResult> {
  const inner = events[Symbol.asyncIterator]()
  let ended = false
  const end = (): void => {
    if (ended) return
    ended = true
    onEnd()
  }
  const step = async (
    result: Promise<IteratorResult<ExecutionResult>>,
  ): Promise<IteratorResult<ExecutionResult>> => {
    try {
      const next = await result
      if (next.done) end()
      return next.done ? next : { done: false, value: maskedResult(next.value, scope) }
    } catch (error) {
      end()
      throw error
    }
  }
  return {
    next: () => step(inner.next()),
    return: () => {
      end()
      return step(inner.return ? inner.return() : Promise.resolve({ done: true, value: undefined }))
    },
    throw: (error?: unknown) => {
      end()
      return step(inner.throw ? inner.throw(error) : Promise.reject(error))
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}

/**
 * A parse or validation error as the GraphQL-over-HTTP spec treats it: a request error (HTTP
 * 400 for `application/graphql-response+json`, 200 for `application/json`), with its code.
 */
function requestError(error: unknown, code: string, scope: MaskedErrorScope): GraphQLError {
  const client = toClientError(error, scope)
  const extensions = { ...client.extensions }
  extensions['code'] ??= code
  extensions['http'] ??= { spec: true, status: 400 }
  return new GraphQLError(client.message, {
    nodes: client.nodes,
    source: client.source,
    positions: client.positions,
    extensions,
  })
}

function mutationOverGet(): GraphQLError {
  return new GraphQLError('Can only perform a mutation operation from a POST request.', {
    extensions: { code: ErrorCodes.BAD_REQUEST, http: { status: 405, headers: { Allow: 'POST' } } },
  })
}
