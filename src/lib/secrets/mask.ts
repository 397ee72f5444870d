/**
 * Masking of secrets for every output: human text, --json, --debug and files at rest.
 * A masked value keeps only its scheme word (SSWS, Bearer, Basic, DPoP), never any character of the secret.
 */
export const MASK = '****'

const SCHEME = /^(SSWS|Bearer|Basic|DPoP|Token)\s+\S/i

/** Header names whose values are credentials. Compared lower-case. */
const SECRET_HEADER_NAMES = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-okta-verification-challenge-secret',
  'dpop',
])

export function maskSecret(value: string | undefined | null): string {
  if (value === undefined || value === null || value === '') return value ?? ''
  const scheme = SCHEME.exec(value)
  return scheme ? `${scheme[1]} ${MASK}` : MASK
}

export function isSecretHeaderName(name: string): boolean {
  const lower = name.toLowerCase()
  return SECRET_HEADER_NAMES.has(lower) || /(secret|token|password|passwd|api[-_]?key|signature|auth)/.test(lower)
}

/**
 * Masks header values. `extraSecretNames` adds names that are secret in this context (a hook's own
 * auth header, say `X-Hook-Key`). With `all`, every value is masked (custom headers of a hook may
 * carry shared secrets too, so `get` masks them unless asked).
 */
export function maskHeaders(
  headers: Record<string, string | string[] | undefined>,
  options: {extraSecretNames?: string[]; all?: boolean} = {},
): Record<string, string> {
  const extra = new Set((options.extraSecretNames ?? []).map((n) => n.toLowerCase()))
  const out: Record<string, string> = {}
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue
    const value = Array.isArray(raw) ? raw.join(', ') : String(raw)
    out[name] = options.all || isSecretHeaderName(name) || extra.has(name.toLowerCase()) ? maskSecret(value) : value
  }
  return out
}

/**
 * Replaces every occurrence of the given secret strings in a text (for --debug bodies and error
 * messages that may echo a secret back).
 */
export function redactText(text: string, secrets: Iterable<string | undefined>): string {
  let out = text
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue
    out = out.split(secret).join(MASK)
  }
  return out
}

/**
 * Deep copy of a JSON value with known secret fields masked: authScheme.value, every custom header's
 * value (channel.config.headers[].value, masked as `get` masks them), token, password, client_assertion...
 */
export function maskJson<T>(value: T): T {
  return maskNode(value, undefined) as T
}

const SECRET_KEY_NAMES = [
  'value',
  'token',
  'password',
  'secret',
  'client_secret',
  'client_assertion',
  'access_token',
  'refresh_token',
  'id_token',
  'privateKey',
  'private_key',
  'apiKey',
  'api_key',
]
const SECRET_KEYS = new RegExp(`^(${SECRET_KEY_NAMES.join('|')})$`, 'i')

function maskNode(node: unknown, parentKey: string | undefined): unknown {
  if (Array.isArray(node)) return node.map((item) => maskNode(item, parentKey))
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      const secretHere =
        typeof child === 'string' &&
        ((key === 'value' && (parentKey === 'authScheme' || parentKey === 'headers')) ||
          (key !== 'value' && SECRET_KEYS.test(key)))
      out[key] = secretHere ? maskSecret(child as string) : maskNode(child, key)
    }
    return out
  }
  return node
}
