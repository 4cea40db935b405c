// migrate/: version migrations of config files, library code (codemods) and client documents.
export { planMigration } from './migrateProject.js'
export type { FileResult, MigrateOptions, MigrationPlan } from './plan.js'
export {
  applyMigration,
  editedSinceMigration,
  MigrationWriteError,
  readManifest,
  rollbackMigration,
  BACKUP_DIR,
} from './applyMigration.js'
export { typeCheckProject } from './typeCheck.js'
export type { TypeCheckError } from './typeCheck.js'
export type { BackupEntry, BackupManifest } from './applyMigration.js'
export { planSteps, supportedPaths, UnsupportedPathError, VERSIONS } from './versions.js'
export type { Step, Version } from './versions.js'
export { migrateDocument } from './documentMigration.js'
export type { ConnectionStyle } from './documentMigration.js'
export { TODO } from './notes.js'
export type { Note, NoteKind } from './notes.js'
export { loadOldModeConfig, oldModeConfig } from './oldModeConfig.js'
