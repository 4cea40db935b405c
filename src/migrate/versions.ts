/** The versions `migrate` knows, oldest first; each adjacent pair is one migration step. */
export const VERSIONS = ['1.0', '2.0', '2.1', '3.0'] as const

/** One known version. */
export type Version = (typeof VERSIONS)[number]

/** One step between adjacent versions. */
export interface Step {
  from: Version
  to: Version
}

/** The single steps, e.g. `1.0→2.0`; any chain of them (like `1.0→3.0`) is supported too. */
export const STEPS: readonly Step[] = VERSIONS.slice(1).map((to, index) => ({ from: VERSIONS[index]!, to }))

/** Every supported `from→to` pair, for messages. */
export function supportedPaths(): string[] {
  const paths: string[] = []
  for (let i = 0; i < VERSIONS.length; i++) {
    for (let j = i + 1; j < VERSIONS.length; j++) paths.push(`${VERSIONS[i]}→${VERSIONS[j]}`)
  }
  return paths
}

/** A `--from`/`--to` pair no chain of steps connects. */
export class UnsupportedPathError extends Error {
  constructor(from: string, to: string) {
    super(
      `Migrating from ${from} to ${to} is not supported. Supported paths: ${supportedPaths().join(', ')} ` +
        `(single steps ${STEPS.map((s) => `${s.from}→${s.to}`).join(', ')}, chained when needed).`,
    )
    this.name = 'UnsupportedPathError'
  }
}

/** The steps from `from` to `to` in order; throws {@link UnsupportedPathError} for any other pair. */
export function planSteps(from: string, to: string): Step[] {
  const start = VERSIONS.indexOf(normalize(from) as Version)
  const end = VERSIONS.indexOf(normalize(to) as Version)
  if (start < 0 || end < 0 || start >= end) throw new UnsupportedPathError(from, to)
  return STEPS.slice(start, end)
}

/** Accepts `2`, `v2`, `2.0.0` for `2.0`. */
export function normalize(version: string): string {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.0)?$/.exec(version.trim())
  if (!match) return version
  return `${match[1]}.${match[2] ?? '0'}`
}
