import type { ExecutionArgs, ExecutionResult, GraphQLError } from 'graphql'
import type { Plugin as YogaPlugin } from 'graphql-yoga'
import type { ResolvedConfig, ResolvedRateLimiting } from '../config/index.js'
import type { OperationLane, RequestContext } from '../plugins/index.js'
import { callerKey } from './callerKey.js'
import { normalizeErrors } from './clientErrors.js'
import { LimiterUnavailable } from './costLimiter.js'
import type { BudgetStatus, CostLimiter } from './costLimiter.js'
import { limitExceeded, limiterUnavailable, rateLimited, tooComplex } from './limitErrors.js'
import { readLimitedBody } from './limitRequestBody.js'
import { parseWithLimits } from './parseWithLimits.js'
import { costCache } from './costCache.js'
import { actualQueryCost } from './queryCost.js'
import type { CostInput, CostModel } from './queryCost.js'
import { tableRowCounts } from './tableRowCounts.js'
import { RATE_LIMIT_STATE } from './rateLimitField.js'
import type { RateLimitState } from './rateLimitField.js'
import { structuralRules } from './structuralRules.js'

/** An operation priced for execution: its cost, and the refusal when it may not run. */
interface Admission {
  cost: CostExtension
  input: CostInput
  refusal?: GraphQLError
  /** The caller's budget after spending, when rate limiting is on. */
  status?: BudgetStatus
}

/**
 * Key in `context.state` of the admission the direct lane made: when the lane hands an admitted
 * operation to graphql-yoga (the fast path could not answer it), it is not priced and charged again.
 */
const ADMITTED_STATE = 'graphql-auto-gen:admitted'

/** What the limits plugin adds to one server: its graphql-yoga plugin and the same work for the direct lane. */
export interface LimitsServer {
  yogaPlugin: YogaPlugin<Record<string, unknown>>
  lane: OperationLane
}

/** `extensions.cost` of every executed result, sent with `limits.costInResponse` (shape in limits/README.md). */
export interface CostExtension {
  requestedQueryCost: number
  actualQueryCost: number
  maximumQueryCost: number
  throttleStatus?: { limit: number; remaining: number; resetAt: string }
}

/**
 * The limits of one server. Its graphql-yoga plugin enforces them in request order: body size
 * and batch size (request parsing), document length and tokens (parse), depth, aliases and
 * directives (validation), page sizes, cost and the rate limit budget (just before execution, so
 * a refused operation runs no SQL), then `extensions.cost`, error codes and RateLimit-* headers.
 * Its direct-lane part prices and charges exactly as `onExecute` does (a refusal goes to
 * graphql-yoga, which refuses it there: a refused operation spends nothing, so pricing it twice
 * charges nothing twice).
 */
export function limitsServer(
  config: ResolvedConfig,
  limiter: CostLimiter | undefined,
  rate: ResolvedRateLimiting | undefined,
): LimitsServer {
  const { limits } = config
  const rules = structuralRules(limits)
  const parseFn = parseWithLimits(limits)
  const maxCost = config.performance.maxQueryComplexity
  const model: CostModel = {
    weights: limits.costWeights,
    defaultPageSize: config.queries.defaultPageSize,
    maxPageSize: config.queries.maxPageSize,
  }
  const priced = costCache(model)
  // The budget after the latest operation of each HTTP request, for its RateLimit-* headers.
  const budgets = new WeakMap<Request, BudgetStatus>()
  // `extensions.cost` stays on results for later hooks (logs) but leaves in responses only when asked.
  const finish = (result: ExecutionResult): ExecutionResult =>
    withoutCost(normalizeErrors(result, limits.fieldSuggestions), limits.costInResponse)
  /** Prices an operation and spends its cost from the caller's budget, or says why it is refused. */
  const admit = async (args: ExecutionArgs): Promise<Admission> => {
    const context = args.contextValue as unknown as RequestContext
    const input: CostInput = {
      schema: args.schema,
      document: args.document,
      operationName: args.operationName,
      variables: args.variableValues as Record<string, unknown> | undefined,
    }
    const analysed = config.performance.enableQueryAnalysis
    // Counted once per server at start (createServer); a server made some other way counts here.
    const counts = tableRowCounts(args.schema, context.database)
    if (analysed && !counts.loaded) await counts.load()
    const report = analysed ? priced(input, counts) : { cost: 1 }
    const cost: CostExtension = {
      requestedQueryCost: report.cost,
      actualQueryCost: 0,
      maximumQueryCost: maxCost,
    }
    const stop = (refusal: GraphQLError): Admission => ({ cost, input, refusal })
    if ('oversizedPage' in report && report.oversizedPage && limits.oversizedPages === 'reject') {
      const { field, argument, value } = report.oversizedPage
      return stop(
        limitExceeded(
          'pageSize',
          `\`${argument}: ${value}\` on ${field} exceeds the maximum page size of ${model.maxPageSize}.`,
          model.maxPageSize,
          value,
        ),
      )
    }
    if (analysed && report.cost > maxCost) return stop(tooComplex(report.cost, maxCost))
    // Variables that do not coerce fail in execution before any resolver: nothing to charge.
    if (limiter && rate && !('invalidVariables' in report)) {
      let spent
      try {
        spent = await limiter.spend(callerKey(context, rate.trustProxy), report.cost)
      } catch (error) {
        if (error instanceof LimiterUnavailable) return stop(limiterUnavailable())
        throw error
      }
      const { status } = spent
      cost.throttleStatus = {
        limit: status.limit,
        remaining: status.remaining,
        resetAt: status.resetAt.toISOString(),
      }
      if (!spent.granted)
        return { ...stop(rateLimited(report.cost, status.remaining, spent.retryAfterSeconds)), status }
      const state: RateLimitState = { cost: report.cost, ...status }
      context.state[RATE_LIMIT_STATE] = state
      return { cost, input, status }
    }
    return { cost, input }
  }
  const lane: OperationLane = {
    async admit(operation) {
      const admission = await admit(operation.args)
      if (admission.refusal) return false
      operation.context.state[ADMITTED_STATE] = admission
      return true
    },
    answered(operation) {
      const admission = operation.context.state[ADMITTED_STATE] as Admission | undefined
      if (!admission) return
      operation.cost = admission.cost.requestedQueryCost
      if (limits.costInResponse) {
        if (config.performance.enableQueryAnalysis && operation.dataText !== undefined)
          admission.cost.actualQueryCost = actualQueryCost(
            admission.input,
            model,
            JSON.parse(operation.dataText) as unknown,
          )
        operation.extensions['cost'] = admission.cost
      }
      if (admission.status) Object.assign(operation.headers, rateLimitHeaders(admission.status))
    },
  }
  const yogaPlugin: YogaPlugin<Record<string, unknown>> = {
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
    onParse({ setParseFn }) {
      setParseFn(parseFn)
    },
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule)
    },
    async onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as unknown as RequestContext
      const admitted = context.state[ADMITTED_STATE] as Admission | undefined
      const { cost, input, refusal, status } = admitted ?? (await admit(args))
      if (status && context.request) budgets.set(context.request, status)
      if (refusal) return setResultAndStopExecution({ errors: [refusal], extensions: { cost } })
      const analysed = config.performance.enableQueryAnalysis
      return {
        onExecuteDone({ result, setResult }) {
          if (!isExecutionResult(result)) return
          // The actual cost walks (and so parses) the whole result: only for responses that show it.
          if (analysed && limits.costInResponse)
            cost.actualQueryCost = actualQueryCost(input, model, result.data)
          setResult({ ...result, extensions: { ...result.extensions, cost } })
        },
      }
    },
    // A subscription is priced and charged once, when it starts (its events re-read through the
    // same selection, so the requested cost is what each event may cost).
    async onSubscribe({ args, setResultAndStopExecution }) {
      const { cost, refusal, status } = await admit(args)
      const context = args.contextValue as unknown as RequestContext
      if (status && context.request) budgets.set(context.request, status)
      if (refusal) setResultAndStopExecution({ errors: [refusal], extensions: { cost } })
    },
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result)) setResult(result.map(finish))
      else if (isExecutionResult(result)) setResult(finish(result))
    },
    onResponse({ request, response }) {
      const status = budgets.get(request)
      if (!status) return
      for (const [name, value] of Object.entries(rateLimitHeaders(status))) response.headers.set(name, value)
    },
  }
  return { yogaPlugin, lane }
}

/** The RateLimit-* headers of a caller's budget. */
function rateLimitHeaders(status: BudgetStatus): Record<string, string> {
  return {
    'RateLimit-Limit': String(status.limit),
    'RateLimit-Remaining': String(status.remaining),
    'RateLimit-Reset': String(Math.max(0, Math.ceil((status.resetAt.getTime() - Date.now()) / 1000))),
  }
}

/** The result without `extensions.cost` unless `limits.costInResponse` (an emptied `extensions` goes too). */
function withoutCost(result: ExecutionResult, costInResponse: boolean): ExecutionResult {
  if (costInResponse || !result.extensions || !('cost' in result.extensions)) return result
  const { cost: _cost, ...extensions } = result.extensions
  const { extensions: _extensions, ...rest } = result
  return Object.keys(extensions).length > 0 ? { ...rest, extensions } : rest
}

function isExecutionResult(value: unknown): value is ExecutionResult {
  return typeof value === 'object' && value !== null && !(Symbol.asyncIterator in value)
}
