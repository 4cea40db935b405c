import {
  GraphQLBoolean,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLString,
} from 'graphql'
import type { GraphQLEnumType, GraphQLInputFieldConfig, GraphQLInputType } from 'graphql'
import { FILTER_OPERATORS, operatorGroup } from '../compile/index.js'
import { AutoGenError, ErrorCodes } from '../errors.js'
import type { ModelField } from '../models/index.js'
import type { ModelNames, SchemaNames } from '../naming/index.js'
import { JSONScalar, SCALAR_BY_KIND } from './scalars.js'

/** Fields every advanced model filter has besides its columns and relations. */
const LOGIC_FIELDS = ['and', 'or', 'not']

const OPERATOR_DOCS: Record<string, string> = {
  exact: 'Equal to (null: IS NULL).',
  iexact: 'Equal to, ignoring case (null: IS NULL).',
  contains: 'Contains the text (`%`, `_` and `\\` match literally).',
  icontains: 'Contains the text, ignoring case.',
  startswith: 'Starts with the text.',
  istartswith: 'Starts with the text, ignoring case.',
  endswith: 'Ends with the text.',
  iendswith: 'Ends with the text, ignoring case.',
  in: 'Equal to one of the values; an empty list matches nothing.',
  regex: 'Matches the PostgreSQL regular expression.',
  iregex: 'Matches the PostgreSQL regular expression, ignoring case.',
  isnull: 'true: IS NULL; false: IS NOT NULL.',
  gt: 'Greater than.',
  gte: 'Greater than or equal to.',
  lt: 'Less than.',
  lte: 'Less than or equal to.',
  range: 'Between two values, inclusive: exactly [low, high].',
  hasKey: 'The JSON object has this top-level key.',
  hasKeys: 'The JSON object has all of these top-level keys.',
  hasAnyKeys: 'The JSON object has at least one of these top-level keys.',
}

/**
 * The `XFilter` input of every model, keyed by model name. Advanced mode: per-field operator
 * inputs (`StringFilter`, `DateTimeFilter`, `OrderStatusFilter`, …), relation entries and
 * `and`/`or`/`not` (see compile/compileFilter.ts for the semantics). Basic mode: each column
 * takes a value of its own type and means equality. Hidden and write-only fields never appear.
 */
export function buildFilterTypes(
  names: SchemaNames,
  enums: Map<string, GraphQLEnumType>,
  mode: 'advanced' | 'basic',
): Map<string, GraphQLInputObjectType> {
  const operatorTypes = new Map<string, GraphQLInputObjectType>()
  const filters = new Map<string, GraphQLInputObjectType>()
  const relationFilters = new Map<string, GraphQLInputObjectType>()

  const operatorType = (
    typeName: string,
    filterName: string,
    value: GraphQLInputType,
    operators: readonly string[],
  ): GraphQLInputObjectType => {
    let type = operatorTypes.get(filterName)
    if (!type) {
      type = new GraphQLInputObjectType({
        name: filterName,
        description: `Conditions on a ${typeName} field; several operators AND together.`,
        fields: Object.fromEntries(
          operators.map((op): [string, GraphQLInputFieldConfig] => {
            const list = op === 'in' || op === 'range' || op === 'hasKeys' || op === 'hasAnyKeys'
            const item = op === 'isnull' ? GraphQLBoolean : op.startsWith('has') ? GraphQLString : value
            return [
              op,
              {
                type: list ? new GraphQLList(new GraphQLNonNull(item)) : item,
                description: OPERATOR_DOCS[op]!,
              },
            ]
          }),
        ),
      })
      operatorTypes.set(filterName, type)
    }
    return type
  }

  const fieldFilter = (field: ModelField): GraphQLInputType => {
    if (field.kind === 'Boolean') return GraphQLBoolean
    const group = operatorGroup(field)!
    if (field.kind === 'Enum') {
      const enumNames = names.enums.get(field.enum!.sqlName)!
      return operatorType(
        enumNames.typeName,
        enumNames.filterTypeName,
        enums.get(field.enum!.sqlName)!,
        FILTER_OPERATORS[group],
      )
    }
    return operatorType(
      field.kind,
      names.scalarFilters.get(field.kind)!,
      SCALAR_BY_KIND[field.kind],
      FILTER_OPERATORS[group],
    )
  }

  const valueType = (field: ModelField): GraphQLInputType =>
    field.kind === 'Enum'
      ? enums.get(field.enum!.sqlName)!
      : field.kind === 'JSON'
        ? JSONScalar
        : SCALAR_BY_KIND[field.kind]

  const relationFilter = (target: ModelNames): GraphQLInputObjectType => {
    let type = relationFilters.get(target.model.name)
    if (!type) {
      const filter = filters.get(target.model.name)!
      type = new GraphQLInputObjectType({
        name: target.relationFilterTypeName,
        description: `Conditions on related ${target.typeName} rows; several quantifiers AND together.`,
        fields: {
          some: { type: filter, description: 'At least one related row matches.' },
          every: { type: filter, description: 'Every related row matches (true when there are none).' },
          none: { type: filter, description: 'No related row matches.' },
        },
      })
      relationFilters.set(target.model.name, type)
    }
    return type
  }

  for (const model of names.models.values()) {
    const advanced = mode === 'advanced'
    filters.set(
      model.model.name,
      new GraphQLInputObjectType({
        name: model.filterTypeName,
        description: advanced
          ? `Conditions on ${model.typeName} rows: entries AND together; combine with \`and\`, \`or\`, \`not\`.`
          : `Equality conditions on ${model.typeName} rows (basic filtering, deprecated): entries AND together.`,
        fields: () => {
          const fields: Record<string, GraphQLInputFieldConfig> = {}
          for (const [name, binding] of model.fields) {
            if (advanced && LOGIC_FIELDS.includes(name)) {
              throw new AutoGenError(
                ErrorCodes.NAME_COLLISION,
                `Name collision: ${model.filterTypeName}.${name} is both a field of ${model.typeName} and a filter combinator. Rename the field (\`fields.<key>.name\`).`,
                { name },
              )
            }
            switch (binding.kind) {
              case 'globalId':
                fields[name] = advanced
                  ? {
                      type: operatorType(
                        'ID',
                        names.scalarFilters.get('ID')!,
                        GraphQLID,
                        FILTER_OPERATORS.Identity,
                      ),
                    }
                  : { type: GraphQLID }
                break
              case 'primaryKey':
              case 'column':
                if (binding.field.isList) break
                fields[name] = { type: advanced ? fieldFilter(binding.field) : valueType(binding.field) }
                break
              case 'relation':
                if (!advanced) break
                fields[name] =
                  binding.relation.kind === 'toOne'
                    ? {
                        type: filters.get(binding.target.model.name)!,
                        description: `The related ${binding.target.typeName} exists and matches (null: there is none).`,
                      }
                    : {
                        type: relationFilter(binding.target),
                        description: `Related ${binding.target.typeName} rows (null: there are none).`,
                      }
            }
            // A former name (renamedFrom) still filters, marked deprecated like its output field.
            const entry = fields[name]
            if (entry && binding.deprecationReason !== undefined)
              entry.deprecationReason = binding.deprecationReason
          }
          if (advanced) {
            const self = filters.get(model.model.name)!
            fields['and'] = {
              type: new GraphQLList(new GraphQLNonNull(self)),
              description: 'Every condition holds (an empty list: always).',
            }
            fields['or'] = {
              type: new GraphQLList(new GraphQLNonNull(self)),
              description: 'At least one condition holds (an empty list: never).',
            }
            fields['not'] = { type: self, description: 'The condition does not hold.' }
          }
          return fields
        },
      }),
    )
  }
  return filters
}
