import { authPlugin } from '../auth/index.js'
import { responseCacheFromConfig } from '../cache/index.js'
import type { ResolvedConfig } from './SchemaConfig.js'
import { limitsPlugin } from '../limits/index.js'
import { requestIdPlugin } from '../plugins/index.js'
import type { Plugin } from '../plugins/index.js'

/**
 * The built-in features written as plugins, resolved and ordered with the user's through the
 * same path (their `after` lists give request-id → auth → limits). Users may order their own
 * plugins against these names.
 */
export function builtInPlugins(config: ResolvedConfig): Plugin[] {
  return [
    requestIdPlugin,
    authPlugin(config.security),
    limitsPlugin(config),
    ...responseCacheFromConfig(config),
  ]
}
