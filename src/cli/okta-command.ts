/**
 * Base for commands that talk to an Okta org: connection flags and a lazily built, cached
 * transport. The Okta SDK is loaded only when a command first calls okta().
 */
import {Command, Flags} from '@oclif/core'

import {resolveConnection} from '../lib/okta/connection.js'
// Static on purpose: okta-sdk.ts loads the SDK itself only inside connectOkta(), so importing it
// costs nothing, and one static graph keeps one copy of errors.ts (and of CliError) everywhere.
import {connectOkta, type OktaTransport} from '../lib/okta/okta-sdk.js'
import {readStdinOnce} from '../lib/io/stdin.js'
import {userAgent} from '../lib/version.js'
import {BaseCommand} from './base-command.js'
import {oktaTimeoutFlag} from './flags.js'

const CONNECTION = 'CONNECTION'

export abstract class OktaCommand<T extends typeof Command> extends BaseCommand<T> {
  static override baseFlags = {
    ...BaseCommand.baseFlags,
    'client-id': Flags.string({
      description: 'OAuth service app client id (PrivateKey mode). Env: OKTA_CLIENT_CLIENTID.',
      helpGroup: CONNECTION,
    }),
    'key-id': Flags.string({
      description: "Key id (kid) of the service app's private key. Env: OKTA_CLIENT_KEYID.",
      helpGroup: CONNECTION,
    }),
    'org-url': Flags.string({
      description: 'Okta org URL, e.g. https://acme.okta.com. Env: OKTA_CLIENT_ORGURL, or okta.yaml.',
      helpGroup: CONNECTION,
    }),
    'private-key-file': Flags.string({
      description: "PEM or JWK file of the service app's private key (PrivateKey mode). Env: OKTA_CLIENT_PRIVATEKEY.",
      helpGroup: CONNECTION,
    }),
    timeout: oktaTimeoutFlag,
    'token-stdin': Flags.boolean({
      description:
        'Read the Okta API token from stdin (keeps it out of argv and shell history). Env: OKTA_CLIENT_TOKEN.',
      helpGroup: CONNECTION,
    }),
  }

  private transport?: Promise<OktaTransport>

  /** The connection to Okta, built on first use (and only then is the SDK loaded). */
  protected okta(): Promise<OktaTransport> {
    this.transport ??= this.connect()
    return this.transport
  }

  private async connect(): Promise<OktaTransport> {
    const flags = this.flags as Record<string, any>
    const settings = await resolveConnection({
      clientId: flags['client-id'],
      keyId: flags['key-id'],
      orgUrl: flags['org-url'],
      privateKeyFile: flags['private-key-file'],
      requestTimeoutMs: flags.timeout,
      token: flags['token-stdin'] ? await readStdinOnce('--token-stdin') : undefined,
    })
    return connectOkta(settings, {
      debug: flags.debug ? (line) => process.stderr.write(line + '\n') : undefined,
      notice: (line) => this.notice(line),
      userAgent: userAgent(),
    })
  }
}
