import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
} from 'graphql'
import type {
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLField,
  GraphQLInputObjectType,
  GraphQLInterfaceType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLUnionType,
} from 'graphql'
import { ChangeSink } from './changeSink.js'
import type { ChangeLevel, SchemaChange } from './changeSink.js'
import { compareInputValues } from './inputValueChanges.js'
import { isSafeOutputChange } from './typeChangeSafety.js'

/**
 * Lists every change from `oldSchema` to `newSchema`, breaking first, then dangerous, then safe.
 * Breaking: operations valid against the old schema fail against the new one. Dangerous: they
 * still validate but may behave differently. Covers every rule of graphql-js
 * `findBreakingChanges`/`findDangerousChanges`, plus what they skip: input field defaults, a
 * removed default on a non-null value (now required), root operation types, oneOf inputs,
 * descriptions and deprecations. `schema check`, `schema diff` and `schema history` all use it.
 */
export function compareSchemas(oldSchema: GraphQLSchema, newSchema: GraphQLSchema): SchemaChange[] {
  const sink = new ChangeSink()
  compareRoots(sink, oldSchema, newSchema)
  compareTypes(sink, oldSchema, newSchema)
  compareDirectives(sink, oldSchema.getDirectives(), newSchema.getDirectives())
  return sink.changes.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level])
}

/** Counts changes by level. */
export function countChanges(changes: readonly SchemaChange[]): Record<ChangeLevel, number> {
  const counts: Record<ChangeLevel, number> = { breaking: 0, dangerous: 0, safe: 0 }
  for (const change of changes) counts[change.level] += 1
  return counts
}

const LEVEL_ORDER: Record<ChangeLevel, number> = { breaking: 0, dangerous: 1, safe: 2 }

function compareRoots(sink: ChangeSink, oldSchema: GraphQLSchema, newSchema: GraphQLSchema): void {
  const roots = [
    ['query', oldSchema.getQueryType(), newSchema.getQueryType()],
    ['mutation', oldSchema.getMutationType(), newSchema.getMutationType()],
    ['subscription', oldSchema.getSubscriptionType(), newSchema.getSubscriptionType()],
  ] as const
  for (const [operation, before, after] of roots) {
    if (before?.name === after?.name) continue
    sink.add(
      before === undefined || before === null ? 'safe' : 'breaking',
      'SCHEMA_ROOT_TYPE_CHANGED',
      `schema.${operation}`,
      `The ${operation} root type changed from ${before?.name ?? 'none'} to ${after?.name ?? 'none'}`,
    )
  }
}

function compareTypes(sink: ChangeSink, oldSchema: GraphQLSchema, newSchema: GraphQLSchema): void {
  const oldTypes = userTypes(oldSchema)
  const newTypes = userTypes(newSchema)
  for (const [name, oldType] of oldTypes) {
    const newType = newTypes.get(name)
    if (newType === undefined) {
      sink.add('breaking', 'TYPE_REMOVED', name, `Type ${name} was removed`)
    } else if (kindOf(oldType) !== kindOf(newType)) {
      sink.add(
        'breaking',
        'TYPE_KIND_CHANGED',
        name,
        `Type ${name} changed from ${kindOf(oldType)} to ${kindOf(newType)}`,
      )
    } else {
      compareSameKind(sink, oldType, newType)
    }
  }
  for (const [name, newType] of newTypes) {
    if (!oldTypes.has(name)) sink.add('safe', 'TYPE_ADDED', name, `${kindOf(newType)} ${name} was added`)
  }
}

/** Named types besides introspection types and the built-in scalars (present in every schema). */
function userTypes(schema: GraphQLSchema): Map<string, GraphQLNamedType> {
  return new Map(
    Object.entries(schema.getTypeMap()).filter(
      ([name, type]) => !name.startsWith('__') && !isSpecifiedScalarType(type),
    ),
  )
}

function kindOf(type: GraphQLNamedType): string {
  if (isObjectType(type)) return 'Object type'
  if (isInterfaceType(type)) return 'Interface'
  if (isUnionType(type)) return 'Union'
  if (isEnumType(type)) return 'Enum'
  if (isInputObjectType(type)) return 'Input object'
  return 'Scalar'
}

function compareSameKind(sink: ChangeSink, oldType: GraphQLNamedType, newType: GraphQLNamedType): void {
  if ((oldType.description ?? '') !== (newType.description ?? '')) {
    sink.add('safe', 'TYPE_DESCRIPTION_CHANGED', oldType.name, `Type ${oldType.name} changed its description`)
  }
  if (isObjectType(oldType) || isInterfaceType(oldType)) {
    const next = newType as GraphQLObjectType | GraphQLInterfaceType
    compareInterfaces(sink, oldType, next)
    compareFields(sink, oldType, next)
  } else if (isUnionType(oldType)) {
    compareUnion(sink, oldType, newType as GraphQLUnionType)
  } else if (isEnumType(oldType)) {
    compareEnum(sink, oldType, newType as GraphQLEnumType)
  } else if (isInputObjectType(oldType)) {
    compareInputObject(sink, oldType, newType as GraphQLInputObjectType)
  } else if (isScalarType(oldType) && isScalarType(newType)) {
    if ((oldType.specifiedByURL ?? '') !== (newType.specifiedByURL ?? '')) {
      sink.add(
        'dangerous',
        'SCALAR_SPECIFIED_BY_CHANGED',
        oldType.name,
        `Scalar ${oldType.name} changed its @specifiedBy URL`,
      )
    }
  }
}

function compareInterfaces(
  sink: ChangeSink,
  oldType: GraphQLObjectType | GraphQLInterfaceType,
  newType: GraphQLObjectType | GraphQLInterfaceType,
): void {
  const before = new Set(oldType.getInterfaces().map((i) => i.name))
  const after = new Set(newType.getInterfaces().map((i) => i.name))
  for (const name of before) {
    if (!after.has(name)) {
      sink.add('breaking', 'INTERFACE_REMOVED', oldType.name, `${oldType.name} no longer implements ${name}`)
    }
  }
  for (const name of after) {
    if (!before.has(name)) {
      sink.add('dangerous', 'INTERFACE_ADDED', oldType.name, `${oldType.name} now implements ${name}`)
    }
  }
}

function compareFields(
  sink: ChangeSink,
  oldType: GraphQLObjectType | GraphQLInterfaceType,
  newType: GraphQLObjectType | GraphQLInterfaceType,
): void {
  const oldFields = oldType.getFields()
  const newFields = newType.getFields()
  for (const [name, oldField] of Object.entries(oldFields)) {
    const at = `${oldType.name}.${name}`
    const newField = newFields[name]
    if (newField === undefined) {
      sink.add('breaking', 'FIELD_REMOVED', at, `Field ${at} was removed`)
      continue
    }
    compareField(sink, at, oldField, newField)
  }
  for (const name of Object.keys(newFields)) {
    if (oldFields[name] === undefined) {
      const at = `${oldType.name}.${name}`
      sink.add('safe', 'FIELD_ADDED', at, `Field ${at}: ${String(newFields[name]!.type)} was added`)
    }
  }
}

function compareField(
  sink: ChangeSink,
  at: string,
  oldField: GraphQLField<unknown, unknown>,
  newField: GraphQLField<unknown, unknown>,
): void {
  const oldType = String(oldField.type)
  const newType = String(newField.type)
  if (oldType !== newType) {
    const safe = isSafeOutputChange(oldField.type, newField.type)
    sink.add(
      safe ? 'safe' : 'breaking',
      'FIELD_TYPE_CHANGED',
      at,
      `Field ${at} changed type from ${oldType} to ${newType}`,
    )
  }
  compareInputValues(sink, 'FIELD_ARGUMENT', (arg) => `${at}(${arg}:)`, oldField.args, newField.args)
  if ((oldField.description ?? '') !== (newField.description ?? '')) {
    sink.add('safe', 'FIELD_DESCRIPTION_CHANGED', at, `Field ${at} changed its description`)
  }
  const before = oldField.deprecationReason ?? undefined
  const after = newField.deprecationReason ?? undefined
  if (before !== after) {
    const type =
      before === undefined
        ? 'FIELD_DEPRECATION_ADDED'
        : after === undefined
          ? 'FIELD_DEPRECATION_REMOVED'
          : 'FIELD_DEPRECATION_REASON_CHANGED'
    const what =
      before === undefined
        ? `was deprecated (${after!})`
        : after === undefined
          ? 'is no longer deprecated'
          : 'changed its deprecation reason'
    sink.add('safe', type, at, `Field ${at} ${what}`)
  }
}

function compareUnion(sink: ChangeSink, oldType: GraphQLUnionType, newType: GraphQLUnionType): void {
  const before = new Set(oldType.getTypes().map((t) => t.name))
  const after = new Set(newType.getTypes().map((t) => t.name))
  for (const name of before) {
    if (!after.has(name)) {
      sink.add(
        'breaking',
        'UNION_MEMBER_REMOVED',
        oldType.name,
        `${name} was removed from union ${oldType.name}`,
      )
    }
  }
  for (const name of after) {
    if (!before.has(name)) {
      sink.add('dangerous', 'UNION_MEMBER_ADDED', oldType.name, `${name} was added to union ${oldType.name}`)
    }
  }
}

function compareEnum(sink: ChangeSink, oldType: GraphQLEnumType, newType: GraphQLEnumType): void {
  const newValues = new Map(newType.getValues().map((v) => [v.name, v]))
  const oldNames = new Set(oldType.getValues().map((v) => v.name))
  for (const oldValue of oldType.getValues()) {
    const at = `${oldType.name}.${oldValue.name}`
    const newValue = newValues.get(oldValue.name)
    if (newValue === undefined) {
      sink.add('breaking', 'ENUM_VALUE_REMOVED', at, `Enum value ${at} was removed`)
      continue
    }
    if ((oldValue.deprecationReason ?? undefined) !== (newValue.deprecationReason ?? undefined)) {
      sink.add('safe', 'ENUM_VALUE_DEPRECATION_CHANGED', at, `Enum value ${at} changed its deprecation`)
    }
    if ((oldValue.description ?? '') !== (newValue.description ?? '')) {
      sink.add('safe', 'ENUM_VALUE_DESCRIPTION_CHANGED', at, `Enum value ${at} changed its description`)
    }
  }
  for (const name of newValues.keys()) {
    const at = `${oldType.name}.${name}`
    if (!oldNames.has(name)) sink.add('dangerous', 'ENUM_VALUE_ADDED', at, `Enum value ${at} was added`)
  }
}

function compareInputObject(
  sink: ChangeSink,
  oldType: GraphQLInputObjectType,
  newType: GraphQLInputObjectType,
): void {
  const name = oldType.name
  if (oldType.isOneOf !== newType.isOneOf) {
    sink.add(
      newType.isOneOf ? 'breaking' : 'dangerous',
      newType.isOneOf ? 'INPUT_OBJECT_ONE_OF_ADDED' : 'INPUT_OBJECT_ONE_OF_REMOVED',
      name,
      `Input object ${name} ${newType.isOneOf ? 'became' : 'is no longer'} @oneOf`,
    )
  }
  compareInputValues(
    sink,
    'INPUT_FIELD',
    (field) => `${name}.${field}`,
    Object.values(oldType.getFields()),
    Object.values(newType.getFields()),
  )
}

function compareDirectives(
  sink: ChangeSink,
  oldDirectives: readonly GraphQLDirective[],
  newDirectives: readonly GraphQLDirective[],
): void {
  const newByName = new Map(newDirectives.map((d) => [d.name, d]))
  const oldNames = new Set(oldDirectives.map((d) => d.name))
  for (const oldDirective of oldDirectives) {
    const at = `@${oldDirective.name}`
    const newDirective = newByName.get(oldDirective.name)
    if (newDirective === undefined) {
      sink.add('breaking', 'DIRECTIVE_REMOVED', at, `Directive ${at} was removed`)
      continue
    }
    compareDirective(sink, at, oldDirective, newDirective)
  }
  for (const name of newByName.keys()) {
    if (!oldNames.has(name)) sink.add('safe', 'DIRECTIVE_ADDED', `@${name}`, `Directive @${name} was added`)
  }
}

function compareDirective(
  sink: ChangeSink,
  at: string,
  oldDirective: GraphQLDirective,
  newDirective: GraphQLDirective,
): void {
  if (oldDirective.isRepeatable !== newDirective.isRepeatable) {
    const removed = oldDirective.isRepeatable
    sink.add(
      removed ? 'breaking' : 'safe',
      removed ? 'DIRECTIVE_REPEATABLE_REMOVED' : 'DIRECTIVE_REPEATABLE_ADDED',
      at,
      `Directive ${at} ${removed ? 'is no longer' : 'became'} repeatable`,
    )
  }
  for (const location of oldDirective.locations) {
    if (!newDirective.locations.includes(location)) {
      sink.add(
        'breaking',
        'DIRECTIVE_LOCATION_REMOVED',
        at,
        `Directive ${at} can no longer be used on ${location}`,
      )
    }
  }
  for (const location of newDirective.locations) {
    if (!oldDirective.locations.includes(location)) {
      sink.add('safe', 'DIRECTIVE_LOCATION_ADDED', at, `Directive ${at} can now be used on ${location}`)
    }
  }
  if ((oldDirective.description ?? '') !== (newDirective.description ?? '')) {
    sink.add('safe', 'DIRECTIVE_DESCRIPTION_CHANGED', at, `Directive ${at} changed its description`)
  }
  compareInputValues(
    sink,
    'DIRECTIVE_ARGUMENT',
    (arg) => `${at}(${arg}:)`,
    oldDirective.args,
    newDirective.args,
  )
}
