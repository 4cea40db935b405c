// The stdout logger gathers lines and writes them a few KB at a time: none lost, none reordered.
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'

describe('createLogger on stdout', () => {
  it('writes every line in order: batched while busy, flushed by its timer and on exit', () => {
    const module = new URL('./createLogger.ts', import.meta.url).href
    // 200 lines (several batches), one written after the flush timer ran, one just before exit.
    const script = `
      const { createLogger } = await import(${JSON.stringify(module)})
      const logger = createLogger('info')
      for (let i = 0; i < 200; i++) logger.info({ i }, 'line')
      await new Promise((resolve) => setTimeout(resolve, 700))
      logger.info({ i: 200 }, 'after the timer')
      logger.info({ i: 201 }, 'at exit')
      process.exit(0)
    `
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: '' },
    })
    const lines = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { i: number; msg: string })
    expect(lines.map((line) => line.i)).toEqual(Array.from({ length: 202 }, (_, i) => i))
    expect(lines.at(-1)).toMatchObject({ msg: 'at exit', name: 'graphql-auto-gen', level: 30 })
  })
})
