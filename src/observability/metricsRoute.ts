import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerMetrics } from './serverMetrics.js'

/** Answers a request to the metrics path with the metrics in Prometheus text format (GET, HEAD). */
export function serveMetrics(metrics: ServerMetrics, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' })
    res.end()
    return true
  }
  void metrics.registry.metrics().then(
    (body) => {
      res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' })
      res.end(req.method === 'HEAD' ? undefined : body)
    },
    () => {
      res.writeHead(500)
      res.end()
    },
  )
  return true
}
