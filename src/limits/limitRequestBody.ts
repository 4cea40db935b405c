import { limitExceeded } from './limitErrors.js'

/** The request's body read up to `maxBytes`; refuses (HTTP 413) as soon as more arrives, or when Content-Length says so. */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN)
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes, declared)
  if (!request.body) return new Uint8Array(new ArrayBuffer(0))
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(maxBytes)
    }
    chunks.push(value)
  }
  const body = new Uint8Array(new ArrayBuffer(total))
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body
}

function tooLarge(maxBytes: number, found?: number) {
  // The rest of the body is never read, so the connection cannot carry another request.
  return limitExceeded('requestBytes', `Request body limit of ${maxBytes} bytes exceeded.`, maxBytes, found, {
    status: 413,
    headers: { connection: 'close' },
  })
}
