import type { DocumentNode } from 'graphql'
import { LruCache } from '../lruCache.js'
import { costVariables, requestedQueryCost } from './queryCost.js'
import type { CostInput, CostModel, CostReport } from './queryCost.js'
import type { TableRowCounts } from './tableRowCounts.js'

/** Reports remembered per operation (one per distinct value of the variables the pricing read). */
const REPORTS_PER_OPERATION = 64
/** Operations remembered per document (by name and row counts version). */
const OPERATIONS_PER_DOCUMENT = 16
/** Distinct sets of variables read remembered per operation (they differ only through @skip/@include). */
const READ_SETS_PER_OPERATION = 8

/** The variables one pricing read (sorted names), or every variable (something enumerated them). */
type ReadSet = readonly string[] | 'all'

/** What is remembered of one operation of a document, at one row counts version. */
interface PricedOperation {
  /** The read sets seen, most recent first: a lookup tries each. */
  readSets: ReadSet[]
  /** Reports by read set and the values read (see reportKey). */
  reports: LruCache<string, CostReport>
}

/**
 * The requested cost of operations, remembered per document (the pipeline's parse cache hands
 * out the same document object for the same text), operation name, table row counts, and the
 * values of only the variables the pricing read: the page sizes (`first`, `last`, `limit`, and so
 * every variable in the arguments of a paginated field) and `@skip`/`@include` conditions. A
 * variable the cost never reads (`user(id: $id)`) does not split the cache, so a query sent with
 * a new id each time is priced once per count refresh.
 *
 * Why this is exact: pricing is a deterministic walk over the document, the cost model and the
 * variable values it reads. Each pricing records the names it read; a report is stored under
 * those names and their values, and found again only for variables with the same values under
 * the same names. The walk for such variables reads the same names in the same order and gets the
 * same values, so it would compute the same report. Only the pricing is cached; every request is
 * still checked against the limits and charged.
 */
export function costCache(model: CostModel): (input: CostInput, counts?: TableRowCounts) => CostReport {
  const byDocument = new WeakMap<DocumentNode, LruCache<string, PricedOperation>>()
  return (input, counts) => {
    const coerced = costVariables(input)
    const values = coerced ?? input.variables ?? {}
    let operations = byDocument.get(input.document)
    if (!operations) byDocument.set(input.document, (operations = new LruCache(OPERATIONS_PER_DOCUMENT)))
    // Variables that do not coerce are priced as sent (`invalidVariables`): their own entry.
    const name = `${counts?.version ?? 0}\u0000${coerced ? 'v' : 'i'}\u0000${input.operationName ?? ''}`
    let operation = operations.get(name)
    if (!operation) {
      operation = { readSets: [], reports: new LruCache(REPORTS_PER_OPERATION) }
      operations.set(name, operation)
    }
    for (const readSet of operation.readSets) {
      const key = reportKey(readSet, values)
      const report = key === undefined ? undefined : operation.reports.get(key)
      if (report) return report
    }
    const read = new Set<string>()
    const recorder = recordingReads(values, read)
    const report = requestedQueryCost(
      coerced
        ? { ...input, variableValues: recorder }
        : { ...input, variables: recorder, variableValues: null },
      counts ? { ...model, tableRows: (table: string) => counts.rows(table) } : model,
    )
    const readSet: ReadSet = read.has(ALL) ? 'all' : [...read].sort()
    const key = reportKey(readSet, values)
    if (key === undefined) return report
    operation.reports.set(key, report)
    if (!operation.readSets.some((known) => sameReadSet(known, readSet))) {
      operation.readSets.unshift(readSet)
      operation.readSets.length = Math.min(operation.readSets.length, READ_SETS_PER_OPERATION)
    }
    return report
  }
}

/** Marks a read of every variable (the walk enumerated them). */
const ALL = '\u0000all'

/**
 * The variables as a read-only view that records every name looked up (`get`, `in`,
 * `hasOwnProperty`), and that everything was read when the names are enumerated.
 */
function recordingReads(
  values: Readonly<Record<string, unknown>>,
  read: Set<string>,
): Record<string, unknown> {
  const note = (name: string | symbol): void => {
    if (typeof name === 'string') read.add(name)
  }
  return new Proxy(values as Record<string, unknown>, {
    get(target, name, receiver) {
      note(name)
      return Reflect.get(target, name, receiver) as unknown
    },
    has(target, name) {
      note(name)
      return Reflect.has(target, name)
    },
    getOwnPropertyDescriptor(target, name) {
      note(name)
      return Reflect.getOwnPropertyDescriptor(target, name)
    },
    ownKeys(target) {
      read.add(ALL)
      return Reflect.ownKeys(target)
    },
  })
}

/**
 * The key of a report priced with `readSet` read, for these values: the names, then each value
 * (or its absence, which graphql-js tells apart from null). Undefined when a value has no JSON.
 */
function reportKey(readSet: ReadSet, values: Readonly<Record<string, unknown>>): string | undefined {
  try {
    if (readSet === 'all') return `*\u0000${JSON.stringify(values)}`
    let key = readSet.join('\u0001')
    for (const name of readSet)
      key += Object.hasOwn(values, name) ? `\u0000=${JSON.stringify(values[name])}` : '\u0000-'
    return key
  } catch {
    return undefined
  }
}

function sameReadSet(a: ReadSet, b: ReadSet): boolean {
  if (a === 'all' || b === 'all') return a === b
  return a.length === b.length && a.every((name, i) => name === b[i])
}
