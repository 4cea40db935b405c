import type { DocumentNode } from 'graphql'
import { LruCache } from '../lruCache.js'
import { requestedQueryCost } from './queryCost.js'
import type { CostInput, CostModel, CostReport } from './queryCost.js'
import type { TableRowCounts } from './tableRowCounts.js'

/** Variable sets remembered per document (a document is usually sent with few distinct ones). */
const REPORTS_PER_DOCUMENT = 64

/**
 * The requested cost of operations, remembered per document (graphql-yoga's parse cache hands
 * out the same document object for the same text), operation name, variables and table row
 * counts: the cost depends on nothing else for one schema and cost model, so a hot query is
 * priced once per count refresh. Only the pricing is cached; every request is still checked
 * against the limits and charged.
 */
export function costCache(model: CostModel): (input: CostInput, counts?: TableRowCounts) => CostReport {
  const byDocument = new WeakMap<DocumentNode, LruCache<string, CostReport>>()
  // The model with table sizes, made only when something is priced (a hit allocates nothing).
  const pricedWith = (counts: TableRowCounts | undefined): CostModel =>
    counts ? { ...model, tableRows: (table: string) => counts.rows(table) } : model
  return (input, counts) => {
    let key: string
    try {
      key = `${counts?.version ?? 0}\u0000${input.operationName ?? ''}\u0000${JSON.stringify(input.variables ?? {})}`
    } catch {
      return requestedQueryCost(input, pricedWith(counts))
    }
    let reports = byDocument.get(input.document)
    if (!reports) byDocument.set(input.document, (reports = new LruCache(REPORTS_PER_DOCUMENT)))
    let report = reports.get(key)
    if (!report) {
      report = requestedQueryCost(input, pricedWith(counts))
      reports.set(key, report)
    }
    return report
  }
}
