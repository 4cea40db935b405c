import type { UserConfig } from './UserConfig.js'

/** Types a configuration file's default export; validation happens when it is loaded. */
export function defineConfig(config: UserConfig): UserConfig {
  return config
}
