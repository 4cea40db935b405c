// limits/: query cost analysis, depth/alias/size limits and cost-based rate limiting (memory or Redis).
export { limitsPlugin } from './limitsPlugin.js'
export { limitsYogaPlugin } from './limitsYogaPlugin.js'
export type { CostExtension } from './limitsYogaPlugin.js'
export { requestedQueryCost, actualQueryCost } from './queryCost.js'
export type { CostInput, CostModel, CostReport } from './queryCost.js'
export { createCostLimiter, LimiterUnavailable } from './costLimiter.js'
export type { BudgetStatus, CostLimiter, SpendResult } from './costLimiter.js'
export { withRateLimitField } from './rateLimitField.js'
