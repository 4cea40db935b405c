// compile/: a GraphQL selection → ONE parameterized SQL statement per root field.
export { compileRootField } from './compileRootField.js'
export { isValidText } from './ordering.js'
export type { RootFieldRequest, RootTarget } from './compileRootField.js'
export type { CompileOptions } from './CompileContext.js'
