import { suggestion } from '../didYouMean.js'
import { ConfigError } from '../errors.js'
import type { PluginOrder } from './Plugin.js'

/**
 * Sorts plugins so each runs after those it names in `after` and before those it names in
 * `before`, staying as close to the given order as it can: plugins are taken in order, and one
 * that must wait for others pulls them in just ahead of it. Unknown names and cycles are
 * ConfigErrors.
 */
export function orderPlugins<T extends PluginOrder & { name: string }>(plugins: readonly T[]): T[] {
  const index = new Map(plugins.map((p, i) => [p.name, i]))
  // predecessors[i]: plugins that must run before plugin i, in given order.
  const predecessors = plugins.map(() => new Set<number>())
  plugins.forEach((plugin, i) => {
    for (const [key, names] of [
      ['before', plugin.before],
      ['after', plugin.after],
    ] as const) {
      for (const name of names ?? []) {
        const other = index.get(name)
        if (other === undefined) {
          throw new ConfigError(
            `plugin "${plugin.name}": ${key} names "${name}", which is not a plugin of this schema (plugins: ${[...index.keys()].join(', ')}).${suggestion(name, index.keys())}`,
            { plugin: plugin.name, path: key },
          )
        }
        if (key === 'before') predecessors[other]!.add(i)
        else predecessors[i]!.add(other)
      }
    }
  })
  const state = plugins.map((): 'new' | 'visiting' | 'done' => 'new')
  const ordered: T[] = []
  const visit = (i: number, path: number[]): void => {
    if (state[i] === 'done') return
    if (state[i] === 'visiting') throw cycleError(plugins, [...path.slice(path.indexOf(i)), i])
    state[i] = 'visiting'
    for (const before of [...predecessors[i]!].sort((a, b) => a - b)) visit(before, [...path, i])
    state[i] = 'done'
    ordered.push(plugins[i]!)
  }
  plugins.forEach((_, i) => visit(i, []))
  return ordered
}

/** `cycle` lists plugin indexes, each waiting for the next (first and last are the same). */
function cycleError(plugins: readonly { name: string }[], cycle: number[]): ConfigError {
  // Read in running order: each must run before the one listed after it.
  const names = [...cycle].reverse().map((i) => `"${plugins[i]!.name}"`)
  return new ConfigError(
    `plugins: ${names.join(' → ')} is an ordering cycle (through before/after: each must run before the next); remove one of these constraints.`,
    { path: 'plugins', cycle: [...new Set(cycle)].map((i) => plugins[i]!.name) },
  )
}
