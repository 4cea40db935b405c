// The tiers on a machine with Node alone (an environment without PATH, services or browser), and
// the CI flag turning a missing tier into a failed run.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { freePort } from './freePort.js'
import { detectTiers, REQUIRE_ALL_TIERS, skippedLine, tierAvailable, TIERS_ENV } from './tiers.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

describe('test tiers', () => {
  it('on a machine with Node alone, every tier is missing and says how to enable it', async () => {
    const closed = await freePort()
    const tiers = await detectTiers({
      PATH: '',
      REDIS_URL: `redis://127.0.0.1:${closed}`,
      CHROMIUM_PATH: '/nonexistent/chromium',
    })
    const byName = Object.fromEntries(tiers.map((tier) => [tier.name, tier]))
    expect(byName['postgres']!.available).toBe(false)
    expect(byName['redis']!.available).toBe(false)
    expect(byName['chromium']!.available).toBe(false)
    expect(skippedLine(byName['postgres']!)).toBe(
      'Skipped tier postgres (every database test on PostgreSQL as well as PGlite): to enable it, set DATABASE_URL=postgres://user@host:5432/db (a database the tests may create schemas in).',
    )
    expect(skippedLine(byName['chromium']!)).toContain('apt-get install -y chromium')
    expect(skippedLine(byName['redis']!)).toContain(`redis://127.0.0.1:${closed}`)
  })

  it('hands the verdict to the workers: a tier is available only when detected', () => {
    expect(tierAvailable('redis', { [TIERS_ENV]: '["redis","chromium"]' })).toBe(true)
    expect(tierAvailable('postgres', { [TIERS_ENV]: '["redis","chromium"]' })).toBe(false)
  })

  it(`fails the run instead of skipping when ${REQUIRE_ALL_TIERS}=1`, async () => {
    const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url))
    const run = await promisify(execFile)(
      process.execPath,
      [vitest, 'run', '--project', 'fast', 'src/cli/readableLog.test.ts'],
      {
        cwd: root,
        env: { ...process.env, [REQUIRE_ALL_TIERS]: '1', CHROMIUM_PATH: '/nonexistent/chromium' },
      },
    ).then(
      () => ({ code: 0, output: '' }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        output: error.stdout + error.stderr,
      }),
    )
    expect(run.code).not.toBe(0)
    expect(run.output).toContain(`${REQUIRE_ALL_TIERS}=1 and`)
    expect(run.output).toContain('Skipped tier chromium')
  })
})
