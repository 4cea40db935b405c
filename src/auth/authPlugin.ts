import { getOperationAST, Kind, NoSchemaIntrospectionCustomRule } from 'graphql'
import type { DocumentNode, SelectionSetNode } from 'graphql'
import type { Plugin as YogaPlugin } from 'graphql-yoga'
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

/** The built-in auth plugin (a plugins/ `Plugin`; structurally typed, so auth/ stays a leaf stage). */
export interface AuthPlugin {
  name: string
  /** Runs after the request-id plugin, so its errors and logs carry the request id. */
  after: readonly string[]
  request(context: AuthContext): Promise<void>
  server(): {
    yogaPlugins: YogaPlugin<Record<string, unknown>>[]
    lane: { admit(operation: { context: AuthContext }): boolean }
  }
}

/**
 * Built-in plugin: its request hook puts the caller on `context.user` (or refuses the request
 * with UNAUTHENTICATED, HTTP 401); its graphql-yoga plugin turns introspection off when
 * `security.introspection` is false and, with `authenticationRequired`, refuses anonymous
 * operations before execution (introspection too, unless `allowAnonymousIntrospection`).
 */
export function authPlugin(security: ResolvedSecurity): AuthPlugin {
  const authenticate = createAuthenticator(security)
  return {
    name: 'graphql-auto-gen:auth',
    after: ['graphql-auto-gen:request-id'],
    async request(context) {
      context.user = await authenticate(context.request)
    },
    server() {
      const yogaPlugin: YogaPlugin<Record<string, unknown>> = {
        onValidate({ addValidationRule }) {
          if (!security.introspection) addValidationRule(NoSchemaIntrospectionCustomRule)
        },
        onExecute({ args, setResultAndStopExecution }) {
          if (!security.authenticationRequired || userOf(args.contextValue).isAuthenticated) return
          if (security.allowAnonymousIntrospection && isIntrospectionOnly(args.document, args.operationName))
            return
          setResultAndStopExecution({ errors: [toClientError(unauthenticated(undefined, true))] })
        },
      }
      // The lane answers only queries without introspection: an anonymous caller where
      // authentication is required goes to graphql-yoga, which refuses it as above.
      const lane = {
        admit: ({ context }: { context: AuthContext }) =>
          !security.authenticationRequired || userOf(context).isAuthenticated,
      }
      return { yogaPlugins: [yogaPlugin], lane }
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
