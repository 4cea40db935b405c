import type { Plugin as YogaPlugin } from 'graphql-yoga'
import type { ServerMetrics } from './serverMetrics.js'

/** A graphql-yoga plugin answering `GET <path>` with the metrics in Prometheus text format. */
export function metricsRoute(metrics: ServerMetrics, path: string): YogaPlugin<Record<string, unknown>> {
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== path) return
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }))
        return
      }
      const body = await metrics.registry.metrics()
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : body, {
          status: 200,
          headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
        }),
      )
    },
  }
}
