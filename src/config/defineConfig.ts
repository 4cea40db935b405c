import type { ConfigStageTypes, UserConfig } from './UserConfig.js'

/**
 * Types a configuration file's default export; validation happens when it is loaded. Generic over
 * the stage-owned section types: the public `defineConfig` is this, bound to schema/'s `StageTypes`.
 */
export function defineConfig<S extends ConfigStageTypes = ConfigStageTypes>(
  config: UserConfig<S>,
): UserConfig<S> {
  return config
}
