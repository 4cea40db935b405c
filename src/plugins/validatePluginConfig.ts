import { Ajv } from 'ajv'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { suggestion } from '../didYouMean.js'
import { ConfigError } from '../errors.js'
import type { JsonSchema } from './Plugin.js'

let ajv: Ajv | undefined
const compiled = new WeakMap<JsonSchema, ValidateFunction>()

/**
 * Checks a plugin's config against its JSON Schema (ajv). A mismatch is a ConfigError naming the
 * plugin and the key path, e.g. `plugin "audit": config.retention must be integer`. An absent
 * config is checked as `{}`, so required keys are reported as missing.
 */
export function validatePluginConfig(plugin: string, schema: JsonSchema, config: unknown): void {
  const validate = compile(plugin, schema)
  if (validate(config ?? {})) return
  const error = validate.errors?.[0]
  const { path, message } = error ? describe(error) : { path: 'config', message: 'is invalid' }
  throw new ConfigError(`plugin "${plugin}": ${path} ${message}`, { plugin, path })
}

function compile(plugin: string, schema: JsonSchema): ValidateFunction {
  const cached = compiled.get(schema)
  if (cached) return cached
  // verbose: errors carry the failing value and its schema (for "got …" and did-you-mean);
  // addUsedSchema off: two builds (or plugins) may use schemas with the same $id.
  ajv ??= new Ajv({ allErrors: false, strict: false, verbose: true, addUsedSchema: false })
  try {
    const validate = ajv.compile(schema)
    compiled.set(schema, validate)
    return validate
  } catch (error) {
    throw new ConfigError(
      `plugin "${plugin}": configSchema is not a valid JSON Schema: ${(error as Error).message}`,
      { plugin, path: 'configSchema' },
    )
  }
}

/** The key path (`config.a.0.b`) and a readable reason for one ajv error. */
function describe(error: ErrorObject): { path: string; message: string } {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
  const at = ['config', ...segments].join('.')
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return { path: `${at}.${String(params['missingProperty'])}`, message: 'is required' }
    case 'additionalProperties': {
      const key = String(params['additionalProperty'])
      const known = Object.keys(
        (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {},
      )
      return { path: `${at}.${key}`, message: `is not a known key.${suggestion(key, known)}` }
    }
    case 'enum':
      return {
        path: at,
        message: `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${shown(error.data)}`,
      }
    case 'type':
      return { path: at, message: `${error.message ?? 'has the wrong type'}, got ${shown(error.data)}` }
    default:
      return { path: at, message: error.message ?? 'is invalid' }
  }
}

function shown(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return JSON.stringify(value) ?? typeof value
}
