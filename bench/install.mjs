// Installs the bench's own dependencies (PostGraphile, drizzle-graphql, autocannon…) with `npm ci`
// when bench/package-lock.json changed since the last install, so `npm run bench` works from a
// fresh clone without reinstalling on every run. The root's `npm ci` never installs these.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

const bench = new URL('./', import.meta.url)
const stamp = new URL('node_modules/.bench-lock-sha256', bench)
const hash = createHash('sha256')
  .update(readFileSync(new URL('package-lock.json', bench)))
  .digest('hex')
if (!existsSync(new URL('../node_modules/tsx', bench))) {
  console.error('[bench] install the root first: npm ci (the bench runs the library from this checkout)')
  process.exit(1)
}
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash) {
  console.error('[bench] npm ci in bench/ …')
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: bench, stdio: 'inherit' })
  writeFileSync(stamp, hash)
}
