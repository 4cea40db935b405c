import type { DocumentNode, ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql'
import { callerKey } from '../auth/index.js'
import type { ResolvedConfig, ResolvedRateLimiting } from '../config/index.js'
import { capErrors } from '../errors.js'
import type { OperationHooks, PipelineOperation } from '../plugins/index.js'
import { normalizeErrors } from './clientErrors.js'
import { LimiterUnavailable } from './costLimiter.js'
import type { BudgetStatus, CostLimiter } from './costLimiter.js'
import { limitExceeded, limiterUnavailable, rateLimited, tooComplex } from './limitErrors.js'
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

/** What the limits plugin adds to every operation's pipeline (a plugins/ OperationHooks). */
export interface LimitsServer {
  operation: OperationHooks
}

/** `extensions.cost` of every executed result, sent with `limits.costInResponse` (shape in limits/README.md). */
export interface CostExtension {
  requestedQueryCost: number
  actualQueryCost: number
  maximumQueryCost: number
  throttleStatus?: { limit: number; remaining: number; resetAt: string }
}

/**
 * The limits of one server, as steps of the operation pipeline: document length and tokens
 * (parse), depth, aliases and directives (validation), page sizes, cost and the rate limit
 * budget (admit, so a refused operation runs no SQL), then `extensions.cost`, error codes and
 * RateLimit-* headers (respond). Body and batch sizes are the transports' (server/).
 */
export function limitsServer(
  schema: GraphQLSchema,
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
  /**
   * Prices an operation and spends its cost from the caller's budget, or says why it is refused.
   * Synchronous unless row counts are still loading or a rate limiter is asked (the usual
   * operation then costs no promise).
   */
  const admit = (operation: PipelineOperation, document: DocumentNode): Admission | Promise<Admission> => {
    const { context } = operation
    const input: CostInput = {
      schema,
      document,
      operationName: operation.operationName,
      variables: operation.variables as Record<string, unknown>,
      // Coerced once by the pipeline: neither pricing nor the actual cost coerces them again.
      variableValues: operation.coercedVariables,
    }
    const analysed = config.performance.enableQueryAnalysis
    // Counted once per server at start (createServer); a server made some other way counts here.
    const counts = tableRowCounts(schema, context.database)
    if (analysed && !counts.loaded) return counts.load().then(() => admit(operation, document))
    const report = analysed ? priced(input, counts) : { cost: 1 }
    const cost: CostExtension = {
      requestedQueryCost: report.cost,
      actualQueryCost: 0,
      maximumQueryCost: maxCost,
    }
    if ('oversizedPage' in report && report.oversizedPage && limits.oversizedPages === 'reject') {
      const { field, argument, value } = report.oversizedPage
      return refused(
        cost,
        input,
        limitExceeded(
          'pageSize',
          `\`${argument}: ${value}\` on ${field} exceeds the maximum page size of ${model.maxPageSize}.`,
          model.maxPageSize,
          value,
        ),
      )
    }
    if (analysed && report.cost > maxCost) return refused(cost, input, tooComplex(report.cost, maxCost))
    // Variables that do not coerce fail in execution before any resolver: nothing to charge.
    if (limiter && rate && !('invalidVariables' in report)) {
      return limiter.spend(callerKey(context, { trustProxy: rate.trustProxy }), report.cost).then(
        (spent) => charged(spent, cost, input, report.cost, context.state),
        (error: unknown) => {
          if (error instanceof LimiterUnavailable) return refused(cost, input, limiterUnavailable())
          throw error
        },
      )
    }
    return { cost, input }
  }
  /** The admission once the caller's budget was charged. */
  const charged = (
    spent: Awaited<ReturnType<CostLimiter['spend']>>,
    cost: CostExtension,
    input: CostInput,
    requested: number,
    state: Record<string, unknown>,
  ): Admission => {
    const { status } = spent
    cost.throttleStatus = {
      limit: status.limit,
      remaining: status.remaining,
      resetAt: status.resetAt.toISOString(),
    }
    if (!spent.granted) {
      const refusal = rateLimited(requested, status.remaining, spent.retryAfterSeconds)
      return { cost, input, refusal, status }
    }
    const rateState: RateLimitState = { cost: requested, ...status }
    state[RATE_LIMIT_STATE] = rateState
    return { cost, input, status }
  }
  const admitted = (op: PipelineOperation, admission: Admission): void => {
    ;(op as AdmittedOperation)[ADMISSION] = admission
    op.cost = admission.cost.requestedQueryCost
    if (admission.refusal) op.refuse(admission.refusal)
  }
  const operation: OperationHooks = {
    parse: parseFn,
    validationRules: rules,
    // Refused operations run no SQL. A subscription is priced and charged once, when it starts
    // (its events re-read through the same selection, so the requested cost is what each may cost).
    admit(op) {
      if (!op.document) return
      const admission = admit(op, op.document)
      if (admission instanceof Promise) return admission.then((settled) => admitted(op, settled))
      admitted(op, admission)
    },
    respond(op) {
      const admission = (op as AdmittedOperation)[ADMISSION]
      if (admission?.status) Object.assign(op.headers, rateLimitHeaders(admission.status))
      const result = op.result
      if (!result || Symbol.asyncIterator in result) return
      let finished = cappedErrors(normalizeErrors(result, limits.fieldSuggestions), limits.maxResponseErrors)
      if (admission && limits.costInResponse) {
        // The actual cost walks (and so parses) the whole result: only for responses that show it.
        if (!admission.refusal && config.performance.enableQueryAnalysis && finished.data)
          admission.cost.actualQueryCost = actualQueryCost(admission.input, model, finished.data)
        finished = { ...finished, extensions: { ...finished.extensions, cost: admission.cost } }
      }
      op.result = finished
    },
  }
  return { operation }
}

/**
 * An admission that refuses the operation. A module function, not a closure made per operation:
 * under tsx (the bench, `npm run dev`) every named closure costs a property definition.
 */
function refused(cost: CostExtension, input: CostInput, refusal: GraphQLError): Admission {
  return { cost, input, refusal }
}

/** Where an operation keeps its admission (a symbol on the operation: no per-request WeakMap entry). */
const ADMISSION = Symbol('graphql-auto-gen:admission')

/** An operation the admit step priced. */
interface AdmittedOperation extends PipelineOperation {
  [ADMISSION]?: Admission
}

/** `result` with at most `max` errors plus one summarising the rest (see {@link capErrors}). */
function cappedErrors(result: ExecutionResult, max: number): ExecutionResult {
  if (!result.errors || result.errors.length <= max) return result
  return { ...result, errors: capErrors(result.errors, max) }
}

/** The RateLimit-* headers of a caller's budget. */
function rateLimitHeaders(status: BudgetStatus): Record<string, string> {
  return {
    'RateLimit-Limit': String(status.limit),
    'RateLimit-Remaining': String(status.remaining),
    'RateLimit-Reset': String(Math.max(0, Math.ceil((status.resetAt.getTime() - Date.now()) / 1000))),
  }
}
