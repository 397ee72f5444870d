/**
 * Secrets this process knows about (API token, private key, hook auth secrets, OAuth assertions and
 * tokens). Anything printed through the base command, --debug included, is passed through
 * redactKnownSecrets as a last line of defence behind field-level masking.
 *
 * The rule for short secrets: a registered string is redacted from free text only from
 * MIN_SECRET_LENGTH characters (a shorter one would mangle ordinary words: a token "wrong" would
 * turn "may be wrong" into "may be ****"), so a secret the user gives okta-hooks to send (an API
 * token, a hook's auth secret, a Basic password) must be at least that long: registerAuthSecret
 * refuses a shorter one (exit 2). Secret fields and headers are masked whatever their length.
 */
import {usageError} from '../errors.js'
import {redactText} from './mask.js'

const known = new Set<string>()

export const MIN_SECRET_LENGTH = 6

export function registerSecret(value: string | undefined): void {
  if (!value || value.length < MIN_SECRET_LENGTH) return
  known.add(value)
  // Also catch it where it travels base64-encoded or in its Basic-auth "user:pass" form.
  known.add(Buffer.from(value).toString('base64'))
  const basic = /^Basic\s+(.+)$/i.exec(value)
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8')
    const password = decoded.slice(decoded.indexOf(':') + 1)
    if (decoded.length >= MIN_SECRET_LENGTH) known.add(decoded)
    if (password.length >= MIN_SECRET_LENGTH) known.add(password)
  }

  const scheme = /^(?:SSWS|Bearer|DPoP|Token)\s+(\S.*)$/i.exec(value)
  if (scheme) registerSecret(scheme[1])
}

/**
 * A secret the user gives okta-hooks to send or expect: registered, or refused (exit 2) when it is
 * too short to be kept out of every output. `what` names it: "The API token", "The auth secret".
 */
export function registerAuthSecret(value: string, what: string): void {
  if (value.length < MIN_SECRET_LENGTH) {
    throw usageError(
      `${what} is ${value.length} character${value.length === 1 ? '' : 's'} ` +
        `long; okta-hooks needs at least ${MIN_SECRET_LENGTH}.`,
      [
        `Use a longer secret: anything shorter than ${MIN_SECRET_LENGTH} characters cannot be ` +
          `told apart from ordinary words, so it could not be masked in every output`,
      ],
    )
  }

  registerSecret(value)
}

export function redactKnownSecrets(text: string): string {
  return known.size === 0
    ? text
    : redactText(
        text,
        [...known].sort((a, b) => b.length - a.length),
      )
}

/** For tests. */
export function forgetSecrets(): void {
  known.clear()
}
