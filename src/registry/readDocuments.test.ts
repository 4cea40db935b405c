import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readDocuments } from './index.js'

describe('readDocuments', () => {
  it('reads gql tags, graphql(`…`) calls and /* GraphQL */ templates, with their file positions', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gag-docs-')), 'queries.ts')
    writeFileSync(
      file,
      [
        'const a = gql`query A { a }`',
        'const b = graphql(`query B { b }`)',
        'const c = /* GraphQL */ `query C { c }`',
        'const d = /* GraphQL */ `',
        '  query D { d }',
        '`',
        'const e = `query E { e }`',
        'const f = /* not graphql */ `query F { f }`',
      ].join('\n'),
    )
    const sources = await readDocuments([file])
    expect(sources.map((s) => s.body.trim())).toEqual([
      'query A { a }',
      'query B { b }',
      'query C { c }',
      'query D { d }',
    ])
    expect(sources.map((s) => s.locationOffset.line)).toEqual([1, 2, 3, 4])
  })
})
