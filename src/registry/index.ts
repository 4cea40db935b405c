// registry/: the schema's lifecycle: recorded versions (table graphql_auto_gen.schema_versions), SDL
// export, compatibility between two schemas, and client documents checked against a schema.
export { recordSchema } from './recordSchema.js'
export type { RecordSchemaResult } from './recordSchema.js'
export { listSchemaVersions, getSchemaVersion } from './schemaVersions.js'
export type { SchemaVersion } from './schemaVersions.js'
export { LEGACY_REGISTRY_TABLE, REGISTRY_TABLE } from './registryTable.js'
export { schemaSdl } from './schemaSdl.js'
export { configHash } from './configHash.js'
export { compareSchemas, countChanges } from './compareSchemas.js'
export type { ChangeLevel, SchemaChange } from './changeSink.js'
export { readDocuments, isDocumentFile, extractGraphQLTemplates } from './readDocuments.js'
export { validateDocuments } from './validateDocuments.js'
export type { DocumentProblem } from './validateDocuments.js'
