import { isNonNullType } from 'graphql'
import type { GraphQLArgument, GraphQLInputField } from 'graphql'
import { REQUIRED_INPUT_NOTE } from '../schema/index.js'
import type { ChangeSink } from './changeSink.js'
import { isSafeInputChange, printDefault } from './typeChangeSafety.js'

/** Where input values live: field arguments, input object fields, directive arguments. */
export type InputValueKind = 'FIELD_ARGUMENT' | 'INPUT_FIELD' | 'DIRECTIVE_ARGUMENT'

type InputValue = GraphQLArgument | GraphQLInputField

const NOUNS: Record<InputValueKind, string> = {
  FIELD_ARGUMENT: 'Argument',
  INPUT_FIELD: 'Input field',
  DIRECTIVE_ARGUMENT: 'Directive argument',
}

/**
 * Required means a client must give it: non-null with no default, or (our create inputs) marked
 * with the {@link REQUIRED_INPUT_NOTE} sentence, which the server enforces as a payload error.
 */
export function isRequired(value: InputValue): boolean {
  return (isNonNullType(value.type) && value.defaultValue === undefined) || hasRequiredNote(value)
}

function hasRequiredNote(value: InputValue): boolean {
  return (value.description ?? '').split(/(?<=\.)\s+/).includes(REQUIRED_INPUT_NOTE)
}

/** The description without the required note, so gaining the note is not a documentation change. */
function plainDescription(value: InputValue): string {
  return (value.description ?? '')
    .split(/(?<=\.)\s+/)
    .filter((sentence) => sentence !== REQUIRED_INPUT_NOTE)
    .join(' ')
}

/**
 * Compares the arguments or input fields of one owner. `coordinate(name)` names each one
 * (`Query.users(first:)`, `CreateUserInput.email`, `@auth(role:)`). Beyond graphql-js's rules,
 * a removed default on a non-null value is breaking: operations that omitted it now fail.
 */
export function compareInputValues(
  sink: ChangeSink,
  kind: InputValueKind,
  coordinate: (name: string) => string,
  oldValues: readonly InputValue[],
  newValues: readonly InputValue[],
): void {
  const noun = NOUNS[kind]
  const newByName = new Map(newValues.map((v) => [v.name, v]))
  const oldNames = new Set(oldValues.map((v) => v.name))
  for (const oldValue of oldValues) {
    const at = coordinate(oldValue.name)
    const newValue = newByName.get(oldValue.name)
    if (newValue === undefined) {
      sink.add('breaking', `${kind}_REMOVED`, at, `${noun} ${at} was removed`)
      continue
    }
    compareOne(sink, kind, at, oldValue, newValue)
  }
  for (const newValue of newValues) {
    if (oldNames.has(newValue.name)) continue
    const at = coordinate(newValue.name)
    if (isRequired(newValue)) {
      sink.add(
        'breaking',
        `${kind}_ADDED`,
        at,
        `Required ${noun.toLowerCase()} ${at}: ${String(newValue.type)} was added`,
      )
    } else {
      // graphql-js calls an optional argument or input field dangerous; a directive's is not.
      const level = kind === 'DIRECTIVE_ARGUMENT' ? 'safe' : 'dangerous'
      sink.add(
        level,
        `${kind}_ADDED`,
        at,
        `Optional ${noun.toLowerCase()} ${at}: ${String(newValue.type)} was added`,
      )
    }
  }
}

function compareOne(
  sink: ChangeSink,
  kind: InputValueKind,
  at: string,
  oldValue: InputValue,
  newValue: InputValue,
): void {
  const noun = NOUNS[kind]
  const oldType = String(oldValue.type)
  const newType = String(newValue.type)
  if (oldType !== newType) {
    const safe = isSafeInputChange(oldValue.type, newValue.type)
    sink.add(
      safe ? 'safe' : 'breaking',
      `${kind}_TYPE_CHANGED`,
      at,
      `${noun} ${at} changed type from ${oldType} to ${newType}`,
    )
  }
  compareDefaults(sink, kind, at, oldValue, newValue)
  compareRequiredNote(sink, kind, at, oldValue, newValue)
  if (plainDescription(oldValue) !== plainDescription(newValue)) {
    sink.add('safe', `${kind}_DESCRIPTION_CHANGED`, at, `${noun} ${at} changed its description`)
  }
  const oldReason = oldValue.deprecationReason ?? undefined
  const newReason = newValue.deprecationReason ?? undefined
  if (oldReason !== newReason) {
    const what =
      oldReason === undefined
        ? 'was deprecated'
        : newReason === undefined
          ? 'is no longer deprecated'
          : 'changed its deprecation reason'
    sink.add('safe', `${kind}_DEPRECATION_CHANGED`, at, `${noun} ${at} ${what}`)
  }
}

/** A field that gains the required note (a nullable column made NOT NULL) now fails when left out. */
function compareRequiredNote(
  sink: ChangeSink,
  kind: InputValueKind,
  at: string,
  oldValue: InputValue,
  newValue: InputValue,
): void {
  const before = hasRequiredNote(oldValue)
  const after = hasRequiredNote(newValue)
  if (before === after) return
  const noun = NOUNS[kind]
  if (after && !isRequired({ ...oldValue, description: undefined })) {
    sink.add(
      'breaking',
      `${kind}_REQUIRED_ADDED`,
      at,
      `${noun} ${at} is now required (a missing value is a REQUIRED error)`,
    )
  } else if (!after) {
    sink.add('safe', `${kind}_REQUIRED_REMOVED`, at, `${noun} ${at} is no longer required`)
  }
}

function compareDefaults(
  sink: ChangeSink,
  kind: InputValueKind,
  at: string,
  oldValue: InputValue,
  newValue: InputValue,
): void {
  const noun = NOUNS[kind]
  const before =
    oldValue.defaultValue === undefined ? undefined : printDefault(oldValue.defaultValue, oldValue.type)
  const after =
    newValue.defaultValue === undefined ? undefined : printDefault(newValue.defaultValue, newValue.type)
  if (before === after) return
  if (after === undefined) {
    // Non-null without a default is required: every operation that relied on the default fails.
    const required = isNonNullType(newValue.type)
    sink.add(
      required ? 'breaking' : 'dangerous',
      `${kind}_DEFAULT_REMOVED`,
      at,
      `${noun} ${at} lost its default ${before!}${required ? ` and is now required (${String(newValue.type)})` : ''}`,
    )
  } else if (before === undefined) {
    sink.add('safe', `${kind}_DEFAULT_ADDED`, at, `${noun} ${at} got the default ${after}`)
  } else {
    sink.add(
      'dangerous',
      `${kind}_DEFAULT_CHANGED`,
      at,
      `${noun} ${at} changed its default from ${before} to ${after}`,
    )
  }
}
