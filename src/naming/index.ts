// naming/: the one place GraphQL names are made.
export { resolveNames } from './SchemaNames.js'
export { defaultInflection, camelCase, pascalCase } from './Inflection.js'
export { encodeGlobalId, decodeGlobalId } from './globalId.js'
export type { Inflection } from './Inflection.js'
export type { EnumNames, FieldBinding, ModelNames, SchemaNames } from './SchemaNames.js'
export type { GlobalId } from './globalId.js'
