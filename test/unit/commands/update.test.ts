import {expect} from 'chai'
import nock from 'nock'

import {BaseCommand} from '../../../src/cli/base-command.js'
import Update from '../../../src/commands/update.js'
import {prompter} from '../../../src/lib/io/prompter.js'
import type {EventHook} from '../../../src/lib/hooks/types.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {contractReply, sentBody} from '../../helpers/contract.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'

const ID = 'who8vt36qfNpCGz9H1e6'
const PATH = `/api/v1/eventHooks/${ID}`
const SECRET = 'rotated-hook-secret-4c1d9e'
const env = {...orgEnv, HOOK_SECRET: SECRET}
const AUTH = ['--auth-secret-env', 'HOOK_SECRET']

/** The PUT body for the fixture as it is, with the secret resupplied; overrides on top. */
function putBody(overrides: Record<string, unknown> = {}, config: Record<string, unknown> = {}) {
  return {
    name: 'User sync',
    description: 'Sync new users to the CRM',
    events: {type: 'EVENT_TYPE', items: ['user.lifecycle.create', 'user.lifecycle.activate']},
    channel: {
      type: 'HTTP',
      version: '1.0.0',
      config: {
        uri: 'https://hooks.example.com/okta',
        headers: [{key: 'X-Other-Header', value: 'some-other-value'}],
        authScheme: {type: 'HEADER', key: 'Authorization', value: SECRET},
        ...config,
      },
    },
    ...overrides,
  }
}

const current = (overrides: Partial<EventHook> = {}) => contractReply(hookFixture(overrides))

function expectNoSecret(result: {stderr: string; stdout: string}) {
  expect(result.stdout + result.stderr).not.to.contain(SECRET)
}

describe('update', () => {
  const savedCanPrompt = (BaseCommand.prototype as any).canPrompt
  const savedPassword = prompter.password
  afterEach(() => {
    ;(BaseCommand.prototype as any).canPrompt = savedCanPrompt
    prompter.password = savedPassword
  })

  it('renames, resupplying the secret, and shows before → after', async () => {
    const scope = nock(ORG)
      .get(PATH)
      .reply(200, current())
      .put(PATH, sentBody(putBody({name: 'User sync v2'}), 'PUT', PATH))
      .reply(200, current({name: 'User sync v2'}))
    const result = await runCommand(Update, [ID, '--name', 'User sync v2', ...AUTH], {env})
    expect(result.error).to.equal(undefined)
    expect(result.exitCode).to.equal(0)
    expect(result.stdout).to.contain(`Changes to "User sync" (${ID}):`)
    expect(result.stdout).to.contain('  name: User sync → User sync v2')
    expect(result.stdout).to.contain(
      '  channel.config.authScheme: Authorization: (write-only, not returned by Okta) → Authorization: ****',
    )
    expect(result.stdout).to.contain(`Updated event hook "User sync v2" (${ID}): ACTIVE, VERIFIED.`)
    expectNoSecret(result)
    scope.done()
  })

  it('--json: {hook, changes}', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, contractReply([hookFixture()]))
      .put(PATH, sentBody(putBody({description: null}), 'PUT', PATH))
      .reply(200, current({description: null}))
    const result = await runCommand(Update, ['User sync', '--description', '', ...AUTH, '--json'], {env})
    expect(result.exitCode).to.equal(0)
    expect(result.stderr).to.equal('')
    expect(result.json.hook.id).to.equal(ID)
    expect(result.json.changes).to.deep.equal([
      {after: null, before: 'Sync new users to the CRM', field: 'description'},
      {
        after: 'Authorization: ****',
        before: 'Authorization: (write-only, not returned by Okta)',
        field: 'channel.config.authScheme',
      },
    ])
    expectNoSecret(result)
    scope.done()
  })

  describe('the write-only auth secret', () => {
    it('refuses (exit 2) to PUT a hook with an auth header when the secret is neither resupplied nor removed, and says why', async () => {
      const scope = nock(ORG).get(PATH).reply(200, current())
      const result = await runCommand(Update, [ID, '--name', 'User sync v2'], {env})
      expect(result.exitCode).to.equal(2)
      expect(result.stderr).to.contain('has an auth header (Authorization) whose secret Okta never returns')
      expect(result.stderr)
        .to.contain('full replace (PUT)')
        .and.contain('--auth-secret-env')
        .and.contain('--remove-auth')
      scope.done()
    })

    it('--json: the refusal is a JSON error with code AUTH_SECRET_REQUIRED', async () => {
      const scope = nock(ORG).get(PATH).reply(200, current())
      const result = await runCommand(Update, [ID, '--name', 'User sync v2', '--json'], {env})
      expect(result.exitCode).to.equal(2)
      expect(result.json.error.code).to.equal('AUTH_SECRET_REQUIRED')
      scope.done()
    })

    it('at a terminal, asks for the secret (hidden) instead', async () => {
      ;(BaseCommand.prototype as any).canPrompt = () => true
      const asked: string[] = []
      prompter.password = async (message) => {
        asked.push(message)
        return SECRET
      }

      const scope = nock(ORG)
        .get(PATH)
        .reply(200, current())
        .put(PATH, sentBody(putBody({name: 'User sync v2'}), 'PUT', PATH))
        .reply(200, current({name: 'User sync v2'}))
      const result = await runCommand(Update, [ID, '--name', 'User sync v2'], {env: orgEnv})
      expect(result.exitCode).to.equal(0)
      expect(asked).to.deep.equal(['Value of the Authorization header (hidden)'])
      expect(result.stderr).to.contain('Okta never returns the Authorization secret')
      expectNoSecret(result)
      scope.done()
    })

    it('--remove-auth sends no authScheme and warns', async () => {
      const body = putBody()
      delete (body.channel.config as any).authScheme
      const scope = nock(ORG)
        .get(PATH)
        .reply(200, current())
        .put(PATH, sentBody(body, 'PUT', PATH))
        .reply(200, current({verificationStatus: 'UNVERIFIED'}))
      const result = await runCommand(Update, [ID, '--remove-auth'], {env})
      expect(result.exitCode).to.equal(0)
      expect(result.stdout).to.contain(
        'channel.config.authScheme: Authorization: (write-only, not returned by Okta) → (none)',
      )
      expect(result.stdout).to.contain(
        `ACTIVE, UNVERIFIED.\nOkta requires verifying the hook again after this change of its channel`,
      )
      expect(result.stderr).to.contain('Warning: Without an auth header')
      scope.done()
    })

    it('--remove-auth with auth flags is refused before any call', async () => {
      const result = await runCommand(Update, [ID, '--remove-auth', ...AUTH], {env})
      expect(result.exitCode).to.equal(2)
      expect(result.stderr).to.contain('not both')
    })

    it('a hook without auth needs no secret; --basic-auth-user adds Basic auth', async () => {
      const without = hookFixture({
        channel: {config: {method: 'POST', uri: 'https://hooks.example.com/okta'}, type: 'HTTP', version: '1.0.0'},
      })
      const value = `Basic ${Buffer.from(`okta:${SECRET}`).toString('base64')}`
      const scope = nock(ORG)
        .get(PATH)
        .reply(200, contractReply(without))
        .put(
          PATH,
          sentBody(
            putBody({}, {headers: undefined, authScheme: {type: 'HEADER', key: 'Authorization', value}}),
            'PUT',
            PATH,
          ),
        )
        .reply(200, current())
      const result = await runCommand(Update, [ID, '--basic-auth-user', 'okta', '--auth-secret-stdin'], {
        env: orgEnv,
        stdin: SECRET,
      })
      expect(result.exitCode, result.stderr).to.equal(0)
      expect(result.stdout).to.contain('channel.config.authScheme: (none) → Authorization: Basic ****')
      expectNoSecret(result)
      scope.done()
    })
  })

  describe('events and filters', () => {
    const expression = "event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size()>0"
    const withFilter = () =>
      current({
        events: {
          filter: {
            eventFilterMap: [{condition: {expression, version: null}, event: 'group.user_membership.add'}],
            type: 'EXPRESSION_LANGUAGE',
          },
          items: ['user.lifecycle.create', 'group.user_membership.add'],
          type: 'EVENT_TYPE',
        },
      })

    it("--add-event and --remove-event; the removed event's filter goes with it", async () => {
      const scope = nock(ORG)
        .get(PATH)
        .reply(200, withFilter())
        .put(
          PATH,
          sentBody(
            putBody({events: {type: 'EVENT_TYPE', items: ['user.lifecycle.create', 'user.lifecycle.deactivate']}}),
            'PUT',
            PATH,
          ),
        )
        .reply(200, current())
      const result = await runCommand(
        Update,
        [ID, '--add-event', 'user.lifecycle.deactivate', '--remove-event', 'group.user_membership.add', ...AUTH],
        {env},
      )
      expect(result.exitCode, result.stderr).to.equal(0)
      expect(result.stdout).to.contain(
        'events.items: user.lifecycle.create, group.user_membership.add → ' +
          'user.lifecycle.create, user.lifecycle.deactivate',
      )
      expect(result.stdout).to.contain(`events.filter: group.user_membership.add: ${expression} → (none)`)
      expect(result.stderr).to.contain(
        'Warning: The filter on group.user_membership.add is dropped with its event type.',
      )
      scope.done()
    })

    it('--event replaces the list; --filter sets one', async () => {
      const events = {
        type: 'EVENT_TYPE',
        items: ['group.user_membership.add'],
        filter: {
          type: 'EXPRESSION_LANGUAGE',
          eventFilterMap: [
            {event: 'group.user_membership.add', condition: {expression: "event.actor.type eq 'User'", version: null}},
          ],
        },
      }
      const scope = nock(ORG)
        .get(PATH)
        .reply(200, withFilter())
        .put(PATH, sentBody(putBody({events}), 'PUT', PATH))
        .reply(200, current())
      const result = await runCommand(
        Update,
        [
          ID,
          '--event',
          'group.user_membership.add',
          '--filter',
          "group.user_membership.add=event.actor.type eq 'User'",
          ...AUTH,
        ],
        {env},
      )
      expect(result.exitCode, result.stderr).to.equal(0)
      scope.done()
    })

    it('--remove-filter removes one filter', async () => {
      const scope = nock(ORG)
        .get(PATH)
        .reply(200, withFilter())
        .put(
          PATH,
          sentBody(
            putBody({events: {type: 'EVENT_TYPE', items: ['user.lifecycle.create', 'group.user_membership.add']}}),
            'PUT',
            PATH,
          ),
        )
        .reply(200, current())
      const result = await runCommand(Update, [ID, '--remove-filter', 'group.user_membership.add', ...AUTH], {env})
      expect(result.exitCode, result.stderr).to.equal(0)
      scope.done()
    })

    const refusals: [string, string[], RegExp][] = [
      [
        'removing an event the hook lacks',
        ['--remove-event', 'user.lifecycle.suspend'],
        /--remove-event user\.lifecycle\.suspend is not one of the hook's event types/,
      ],
      [
        'removing every event',
        ['--remove-event', 'user.lifecycle.create,group.user_membership.add'],
        /no event types left/,
      ],
      [
        'a mistyped --add-event',
        ['--add-event', 'user.lifecycle.craete'],
        /--add-event user\.lifecycle\.craete .*\n.*Did you mean user\.lifecycle\.create/,
      ],
      [
        'removing a filter that does not exist',
        ['--remove-filter', 'user.lifecycle.create'],
        /the hook has no filter on that event type/,
      ],
      [
        'a filter on an event the hook lacks',
        ['--filter', 'user.lifecycle.suspend=a eq b'],
        /a filter must name one of the hook's event types/,
      ],
    ]
    for (const [what, argv, message] of refusals) {
      it(`refuses ${what} (exit 2, nothing sent)`, async () => {
        const scope = nock(ORG).get(PATH).reply(200, withFilter())
        const result = await runCommand(Update, [ID, ...argv, ...AUTH], {env})
        expect(result.exitCode).to.equal(2)
        expect(result.stderr).to.match(message)
        scope.done()
      })
    }
  })

  describe('headers', () => {
    it('--header replaces by name (any case) or adds; --remove-header removes', async () => {
      const hook = current({
        channel: {
          config: {
            authScheme: {key: 'Authorization', type: 'HEADER'},
            headers: [
              {key: 'x-team', value: 'a'},
              {key: 'X-Old', value: 'o'},
            ],
            method: 'POST',
            uri: 'https://hooks.example.com/okta',
          },
          type: 'HTTP',
          version: '1.0.0',
        },
      })
      const scope = nock(ORG)
        .get(PATH)
        .reply(200, hook)
        .put(
          PATH,
          sentBody(
            putBody(
              {},
              {
                headers: [
                  {key: 'X-Team', value: 'b'},
                  {key: 'X-New', value: 'n'},
                ],
              },
            ),
            'PUT',
            PATH,
          ),
        )
        .reply(200, current({verificationStatus: 'UNVERIFIED'}))
      const result = await runCommand(
        Update,
        [ID, '--header', 'X-Team: b', '--header', 'X-New: n', '--remove-header', 'x-old', ...AUTH],
        {env},
      )
      expect(result.exitCode, result.stderr).to.equal(0)
      expect(result.stdout).to.contain('channel.config.headers: x-team: a; X-Old: o → X-Team: b; X-New: n')
      expect(result.stdout).to.contain('Okta requires verifying the hook again after this change of its channel')
      expect(result.stdout).to.contain(`Next: run \`okta-hooks verify ${ID}\``)
      scope.done()
    })

    for (const [what, argv, message] of [
      ['a reserved header', ['--header', 'Host: x'], /"Host" is refused/],
      ['the auth header as a custom header', ['--header', 'AUTHORIZATION: x'], /is the auth header/],
      [
        'removing a header the hook lacks',
        ['--remove-header', 'X-Nope'],
        /--remove-header X-Nope: the hook has no such header/,
      ],
    ] as [string, string[], RegExp][]) {
      it(`refuses ${what} (exit 2)`, async () => {
        const scope = nock(ORG).get(PATH).reply(200, current())
        const result = await runCommand(Update, [ID, ...argv, ...AUTH], {env})
        expect(result.exitCode).to.equal(2)
        expect(result.stderr).to.match(message)
        scope.done()
      })
    }
  })

  describe('the channel and --verify', () => {
    const URL2 = 'https://hooks.example.com/v2/okta'

    it('--url --verify: updates, says verification is needed again, then verifies', async () => {
      const scope = nock(ORG)
        .get(PATH)
        .reply(200, current())
        .put(PATH, sentBody(putBody({}, {uri: URL2}), 'PUT', PATH))
        .reply(200, current({verificationStatus: 'UNVERIFIED'}))
        .post(`${PATH}/lifecycle/verify`)
        .reply(200, current())
      const result = await runCommand(Update, [ID, '--url', URL2, '--verify', ...AUTH, '--json'], {env})
      expect(result.exitCode).to.equal(0)
      expect(result.json.verified).to.equal(true)
      expect(result.json.changes[0]).to.deep.equal({
        after: URL2,
        before: 'https://hooks.example.com/okta',
        field: 'channel.config.uri',
      })
      scope.done()
    })

    it("a failed --verify exits 5 with Okta's causes; the update stays applied", async () => {
      const scope = nock(ORG)
        .get(PATH)
        .reply(200, current())
        .put(PATH, sentBody(putBody({}, {uri: URL2}), 'PUT', PATH))
        .reply(200, current({verificationStatus: 'UNVERIFIED'}))
        .post(`${PATH}/lifecycle/verify`)
        .reply(400, {
          errorCauses: [{errorSummary: 'Unable to verify event hook. Hook User sync execution failed'}],
          errorCode: 'E0000001',
          errorSummary: 'Api validation failed: eventHook',
        })
      const result = await runCommand(Update, [ID, '--url', URL2, '--verify', ...AUTH], {env})
      expect(result.exitCode).to.equal(5)
      expect(result.stderr).to.contain('but Okta could not verify it. The update was applied.')
      expect(result.stderr).to.contain('  - Unable to verify event hook. Hook User sync execution failed')
      expect(result.stderr).to.contain('X-Okta-Verification-Challenge')
      expectNoSecret(result)
      scope.done()
    })

    it('refuses a plain http URL off loopback (exit 2)', async () => {
      const scope = nock(ORG).get(PATH).reply(200, current())
      const result = await runCommand(Update, [ID, '--url', 'http://hooks.example.com/x', ...AUTH], {env})
      expect(result.exitCode).to.equal(2)
      expect(result.stderr).to.contain('must use https://')
      scope.done()
    })
  })

  describe('--filter checked offline, Identity Engine warnings', () => {
    it('a refused expression is exit 2 after reading the hook, with a caret, nothing PUT', async () => {
      const scope = nock(ORG).get(PATH).reply(200, current())
      const result = await runCommand(
        Update,
        [ID, ...AUTH, '--filter', "user.lifecycle.create=event.target.?[type eq 'UserGroup'].size() > '0'"],
        {env},
      )
      expect(result.exitCode).to.equal(2)
      expect(result.stderr).to.match(/--filter user\.lifecycle\.create: .* at column \d+/)
      expect(result.stderr).to.match(/\n {4}event\.target.*\n +\^+/)
      scope.done()
    })

    it('--no-filter-check: sent as written with a warning; a newly added type IE never triggers warns', async () => {
      const expression = "event.actor.id.startsWith('00u')"
      const scope = nock(ORG).get(PATH).reply(200, current())
      const result = await runCommand(
        Update,
        [
          ID,
          ...AUTH,
          '--add-event',
          'user.credential.enroll',
          '--no-filter-check',
          '--filter',
          `user.lifecycle.create=${expression}`,
          '--dry-run',
          '--json',
        ],
        {env},
      )
      expect(result.exitCode, result.stderr).to.equal(0)
      expect(result.json.request.body.events.filter.eventFilterMap).to.deep.equal([
        {condition: {expression, version: null}, event: 'user.lifecycle.create'},
      ])
      expect(result.stderr).to.contain('--filter user.lifecycle.create is sent as written (--no-filter-check)')
      expect(result.stderr).to.contain('user.credential.enroll is not triggered in Identity Engine orgs')
      scope.done()
    })
  })

  describe('--dry-run', () => {
    it('shows the changes and the exact PUT body, secret masked; only the GET is made', async () => {
      const scope = nock(ORG).get(PATH).reply(200, current())
      const result = await runCommand(Update, [ID, '--name', 'Renamed', ...AUTH, '--dry-run'], {env})
      expect(result.exitCode).to.equal(0)
      expect(result.stdout).to.contain('  name: User sync → Renamed')
      expect(result.stdout).to.contain(`Dry run: would send PUT ${PATH} with this body (nothing was changed):`)
      expect(result.stdout).to.contain('"value": "****"')
      expectNoSecret(result)
      scope.done()
    })

    it('--json: {changes, dryRun, request: {method, path, body}}', async () => {
      const scope = nock(ORG).get(PATH).reply(200, current())
      const result = await runCommand(Update, [ID, '--name', 'Renamed', ...AUTH, '--dry-run', '--json'], {env})
      expect(result.exitCode).to.equal(0)
      const masked = putBody({name: 'Renamed'}, {authScheme: {type: 'HEADER', key: 'Authorization', value: '****'}})
      expect(result.json).to.deep.equal({
        changes: [
          {after: 'Renamed', before: 'User sync', field: 'name'},
          {
            after: 'Authorization: ****',
            before: 'Authorization: (write-only, not returned by Okta)',
            field: 'channel.config.authScheme',
          },
        ],
        dryRun: true,
        request: {body: masked, method: 'PUT', path: PATH},
      })
      scope.done()
    })
  })

  describe('nothing to change', () => {
    it('no change flags: exit 2 before any call', async () => {
      const result = await runCommand(Update, [ID], {env})
      expect(result.exitCode).to.equal(2)
      expect(result.stderr).to.contain('Nothing to change').and.contain('--add-event')
    })

    it('values equal to the current ones: exit 2 after reading the hook, no secret asked', async () => {
      const scope = nock(ORG).get(PATH).reply(200, current())
      const result = await runCommand(Update, [ID, '--name', 'User sync', '--add-event', 'user.lifecycle.create'], {
        env,
      })
      expect(result.exitCode).to.equal(2)
      expect(result.stderr).to.contain(`Nothing to change: "User sync" (${ID}) already has these values.`)
      scope.done()
    })
  })

  it('an unknown hook is exit 4', async () => {
    const scope = nock(ORG)
      .get('/api/v1/eventHooks')
      .reply(200, contractReply([hookFixture()]))
    const result = await runCommand(Update, ['No such hook', '--name', 'x', ...AUTH], {env})
    expect(result.exitCode).to.equal(4)
    expect(result.stderr).to.contain('No event hook has the id or name "No such hook"')
    scope.done()
  })

  it('a 5xx on the PUT is retried, then succeeds', async () => {
    const scope = nock(ORG)
      .get(PATH)
      .reply(200, current())
      .put(PATH, sentBody(putBody({name: 'B'}), 'PUT', PATH))
      .reply(503, {errorCode: 'E0000009', errorSummary: 'Internal Server Error'})
      .put(PATH, sentBody(putBody({name: 'B'}), 'PUT', PATH))
      .reply(200, current({name: 'B'}))
    const result = await runCommand(Update, [ID, '--name', 'B', ...AUTH], {env})
    expect(result.exitCode, result.stderr).to.equal(0)
    scope.done()
  })
})
