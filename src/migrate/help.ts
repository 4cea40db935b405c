// The migrate stage's second public door: what the CLI's `migrate --help` names. index.ts loads
// ts-morph and TypeScript (seconds of start-up); these modules load neither, so help stays cheap
// without a copy of the stage's facts in the CLI.
export { VERSIONS, supportedPaths } from './versions.js'
export { BACKUP_DIR } from './applyMigration.js'
