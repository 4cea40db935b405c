// coerceVariables takes a short way for simple variables: over every kind of definition and
// value (right, wrong, converted, null, absent, defaults), it answers exactly as graphql-js's
// getVariableValues does — the same values in the same order, or the same errors.
import { buildSchema, getOperationAST, getVariableValues, parse } from 'graphql'
import { describe, expect, it } from 'vitest'
import { coerceVariables } from './coerceVariables.js'

const schema = buildSchema(`
  enum Color { RED GREEN }
  input Range { from: Int, to: Int }
  scalar JSON
  type Query { echo(id: ID, s: String, i: Int, f: Float, b: Boolean, c: Color, r: Range, l: [Int], j: JSON): String }
`)

const definitions = [
  '$id: ID!',
  '$id: ID',
  '$s: String!',
  '$s: String',
  '$i: Int!',
  '$i: Int',
  '$f: Float',
  '$f: Float!',
  '$b: Boolean!',
  '$b: Boolean',
  '$i: Int = 3',
  '$c: Color',
  '$r: Range',
  '$l: [Int]',
  '$j: JSON',
]
const values: unknown[] = [
  undefined, // absent
  null,
  'text',
  '',
  '42',
  42,
  -7,
  2147483647,
  2147483648,
  -2147483649,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  'RED',
  { from: 1 },
  [1, 2],
  {},
]

describe('coerceVariables', () => {
  it('answers as getVariableValues for one variable of every kind and every value', () => {
    let compared = 0
    for (const definition of definitions) {
      const name = definition.slice(1, definition.indexOf(':'))
      const document = parse(`query (${definition}) { echo(${name}: $${name}) }`)
      const operation = getOperationAST(document)!
      for (const value of values) {
        const given: Record<string, unknown> = value === undefined ? {} : { [name]: value }
        for (let twice = 0; twice < 2; twice++) {
          const expected = getVariableValues(schema, operation.variableDefinitions ?? [], given)
          const actual = coerceVariables(schema, operation, given)
          expect(JSON.stringify(actual), `${definition} ← ${JSON.stringify(given)}`).toBe(
            JSON.stringify(expected),
          )
          expect(Object.keys(actual.coerced ?? {})).toEqual(Object.keys(expected.coerced ?? {}))
          compared++
        }
      }
    }
    expect(compared).toBe(definitions.length * values.length * 2)
  })

  it('answers as getVariableValues for several variables, in definition order', () => {
    const document = parse(
      'query ($s: String, $id: ID!, $i: Int, $b: Boolean) { echo(s: $s, id: $id, i: $i, b: $b) }',
    )
    const operation = getOperationAST(document)!
    const sets: Array<Record<string, unknown>> = [
      { id: 'a', s: 'x', i: 1, b: true },
      { b: false, i: null, id: 'b' },
      { id: 'c', extra: 1 },
      { s: 'x' },
      { id: 3 },
      { id: 'd', i: '1' },
      { id: 'e', i: 1.5, b: 'yes' },
    ]
    for (const given of sets) {
      const expected = getVariableValues(schema, operation.variableDefinitions ?? [], given)
      const actual = coerceVariables(schema, operation, given)
      expect(JSON.stringify(actual)).toBe(JSON.stringify(expected))
      expect(Object.keys(actual.coerced ?? {})).toEqual(Object.keys(expected.coerced ?? {}))
    }
  })
})
