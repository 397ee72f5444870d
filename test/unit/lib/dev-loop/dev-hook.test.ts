import {expect} from 'chai'
import {hostname, userInfo} from 'node:os'

import {
  DEV_HOOK_MARKER,
  defaultDevHookName,
  devHookBody,
  devHookUri,
  isDevHook,
  registerDevHook,
  removeDevHook,
} from '../../../../src/lib/dev-loop/dev-hook.js'
import {CliError} from '../../../../src/lib/errors.js'
import {EventHooksApi} from '../../../../src/lib/hooks/event-hooks-api.js'
import {connectOkta} from '../../../../src/lib/okta/okta-sdk.js'
import {startReceiver as startListen} from '../../../../src/lib/receiver/server.js'
import {okReceiver, startReceiver, startSandbox, stopAll, type TestSandbox} from '../../../helpers/sandbox.js'

const AUTH = {key: 'Authorization', value: 'dev-hook-secret-0042'}

async function apiFor(t: TestSandbox): Promise<EventHooksApi> {
  const transport = await connectOkta(
    {authorizationMode: 'SSWS', orgUrl: t.url, requestTimeoutMs: 5000, scopes: [], sources: {}, token: t.sandbox.token},
    {notice: () => {}, userAgent: 'okta-hooks/0.0.0-test'},
  )
  return new EventHooksApi(transport)
}

describe('dev-loop/dev-hook', function () {
  this.timeout(20_000)
  afterEach(() => stopAll())

  it('names, marks and addresses a dev hook', () => {
    expect(defaultDevHookName()).to.equal(`okta-hooks dev ${userInfo().username}@${hostname()}`)
    expect(isDevHook({description: `${DEV_HOOK_MARKER} anything`})).to.equal(true)
    expect(isDevHook({description: `Mine. ${DEV_HOOK_MARKER}`})).to.equal(false) // only at the start: a hook someone wrote about dev hooks is not one
    expect(isDevHook({description: null})).to.equal(false)
    expect(devHookUri('https://ab12.ngrok.app', '/okta')).to.equal('https://ab12.ngrok.app/okta')
    expect(devHookUri('https://ab12.ngrok.app/', '/')).to.equal('https://ab12.ngrok.app/')
    expect(devHookUri('https://proxy.example.com/team/okta', '/')).to.equal('https://proxy.example.com/team/okta') // a path of its own: as given
    const {body} = devHookBody({
      auth: AUTH,
      events: ['user.lifecycle.create'],
      name: 'dev',
      uri: 'https://ab12.ngrok.app/',
      uriFlag: '--public-url',
    })
    expect(body.description).to.match(/^\[okta-hooks dev\] /)
    expect(body.channel.config.authScheme).to.deep.equal({key: 'Authorization', type: 'HEADER', value: AUTH.value})
    expect(() =>
      devHookBody({
        auth: AUTH,
        events: ['user.lifecycle.create'],
        name: 'dev',
        uri: 'http://hooks.example.com/',
        uriFlag: '--public-url',
      }),
    ).to.throw(CliError, /^--public-url http:\/\/hooks\.example\.com\/ must use https/)
  })

  it('creates the hook active and verified by Okta; the next session reuses it (same id), removing duplicates; removal deletes it', async () => {
    const t = await startSandbox()
    const api = await apiFor(t)
    const listen = await startListen({auth: AUTH, port: 0})
    try {
      const {body} = devHookBody({
        auth: AUTH,
        events: ['user.lifecycle.create'],
        name: 'okta-hooks dev test',
        uri: listen.url,
        uriFlag: '--public-url',
      })
      const steps: string[] = []
      const first = await registerDevHook(api, body, (step) => steps.push(step))
      expect(first.hook).to.include({status: 'ACTIVE', verificationStatus: 'VERIFIED'})
      expect([first.reused, steps]).to.deep.equal([false, ['created', 'verifying']])
      expect(listen.stats.verifications).to.equal(1)

      // A leftover copy (two sessions that raced), and another hook by the same name that is not a dev hook.
      await api.create(body)
      await api.create({...body, description: 'a hook of its own'})
      await api.deactivate(first.hook.id)
      steps.length = 0
      const second = await registerDevHook(api, body, (step) => steps.push(step))
      expect([second.hook.id, second.reused, second.removedDuplicates.length]).to.deep.equal([first.hook.id, true, 1])
      expect(steps).to.deep.equal(['removed-duplicate', 'replaced', 'verifying'])
      expect(second.hook).to.include({status: 'ACTIVE', verificationStatus: 'VERIFIED'})
      expect((await api.list()).map((hook) => hook.description)).to.deep.equal([body.description, 'a hook of its own'])

      await removeDevHook(api, second.hook)
      expect((await api.list()).filter((hook) => isDevHook(hook))).to.deep.equal([])
    } finally {
      await listen.close()
    }
  })

  it('a failed verification removes the hook it made and says so (exit 5)', async () => {
    const t = await startSandbox({verifyTimeoutMs: 500})
    const api = await apiFor(t)
    const wrong = await startReceiver((request, response) =>
      response.writeHead(request.method === 'GET' ? 404 : 200).end(),
    )
    const {body} = devHookBody({
      auth: AUTH,
      events: ['user.lifecycle.create'],
      name: 'okta-hooks dev test',
      uri: wrong.url,
      uriFlag: '--public-url',
    })
    const error = await registerDevHook(api, body).catch((e) => e)
    expect(error).to.be.instanceOf(CliError)
    expect([error.exitCode, error.code]).to.deep.equal([5, 'VERIFICATION_FAILED'])
    expect(error.message).to.match(/was removed again\.$/)
    expect(error.details.hook.name).to.equal('okta-hooks dev test')
    expect(await api.list()).to.deep.equal([])
  })

  it('refuses (exit 2, nothing changed) when the org already has 25 active and verified hooks', async () => {
    const t = await startSandbox()
    const api = await apiFor(t)
    const receiver = await startReceiver(okReceiver)
    const {body} = devHookBody({
      auth: AUTH,
      events: ['user.lifecycle.create'],
      name: 'okta-hooks dev test',
      uri: receiver.url,
      uriFlag: '--public-url',
    })
    for (let i = 0; i < 25; i++) {
      const hook = await api.create({...body, description: null, name: `Production ${i}`})
      await api.verify(hook.id)
    }

    const error = await registerDevHook(api, body).catch((e) => e)
    expect([error.exitCode, error.code]).to.deep.equal([2, 'HOOK_LIMIT'])
    expect(error.message).to.contain('25 active and verified event hooks').and.contain('Nothing was changed')
    expect(error.suggestions.join(' ')).to.contain('dev cleanup')
    expect(await api.list()).to.have.length(25)
  })
})
