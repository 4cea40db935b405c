import { astFromValue, isListType, isNamedType, isNonNullType, print } from 'graphql'
import type { GraphQLInputType, GraphQLType } from 'graphql'

/**
 * True when a field's type may change from `oldType` to `newType` without breaking readers: the
 * same named type, a list of a safe item, or the same made non-null (clients get no null they
 * did not expect). Any other change hands clients a value of a shape they did not ask for.
 */
export function isSafeOutputChange(oldType: GraphQLType, newType: GraphQLType): boolean {
  if (isNonNullType(oldType)) {
    return isNonNullType(newType) && isSafeOutputChange(oldType.ofType, newType.ofType)
  }
  // Nullable → non-null of a safe change: clients never get the null they allowed for.
  if (isNonNullType(newType)) return isSafeOutputChange(oldType, newType.ofType)
  if (isListType(oldType)) return isListType(newType) && isSafeOutputChange(oldType.ofType, newType.ofType)
  return isNamedType(oldType) && isNamedType(newType) && oldType.name === newType.name
}

/**
 * True when an argument's or input field's type may change from `oldType` to `newType` and every
 * value accepted before is still accepted: the same named type, a list of a safe item, or a
 * non-null made nullable. Making a type non-null refuses the explicit `null` clients could pass.
 */
export function isSafeInputChange(oldType: GraphQLType, newType: GraphQLType): boolean {
  if (isNonNullType(oldType)) {
    // Non-null made nullable (or kept non-null) accepts everything it accepted before.
    return isSafeInputChange(oldType.ofType, isNonNullType(newType) ? newType.ofType : newType)
  }
  if (isNonNullType(newType)) return false
  if (isListType(oldType)) return isListType(newType) && isSafeInputChange(oldType.ofType, newType.ofType)
  return isNamedType(oldType) && isNamedType(newType) && oldType.name === newType.name
}

/** A default value as GraphQL literal text (`20`, `ASC`, `{a: 1}`), so defaults compare by meaning. */
export function printDefault(value: unknown, type: GraphQLInputType): string {
  try {
    const ast = astFromValue(value, type)
    if (ast) return print(ast)
  } catch {
    // A default the type cannot serialize (a custom scalar's internal value) compares as JSON.
  }
  return JSON.stringify(value) ?? 'undefined'
}
