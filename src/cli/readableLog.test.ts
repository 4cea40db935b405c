import { describe, expect, it } from 'vitest'
import { createLogger } from '../observability/index.js'
import { readableLogDestination, readableLogs } from './readableLog.js'

describe('serve logs', () => {
  it('are readable on a terminal, JSON when piped or in production', () => {
    expect(readableLogs({ isTTY: true }, {})).toBe(true)
    expect(readableLogs({ isTTY: false }, {})).toBe(false)
    expect(readableLogs({}, {})).toBe(false)
    expect(readableLogs({ isTTY: true }, { NODE_ENV: 'production' })).toBe(false)
  })

  it('write one line per event: time, level, message, then the fields', () => {
    const lines: string[] = []
    const logger = createLogger(
      'info',
      readableLogDestination({ write: (text: string) => lines.push(text) }, false),
    )
    logger.info(
      { requestId: 'r1', operationName: 'Users', durationMs: 3.5, outcome: 'success' },
      'graphql operation',
    )
    logger.warn({ err: new Error('pool exhausted') }, 'database slow')
    logger.debug('not at this level')
    expect(lines).toEqual([
      expect.stringMatching(
        /^\d\d:\d\d:\d\d INFO {2}graphql operation operationName=Users durationMs=3\.5 outcome=success\n$/,
      ),
      expect.stringMatching(/^\d\d:\d\d:\d\d WARN {2}database slow err="pool exhausted"\n$/),
    ])
  })
})
