import {Flags} from '@oclif/core'
import {readFileSync} from 'node:fs'

import {BaseCommand} from '../../cli/base-command.js'
import {durationFlag} from '../../cli/flags.js'
import {CliError, usageError} from '../../lib/errors.js'
import {ExitCode} from '../../lib/exit-codes.js'
import type {SandboxSummary} from '../../lib/sandbox/server.js'

export interface SandboxReady {
  dataFile: null | string
  orgUrl: string
  port: number
  token: string
}

export type SandboxStartResult = SandboxReady & {stopped: true; summary: SandboxSummary}

export default class SandboxStart extends BaseCommand<typeof SandboxStart> {
  static override description = [
    'Run a local stand-in for an Okta org: the Event Hooks and System Log APIs, verification, deliveries.',
    '',
    'The CLI (and any Okta SDK) talks to it as to a real org: set OKTA_CLIENT_ORGURL and ' +
      'OKTA_CLIENT_TOKEN to the values it prints. Runs until Ctrl+C (SIGINT) or SIGTERM, ' +
      'then finishes pending deliveries briefly and saves --data.',
    'Under --json, stdout is JSON Lines: the ready document {orgUrl, port, token, dataFile} as soon as it ' +
      'listens, and the summary when it stops. The token is a throwaway local secret and is printed on purpose.',
  ].join('\n')

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --port 0 --json',
    '<%= config.bin %> <%= command.id %> --data ./sandbox.json --token my-local-token',
    '<%= config.bin %> <%= command.id %> --rate-limit 5 --rate-limit-window 10s',
    '<%= config.bin %> <%= command.id %> --oauth-client-id 0oaLocalServiceApp --oauth-public-key ./key.pub.pem',
  ]

  static override flags = {
    data: Flags.string({
      description:
        'Keep hooks and the System Log in this file across restarts (an append-only journal: hook changes are ' +
        'on disk before the API answers; holds hook secrets, mode 0600). One sandbox per file.',
    }),
    host: Flags.string({default: '127.0.0.1', description: 'Interface to listen on.'}),
    'oauth-client-id': Flags.string({
      dependsOn: ['oauth-public-key'],
      description:
        'Also accept this OAuth service app: client_credentials with a private_key_jwt assertion on /oauth2/v1/token.',
    }),
    'oauth-public-key': Flags.string({
      dependsOn: ['oauth-client-id'],
      description: "The service app's public key file: PEM, JWK or JWKS (a JWK's kid must match the assertion's).",
    }),
    port: Flags.integer({default: 8700, description: 'Port to listen on; 0 picks a free one.', max: 65_535, min: 0}),
    'rate-limit': Flags.integer({
      description:
        'Requests per window per bucket (System Log; rest of the API) before 429 E0000047. Default: unlimited.',
      min: 1,
    }),
    'rate-limit-window': durationFlag({
      default: 60_000,
      description: 'Length of the rate-limit window (Okta: 1m).',
      max: 3_600_000,
      min: 100,
    }),
    token: Flags.string({
      description: 'The SSWS API token the sandbox accepts (default: a random one, printed at start).',
    }),
  }

  async run(): Promise<SandboxStartResult> {
    const {SandboxServer} = await import('../../lib/sandbox/server.js')
    const flags = this.flags
    if (flags.token !== undefined && !/^[\w.~+/-]{8,}$/.test(flags.token)) {
      throw usageError('--token must be at least 8 characters of letters, digits and - _ . ~ + /.')
    }

    const oauth = flags['oauth-client-id']
      ? await oauthApp(flags['oauth-client-id'], flags['oauth-public-key']!)
      : undefined
    let sandbox: InstanceType<typeof SandboxServer>
    try {
      sandbox = new SandboxServer({
        dataFile: flags.data,
        host: flags.host,
        oauth,
        onWarning: (message) => this.warnUser(message),
        port: flags.port,
        rateLimit: flags['rate-limit'],
        rateLimitWindowMs: flags['rate-limit-window'],
        token: flags.token,
      })
      await sandbox.start()
    } catch (error) {
      if (error instanceof CliError) throw error
      const err = error as NodeJS.ErrnoException
      if (err.code === 'EADDRINUSE') {
        throw usageError(`Port ${flags.port} on ${flags.host} is already in use.`, [
          'Pick another --port, or --port 0 for a free one',
        ])
      }

      throw new CliError(`The sandbox could not start: ${err.message}`, {
        code: 'SANDBOX_START_FAILED',
        exitCode: ExitCode.Usage,
      })
    }

    const ready: SandboxReady = {
      dataFile: flags.data ?? null,
      orgUrl: sandbox.url,
      port: sandbox.port,
      token: sandbox.token,
    }
    // Listening for the stop signal before saying ready: a script may send it as soon as it reads the ready line.
    const stopped = this.waitForStopSignal()
    if (this.jsonEnabled()) this.jsonLine(ready)
    const hooks = sandbox.org.hooks.size
    const state = flags.data
      ? ` (state in ${flags.data}: ${hooks} hook${hooks === 1 ? '' : 's'}, ${sandbox.org.log.size} events)`
      : ''
    this.notice(
      [
        `Okta sandbox listening on ${ready.orgUrl}${state}`,
        `  export OKTA_CLIENT_ORGURL=${ready.orgUrl} OKTA_CLIENT_TOKEN=${ready.token}`,
        ...(oauth
          ? [
              `  OAuth service app ${oauth.clientId}: OKTA_CLIENT_AUTHORIZATIONMODE=PrivateKey ` +
                `OKTA_CLIENT_CLIENTID=${oauth.clientId}`,
            ]
          : []),
        '  Emit events with `okta-hooks sandbox emit <eventType>`. Press Ctrl+C to stop.',
      ].join('\n'),
    )
    for (const problem of sandbox.org.routingProblems()) {
      this.warnUser(
        `Hook ${problem.hookName} (${problem.hookId}): its ${problem.event} filter cannot be evaluated ` +
          `(${problem.message}); the sandbox routes none of its ${problem.event} events until it is replaced.`,
      )
    }

    await stopped
    this.notice('Stopping: finishing pending deliveries...')
    const summary = await sandbox.stop()
    const d = summary.deliveries
    const failures = sandbox.saveFailures
    const saved = flags.data
      ? failures.length > 0
        ? `; state NOT fully saved to ${flags.data}`
        : `; state saved to ${flags.data}`
      : ''
    this.notice(
      `Sandbox stopped: ${summary.requests} requests, ${summary.hooks} hooks, ${summary.events} events in the log, ` +
        `${d.accepted} deliveries (${d.events} events) accepted, ${d.rejected} rejected, ${d.failed} failed${saved}.`,
    )
    if (failures.length > 0) {
      throw new CliError(
        `${failures.length} save(s) of the sandbox state to ${flags.data} failed; the file lacks what they held.`,
        {
          causes: [...failures],
          code: 'SANDBOX_SAVE_FAILED',
          details: {dataFile: flags.data, summary},
          exitCode: ExitCode.Unexpected,
          suggestions: [
            'Check the folder still exists, is writable and has free space; hook ' +
              'changes that could not be saved were refused (500) and not made',
          ],
        },
      )
    }

    return {...ready, stopped: true, summary}
  }

  /** Under --json stdout is JSON Lines (ready, then the summary or the error): one compact line each. */
  protected override jsonLines(): boolean {
    return true
  }
}

async function oauthApp(clientId: string, keyFile: string) {
  const {SandboxOAuth} = await import('../../lib/sandbox/oauth.js')
  let key: string
  try {
    key = readFileSync(keyFile, 'utf8')
  } catch (error) {
    throw usageError(`Cannot read --oauth-public-key ${keyFile}: ${(error as Error).message}`)
  }

  try {
    return new SandboxOAuth({clientId, publicKey: key})
  } catch (error) {
    throw usageError(
      `--oauth-public-key ${keyFile} is not a public key (PEM, JWK or JWKS): ${(error as Error).message}`,
    )
  }
}
