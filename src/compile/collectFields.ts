import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  Kind,
} from 'graphql'
import type { FieldNode, FragmentDefinitionNode, GraphQLSchema, SelectionSetNode } from 'graphql'

/** One response key of a selection set, with every field node merged under it. */
export interface CollectedField {
  responseKey: string
  fieldName: string
  nodes: FieldNode[]
}

/** What selections need from the operation: fragments, variables and the schema for type conditions. */
export interface SelectionContext {
  schema: GraphQLSchema
  fragments: Record<string, FragmentDefinitionNode>
  variableValues: Record<string, unknown>
}

/**
 * Flattens selection sets for an object type into response keys in first-seen order, following
 * fragments whose type condition applies and honouring @skip/@include, as graphql-js does.
 */
export function collectFields(
  ctx: SelectionContext,
  typeName: string,
  selectionSets: ReadonlyArray<SelectionSetNode | undefined>,
): CollectedField[] {
  const fields = new Map<string, CollectedField>()
  const visited = new Set<string>()
  for (const set of selectionSets) if (set) visit(ctx, typeName, set, fields, visited)
  return [...fields.values()]
}

/** The selection sets under every node of a merged field. */
export function subSelections(field: CollectedField): SelectionSetNode[] {
  return field.nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []))
}

function visit(
  ctx: SelectionContext,
  typeName: string,
  set: SelectionSetNode,
  fields: Map<string, CollectedField>,
  visited: Set<string>,
): void {
  for (const selection of set.selections) {
    if (!isIncluded(ctx, selection)) continue
    if (selection.kind === Kind.FIELD) {
      const responseKey = selection.alias?.value ?? selection.name.value
      const existing = fields.get(responseKey)
      if (existing) existing.nodes.push(selection)
      else fields.set(responseKey, { responseKey, fieldName: selection.name.value, nodes: [selection] })
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!appliesTo(ctx, selection.typeCondition?.name.value, typeName)) continue
      visit(ctx, typeName, selection.selectionSet, fields, visited)
    } else {
      const name = selection.name.value
      if (visited.has(name)) continue
      visited.add(name)
      const fragment = ctx.fragments[name]
      if (!fragment || !appliesTo(ctx, fragment.typeCondition.name.value, typeName)) continue
      visit(ctx, typeName, fragment.selectionSet, fields, visited)
    }
  }
}

function isIncluded(ctx: SelectionContext, node: Parameters<typeof getDirectiveValues>[1]): boolean {
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, ctx.variableValues)?.['if'] === true) return false
    return getDirectiveValues(GraphQLIncludeDirective, node, ctx.variableValues)?.['if'] !== false
  } catch {
    // A bad directive argument is reported by execution; including the field is the safe side
    // (the cost counts it, the compiler reads it).
    return true
  }
}

function appliesTo(ctx: SelectionContext, condition: string | undefined, typeName: string): boolean {
  if (condition === undefined || condition === typeName) return true
  const conditionType = ctx.schema.getType(condition)
  const objectType = ctx.schema.getType(typeName)
  if (!conditionType || !objectType || !isAbstractType(conditionType)) return false
  return ctx.schema.isSubType(conditionType, objectType as Parameters<GraphQLSchema['isSubType']>[1])
}
