import { ConfigError } from '../errors.js'
import { ANONYMOUS_USER, userOf } from './AuthUser.js'
import type { AuthUser } from './AuthUser.js'
import { forbidden, unauthenticated } from './authErrors.js'
import { declaredReads, widerReads } from './callerKey.js'
import type { CallerReads } from './callerKey.js'
import {
  allows,
  allowsObject,
  BUILT_IN_PERMISSION_CLASSES,
  OPERATIONS,
  readsOf,
  resolvePermissionClass,
} from './permissionClasses.js'
import type { Operation, PermissionClass, PermissionContext, PermissionModel } from './permissionClasses.js'
import { isFieldPermission } from './permissionRequired.js'
import type { FieldPermission } from './permissionRequired.js'
import type { ModelAccessOptions, ResolvedSecurity, RowPolicy } from './SecurityOptions.js'

/** A model as the access rules need it: its config key, type name and access options. */
export interface AccessModel {
  name: string
  typeName: string
  options: ModelAccessOptions
}

/** One model's checked rules: its codename parts, classes per operation, row policy and field guards. */
export interface ModelRules {
  model: PermissionModel
  classes: Record<Operation, PermissionClass[]>
  rowPolicy?: RowPolicy
  fields: Map<string, FieldPermission>
}

/** Every model's permission classes, row policy and field guards, checked once per schema. */
export interface AccessRules {
  readonly security: ResolvedSecurity
  readonly models: ReadonlyMap<string, ModelRules>
  /** Field guards per model and property key (the schema makes guarded fields nullable). */
  fieldPermission(modelName: string, fieldKey: string): FieldPermission | undefined
}

/**
 * Checks and resolves the access options of every model against `security`: per-operation
 * classes replace the global `permissionClasses` for that operation (as a DRF view's
 * `permission_classes` replace the default), unknown class names and malformed options are a
 * ConfigError naming the option.
 */
export function buildAccessRules(security: ResolvedSecurity, models: readonly AccessModel[]): AccessRules {
  const global = security.permissionClasses.map((spec, i) =>
    resolvePermissionClass(spec, `security.permissionClasses.${i}`),
  )
  const rules = new Map<string, ModelRules>()
  for (const { name, typeName, options } of models) {
    const where = `models.${name}`
    const permissions = options.permissions ?? {}
    if (typeof permissions !== 'object' || permissions === null || Array.isArray(permissions)) {
      throw new ConfigError(`${where}.permissions: expected { view?, add?, change?, delete?, appLabel? }.`)
    }
    for (const key of Object.keys(permissions)) {
      if (key !== 'appLabel' && !(OPERATIONS as readonly string[]).includes(key)) {
        throw new ConfigError(
          `${where}.permissions: unknown key \`${key}\` (expected view, add, change, delete or appLabel).`,
        )
      }
    }
    const classes = Object.fromEntries(
      OPERATIONS.map((operation) => {
        const specs = permissions[operation]
        if (specs === undefined) return [operation, global]
        if (!Array.isArray(specs))
          throw new ConfigError(`${where}.permissions.${operation}: expected a list of permission classes.`)
        return [
          operation,
          specs.map((spec, i) => resolvePermissionClass(spec, `${where}.permissions.${operation}.${i}`)),
        ]
      }),
    ) as Record<Operation, PermissionClass[]>
    if (options.rowPolicy !== undefined && typeof options.rowPolicy !== 'function') {
      throw new ConfigError(`${where}.rowPolicy: expected a function (user) => filter | true | false.`)
    }
    const fields = new Map<string, FieldPermission>()
    for (const [key, field] of Object.entries(options.fields ?? {})) {
      if (field?.permission === undefined) continue
      if (!isFieldPermission(field.permission)) {
        throw new ConfigError(
          `${where}.fields.${key}.permission: expected permissionRequired('<app>.<codename>').`,
        )
      }
      fields.set(key, field.permission)
    }
    const appLabel =
      permissions.appLabel ??
      (typeof security.appLabel === 'function' ? security.appLabel(name) : security.appLabel) ??
      name
    rules.set(name, {
      model: { name, typeName, appLabel, codename: typeName.toLowerCase() },
      classes,
      ...(options.rowPolicy !== undefined ? { rowPolicy: options.rowPolicy } : {}),
      fields,
    })
  }
  return {
    security,
    models: rules,
    fieldPermission: (modelName, fieldKey) => rules.get(modelName)?.fields.get(fieldKey),
  }
}

/**
 * What the answer of a query may depend on about its caller, over every model's view classes and
 * row policies (field guards read only the user): see {@link CallerReads}. A row policy without
 * `reads` reads only the user when it takes one parameter, anything in the request otherwise.
 */
export function accessReads(rules: AccessRules): CallerReads {
  let reads: CallerReads = 'user'
  for (const model of rules.models.values()) {
    for (const c of model.classes.view) reads = widerReads(reads, readsOf(c))
    const policy = model.rowPolicy
    if (policy)
      reads = widerReads(
        reads,
        policy.reads === undefined ? (policy.length > 1 ? 'request' : 'user') : declaredReads(policy.reads),
      )
  }
  return reads
}

/** What one request may do, computed once per GraphQL context and shared by its root fields. */
export interface RequestAccess {
  readonly user: AuthUser
  /**
   * Row conditions per model name, in the filter language: `false` for models the user may not
   * view (so nested relations to them are empty, never an error), the row policy's filter otherwise.
   */
  readonly rowFilters: ReadonlyMap<string, unknown>
  /** `model.fieldKey` of every guarded field this user may not read, filter, order by or write. */
  readonly deniedFields: ReadonlySet<string>
  /** Throws UNAUTHENTICATED (anonymous) or FORBIDDEN unless the user may do `operation` on the model. */
  require(modelName: string, operation: Operation): Promise<void>
  /** Whether some class of the operation checks objects (then rows must be read to check them). */
  checksObjects(modelName: string, operation: Operation): boolean
  /** Throws unless every class allows the object (a row keyed by property names). */
  requireObject(
    modelName: string,
    operation: Operation,
    row: Readonly<Record<string, unknown>>,
  ): Promise<void>
  /** Served to every request of its user: its answers depend on nothing else (so they may be cached). */
  readonly shared?: boolean
}

const cache = new WeakMap<AccessRules, WeakMap<object, Promise<RequestAccess>>>()
const anonymousAccess = new WeakMap<AccessRules, Promise<RequestAccess>>()
/** The shared anonymous access once evaluated (only ever set for rules that depend on the user only). */
const settledAnonymousAccess = new WeakMap<AccessRules, RequestAccess>()
const userOnlyRules = new WeakMap<AccessRules, boolean>()
const BUILT_INS = new Set(Object.values(BUILT_IN_PERMISSION_CLASSES))

/**
 * Whether the user alone decides every answer of an access: only built-in classes (which read
 * nothing but the user and the operation), and no row policy (a function that may read anything).
 */
function dependsOnUserOnly(rules: AccessRules): boolean {
  let userOnly = userOnlyRules.get(rules)
  if (userOnly === undefined) {
    userOnly = [...rules.models.values()].every(
      (model) =>
        model.rowPolicy === undefined &&
        OPERATIONS.every((operation) => model.classes[operation].every((c) => BUILT_INS.has(c))),
    )
    userOnlyRules.set(rules, userOnly)
  }
  return userOnly
}

/**
 * The access {@link requestAccess} gives `context`, when it is known without waiting: the shared
 * anonymous access once it was evaluated (the usual caller of a public API), else undefined.
 */
export function settledAccess(rules: AccessRules, context: unknown): RequestAccess | undefined {
  if (typeof context !== 'object' || context === null || userOf(context) !== ANONYMOUS_USER) return undefined
  return settledAnonymousAccess.get(rules)
}

/**
 * The access of the caller of `context` (its `user`, else anonymous). Cached per context object,
 * so every root field of an operation shares one evaluation of the permission classes.
 */
export function requestAccess(rules: AccessRules, context: unknown): Promise<RequestAccess> {
  if (typeof context !== 'object' || context === null) return computeAccess(rules, context)
  // Anonymous callers share one access when nothing but the user decides it: not re-evaluated
  // per request, and the same object lets the route decision be cached (see chooseRoute).
  if (userOf(context) === ANONYMOUS_USER && dependsOnUserOnly(rules)) {
    let shared = anonymousAccess.get(rules)
    if (!shared) {
      shared = computeAccess(rules, { user: ANONYMOUS_USER }, true)
      anonymousAccess.set(rules, shared)
      // A failed evaluation stays failed for every request, as the promise does.
      shared.then(
        (access) => settledAnonymousAccess.set(rules, access),
        () => undefined,
      )
    }
    return shared
  }
  let perContext = cache.get(rules)
  if (!perContext) cache.set(rules, (perContext = new WeakMap()))
  let access = perContext.get(context)
  if (!access) {
    access = computeAccess(rules, context)
    perContext.set(context, access)
    // A failed evaluation (a throwing class) is not cached.
    access.catch(() => perContext.delete(context))
  }
  return access
}

async function computeAccess(rules: AccessRules, context: unknown, shared = false): Promise<RequestAccess> {
  const user = userOf(context)
  const { security } = rules
  const ctxFor = (model: ModelRules, operation: Operation): PermissionContext => ({
    user,
    operation,
    model: model.model,
    context,
  })
  const refusal = (c: PermissionClass | undefined) =>
    user.isAuthenticated ? forbidden(c?.message) : unauthenticated(c?.message ?? undefined)
  const rowFilters = new Map<string, unknown>()
  const deniedFields = new Set<string>()
  const mayView = new Map<string, boolean>()
  for (const [name, model] of rules.models) {
    let viewable = !(security.authenticationRequired && !user.isAuthenticated)
    for (const c of model.classes.view) {
      if (!viewable) break
      const verdict = allows(c, ctxFor(model, 'view'), 'view')
      if (!(typeof verdict === 'boolean' ? verdict : await verdict)) viewable = false
    }
    mayView.set(name, viewable)
    const policy = viewable ? (model.rowPolicy ? model.rowPolicy(user, context) : true) : false
    if (policy === false) rowFilters.set(name, false)
    else if (policy !== true && policy !== null && policy !== undefined) rowFilters.set(name, policy)
    for (const [key, permission] of model.fields)
      if (!permission.allows(user)) deniedFields.add(`${name}.${key}`)
  }
  const modelOf = (name: string): ModelRules => {
    const model = rules.models.get(name)
    if (!model) throw new Error(`No access rules for model ${name}`)
    return model
  }
  return {
    user,
    rowFilters,
    deniedFields,
    shared,
    async require(name, operation) {
      if (security.authenticationRequired && !user.isAuthenticated) throw unauthenticated()
      const model = modelOf(name)
      if (operation === 'view' && mayView.get(name) === true) return
      for (const c of model.classes[operation])
        if (!(await allows(c, ctxFor(model, operation), operation))) throw refusal(c)
    },
    checksObjects: (name, operation) =>
      modelOf(name).classes[operation].some((c) => c.hasObjectPermission !== undefined),
    async requireObject(name, operation, row) {
      const model = modelOf(name)
      for (const c of model.classes[operation]) {
        if (!(await allowsObject(c, ctxFor(model, operation), row))) throw refusal(c)
      }
    },
  }
}
