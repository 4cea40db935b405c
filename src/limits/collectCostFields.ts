import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  Kind,
} from 'graphql'
import type {
  FieldNode,
  FragmentDefinitionNode,
  GraphQLObjectType,
  GraphQLSchema,
  SelectionSetNode,
} from 'graphql'

/** One response key of a selection set for one object type, with every field node merged under it. */
export interface CostField {
  responseKey: string
  fieldName: string
  nodes: FieldNode[]
}

/** What field collection needs from the operation. */
export interface CollectContext {
  schema: GraphQLSchema
  fragments: ReadonlyMap<string, FragmentDefinitionNode>
  variables: Record<string, unknown>
}

/**
 * Flattens selection sets for one concrete object type into response keys, following inline
 * fragments and named fragments whose type condition applies and honouring @skip/@include, as
 * graphql-js execution does — so the cost counts what will run, and each fragment once per set.
 */
export function collectCostFields(
  ctx: CollectContext,
  type: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
): CostField[] {
  const fields = new Map<string, CostField>()
  const visited = new Set<string>()
  for (const set of selectionSets) visit(ctx, type, set, fields, visited)
  return [...fields.values()]
}

/** The selection sets under every node of a merged field. */
export function subSelectionSets(field: CostField): SelectionSetNode[] {
  return field.nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []))
}

function visit(
  ctx: CollectContext,
  type: GraphQLObjectType,
  set: SelectionSetNode,
  fields: Map<string, CostField>,
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
      if (appliesTo(ctx, selection.typeCondition?.name.value, type))
        visit(ctx, type, selection.selectionSet, fields, visited)
    } else {
      const name = selection.name.value
      // A fragment spread twice in one set executes once; this also stops cycles (which
      // validation refuses anyway, before the cost is computed).
      if (visited.has(name)) continue
      visited.add(name)
      const fragment = ctx.fragments.get(name)
      if (fragment && appliesTo(ctx, fragment.typeCondition.name.value, type)) {
        visit(ctx, type, fragment.selectionSet, fields, visited)
      }
    }
  }
}

function isIncluded(ctx: CollectContext, node: Parameters<typeof getDirectiveValues>[1]): boolean {
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, ctx.variables)?.['if'] === true) return false
    return getDirectiveValues(GraphQLIncludeDirective, node, ctx.variables)?.['if'] !== false
  } catch {
    // A bad directive argument is reported by execution; counting the field is the safe side.
    return true
  }
}

function appliesTo(ctx: CollectContext, condition: string | undefined, type: GraphQLObjectType): boolean {
  if (condition === undefined || condition === type.name) return true
  const conditionType = ctx.schema.getType(condition)
  return (
    conditionType !== undefined && isAbstractType(conditionType) && ctx.schema.isSubType(conditionType, type)
  )
}
