// The fast path's result: its text is written as is, yet every reader sees ordinary data.
import { describe, expect, it } from 'vitest'
import { rawResult } from './rawResult.js'

const TEXT = '{"users" : {"nodes" : [{"pk" : 1}, \n {"pk" : 2}]}, "user" : null}'

describe('rawResult', () => {
  it('writes the database text as data, and the other keys after it', () => {
    const result = rawResult(TEXT)
    expect(result.stringify(result)).toBe(`{"data":${TEXT}}`)
    const withCost = { ...result, extensions: { cost: { requestedQueryCost: 3 } } }
    expect(result.stringify(withCost)).toBe(`{"data":${TEXT},"extensions":{"cost":{"requestedQueryCost":3}}}`)
  })

  it('is plain data to whoever reads it (hooks, JSON.stringify of graphql-ws messages)', () => {
    const result = rawResult(TEXT)
    expect(result.data).toEqual({ users: { nodes: [{ pk: 1 }, { pk: 2 }] }, user: null })
    expect(Object.keys(result.data!)).toEqual(['users', 'user'])
    expect(JSON.parse(JSON.stringify({ payload: result }))).toEqual({
      payload: { data: { users: { nodes: [{ pk: 1 }, { pk: 2 }] }, user: null } },
    })
  })

  it('serializes what a hook left when it changed or replaced data', () => {
    const changed = rawResult(TEXT)
    ;(changed.data as Record<string, unknown>)['user'] = { pk: 9 }
    expect(JSON.parse(changed.stringify(changed))).toEqual({
      data: { users: { nodes: [{ pk: 1 }, { pk: 2 }] }, user: { pk: 9 } },
    })
    const replaced = rawResult(TEXT)
    expect(replaced.stringify({ ...replaced, data: { other: true } })).toBe('{"data":{"other":true}}')
  })
})
