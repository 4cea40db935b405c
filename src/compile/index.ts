// compile/: a GraphQL selection → ONE parameterized SQL statement per root field.
export { compileRootField } from './compileRootField.js'
export { isValidText } from './ordering.js'
export type { RootFieldRequest, RootTarget } from './compileRootField.js'
export type { CompileOptions, RowAccess } from './CompileContext.js'
export { MAX_POLICY_DEPTH, policyConditions } from './rowPolicies.js'
export { compileRowLookup } from './rowLookup.js'
export { compileWrittenRow } from './compileWrittenRow.js'
export { keyEquals, keyIn, parseKeyText, renderKeyText } from './primaryKey.js'
export {
  compileFilter,
  DEFAULT_MAX_FILTER_DEPTH,
  escapeLike,
  FILTER_OPERATORS,
  filterErrorFromDatabase,
  operatorGroup,
} from './compileFilter.js'
export type { FilterContext } from './compileFilter.js'
export { correlation, visibleRows } from './relationSql.js'
export type { VisibilityContext } from './relationSql.js'
export { SqlParams, tableRef } from './sql.js'
export { collectFields, subSelections } from './collectFields.js'
export { formatSql } from './formatSql.js'
export type { CollectedField, SelectionContext } from './collectFields.js'
