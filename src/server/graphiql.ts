import type { IncomingMessage, ServerResponse } from 'node:http'
import { gzip } from 'node:zlib'
import { promisify } from 'node:util'
import { getNamedType, getNullableType, isListType, isObjectType, isScalarType, isEnumType } from 'graphql'
import type { GraphQLField, GraphQLObjectType, GraphQLSchema } from 'graphql'
import type { GraphiQLOptions } from 'graphql-yoga'

/** Where the GraphiQL page loads its script, styles and workers from (served by our own server). */
export const GRAPHIQL_ASSETS_PATH = '/graphiql/assets/'

const gzipAsync = promisify(gzip)

interface Asset {
  type: string
  body: Buffer
  gzipped?: Buffer
}

const ASSET_TYPES: Record<string, string> = {
  'graphiql.js': 'text/javascript; charset=utf-8',
  'graphiql.css': 'text/css; charset=utf-8',
  'editor.worker.js': 'text/javascript; charset=utf-8',
  'json.worker.js': 'text/javascript; charset=utf-8',
  'graphql.worker.js': 'text/javascript; charset=utf-8',
}

let assets: Promise<Map<string, Asset>> | undefined

/**
 * The GraphiQL page (yoga's GraphiQL with the explorer plugin) loading every asset from this
 * server: nothing comes from a CDN, so it works offline and behind corporate proxies.
 */
export function renderOfflineGraphiQL(options: GraphiQLOptions): string {
  const base = GRAPHIQL_ASSETS_PATH
  const json = JSON.stringify(options).replace(/</g, '\\u003c')
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${base}favicon.ico" />
    <link rel="stylesheet" href="${base}graphiql.css" />
    <style>
      /* The title stays on one line when a side panel (explorer, docs) narrows the editor. */
      .graphiql-logo {
        white-space: nowrap;
      }
    </style>
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="root"></div>
    <script>
      const workers = {
        editorWorkerService: '${base}editor.worker.js',
        json: '${base}json.worker.js',
        graphql: '${base}graphql.worker.js',
      }
      self['MonacoEnvironment'] = { globalAPI: false, getWorkerUrl: (moduleId, label) => workers[label] }
    </script>
    <script src="${base}graphiql.js"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${json})
    </script>
  </body>
</html>
`
}

/**
 * Serves a GraphiQL asset when `path` names one (gzip when the client accepts it); returns false
 * for any other path. The assets (about 9 MB, 2 MB gzipped) are loaded on the first request only.
 */
export function serveGraphiQLAsset(path: string, req: IncomingMessage, res: ServerResponse): boolean {
  if (!path.startsWith(GRAPHIQL_ASSETS_PATH)) return false
  const name = path.slice(GRAPHIQL_ASSETS_PATH.length)
  void loadAssets()
    .then(async (all) => {
      const asset = all.get(name)
      if (asset === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' })
        res.end('Not found')
        return
      }
      const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
      if (acceptsGzip) asset.gzipped ??= await gzipAsync(asset.body)
      const body = acceptsGzip ? asset.gzipped! : asset.body
      res.writeHead(200, {
        'content-type': asset.type,
        'content-length': body.length,
        'cache-control': 'public, max-age=3600',
        vary: 'accept-encoding',
        ...(acceptsGzip ? { 'content-encoding': 'gzip' } : {}),
      })
      res.end(body)
    })
    .catch(() => {
      res.writeHead(500, { 'content-type': 'text/plain' })
      res.end('GraphiQL assets could not be loaded.')
    })
  return true
}

/**
 * Example operations for GraphiQL's tabs: one per model list field of `Query` (a connection's
 * `totalCount` and `nodes`, or a legacy list), selecting the model's scalar fields, then one
 * subscription (the first `…Created` field) when the schema has subscriptions.
 */
export function exampleTabs(schema: GraphQLSchema, firstQuery?: string): Array<{ query: string }> {
  const tabs = firstQuery !== undefined ? [{ query: firstQuery }] : []
  const query = schema.getQueryType()
  if (!query) return tabs
  for (const field of Object.values(query.getFields())) {
    if (field.args.some((arg) => arg.type.toString().endsWith('!'))) continue
    const type = getNullableType(field.type)
    const named = getNamedType(field.type)
    if (!isObjectType(named)) continue
    const operation = capitalise(field.name)
    const nodes = named.getFields()['nodes']
    if (!isListType(type) && nodes && named.getFields()['totalCount']) {
      const node = getNamedType(nodes.type)
      if (!isObjectType(node)) continue
      const page = field.args.some((arg) => arg.name === 'first') ? '(first: 10)' : ''
      tabs.push({
        query: `query ${operation} {\n  ${field.name}${page} {\n    totalCount\n    nodes {\n${scalarSelection(node, '      ')}\n    }\n  }\n}\n`,
      })
    } else if (isListType(type)) {
      const page = field.args.some((arg) => arg.name === 'limit') ? '(limit: 10)' : ''
      tabs.push({
        query: `query ${operation} {\n  ${field.name}${page} {\n${scalarSelection(named, '    ')}\n  }\n}\n`,
      })
    }
  }
  const subscription = subscriptionTab(schema)
  return subscription ? [...tabs, subscription] : tabs
}

/** A tab subscribing to the first model's creations, selecting its scalar fields. */
function subscriptionTab(schema: GraphQLSchema): { query: string } | undefined {
  const fields = Object.values(schema.getSubscriptionType()?.getFields() ?? {})
  const created = fields.find(
    (field) => field.name.endsWith('Created') && isObjectType(getNamedType(field.type)),
  )
  if (!created) return undefined
  const type = getNamedType(created.type) as GraphQLObjectType
  const operation = capitalise(created.name)
  return {
    query: `# Run it, then create a ${type.name} in another tab: each creation appears here.\nsubscription ${operation} {\n  ${created.name} {\n${scalarSelection(type, '    ')}\n  }\n}\n`,
  }
}

function scalarSelection(type: GraphQLObjectType, indent: string): string {
  const fields = Object.values(type.getFields()).filter(
    (field: GraphQLField<unknown, unknown>) =>
      field.deprecationReason === undefined &&
      !field.args.some((arg) => arg.type.toString().endsWith('!')) &&
      (isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type))),
  )
  return fields.map((field) => `${indent}${field.name}`).join('\n')
}

function loadAssets(): Promise<Map<string, Asset>> {
  assets ??= import('@graphql-yoga/render-graphiql/graphiql').then((bundle) => {
    const text = (type: string, value: string): Asset => ({ type, body: Buffer.from(value) })
    const map = new Map<string, Asset>([
      ['graphiql.js', text(ASSET_TYPES['graphiql.js']!, bundle.js)],
      ['graphiql.css', text(ASSET_TYPES['graphiql.css']!, bundle.css)],
      ['editor.worker.js', text(ASSET_TYPES['editor.worker.js']!, bundle.editorWorkerService)],
      ['json.worker.js', text(ASSET_TYPES['json.worker.js']!, bundle.jsonWorker)],
      ['graphql.worker.js', text(ASSET_TYPES['graphql.worker.js']!, bundle.graphqlWorker)],
    ])
    const icon = /^data:([^;,]+)(;base64)?,(.*)$/s.exec(bundle.favicon)
    if (icon) {
      const body = icon[2] ? Buffer.from(icon[3]!, 'base64') : Buffer.from(decodeURIComponent(icon[3]!))
      map.set('favicon.ico', { type: icon[1]!, body })
    }
    return map
  })
  return assets
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
}
