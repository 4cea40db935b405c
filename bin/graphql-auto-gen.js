#!/usr/bin/env node
// Runs the compiled CLI (built by `npm run build`, which `npm install` runs through `prepare`).
import { existsSync } from 'node:fs'

const entry = new URL('../dist/cli/run.js', import.meta.url)
if (!existsSync(entry)) {
  console.error('graphql-auto-gen: dist/ is missing; run `npm run build` first.')
  process.exit(2)
}
await import(entry.href)
