/**
 * Secrets this process knows about (API token, private key, hook auth secrets). Anything printed
 * through the base command, --debug included, is passed through redactKnownSecrets as a last line
 * of defence behind field-level masking.
 */
import {redactText} from './mask.js'

const known = new Set<string>()

/**
 * Shorter strings are not redacted from free text: they would mangle ordinary words (a token
 * "wrong" would turn "may be wrong" into "may be ****"). Secret fields and headers are still
 * masked whatever their length.
 */
const MIN_REDACTED_LENGTH = 6

export function registerSecret(value: string | undefined): void {
  if (!value || value.length < MIN_REDACTED_LENGTH) return
  known.add(value)
  // Also catch it where it travels base64-encoded or in its Basic-auth "user:pass" form.
  known.add(Buffer.from(value).toString('base64'))
  const basic = /^Basic\s+(.+)$/i.exec(value)
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8')
    const password = decoded.slice(decoded.indexOf(':') + 1)
    if (password.length >= MIN_REDACTED_LENGTH) known.add(password)
  }
}

export function redactKnownSecrets(text: string): string {
  return known.size === 0 ? text : redactText(text, [...known].sort((a, b) => b.length - a.length))
}

/** For tests. */
export function forgetSecrets(): void {
  known.clear()
}
