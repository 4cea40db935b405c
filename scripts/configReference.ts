// Builds docs/configuration.md from the zod config schema (keys, types, defaults) and the TSDoc of
// UserConfig (descriptions), so the reference cannot drift from what the loader accepts.
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { z } from 'zod'
import { configSchema } from '../src/config/configSchema.js'

interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  additionalProperties?: JsonSchema | boolean
  items?: JsonSchema
  anyOf?: JsonSchema[]
  enum?: unknown[]
  const?: unknown
  default?: unknown
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  minLength?: number
  pattern?: string
  format?: string
}

/**
 * Descriptions for keys whose TSDoc is missing in UserConfig (or that are not in it): kept here so
 * every key of the reference says what it does. A key with neither fails generation.
 */
const DESCRIPTIONS: Record<string, string> = {
  models:
    'Drizzle `pgTable`s, `pgView`s and `pgMaterializedView`s keyed by model name (or a list), each a table or `{ table, ...options }`; a whole schema module (`import * as schema`) works too. See models-and-relations.md.',
  enableMutations:
    'Programmatic shortcut for `mutations.enabled` (the `SchemaConfig` form of the design source).',
  enableSubscriptions: 'Programmatic shortcut for `subscriptions.enabled`.',
  database: 'Where the data lives. No `url`: embedded PGlite (in memory, or in `dataDir`).',
  'database.url': 'A `postgres://` or `postgresql://` URL; absent or empty: embedded PGlite.',
  'database.dataDir': 'PGlite data folder (absent: in memory, gone when the process ends).',
  'database.poolSize': 'Most connections the `pg` pool opens.',
  'database.statementTimeoutMs': 'PostgreSQL `statement_timeout` of every statement, in milliseconds.',
  mutations: 'Generated create/update/delete mutations. See mutations.md.',
  'mutations.enabled': 'Generate mutations at all.',
  'mutations.bulkOperations': 'Generate `bulkCreateX`, `bulkUpdateX`, `bulkDeleteX`.',
  'mutations.softDelete': 'Soft delete (and `restoreX`) on models with a soft-delete column.',
  queries: 'Shape of the query fields. See queries.md.',
  'queries.pagination': '`relay` connections with keyset cursors; `legacy` limit/offset lists (deprecated).',
  'queries.filtering': '`advanced` Django-style lookups; `basic` equality only (deprecated).',
  'queries.ordering': 'Generate `orderBy` arguments (off: lists take none and keep their default order).',
  'queries.queryOptimization':
    'The v3 config’s name for `performance.enableAutomaticOptimization`: off, every operation takes the graphql-js route (root fields still compile to one SQL statement each).',
  'queries.defaultPageSize': 'Rows per page when `first`/`last` is absent.',
  'queries.maxPageSize': 'Largest `first`/`last` accepted (see `limits.oversizedPages`).',
  security: 'Authentication, permission classes, introspection and rate limiting. See auth.md and limits.md.',
  'security.authenticationRequired': 'Refuse every operation of an anonymous caller with UNAUTHENTICATED.',
  'security.allowAnonymousIntrospection':
    'Let anonymous callers introspect even when authentication is required.',
  'security.permissionClasses':
    "Permission classes every operation must pass: names (`'AllowAny'`, `'IsAuthenticated'`, `'IsAdminUser'`, `'IsAuthenticatedOrReadOnly'`, `'ModelPermissions'`) or objects with `hasPermission`.",
  'security.introspection': 'Answer introspection queries (default: off when NODE_ENV=production).',
  'security.rateLimiting': 'Cost-based rate limiting: `true` for the defaults below, or an options object.',
  'security.jwt.secret':
    'HS256 shared secret (at least 32 characters). Give exactly one of `secret`, `publicKey`, `jwksUrl`.',
  'security.jwt.publicKey': 'PEM (SPKI) public key or a JWK; RS256 unless `algorithms` says otherwise.',
  'security.jwt.jwksUrl': 'URL of a JSON Web Key Set (keys fetched and cached by jose).',
  'security.jwt.algorithms': 'Signature algorithms a token may use (`none` never is).',
  'security.jwt.issuer': 'Required `iss` claim (one of these).',
  'security.jwt.audience': 'Required `aud` claim (one of these).',
  performance: 'Query analysis settings of the design source.',
  'performance.enableQueryAnalysis': 'Compute each operation’s cost before running it.',
  'performance.maxQueryComplexity': 'Highest cost an operation may have (QUERY_TOO_COMPLEX above it).',
  'performance.enableAutomaticOptimization':
    'The compiled route: queries whose every field is compiled SQL get the database’s JSON as `data`, without graphql-js re-walking it (see performance.md). Off: every operation takes the graphql-js route, over the same compiled rows.',
  subscriptions: 'Change events over graphql-ws. See subscriptions.md.',
  'subscriptions.enabled': 'Generate `xCreated`, `xUpdated`, `xDeleted` subscription fields.',
  'subscriptions.transport': 'Only `websocket` (graphql-ws).',
  'subscriptions.authenticationRequired': 'Refuse subscriptions of anonymous callers.',
  limits: 'Limits checked before any SQL runs. See limits.md.',
  plugins: 'Plugins (see plugins.md and `definePlugin`).',
  naming: 'Replaces naming rules (see `Inflection`): type, field and argument names.',
  server: 'HTTP server of `graphql-auto-gen serve` and `createServer`.',
  'server.port': 'Port (`PORT` or `--port` win over it).',
  'server.host': 'Interface to bind (`0.0.0.0` for every interface, e.g. in a container).',
  'server.graphqlPath': 'Path of the GraphQL endpoint (GraphiQL is served at the same path to browsers).',
  'server.graphiql': 'Serve GraphiQL to browsers (default: off when NODE_ENV=production).',
}

/** The configuration reference as Markdown. */
export function configReference(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema
  const docs = userConfigDocs()
  const rows: string[] = []
  const missing: string[] = []
  const walk = (properties: Record<string, JsonSchema>, prefix: string): void => {
    for (const [key, property] of Object.entries(properties)) {
      const path = `${prefix}${key}`
      const description = docs.get(path) ?? DESCRIPTIONS[path]
      if (description === undefined) missing.push(path)
      rows.push(
        `| \`${path}\` | ${cell(typeOf(property, path))} | ${cell(defaultOf(property))} | ${cell(description ?? '')} |`,
      )
      const nested = objectProperties(property)
      if (nested) walk(nested, `${path}.`)
    }
  }
  walk(schema.properties ?? {}, '')
  if (missing.length > 0) {
    throw new Error(
      `No description for config keys ${missing.join(', ')}: add TSDoc in UserConfig or an entry in scripts/configReference.ts.`,
    )
  }
  return `${[
    '<!-- GENERATED by `npm run docs:generate` from src/config/configSchema.ts and the TSDoc of UserConfig. Do not edit by hand. -->',
    '',
    '# Configuration reference',
    '',
    'Every key of `graphql-auto-gen.config.ts` (`export default defineConfig({ … })`) and of',
    '`new SchemaConfig({ … })`. Every key is optional but `models`. Unknown keys are errors (with a',
    'did-you-mean), so a typo never passes silently. Defaults marked `NODE_ENV` differ in production.',
    '',
    '| key | type | default | description |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n')}\n`
}

function objectProperties(schema: JsonSchema): Record<string, JsonSchema> | undefined {
  if (schema.properties) return schema.properties
  const object = schema.anyOf?.find((option) => option.properties)
  return object?.properties
}

function typeOf(schema: JsonSchema, path: string): string {
  if (path === 'models') return 'Record<string, PgTable | PgView | ModelOptions> | PgTable[]'
  if (path === 'modelFiles') return "string[] | 'auto'"
  if (path === 'plugins') return 'Plugin[]'
  if (path === 'resolvers') return 'ResolverSet[] (from defineResolvers)'
  if (schema.anyOf) return schema.anyOf.map((option) => typeOf(option, path)).join(' | ')
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ')
  if (schema.const !== undefined) return JSON.stringify(schema.const)
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type
  switch (type) {
    case undefined:
      return 'any (function or object, checked when loaded)'
    case 'array':
      return `${schema.items && Object.keys(schema.items).length > 0 ? typeOf(schema.items, path) : 'any'}[]`
    case 'object':
      return schema.properties ? 'object' : 'Record<string, …>'
    case 'integer':
      return `integer${range(schema)}`
    case 'number':
      return `number${range(schema)}`
    case 'string':
      return `string${schema.minLength !== undefined ? ` (≥ ${schema.minLength} chars)` : ''}${schema.format ? ` (${schema.format})` : ''}${schema.pattern ? ` (starts with \`${schema.pattern.replace(/^\^/, '').replace(/\.\*$/, '')}\`)` : ''}`
    default:
      return type
  }
}

function range(schema: JsonSchema): string {
  if (schema.exclusiveMinimum === 0) return ' > 0'
  if (schema.minimum !== undefined && schema.maximum !== undefined)
    return ` ${schema.minimum}–${schema.maximum}`
  if (schema.minimum !== undefined) return ` ≥ ${schema.minimum}`
  return ''
}

function defaultOf(schema: JsonSchema): string {
  if (schema.default === undefined) return ''
  if (typeof schema.default === 'object' && schema.default !== null && !Array.isArray(schema.default))
    return ''
  return `\`${JSON.stringify(schema.default)}\``
}

/** Descriptions from the TSDoc of UserConfig's properties, by dotted path. */
function userConfigDocs(): Map<string, string> {
  // The bound UserConfig (schema/): config/'s own leaves the sections later stages own opaque.
  const file = fileURLToPath(new URL('../src/schema/SchemaConfig.ts', import.meta.url))
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(file)
  const docs = new Map<string, string>()
  if (!source) return docs
  const symbol = checker.getSymbolAtLocation(source)
  const userConfig = symbol && checker.getExportsOfModule(symbol).find((s) => s.name === 'UserConfig')
  if (!userConfig) return docs
  const visit = (type: ts.Type, prefix: string, depth: number): void => {
    if (depth > 4) return
    for (const property of checker.getPropertiesOfType(type)) {
      const path = `${prefix}${property.name}`
      const text = ts
        .displayPartsToString(property.getDocumentationComment(checker))
        .replace(/\s+/g, ' ')
        .trim()
      if (text !== '') docs.set(path, text)
      const declaration = property.valueDeclaration ?? property.declarations?.[0]
      if (!declaration) continue
      const propertyType = checker.getNonNullableType(
        checker.getTypeOfSymbolAtLocation(property, declaration),
      )
      const objects = propertyType.isUnion() ? propertyType.types : [propertyType]
      for (const part of objects) {
        if (
          part.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection) &&
          checker.getPropertiesOfType(part).length > 0 &&
          !checker.isArrayType(part)
        ) {
          if (part.getCallSignatures().length > 0) continue
          visit(part, `${path}.`, depth + 1)
        }
      }
    }
  }
  visit(checker.getDeclaredTypeOfSymbol(userConfig), '', 0)
  return docs
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}
