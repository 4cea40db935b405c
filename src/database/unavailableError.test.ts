import { describe, expect, it } from 'vitest'
import { AutoGenError, ErrorCodes } from '../errors.js'
import { statementMayHaveRun, unavailableError } from './unavailableError.js'

/** An error shaped like pg's (`code` is the SQLSTATE, or a Node socket code). */
function driverError(message: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), fields)
}

describe('unavailableError', () => {
  it.each([
    [
      'statement timeout (57014)',
      driverError('canceling statement due to statement timeout', { code: '57014' }),
      'statementTimeout',
    ],
    [
      'admin shutdown (57P01)',
      driverError('terminating connection due to administrator command', { code: '57P01' }),
      'databaseUnavailable',
    ],
    [
      'starting up (57P03)',
      driverError('the database system is starting up', { code: '57P03' }),
      'databaseUnavailable',
    ],
    [
      'connection failure (08006)',
      driverError('connection failure', { code: '08006' }),
      'databaseUnavailable',
    ],
    [
      'too many connections (53300)',
      driverError('sorry, too many clients already', { code: '53300' }),
      'databaseUnavailable',
    ],
    [
      'refused socket',
      driverError('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' }),
      'databaseUnavailable',
    ],
    [
      'dual-stack refusal',
      new AggregateError([driverError('x', { code: 'ECONNREFUSED' })], 'connect failed'),
      'databaseUnavailable',
    ],
    ['lost connection', new Error('Connection terminated unexpectedly'), 'databaseUnavailable'],
    ['pool wait timeout', new Error('timeout exceeded when trying to connect'), 'poolExhausted'],
    ['connect timeout', new Error('Connection terminated due to connection timeout'), 'databaseUnavailable'],
    ['closed pool', new Error('Cannot use a pool after calling end on the pool'), 'databaseUnavailable'],
  ])('maps %s to SERVICE_UNAVAILABLE without the driver text', (_name, error, reason) => {
    const mapped = unavailableError(error)
    expect(mapped).toBeInstanceOf(AutoGenError)
    expect(mapped?.code).toBe(ErrorCodes.SERVICE_UNAVAILABLE)
    expect(mapped?.details).toEqual({ reason })
    expect(mapped?.message).not.toContain(error.message)
  })

  it('leaves other errors alone (constraint violations are the mutations stage’s to map)', () => {
    expect(unavailableError(driverError('duplicate key', { code: '23505' }))).toBeUndefined()
    expect(unavailableError(driverError('syntax error', { code: '42601' }))).toBeUndefined()
    expect(unavailableError(new Error('Connection terminated by a plugin'))).toBeUndefined()
    expect(unavailableError('text')).toBeUndefined()
    expect(unavailableError(new AutoGenError(ErrorCodes.NOT_FOUND, 'gone'))).toBeUndefined()
    const already = new AutoGenError(ErrorCodes.SERVICE_UNAVAILABLE, 'busy')
    expect(unavailableError(already)).toBe(already)
  })
})

describe('statementMayHaveRun', () => {
  it.each([
    ['a refused connection', driverError('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' })],
    ['an unknown host', driverError('getaddrinfo ENOTFOUND db', { code: 'ENOTFOUND' })],
    [
      'a server shutting down or starting (57P03)',
      driverError('the database system is shutting down', { code: '57P03' }),
    ],
    ['too many connections (53300)', driverError('sorry, too many clients already', { code: '53300' })],
    ['the pool connect timeout', new Error('timeout exceeded when trying to connect')],
    [
      'a dual-stack connect refused on every address',
      new AggregateError(
        [driverError('x', { code: 'ECONNREFUSED' }), driverError('y', { code: 'EHOSTUNREACH' })],
        'connect failed',
      ),
    ],
  ])('is false for %s, as an unavailable error too: no connection ever carried it', (_, error) => {
    expect(statementMayHaveRun(error)).toBe(false)
    expect(statementMayHaveRun(unavailableError(error))).toBe(false)
  })

  it.each([
    ['a reset connection', driverError('read ECONNRESET', { code: 'ECONNRESET' })],
    ['a connection lost mid-statement', new Error('Connection terminated unexpectedly')],
    ['an administrator shutdown (57P01)', driverError('terminating connection', { code: '57P01' })],
    ['a crash shutdown (57P02)', driverError('terminating connection because of crash', { code: '57P02' })],
  ])('is true for %s: the statement may have run and committed', (_, error) => {
    expect(statementMayHaveRun(error)).toBe(true)
    expect(statementMayHaveRun(unavailableError(error))).toBe(true)
  })

  it('is true for an unavailable error whose driver error is unknown (the careful answer)', () => {
    expect(statementMayHaveRun(new AutoGenError(ErrorCodes.SERVICE_UNAVAILABLE, 'busy'))).toBe(true)
  })
})
