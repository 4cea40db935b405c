// mutations/: create / update / delete / bulk / soft delete / restore, validation into payload
// errors, lifecycle hooks, all inside one transaction per call.
export { createRows } from './createRows.js'
export { updateRows } from './updateRows.js'
export { deleteRows, restoreRow } from './deleteRows.js'
export { hashPassword, verifyPassword } from './passwords.js'
export type {
  CommittedChange,
  MutationCall,
  MutationFieldError,
  MutationResult,
  MutationSettings,
  ReadBack,
} from './MutationSettings.js'
export type { RowTarget } from './targetRows.js'
