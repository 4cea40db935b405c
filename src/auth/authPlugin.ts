import { getOperationAST, Kind, NoSchemaIntrospectionCustomRule } from 'graphql'
import type { DocumentNode, GraphQLError, SelectionSetNode, ValidationRule } from 'graphql'
import { toClientError } from '../errors.js'
import { userOf } from './AuthUser.js'
import type { AuthUser } from './AuthUser.js'
import { unauthenticated } from './authErrors.js'
import { createAuthenticator } from './authenticator.js'
import type { ResolvedSecurity } from './SecurityOptions.js'

/** What the auth plugin's request hook reads and fills (a RequestContext has both). */
interface AuthContext {
  request?: Request
  user?: AuthUser
}

/** One operation as the auth plugin's admit step sees it (a plugins/ PipelineOperation has these). */
interface AuthOperation {
  readonly context: AuthContext
  readonly document?: DocumentNode
  readonly operationName: string | undefined
  refuse(error: GraphQLError): void
}

/** The built-in auth plugin (a plugins/ `Plugin`; structurally typed, so auth/ stays a leaf stage). */
export interface AuthPlugin {
  name: string
  /** Runs after the request-id plugin, so its errors and logs carry the request id. */
  after: readonly string[]
  request(context: AuthContext): void | Promise<void>
  server(): {
    operation: {
      validationRules: readonly ValidationRule[]
      admit(operation: AuthOperation): void
    }
  }
}

/**
 * Built-in plugin: its request hook puts the caller on `context.user` (or refuses the request
 * with UNAUTHENTICATED, HTTP 401); in every operation's pipeline it turns introspection off at
 * validation when `security.introspection` is false and, with `authenticationRequired`, refuses
 * anonymous operations at admission (introspection too, unless `allowAnonymousIntrospection`).
 */
export function authPlugin(security: ResolvedSecurity): AuthPlugin {
  const authenticate = createAuthenticator(security)
  return {
    name: 'graphql-auto-gen:auth',
    after: ['graphql-auto-gen:request-id'],
    // Synchronous for a caller without credentials to verify (no promise per request).
    request(context) {
      const user = authenticate(context.request)
      if (!(user instanceof Promise)) return void (context.user = user)
      return user.then((found) => void (context.user = found))
    },
    server() {
      return {
        operation: {
          validationRules: security.introspection ? [] : [NoSchemaIntrospectionCustomRule],
          admit(operation) {
            if (!security.authenticationRequired || userOf(operation.context).isAuthenticated) return
            const { document, operationName } = operation
            if (
              security.allowAnonymousIntrospection &&
              document &&
              isIntrospectionOnly(document, operationName)
            )
              return
            operation.refuse(toClientError(unauthenticated(undefined, true)))
          },
        },
      }
    },
  }
}

/** Whether the operation selects only `__schema`, `__type` and `__typename` at its root. */
function isIntrospectionOnly(document: DocumentNode, operationName: string | null | undefined): boolean {
  const operation = getOperationAST(document, operationName)
  if (!operation) return false
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  )
  const seen = new Set<string>()
  const onlyMeta = (set: SelectionSetNode): boolean =>
    set.selections.every((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value.startsWith('__')
      if (selection.kind === Kind.INLINE_FRAGMENT) return onlyMeta(selection.selectionSet)
      const name = selection.name.value
      if (seen.has(name)) return true
      seen.add(name)
      const fragment = fragments.get(name)
      return fragment !== undefined && onlyMeta(fragment.selectionSet)
    })
  return onlyMeta(operation.selectionSet)
}
