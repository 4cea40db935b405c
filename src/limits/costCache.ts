import type { DocumentNode } from 'graphql'
import { LruCache } from '../lruCache.js'
import { requestedQueryCost } from './queryCost.js'
import type { CostInput, CostModel, CostReport } from './queryCost.js'

/** Variable sets remembered per document (a document is usually sent with few distinct ones). */
const REPORTS_PER_DOCUMENT = 64

/**
 * The requested cost of operations, remembered per document (graphql-yoga's parse cache hands
 * out the same document object for the same text), operation name and variables: the cost
 * depends on nothing else for one schema and cost model, so a hot query is priced once. Only
 * the pricing is cached; every request is still checked against the limits and charged.
 */
export function costCache(model: CostModel): (input: CostInput) => CostReport {
  const byDocument = new WeakMap<DocumentNode, LruCache<string, CostReport>>()
  return (input) => {
    let key: string
    try {
      key = `${input.operationName ?? ''}\u0000${JSON.stringify(input.variables ?? {})}`
    } catch {
      return requestedQueryCost(input, model)
    }
    let reports = byDocument.get(input.document)
    if (!reports) byDocument.set(input.document, (reports = new LruCache(REPORTS_PER_DOCUMENT)))
    let report = reports.get(key)
    if (!report) {
      report = requestedQueryCost(input, model)
      reports.set(key, report)
    }
    return report
  }
}
