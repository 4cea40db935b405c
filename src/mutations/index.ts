// mutations/: create / update / delete / bulk / soft delete / restore, validation into payload
// errors, lifecycle hooks; each call atomic: one statement, or one transaction where JS work must
// run between the write and its commit (chooseWritePath says which, and why).
export { chooseWritePath } from './chooseWritePath.js'
export type { WriteFacts, WritePath } from './chooseWritePath.js'
export { createRows } from './createRows.js'
export { updateRows } from './updateRows.js'
export { deleteRows, restoreRow } from './deleteRows.js'
export { hashPassword, verifyPassword } from './passwords.js'
export type {
  CommittedChange,
  InlineRead,
  MutationCall,
  MutationFieldError,
  MutationResult,
  MutationSettings,
  ReadBack,
} from './MutationSettings.js'
export type { RowTarget } from './targetRows.js'
