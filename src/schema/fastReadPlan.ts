import {
  getNamedType,
  getNullableType,
  getOperationAST,
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLString,
  isAbstractType,
  isEnumType,
  isListType,
  isObjectType,
  isScalarType,
  Kind,
} from 'graphql'
import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  FragmentSpreadNode,
  GraphQLField,
  GraphQLObjectType,
  GraphQLSchema,
  InlineFragmentNode,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql'
import type { ModelField } from '../models/index.js'
import { compiledFieldOf, rootTargetOf } from './compiledResolvers.js'
import { BigIntScalar, DecimalScalar, SCALAR_BY_KIND } from './scalars.js'
import type { SchemaRuntime } from './SchemaRuntime.js'

/** A selection node that carries @skip/@include. */
export type DirectedNode = FieldNode | InlineFragmentNode | FragmentSpreadNode

/** What the fast path needs to know about one operation of a document, found once and cached. */
export interface FastReadPlan {
  operation: OperationDefinitionNode
  fragments: Record<string, FragmentDefinitionNode>
  /** `model.fieldKey` of guarded fields the operation may read: a caller denied one takes graphql-js. */
  guardedFields: readonly string[]
  /** Nodes whose @skip/@include take variables: checked per request, as graphql-js would. */
  variableDirectives: readonly DirectedNode[]
  /** Some Float is read: graphql-js refuses NaN and ±Infinity, which JSON writes as text. */
  readsFloats: boolean
}

/** A plan, or why the operation always needs graphql-js. */
export type FastReadVerdict = { plan: FastReadPlan } | { reason: string }

/**
 * Scalars whose value in the compiled JSON is exactly what graphql-js would serialize, by name
 * and serializer (a schema transform that copies a scalar keeps its serializer; one that changes
 * how it serializes does not pass).
 */
const RENDERED_SCALARS = new Map<string, unknown>(
  [GraphQLInt, GraphQLFloat, GraphQLString, GraphQLBoolean, GraphQLID, ...Object.values(SCALAR_BY_KIND)].map(
    (scalar) => [scalar.name, scalar.serialize],
  ),
)

const verdicts = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, FastReadVerdict>>>()

/**
 * Whether an operation can be answered with the database's JSON as it is (see fastRead.ts): a
 * query whose every field, at every depth, is one of ours (resolver identity: a field a plugin
 * wrapped or a computed field is not), whose leaves render in SQL exactly as graphql-js would
 * serialize them, and which asks no introspection. Cached per schema, document and operation;
 * what depends on the request (variables, the caller) is left to the plan's checks.
 */
export function fastReadPlan(
  runtime: SchemaRuntime,
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
): FastReadVerdict {
  let byDocument = verdicts.get(schema)
  if (!byDocument) verdicts.set(schema, (byDocument = new WeakMap()))
  let byOperation = byDocument.get(document)
  if (!byOperation) byDocument.set(document, (byOperation = new Map()))
  const key = operationName ?? ''
  let verdict = byOperation.get(key)
  if (!verdict) {
    const operation = getOperationAST(document, operationName)
    // An unknown operation name is an execution error; not cached, so made-up names cannot grow the map.
    if (!operation) return { reason: 'no operation to run by that name' }
    verdict = new PlanWalker(runtime, schema, document).plan(operation)
    byOperation.set(key, verdict)
  }
  return verdict
}

class PlanWalker {
  private readonly fragments: Record<string, FragmentDefinitionNode> = {}
  private readonly guarded = new Set<string>()
  private readonly directed = new Set<DirectedNode>()
  private readonly walkedFragments = new Set<string>()
  private readsFloats = false

  constructor(
    private readonly runtime: SchemaRuntime,
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
  ) {
    for (const definition of document.definitions)
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments[definition.name.value] = definition
  }

  plan(operation: OperationDefinitionNode): FastReadVerdict {
    if (operation.operation !== 'query') return { reason: `a ${operation.operation}` }
    const query = this.schema.getQueryType()
    if (!query) return { reason: 'no Query type' }
    const reason = this.selections(query, operation.selectionSet, true)
    if (reason !== undefined) return { reason }
    return {
      plan: {
        operation,
        fragments: this.fragments,
        guardedFields: [...this.guarded],
        variableDirectives: [...this.directed],
        readsFloats: this.readsFloats,
      },
    }
  }

  /**
   * Every selection that may apply to `type`, whatever @skip/@include decide (a superset: a
   * skipped field that needs graphql-js only costs the fast path).
   */
  private selections(type: GraphQLObjectType, set: SelectionSetNode, root: boolean): string | undefined {
    for (const selection of set.selections) {
      if (selection.directives?.some(takesVariables)) this.directed.add(selection)
      let reason: string | undefined
      if (selection.kind === Kind.FIELD) reason = this.field(type, selection, root)
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (this.applies(selection.typeCondition?.name.value, type))
          reason = this.selections(type, selection.selectionSet, root)
      } else {
        const fragment = this.fragments[selection.name.value]
        if (!fragment) return `unknown fragment ${selection.name.value}`
        const walked = `${type.name}\u0000${fragment.name.value}`
        if (!this.walkedFragments.has(walked) && this.applies(fragment.typeCondition.name.value, type)) {
          this.walkedFragments.add(walked)
          reason = this.selections(type, fragment.selectionSet, root)
        }
      }
      if (reason !== undefined) return reason
    }
    return undefined
  }

  private field(type: GraphQLObjectType, node: FieldNode, root: boolean): string | undefined {
    const name = node.name.value
    if (name === '__typename') return undefined
    if (name.startsWith('__')) return `introspection (${name})`
    const definition = type.getFields()[name]
    if (!definition) return `unknown field ${type.name}.${name}`
    if (root) {
      if (!rootTargetOf(definition.resolve)) return `${type.name}.${name} has its own resolver`
    } else {
      const compiled = compiledFieldOf(definition.resolve)
      if (!compiled) return `${type.name}.${name} has its own resolver`
      if (compiled.kind === 'guarded') this.guarded.add(`${compiled.model}.${compiled.fieldKey}`)
    }
    const named = getNamedType(definition.type)
    if (isScalarType(named) || isEnumType(named)) return this.leaf(type, definition)
    if (!node.selectionSet) return `${type.name}.${name} has no selection`
    const targets = isAbstractType(named)
      ? this.schema.getPossibleTypes(named)
      : isObjectType(named)
        ? [named]
        : []
    for (const target of targets) {
      const reason = this.selections(target, node.selectionSet, false)
      if (reason !== undefined) return reason
    }
    return undefined
  }

  /** Whether the JSON the compiler writes for this leaf is what graphql-js would serialize. */
  private leaf(parent: GraphQLObjectType, definition: GraphQLField<unknown, unknown>): string | undefined {
    const named = getNamedType(definition.type)
    const list = isListType(getNullableType(definition.type))
    const where = `${parent.name}.${definition.name}`
    if (isScalarType(named)) {
      if (RENDERED_SCALARS.get(named.name) !== named.serialize)
        return `${where}: scalar ${named.name} is not rendered in SQL`
      // Arrays are sent as PostgreSQL's JSON, where numeric and bigint elements are numbers.
      if (list && (named.name === DecimalScalar.name || named.name === BigIntScalar.name))
        return `${where}: list of ${named.name}`
      if (named.name === GraphQLFloat.name) this.readsFloats = true
      return undefined
    }
    if (list) return `${where}: list of enum values`
    // The compiler renders enum names from the model's enum; the GraphQL type must name the same.
    const field = this.columnOf(parent.name, definition.name)
    const names = field?.enum ? this.runtime.names.enums.get(field.enum.sqlName)?.values : undefined
    const values = isEnumType(named) ? named.getValues() : []
    if (!names || values.length !== names.size || values.some((v) => names.get(String(v.value)) !== v.name))
      return `${where}: enum ${named.name} is not the model's`
    return undefined
  }

  /** The column a leaf of a model's type (or of its composite `pk` object) reads, if any. */
  private columnOf(typeName: string, fieldName: string): ModelField | undefined {
    const binding = this.runtime.names.byTypeName.get(typeName)?.fields.get(fieldName)
    if (binding?.kind === 'column' || binding?.kind === 'primaryKey') return binding.field
    for (const names of this.runtime.names.models.values()) {
      const pk = names.fields.get('pk')
      if (pk?.kind === 'compositeKey' && pk.typeName === typeName)
        return pk.fields.find((part) => part.name === fieldName)?.field
    }
    return undefined
  }

  private applies(condition: string | undefined, type: GraphQLObjectType): boolean {
    if (condition === undefined || condition === type.name) return true
    const conditionType = this.schema.getType(condition)
    return (
      conditionType !== undefined &&
      isAbstractType(conditionType) &&
      this.schema.isSubType(conditionType, type)
    )
  }
}

function takesVariables(directive: {
  name: { value: string }
  arguments?: readonly { value: { kind: Kind } }[]
}): boolean {
  const name = directive.name.value
  return (
    (name === 'skip' || name === 'include') &&
    (directive.arguments ?? []).some((a) => a.value.kind === Kind.VARIABLE)
  )
}
