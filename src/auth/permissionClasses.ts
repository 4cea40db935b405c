import { ConfigError } from '../errors.js'
import { suggestion } from '../didYouMean.js'
import { hasPerm } from './AuthUser.js'
import type { AuthUser } from './AuthUser.js'
import { declaredReads, widerReads } from './callerKey.js'
import type { CallerReads } from './callerKey.js'

/** What a permission guards, as Django's default model permissions name them. */
export type Operation = 'view' | 'add' | 'change' | 'delete'

/** Every operation, in Django's order. */
export const OPERATIONS: readonly Operation[] = ['view', 'add', 'change', 'delete']

/** The model a permission is checked for, with the parts of its codenames. */
export interface PermissionModel {
  /** The model's config key (e.g. `orders`). */
  name: string
  /** Its GraphQL type name (e.g. `Order`). */
  typeName: string
  /** App label of its codenames (default: the model's config key). */
  appLabel: string
  /** Model part of its codenames: the type name in lower case (`OrderItem` → `orderitem`). */
  codename: string
}

/** What `hasPermission` / `hasObjectPermission` receive: DRF's `request` and `view` in one. */
export interface PermissionContext {
  user: AuthUser
  operation: Operation
  model: PermissionModel
  /** The GraphQL context of the operation (a RequestContext under the server; anything under plain graphql()). */
  context: unknown
}

/**
 * A permission class with Django REST framework semantics: `hasPermission` runs before anything
 * is read or written; `hasObjectPermission` runs for one object (read by id, update, delete,
 * restore) with its row keyed by property names. A missing method allows, as DRF's BasePermission.
 */
export interface PermissionClass {
  /** Shown in messages (and matched by `security.permissionClasses` strings for built-ins). */
  name?: string
  /** Message of the FORBIDDEN error when this class refuses. */
  message?: string
  /**
   * What the class decides on besides the operation, model and row: `'user'` (only `ctx.user`, as
   * every built-in class), `{ headers: [...] }` (the user and these request headers). Absent:
   * anything in `ctx.context`, so the response cache keeps answers per caller and request headers.
   */
  reads?: CallerReads
  hasPermission?(ctx: PermissionContext, operation: Operation): boolean | Promise<boolean>
  hasObjectPermission?(
    ctx: PermissionContext,
    row: Readonly<Record<string, unknown>>,
  ): boolean | Promise<boolean>
}

/** A permission class as config accepts it: a built-in's name, an object, or a class to instantiate. */
export type PermissionSpec = string | PermissionClass | (new () => PermissionClass)

/** DRF's AllowAny: everyone, anonymous included. */
export const AllowAny: PermissionClass = Object.freeze({
  name: 'AllowAny',
  reads: 'user',
  hasPermission: () => true,
})

/** DRF's IsAuthenticated: any authenticated user. */
export const IsAuthenticated: PermissionClass = Object.freeze({
  name: 'IsAuthenticated',
  reads: 'user',
  hasPermission: (ctx: PermissionContext) => ctx.user.isAuthenticated,
})

/** DRF's IsAdminUser: authenticated staff (`isStaff`). */
export const IsAdminUser: PermissionClass = Object.freeze({
  name: 'IsAdminUser',
  reads: 'user',
  hasPermission: (ctx: PermissionContext) => ctx.user.isAuthenticated && ctx.user.isStaff,
})

/** DRF's IsAuthenticatedOrReadOnly: anyone may view, only authenticated users may write. */
export const IsAuthenticatedOrReadOnly: PermissionClass = Object.freeze({
  name: 'IsAuthenticatedOrReadOnly',
  reads: 'user',
  hasPermission: (ctx: PermissionContext, operation: Operation) =>
    operation === 'view' || ctx.user.isAuthenticated,
})

/**
 * DRF's DjangoModelPermissions, with `view` guarded too: the user must hold
 * `<app>.<operation>_<model>` (e.g. `orders.change_order`); superusers hold every codename.
 */
export const ModelPermissions: PermissionClass = Object.freeze({
  name: 'ModelPermissions',
  reads: 'user',
  hasPermission: (ctx: PermissionContext, operation: Operation) =>
    hasPerm(ctx.user, codenameOf(ctx.model, operation)),
})

/** The codename that `ModelPermissions` requires for an operation on a model. */
export function codenameOf(model: PermissionModel, operation: Operation): string {
  return `${model.appLabel}.${operation}_${model.codename}`
}

/** Built-in classes by the names `security.permissionClasses` may use. */
export const BUILT_IN_PERMISSION_CLASSES: Readonly<Record<string, PermissionClass>> = Object.freeze({
  AllowAny,
  IsAuthenticated,
  IsAdminUser,
  IsAuthenticatedOrReadOnly,
  ModelPermissions,
})

/** Every class must allow (DRF's `&`); object permissions too. */
export function and(...classes: PermissionSpec[]): PermissionClass {
  const resolved = classes.map((c, i) => resolvePermissionClass(c, `and(…)[${i}]`))
  return {
    name: `and(${resolved.map(nameOf).join(', ')})`,
    reads: readsOfAll(resolved),
    async hasPermission(ctx, operation) {
      for (const c of resolved) if (!(await allows(c, ctx, operation))) return false
      return true
    },
    async hasObjectPermission(ctx, row) {
      for (const c of resolved) if (!(await allowsObject(c, ctx, row))) return false
      return true
    },
  }
}

/**
 * At least one class allows (DRF's `|`). For an object, one class must allow both the operation
 * and the object, as DRF does since 3.14 (so `or(A, B)` cannot mix A's view check with B's object check).
 */
export function or(...classes: PermissionSpec[]): PermissionClass {
  const resolved = classes.map((c, i) => resolvePermissionClass(c, `or(…)[${i}]`))
  return {
    name: `or(${resolved.map(nameOf).join(', ')})`,
    reads: readsOfAll(resolved),
    async hasPermission(ctx, operation) {
      for (const c of resolved) if (await allows(c, ctx, operation)) return true
      return false
    },
    async hasObjectPermission(ctx, row) {
      for (const c of resolved) {
        if ((await allows(c, ctx, ctx.operation)) && (await allowsObject(c, ctx, row))) return true
      }
      return false
    },
  }
}

/** The class refuses (DRF's `~`); its object check is negated too. */
export function not(spec: PermissionSpec): PermissionClass {
  const inner = resolvePermissionClass(spec, 'not(…)')
  return {
    name: `not(${nameOf(inner)})`,
    reads: readsOfAll([inner]),
    async hasPermission(ctx, operation) {
      return !(await allows(inner, ctx, operation))
    },
    async hasObjectPermission(ctx, row) {
      return !(await allowsObject(inner, ctx, row))
    },
  }
}

/** Turns a spec into a class; unknown names and shapes are a ConfigError naming `where`. */
export function resolvePermissionClass(spec: unknown, where: string): PermissionClass {
  if (typeof spec === 'string') {
    const builtIn = BUILT_IN_PERMISSION_CLASSES[spec]
    if (builtIn) return builtIn
    const known = Object.keys(BUILT_IN_PERMISSION_CLASSES)
    const codename = /^[\w-]+\.(view|add|change|delete)_\w+$/.test(spec)
      ? ` "${spec}" is a permission codename: use 'ModelPermissions', or permissionRequired('${spec}') on a field.`
      : ''
    throw new ConfigError(
      `${where}: unknown permission class "${spec}".${suggestion(spec, known)}${codename}`,
    )
  }
  if (typeof spec === 'function') {
    const proto = (spec as { prototype?: Partial<PermissionClass> }).prototype
    if (
      proto &&
      (typeof proto.hasPermission === 'function' || typeof proto.hasObjectPermission === 'function')
    ) {
      const instance = new (spec as new () => PermissionClass)()
      return instance.name !== undefined ? instance : Object.assign(instance, { name: spec.name })
    }
  }
  if (typeof spec === 'object' && spec !== null) {
    const candidate = spec as PermissionClass
    const methods = [candidate.hasPermission, candidate.hasObjectPermission]
    if (
      methods.some((m) => typeof m === 'function') &&
      methods.every((m) => m === undefined || typeof m === 'function')
    )
      return candidate
  }
  throw new ConfigError(
    `${where}: expected a permission class name (${Object.keys(BUILT_IN_PERMISSION_CLASSES).join(', ')}) or an object with hasPermission(ctx, operation) and/or hasObjectPermission(ctx, row).`,
  )
}

/**
 * Whether a class allows the operation (no `hasPermission`: allowed). Synchronous when the class
 * answers synchronously: the built-in classes do, and every request asks each model's classes.
 */
export function allows(
  c: PermissionClass,
  ctx: PermissionContext,
  operation: Operation,
): boolean | Promise<boolean> {
  if (!c.hasPermission) return true
  const verdict = c.hasPermission(ctx, operation)
  return typeof verdict === 'boolean' ? verdict : Promise.resolve(verdict).then((value) => value === true)
}

/** Whether a class allows the object (no `hasObjectPermission`: allowed). */
export async function allowsObject(
  c: PermissionClass,
  ctx: PermissionContext,
  row: Readonly<Record<string, unknown>>,
): Promise<boolean> {
  return c.hasObjectPermission ? (await c.hasObjectPermission(ctx, row)) === true : true
}

/** What a class decides on: what it declares, else anything in the request (the safe default). */
export function readsOf(c: PermissionClass): CallerReads {
  return declaredReads(c.reads)
}

/** What a combination of classes decides on: the widest of theirs. */
function readsOfAll(classes: readonly PermissionClass[]): CallerReads {
  return classes.reduce<CallerReads>((reads, c) => widerReads(reads, readsOf(c)), 'user')
}

function nameOf(c: PermissionClass): string {
  return c.name ?? 'anonymous class'
}
