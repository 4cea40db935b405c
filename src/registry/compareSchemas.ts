import { CriticalityLevel, diff } from '@graphql-inspector/core'
import type { Change } from '@graphql-inspector/core'
import type { GraphQLSchema } from 'graphql'

/** How a schema change affects existing clients. */
export type ChangeLevel = 'breaking' | 'dangerous' | 'safe'

/** One difference between two schemas, classified, with a one-line reason. */
export interface SchemaChange {
  level: ChangeLevel
  /** graphql-inspector's change type, e.g. `FIELD_REMOVED`. */
  type: string
  /** Schema coordinate the change is at, e.g. `Query.users.first`. */
  path?: string
  /** What changed, e.g. `Field 'old' was removed from object type 'Query'`. */
  message: string
  /** Why it has this level, in one line. */
  reason: string
}

/**
 * Lists every change from `oldSchema` to `newSchema`, breaking first, then dangerous, then safe
 * (graphql-inspector's order within a level). Breaking: operations valid against the old schema
 * fail against the new one. Dangerous: they still validate but may behave differently.
 */
export async function compareSchemas(
  oldSchema: GraphQLSchema,
  newSchema: GraphQLSchema,
): Promise<SchemaChange[]> {
  const changes = withoutDeprecationEchoes((await diff(oldSchema, newSchema)).map(toSchemaChange))
  return changes.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level])
}

/** Counts changes by level. */
export function countChanges(changes: readonly SchemaChange[]): Record<ChangeLevel, number> {
  const counts: Record<ChangeLevel, number> = { breaking: 0, dangerous: 0, safe: 0 }
  for (const change of changes) counts[change.level] += 1
  return counts
}

const LEVEL_ORDER: Record<ChangeLevel, number> = { breaking: 0, dangerous: 1, safe: 2 }

/**
 * Inspector reports a deprecation twice more, as the `@deprecated` directive and its `reason`
 * argument being added; those echoes are dropped where a *_DEPRECATION_* change says it already.
 */
function withoutDeprecationEchoes(changes: SchemaChange[]): SchemaChange[] {
  const deprecated = new Set(
    changes.filter((c) => c.type.includes('DEPRECATION')).map((c) => deprecationBase(c.path ?? '')),
  )
  return changes.filter(
    (c) =>
      !(
        c.type.startsWith('DIRECTIVE_USAGE_') &&
        c.path?.includes('.@deprecated') &&
        deprecated.has(deprecationBase(c.path))
      ),
  )
}

function deprecationBase(path: string): string {
  const at = path.indexOf('.@deprecated')
  return at === -1 ? path : path.slice(0, at)
}

function toSchemaChange(change: Change): SchemaChange {
  const level: ChangeLevel =
    change.criticality.level === CriticalityLevel.Breaking
      ? 'breaking'
      : change.criticality.level === CriticalityLevel.Dangerous
        ? 'dangerous'
        : 'safe'
  const type = String(change.type)
  return {
    level,
    type,
    ...(change.path !== undefined ? { path: change.path } : {}),
    message: change.message,
    reason: reasonFor(level, type, change.criticality.reason),
  }
}

/** Short reasons by change type and level; inspector's own reasons are often a paragraph or absent. */
const REASONS: Record<string, Partial<Record<ChangeLevel, string>>> = {
  TYPE_REMOVED: { breaking: 'operations and fragments that name this type stop validating' },
  TYPE_ADDED: { safe: 'new types do not affect existing operations' },
  TYPE_KIND_CHANGED: { breaking: 'selections written for the old kind of type no longer fit' },
  FIELD_REMOVED: {
    breaking:
      'operations that select this field stop validating; keep it as a deprecated alias (model option `renamedFrom` or `removedFields`)',
  },
  FIELD_ADDED: { safe: 'existing operations do not select the new field' },
  FIELD_TYPE_CHANGED: {
    breaking: 'clients receive a value of a different type, or null where they expected none',
    safe: 'the new type is a compatible refinement of the old (e.g. made non-null)',
  },
  FIELD_ARGUMENT_ADDED: {
    breaking: 'a required argument without a default is missing from existing operations',
    dangerous: 'the optional argument defaults when absent, which may change what clients get',
    safe: 'an optional argument is ignored by existing operations',
  },
  FIELD_ARGUMENT_REMOVED: { breaking: 'operations that pass this argument stop validating' },
  FIELD_ARGUMENT_TYPE_CHANGED: {
    breaking: 'values clients pass for this argument may no longer be accepted',
    safe: 'every value accepted before is still accepted',
  },
  FIELD_ARGUMENT_DEFAULT_CHANGED: {
    dangerous: 'operations that omit the argument get a different result',
  },
  FIELD_DEPRECATION_ADDED: { safe: 'deprecated fields keep working; clients are told to move' },
  FIELD_DEPRECATION_REMOVED: { safe: 'the field keeps working as before' },
  INPUT_FIELD_ADDED: {
    breaking: 'a required input field is missing from every existing input value',
    safe: 'an optional input field may be omitted',
    dangerous: 'the new input field has a default that existing inputs now get',
  },
  INPUT_FIELD_REMOVED: { breaking: 'input values that set this field stop validating' },
  INPUT_FIELD_TYPE_CHANGED: {
    breaking: 'values clients pass for this input field may no longer be accepted',
    safe: 'every value accepted before is still accepted',
  },
  INPUT_FIELD_DEFAULT_VALUE_CHANGED: { dangerous: 'inputs that omit the field behave differently' },
  ENUM_VALUE_ADDED: { dangerous: 'clients with exhaustive switches may meet a value they do not handle' },
  ENUM_VALUE_REMOVED: { breaking: 'operations using the value stop validating, and results never hold it' },
  UNION_MEMBER_ADDED: { dangerous: 'clients may receive a type they have no fragment for' },
  UNION_MEMBER_REMOVED: { breaking: 'fragments on the removed member no longer apply to this union' },
  OBJECT_TYPE_INTERFACE_ADDED: {
    dangerous: 'clients may receive this type where they select the interface',
    safe: 'existing selections on the type keep working',
  },
  OBJECT_TYPE_INTERFACE_REMOVED: {
    breaking: 'fragments on the interface no longer match this type',
  },
  DIRECTIVE_REMOVED: { breaking: 'operations that use this directive stop validating' },
  DIRECTIVE_ARGUMENT_ADDED: { breaking: 'a required directive argument is missing from existing uses' },
  DIRECTIVE_LOCATION_REMOVED: { breaking: 'uses of the directive at this location stop validating' },
  SCHEMA_QUERY_TYPE_CHANGED: { breaking: 'the root query type changed' },
  SCHEMA_MUTATION_TYPE_CHANGED: { breaking: 'the root mutation type changed' },
  SCHEMA_SUBSCRIPTION_TYPE_CHANGED: { breaking: 'the root subscription type changed' },
}

const DEFAULT_REASONS: Record<ChangeLevel, string> = {
  breaking: 'operations valid against the old schema may fail against the new one',
  dangerous: 'operations still validate but may behave differently at run time',
  safe: 'existing operations keep working unchanged',
}

function reasonFor(level: ChangeLevel, type: string, inspectorReason: string | undefined): string {
  if (/DESCRIPTION|DEPRECATION_REASON/.test(type) && level === 'safe') {
    return 'documentation only: operations and results are unchanged'
  }
  const known = REASONS[type]?.[level]
  if (known !== undefined) return known
  if (inspectorReason !== undefined && inspectorReason !== '') return firstSentence(inspectorReason)
  return DEFAULT_REASONS[level]
}

function firstSentence(text: string): string {
  const sentence = /^[^.]*\.?/.exec(text.replace(/\s+/g, ' ').trim())?.[0] ?? text
  return sentence.replace(/\.$/, '')
}
