import { createServer as createHttpServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose'
import type { CryptoKey, JWK } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AutoGenError, ErrorCodes } from '../errors.js'
import { ANONYMOUS_USER } from './AuthUser.js'
import { createAuthenticator } from './authenticator.js'
import type { JwtOptions, ResolvedSecurity } from './SecurityOptions.js'

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256!'
const ISSUER = 'https://issuer.test'
const AUDIENCE = 'shop-api'

function security(jwt: JwtOptions, extra: Partial<ResolvedSecurity> = {}): ResolvedSecurity {
  return {
    authenticationRequired: false,
    allowAnonymousIntrospection: false,
    permissionClasses: ['AllowAny'],
    anonymous: 'allow',
    invalidToken: 'reject',
    introspection: true,
    jwt,
    ...extra,
  }
}

function bearer(token: string): Request {
  return new Request('http://localhost/graphql', { headers: { authorization: `Bearer ${token}` } })
}

/** A token with the usual claims, signed with `key` as `alg`; `edit` changes claims or timing. */
async function sign(
  key: CryptoKey | Uint8Array,
  alg: string,
  edit: (jwt: SignJWT) => SignJWT = (jwt) => jwt,
  claims: Record<string, unknown> = { is_staff: true, permissions: ['orders.view_order'], groups: ['staff'] },
): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg, kid: 'k1' })
    .setSubject('42')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
  return edit(jwt).sign(key)
}

/** The code of what authenticating a request throws, or 'ok'. */
async function outcome(
  authenticate: ReturnType<typeof createAuthenticator>,
  request: Request,
): Promise<string> {
  try {
    await authenticate(request)
    return 'ok'
  } catch (error) {
    if (error instanceof AutoGenError) return error.code
    throw error
  }
}

function unsigned(payload: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`
}

describe('Bearer JWT authentication', () => {
  const hsKey = new TextEncoder().encode(SECRET)
  const hs = createAuthenticator(security({ secret: SECRET, issuer: ISSUER, audience: AUDIENCE }))
  let rsa: { publicKey: CryptoKey; privateKey: CryptoKey }
  let rsaPem: string
  let ec: { publicKey: CryptoKey; privateKey: CryptoKey }
  let jwksServer: Server
  let jwksUrl: string
  let jwksHits = 0

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true })
    rsaPem = await exportSPKI(rsa.publicKey)
    ec = await generateKeyPair('ES256', { extractable: true })
    const jwk: JWK = { ...(await exportJWK(ec.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }
    jwksServer = createHttpServer((_req, res) => {
      jwksHits++
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ keys: [jwk] }))
    })
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve))
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => jwksServer.close(() => resolve()))
  })

  it('maps the claims of a valid HS256 token to a user', async () => {
    const user = await hs(bearer(await sign(hsKey, 'HS256')))
    expect(user).toMatchObject({
      id: '42',
      isAuthenticated: true,
      isStaff: true,
      isSuperuser: false,
      permissions: ['orders.view_order'],
      groups: ['staff'],
    })
  })

  it('maps claims from configured names and dotted paths', async () => {
    const custom = createAuthenticator(
      security({ secret: SECRET, claims: { id: 'uid', isSuperuser: 'roles.admin', permissions: 'scope' } }),
    )
    const token = await sign(hsKey, 'HS256', (jwt) => jwt, {
      uid: 7,
      roles: { admin: true },
      scope: 'a.view_b a.add_b',
    })
    expect(await custom(bearer(token))).toMatchObject({
      id: '7',
      isSuperuser: true,
      permissions: ['a.view_b', 'a.add_b'],
    })
  })

  it('rejects expired, tampered, unsigned, wrong-issuer and wrong-audience tokens with UNAUTHENTICATED', async () => {
    const good = await sign(hsKey, 'HS256')
    const [header, payload, signature] = good.split('.') as [string, string, string]
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), is_superuser: true }),
    ).toString('base64url')
    const bad = {
      expired: await sign(hsKey, 'HS256', (jwt) =>
        jwt
          .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
          .setExpirationTime(Math.floor(Date.now() / 1000) - 3600),
      ),
      tampered: `${header}.${forgedPayload}.${signature}`,
      badSignature: `${header}.${payload}.${signature.slice(0, -4)}AAAA`,
      algNone: unsigned({ sub: '42', iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300 }),
      wrongIssuer: await sign(hsKey, 'HS256', (jwt) => jwt.setIssuer('https://evil.test')),
      wrongAudience: await sign(hsKey, 'HS256', (jwt) => jwt.setAudience('other-api')),
      otherSecret: await sign(new TextEncoder().encode(`${SECRET}-other`), 'HS256'),
      noExpiry: await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('42')
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .sign(hsKey),
      garbage: 'not-a-jwt',
    }
    const results = Object.fromEntries(
      await Promise.all(
        Object.entries(bad).map(async ([kind, token]) => [kind, await outcome(hs, bearer(token))]),
      ),
    )
    expect(results).toEqual(
      Object.fromEntries(Object.keys(bad).map((kind) => [kind, ErrorCodes.UNAUTHENTICATED])),
    )
    expect(await outcome(hs, bearer(good))).toBe('ok')
    // The message names the reason, never the token.
    await expect(hs(bearer(bad.expired))).rejects.toThrow('Invalid token: it has expired.')
    await expect(hs(bearer(bad.wrongIssuer))).rejects.toThrow('`iss` claim')
  })

  it('verifies RS256 with a PEM public key and refuses HS/RS confusion and alg none', async () => {
    const rs = createAuthenticator(security({ publicKey: rsaPem, issuer: ISSUER, audience: AUDIENCE }))
    expect((await rs(bearer(await sign(rsa.privateKey, 'RS256')))).id).toBe('42')
    // The classic confusion attack: an HS256 token whose HMAC key is the server's public PEM.
    const confused = await sign(new TextEncoder().encode(rsaPem), 'HS256')
    expect(await outcome(rs, bearer(confused))).toBe(ErrorCodes.UNAUTHENTICATED)
    await expect(rs(bearer(confused))).rejects.toThrow('algorithm is not accepted')
    expect(
      await outcome(rs, bearer(unsigned({ sub: '1', iss: ISSUER, aud: AUDIENCE, exp: 9999999999 }))),
    ).toBe(ErrorCodes.UNAUTHENTICATED)
    // And the HS256 verifier does not take an RS256 token.
    expect(await outcome(hs, bearer(await sign(rsa.privateKey, 'RS256')))).toBe(ErrorCodes.UNAUTHENTICATED)
  })

  it('verifies ES256 with a JWK public key', async () => {
    const jwk = await exportJWK(ec.publicKey)
    const es = createAuthenticator(security({ publicKey: { ...jwk }, algorithms: ['ES256'] }))
    expect((await es(bearer(await sign(ec.privateKey, 'ES256')))).id).toBe('42')
    expect(await outcome(es, bearer(await sign(rsa.privateKey, 'RS256')))).toBe(ErrorCodes.UNAUTHENTICATED)
  })

  it('verifies against a JWKS served over loopback HTTP', async () => {
    const remote = createAuthenticator(
      security({ jwksUrl, issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'] }),
    )
    expect((await remote(bearer(await sign(ec.privateKey, 'ES256')))).id).toBe('42')
    expect(jwksHits).toBeGreaterThan(0)
    // A key the JWKS does not hold (right kid, other key pair) does not verify.
    const stranger = await generateKeyPair('ES256')
    expect(await outcome(remote, bearer(await sign(stranger.privateKey, 'ES256')))).toBe(
      ErrorCodes.UNAUTHENTICATED,
    )
    expect(await outcome(remote, bearer(await sign(rsa.privateKey, 'RS256')))).toBe(
      ErrorCodes.UNAUTHENTICATED,
    )
  })

  it('treats a missing token as anonymous, or refuses it when anonymous callers are rejected', async () => {
    const request = new Request('http://localhost/graphql')
    expect(await hs(request)).toBe(ANONYMOUS_USER)
    const strict = createAuthenticator(security({ secret: SECRET }, { anonymous: 'reject' }))
    expect(await outcome(strict, request)).toBe(ErrorCodes.UNAUTHENTICATED)
    const lenient = createAuthenticator(security({ secret: SECRET }, { invalidToken: 'anonymous' }))
    expect(await lenient(bearer('not-a-jwt'))).toBe(ANONYMOUS_USER)
    expect(await outcome(hs, new Request('http://x/', { headers: { authorization: 'Basic abc' } }))).toBe(
      ErrorCodes.UNAUTHENTICATED,
    )
  })

  it('uses an authenticate function when one is configured', async () => {
    const custom = createAuthenticator({
      ...security({ secret: SECRET }),
      jwt: undefined,
      authenticate: (request) =>
        request.headers.get('x-api-key') === 'k'
          ? { id: 'svc', isStaff: true }
          : request.headers.has('x-api-key')
            ? Promise.reject(new Error('boom'))
            : null,
    } as ResolvedSecurity)
    const with_ = (key?: string) => new Request('http://x/', key ? { headers: { 'x-api-key': key } } : {})
    expect(await custom(with_('k'))).toMatchObject({ id: 'svc', isAuthenticated: true, isStaff: true })
    expect(await custom(with_())).toBe(ANONYMOUS_USER)
    expect(await outcome(custom, with_('wrong'))).toBe(ErrorCodes.UNAUTHENTICATED)
  })
})
