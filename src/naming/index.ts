// naming/: the one place GraphQL names are made.
export {
  resolveNames,
  MUTATION_KINDS,
  FIELD_ERROR_TYPE,
  BULK_FIELD_ERROR_TYPE,
  DELETED_NODE_TYPE,
  SUBSCRIPTION_KINDS,
} from './SchemaNames.js'
export { defaultInflection, camelCase, pascalCase } from './Inflection.js'
export { encodeGlobalId, decodeGlobalId, encodeKeyText, decodeKeyText } from './globalId.js'
export type { Inflection, MutationKind, SubscriptionKind } from './Inflection.js'
export type {
  EnumNames,
  FieldBinding,
  InputBinding,
  KeyPart,
  ModelNames,
  MutationNames,
  SchemaNames,
} from './SchemaNames.js'
export type { GlobalId } from './globalId.js'
