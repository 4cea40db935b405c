import { getOperationAST, getVariableValues, Kind } from 'graphql'
import type { DocumentNode, FieldNode, FragmentDefinitionNode, OperationDefinitionNode } from 'graphql'
import { collectFields } from '../compile/index.js'
import type { ExecutionRoute } from '../plugins/index.js'
import { chooseRoute } from '../schema/index.js'
import type { RouteArgs } from '../schema/index.js'

/** The route `chooseRoute` gives one root field of an operation, asked about that field alone. */
export interface RootFieldRoute {
  route: ExecutionRoute
  reason: string
}

/**
 * The route of each root field (by response key, in response order), as `chooseRoute` decides
 * for an operation that selects only that field: so a mixed operation, which takes graphql-js as
 * a whole, shows which of its fields holds it there and why. Runs no SQL. Empty when the
 * operation cannot be found or its root selections cannot be collected (bad variables).
 */
export async function rootFieldRoutes(args: RouteArgs): Promise<Record<string, RootFieldRoute>> {
  const operation = getOperationAST(args.document, args.operationName)
  const rootType = operation ? args.schema.getRootType(operation.operation) : undefined
  if (!operation || !rootType) return {}
  const fragments: Record<string, FragmentDefinitionNode> = {}
  for (const definition of args.document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition
  const variables = getVariableValues(
    args.schema,
    operation.variableDefinitions ?? [],
    args.variableValues ?? {},
  )
  if (variables.errors) return {}
  let fields
  try {
    const context = { schema: args.schema, fragments, variableValues: variables.coerced }
    fields = collectFields(context, rootType.name, [operation.selectionSet])
  } catch {
    return {}
  }
  const routes: Record<string, RootFieldRoute> = {}
  for (const field of fields) {
    const document = alone(args.document, operation, field.nodes)
    const choice = await chooseRoute({ ...args, document, operationName: operation.name?.value })
    routes[field.responseKey] = { route: choice.route, reason: choice.reason }
  }
  return routes
}

/** Documents of one root field, kept per field node: the same text gives the same document (and statement cache keys). */
const alones = new WeakMap<FieldNode, { nodes: readonly FieldNode[]; document: DocumentNode }>()

/** `document` with `operation` selecting only `nodes` (one response key's field nodes). */
function alone(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  nodes: readonly FieldNode[],
): DocumentNode {
  const known = alones.get(nodes[0]!)
  if (known && known.nodes.length === nodes.length && known.nodes.every((node, i) => node === nodes[i]))
    return known.document
  const single: OperationDefinitionNode = {
    ...operation,
    selectionSet: { kind: Kind.SELECTION_SET, selections: nodes },
  }
  const made: DocumentNode = {
    ...document,
    definitions: document.definitions.map((definition) => (definition === operation ? single : definition)),
  }
  alones.set(nodes[0]!, { nodes, document: made })
  return made
}
