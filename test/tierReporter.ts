// Prints, after vitest's summary, which test tiers ran and one line per tier that was skipped,
// saying how to enable it (the tiers are detected by vitest.config.ts).
import type { Reporter } from 'vitest/node'
import { skippedLine } from '../src/testing/tiers.js'
import type { TierStatus } from '../src/testing/tiers.js'

/** A vitest reporter listing the tiers of this run. */
export class TierReporter implements Reporter {
  constructor(private readonly tiers: readonly TierStatus[]) {}

  /** After the run: the tiers that ran, then one line per skipped tier. */
  onTestRunEnd(): void {
    const ran = this.tiers.filter((tier) => tier.available).map((tier) => tier.name)
    const lines = [`Test tiers: node${ran.map((name) => `, ${name}`).join('')}.`]
    for (const tier of this.tiers) if (!tier.available) lines.push(skippedLine(tier))
    process.stdout.write(`${lines.join('\n')}\n`)
  }
}
