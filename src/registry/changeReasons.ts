import type { ChangeLevel } from './changeSink.js'

type Reasons = Partial<Record<ChangeLevel, string>>

const INPUT_VALUE: Record<string, Reasons> = {
  REMOVED: { breaking: 'operations that pass it stop validating' },
  ADDED: {
    breaking: 'it is required, so every existing use that does not give it stops validating',
    dangerous: 'it is optional; existing operations omit it, and the server decides what that means',
    safe: 'it is optional, so existing uses keep validating',
  },
  TYPE_CHANGED: {
    breaking: 'values clients pass (an explicit null, a single value for a list) may no longer be accepted',
    safe: 'every value accepted before is still accepted',
  },
  DEFAULT_REMOVED: {
    breaking:
      'it is non-null without a default now, so operations that omitted it fail with a required-value error',
    dangerous: 'operations that omit it now send null instead of the old default',
  },
  DEFAULT_CHANGED: { dangerous: 'operations that omit it get a different result' },
  REQUIRED_ADDED: {
    breaking: 'the server now refuses inputs without it, so operations that omitted it fail',
  },
  REQUIRED_REMOVED: { safe: 'inputs without it are accepted now; inputs with it still are' },
  DEFAULT_ADDED: { safe: 'operations that omit it keep validating; the server decides as before' },
}

const REASONS: Record<string, Reasons> = {
  TYPE_REMOVED: { breaking: 'operations and fragments that name this type stop validating' },
  TYPE_ADDED: { safe: 'new types do not affect existing operations' },
  TYPE_KIND_CHANGED: { breaking: 'selections and values written for the old kind of type no longer fit' },
  FIELD_REMOVED: {
    breaking:
      'operations that select this field stop validating; keep it as a deprecated alias (model option `renamedFrom` or `removedFields`)',
  },
  FIELD_ADDED: { safe: 'existing operations do not select the new field' },
  FIELD_TYPE_CHANGED: {
    breaking: 'clients receive a value of a different type, or null where they expected none',
    safe: 'the new type is a compatible refinement of the old (e.g. made non-null)',
  },
  ENUM_VALUE_ADDED: { dangerous: 'clients with exhaustive switches may meet a value they do not handle' },
  ENUM_VALUE_REMOVED: { breaking: 'operations using the value stop validating, and results never hold it' },
  UNION_MEMBER_ADDED: { dangerous: 'clients may receive a type they have no fragment for' },
  UNION_MEMBER_REMOVED: { breaking: 'fragments on the removed member no longer apply to this union' },
  INTERFACE_ADDED: { dangerous: 'clients may receive this type where they select the interface' },
  INTERFACE_REMOVED: { breaking: 'fragments on the interface no longer match this type' },
  INPUT_OBJECT_ONE_OF_ADDED: { breaking: 'inputs that set several fields, or none, stop validating' },
  INPUT_OBJECT_ONE_OF_REMOVED: {
    dangerous: 'inputs with several fields set are accepted and must be handled',
  },
  SCALAR_SPECIFIED_BY_CHANGED: { dangerous: 'the scalar now follows a different specification' },
  DIRECTIVE_REMOVED: { breaking: 'operations that use this directive stop validating' },
  DIRECTIVE_ADDED: { safe: 'existing operations do not use the new directive' },
  DIRECTIVE_REPEATABLE_REMOVED: {
    breaking: 'uses that repeat the directive at one location stop validating',
  },
  DIRECTIVE_REPEATABLE_ADDED: { safe: 'every existing use stays valid' },
  DIRECTIVE_LOCATION_REMOVED: { breaking: 'uses of the directive at this location stop validating' },
  DIRECTIVE_LOCATION_ADDED: { safe: 'every existing use stays valid' },
  SCHEMA_ROOT_TYPE_CHANGED: {
    breaking: 'operations of this kind now run against another root type, or none',
    safe: 'a new kind of operation is possible; existing operations are unchanged',
  },
}

const DEFAULTS: Record<ChangeLevel, string> = {
  breaking: 'operations valid against the old schema may fail against the new one',
  dangerous: 'operations still validate but may behave differently at run time',
  safe: 'existing operations keep working unchanged',
}

/** The one-line reason a change of `type` has `level`. */
export function changeReason(type: string, level: ChangeLevel): string {
  if (/DESCRIPTION|DEPRECATION/.test(type) && level === 'safe') {
    return 'documentation only: operations and results are unchanged'
  }
  const inputValue = /^(?:FIELD_ARGUMENT|INPUT_FIELD|DIRECTIVE_ARGUMENT)_(.+)$/.exec(type)?.[1]
  const known = inputValue !== undefined ? INPUT_VALUE[inputValue]?.[level] : REASONS[type]?.[level]
  return known ?? DEFAULTS[level]
}
