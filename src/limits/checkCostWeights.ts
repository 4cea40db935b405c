import { isInterfaceType, isObjectType } from 'graphql'
import type { GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema } from 'graphql'
import { suggestion } from '../didYouMean.js'
import { ConfigError } from '../errors.js'

/**
 * Checks that every key of `limits.costWeights.fields` names a `Type.field` of the served schema,
 * so a misspelt type or field fails loudly (with the closest name) instead of weighing nothing.
 */
export function checkCostWeights(schema: GraphQLSchema, fields: Readonly<Record<string, number>>): void {
  const types = Object.values(schema.getTypeMap()).filter(
    (type): type is GraphQLInterfaceType | GraphQLObjectType =>
      (isObjectType(type) || isInterfaceType(type)) && !type.name.startsWith('__'),
  )
  for (const key of Object.keys(fields)) {
    const where = `limits.costWeights.fields: \`${key}\``
    const [typeName, fieldName, ...rest] = key.split('.')
    if (typeName === undefined || fieldName === undefined || rest.length > 0) {
      throw new ConfigError(`${where}: expected \`Type.field\`, e.g. \`User.orders\`.`, {
        path: 'limits.costWeights.fields',
      })
    }
    const type = types.find((t) => t.name === typeName)
    if (!type) {
      throw new ConfigError(
        `${where}: no type \`${typeName}\` in the schema.${suggestion(
          typeName,
          types.map((t) => t.name),
        )}`,
        { path: 'limits.costWeights.fields' },
      )
    }
    const names = Object.keys(type.getFields())
    if (!names.includes(fieldName)) {
      throw new ConfigError(
        `${where}: type \`${typeName}\` has no field \`${fieldName}\`.${suggestion(fieldName, names)}`,
        { path: 'limits.costWeights.fields' },
      )
    }
  }
}
