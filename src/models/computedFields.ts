import { getTableName } from 'drizzle-orm'
import { suggestion } from '../didYouMean.js'
import { ConfigError } from '../errors.js'
import type { AnyResolverSet, ComputedArgument, ComputedResolver } from './defineResolvers.js'
import { isComputedFieldDefinition, isResolverSet } from './defineResolvers.js'
import { isFieldPermission } from '../auth/index.js'
import type { ComputedField, Model, ModelField, ModelGraph } from './ModelGraph.js'

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/

/**
 * Adds the computed fields of config `resolvers` to their models (a new graph; the input is not
 * changed). Each set must name a table of `models`, each field come from `field()`/`cachedField()`,
 * and `needs` list column property keys; anything else is a ConfigError naming the key.
 */
export function attachComputedFields(graph: ModelGraph, resolvers: readonly unknown[]): ModelGraph {
  if (resolvers.length === 0) return graph
  const added = new Map<Model, ComputedField[]>()
  for (const [index, set] of resolvers.entries()) {
    const path = `resolvers.${index}`
    if (!isResolverSet(set)) {
      throw new ConfigError(`${path}: expected defineResolvers(table, { name: field(…) }).`, { path })
    }
    const model = graph.models.find((m) => m.source === set.table)
    if (!model) {
      throw new ConfigError(
        `${path}: table \`${tableNameOf(set)}\` is not a model of this config; add it to \`models\`.`,
        { path },
      )
    }
    if (model.isJunction) {
      throw new ConfigError(
        `${path}: \`${model.name}\` is a many-to-many junction and has no GraphQL type.`,
        {
          path,
        },
      )
    }
    const list = added.get(model) ?? []
    for (const [name, definition] of Object.entries(set.fields))
      list.push(computedField(model, name, definition, `${path}.${name}`))
    added.set(model, list)
  }
  return {
    ...graph,
    models: graph.models.map((model) => {
      const fields = added.get(model)
      return fields ? { ...model, computedFields: [...(model.computedFields ?? []), ...fields] } : model
    }),
  }
}

function computedField(model: Model, name: string, definition: unknown, path: string): ComputedField {
  if (!isComputedFieldDefinition(definition)) {
    throw new ConfigError(`${path}: expected field(resolve) or field({ type, needs, resolve }).`, { path })
  }
  if (!GRAPHQL_NAME.test(name))
    throw new ConfigError(`${path}: \`${name}\` is not a valid GraphQL name.`, { path })
  const byKey = new Map(model.fields.map((f) => [f.key, f]))
  // Field guards are keyed by property key, so a computed field may not share a column's key.
  if (byKey.has(name)) {
    throw new ConfigError(
      `${path}: \`${name}\` is a column of \`${model.name}\`; give the computed field another name.`,
      {
        path,
      },
    )
  }
  if (typeof definition.type !== 'string' || definition.type.trim() === '') {
    throw new ConfigError(`${path}.type: expected a GraphQL type such as 'String' or 'Int!'.`, {
      path: `${path}.type`,
    })
  }
  if (definition.permission !== undefined && !isFieldPermission(definition.permission)) {
    throw new ConfigError(`${path}.permission: expected permissionRequired('<app>.<codename>').`, {
      path: `${path}.permission`,
    })
  }
  const needed = definition.needs === undefined ? model.fields.map((f) => f.key) : definition.needs
  if (!Array.isArray(needed)) {
    throw new ConfigError(`${path}.needs: expected a list of column property keys.`, {
      path: `${path}.needs`,
    })
  }
  const needs = new Set<ModelField>(model.primaryKey)
  for (const [i, key] of needed.entries()) {
    const column = typeof key === 'string' ? byKey.get(key) : undefined
    if (!column) {
      const shown = String(key)
      throw new ConfigError(
        `${path}.needs.${i}: \`${model.name}\` has no column \`${shown}\`.${suggestion(shown, byKey.keys())}`,
        { path: `${path}.needs.${i}` },
      )
    }
    needs.add(column)
  }
  const args: Record<string, ComputedArgument> = {}
  for (const [argName, spec] of Object.entries(definition.args ?? {})) {
    const argument = typeof spec === 'string' ? { type: spec } : spec
    if (!GRAPHQL_NAME.test(argName) || typeof argument?.type !== 'string') {
      throw new ConfigError(
        `${path}.args.${argName}: expected a GraphQL input type such as 'Int' or { type: 'Int' }.`,
        {
          path: `${path}.args.${argName}`,
        },
      )
    }
    args[argName] = argument
  }
  return {
    name,
    type: definition.type,
    needs: [...needs],
    args,
    resolve: definition.resolve as ComputedResolver,
    ...(definition.description !== undefined ? { description: definition.description } : {}),
    ...(definition.deprecationReason !== undefined
      ? { deprecationReason: definition.deprecationReason }
      : {}),
    ...(definition.permission !== undefined ? { permission: definition.permission } : {}),
    source: path,
  }
}

function tableNameOf(set: AnyResolverSet): string {
  try {
    return getTableName(set.table)
  } catch {
    return String(set.table)
  }
}
