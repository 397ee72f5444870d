import {expect} from 'chai'
import nock from 'nock'

import {BaseCommand} from '../../../src/cli/base-command.js'
import Create from '../../../src/commands/create.js'
import {prompter} from '../../../src/lib/io/prompter.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {contractReply, sentBody} from '../../helpers/contract.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'

const ID = 'who8vt36qfNpCGz9H1e6'
const SECRET = 'hook-secret-for-tests-7f3a9c'
const env = {...orgEnv, HOOK_SECRET: SECRET}
const URL_ = 'https://hooks.example.com/okta'
const BASE = ['--name', 'User sync', '--url', URL_, '--event', 'user.lifecycle.create']
const VERIFY_FAILED = {
  errorCauses: [{errorSummary: 'Unable to verify event hook. Hook User sync execution failed'}],
  errorCode: 'E0000001',
  errorId: 'oaeVerifyFailed02',
  errorLink: 'E0000001',
  errorSummary: 'Api validation failed: eventHook',
}

/** The body `create` sends for BASE plus the auth header from HOOK_SECRET. */
function expectedBody(overrides: Record<string, unknown> = {}, config: Record<string, unknown> = {}) {
  return {
    name: 'User sync',
    events: {type: 'EVENT_TYPE', items: ['user.lifecycle.create']},
    channel: {
      type: 'HTTP',
      version: '1.0.0',
      config: {uri: URL_, authScheme: {type: 'HEADER', key: 'Authorization', value: SECRET}, ...config},
    },
    ...overrides,
  }
}

function created(overrides: Parameters<typeof hookFixture>[0] = {}) {
  return contractReply(
    hookFixture({
      channel: {
        config: {authScheme: {key: 'Authorization', type: 'HEADER'}, method: 'POST', uri: URL_},
        type: 'HTTP',
        version: '1.0.0',
      },
      description: null,
      events: {items: ['user.lifecycle.create'], type: 'EVENT_TYPE'},
      verificationStatus: 'UNVERIFIED',
      ...overrides,
    }),
  )
}

function expectNoSecret(result: {stderr: string; stdout: string}) {
  expect(result.stdout + result.stderr).not.to.contain(SECRET)
  expect(result.stdout + result.stderr).not.to.contain(Buffer.from(SECRET).toString('base64'))
}

describe('create', () => {
  const savedCanPrompt = (BaseCommand.prototype as any).canPrompt
  const savedPrompter = {...prompter}
  afterEach(() => {
    ;(BaseCommand.prototype as any).canPrompt = savedCanPrompt
    Object.assign(prompter, savedPrompter)
  })

  describe('with flags', () => {
    it('sends exactly the body asked for and says what to do next', async () => {
      const body = expectedBody(
        {
          description: 'Sync new users',
          events: {
            type: 'EVENT_TYPE',
            items: ['user.lifecycle.create', 'user.lifecycle.activate', 'user.lifecycle.deactivate'],
          },
        },
        {
          headers: [
            {key: 'X-Team', value: 'identity'},
            {key: 'X-Env', value: 'prod'},
          ],
        },
      )
      const scope = nock(ORG).post('/api/v1/eventHooks', sentBody(body)).reply(200, created())
      const result = await runCommand(
        Create,
        [
          '--name',
          'User sync',
          '--url',
          URL_,
          '--description',
          'Sync new users',
          '--event',
          'user.lifecycle.create,user.lifecycle.activate',
          '--event',
          'user.lifecycle.deactivate',
          '--event',
          'user.lifecycle.create',
          '--header',
          'X-Team: identity',
          '--header',
          'X-Env:prod',
          '--auth-secret-env',
          'HOOK_SECRET',
        ],
        {env},
      )
      expect(result.error).to.equal(undefined)
      expect(result.exitCode).to.equal(0)
      expect(result.stdout).to.contain(`Created event hook "User sync" (${ID}): ACTIVE, UNVERIFIED.`)
      expect(result.stdout).to.contain(`okta-hooks verify ${ID}`)
      expectNoSecret(result)
      scope.done()
    })

    it('--json is one document: the masked hook and created: true', async () => {
      const scope = nock(ORG).post('/api/v1/eventHooks', sentBody(expectedBody())).reply(200, created())
      const result = await runCommand(Create, [...BASE, '--auth-secret-env', 'HOOK_SECRET', '--json'], {env})
      expect(result.exitCode).to.equal(0)
      expect(result.stderr).to.equal('')
      expect(result.json).to.deep.include({created: true})
      expect(result.json.hook).to.include({id: ID, status: 'ACTIVE', verificationStatus: 'UNVERIFIED'})
      expect(result.json).not.to.have.property('verified')
      scope.done()
    })

    it('without auth flags sends no authScheme', async () => {
      const body = {
        name: 'User sync',
        events: {type: 'EVENT_TYPE', items: ['user.lifecycle.create']},
        channel: {type: 'HTTP', version: '1.0.0', config: {uri: URL_}},
      }
      const scope = nock(ORG).post('/api/v1/eventHooks', sentBody(body)).reply(200, created())
      const result = await runCommand(Create, BASE, {env})
      expect(result.error).to.equal(undefined)
      expect(result.exitCode).to.equal(0)
      scope.done()
    })

    it('--basic-auth-user builds "Basic base64(user:password)" from stdin, and prints neither', async () => {
      const value = `Basic ${Buffer.from(`okta:${SECRET}`).toString('base64')}`
      const scope = nock(ORG)
        .post(
          '/api/v1/eventHooks',
          sentBody(expectedBody({}, {authScheme: {type: 'HEADER', key: 'Authorization', value}})),
        )
        .reply(200, created())
      const result = await runCommand(
        Create,
        [...BASE, '--basic-auth-user', 'okta', '--auth-secret-stdin', '--debug'],
        {env: orgEnv, stdin: `${SECRET}\n`},
      )
      expect(result.exitCode).to.equal(0)
      expect(result.stderr).to.contain('POST') // --debug traced the request...
      expectNoSecret(result) // ...with the secret masked
      expect(result.stdout + result.stderr).not.to.contain(value)
      scope.done()
    })

    it('--auth-header names the auth header', async () => {
      const scope = nock(ORG)
        .post(
          '/api/v1/eventHooks',
          sentBody(expectedBody({}, {authScheme: {type: 'HEADER', key: 'X-Hook-Key', value: SECRET}})),
        )
        .reply(200, created())
      const result = await runCommand(
        Create,
        [...BASE, '--auth-header', 'X-Hook-Key', '--auth-secret-env', 'HOOK_SECRET'],
        {env},
      )
      expect(result.exitCode).to.equal(0)
      scope.done()
    })

    it('--filter builds an Early Access EXPRESSION_LANGUAGE filter', async () => {
      const expression = "event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size()>0"
      const body = expectedBody({
        events: {
          type: 'EVENT_TYPE',
          items: ['group.user_membership.add', 'user.lifecycle.create'],
          filter: {
            type: 'EXPRESSION_LANGUAGE',
            eventFilterMap: [{event: 'group.user_membership.add', condition: {expression, version: null}}],
          },
        },
      })
      const scope = nock(ORG).post('/api/v1/eventHooks', sentBody(body)).reply(200, created())
      const result = await runCommand(
        Create,
        [
          '--name',
          'User sync',
          '--url',
          URL_,
          '--event',
          'group.user_membership.add,user.lifecycle.create',
          '--filter',
          `group.user_membership.add=${expression}`,
          '--auth-secret-env',
          'HOOK_SECRET',
        ],
        {env},
      )
      expect(result.error).to.equal(undefined)
      expect(result.exitCode).to.equal(0)
      scope.done()
    })

    it('--inactive deactivates the new hook', async () => {
      const scope = nock(ORG)
        .post('/api/v1/eventHooks', sentBody(expectedBody()))
        .reply(200, created())
        .post(`/api/v1/eventHooks/${ID}/lifecycle/deactivate`)
        .reply(200, created({status: 'INACTIVE'}))
      const result = await runCommand(Create, [...BASE, '--auth-secret-env', 'HOOK_SECRET', '--inactive', '--json'], {
        env,
      })
      expect(result.exitCode).to.equal(0)
      expect(result.json.hook.status).to.equal('INACTIVE')
      scope.done()
    })

    it('--verify verifies right after creating', async () => {
      const scope = nock(ORG)
        .post('/api/v1/eventHooks', sentBody(expectedBody()))
        .reply(200, created())
        .post(`/api/v1/eventHooks/${ID}/lifecycle/verify`)
        .reply(200, created({verificationStatus: 'VERIFIED'}))
      const result = await runCommand(Create, [...BASE, '--auth-secret-env', 'HOOK_SECRET', '--verify'], {env})
      expect(result.exitCode).to.equal(0)
      expect(result.stdout).to.contain(`Created event hook "User sync" (${ID}): ACTIVE, VERIFIED.`)
      expect(result.stdout).not.to.contain('Next:')
      expect((result.result as any).verified).to.equal(true)
      scope.done()
    })

    it("a failed --verify exits 5 with Okta's causes, what the endpoint must do, and the id of the hook that stays", async () => {
      const scope = nock(ORG)
        .post('/api/v1/eventHooks', sentBody(expectedBody()))
        .reply(200, created())
        .post(`/api/v1/eventHooks/${ID}/lifecycle/verify`)
        .reply(400, VERIFY_FAILED)
      const result = await runCommand(Create, [...BASE, '--auth-secret-env', 'HOOK_SECRET', '--verify'], {env})
      expect(result.exitCode).to.equal(5)
      expect(result.stderr).to.contain(
        `Created event hook "User sync" (${ID}), but Okta could not verify it. The hook stays created`,
      )
      expect(result.stderr).to.contain('  - Unable to verify event hook. Hook User sync execution failed')
      expect(result.stderr)
        .to.contain('X-Okta-Verification-Challenge')
        .and.contain('{"verification": "<the challenge value>"}')
      expect(result.stderr).to.contain(`okta-hooks verify ${ID}`)
      expectNoSecret(result)
      scope.done()
    })

    it('a failed --verify under --json is a JSON error with the hook id', async () => {
      const scope = nock(ORG)
        .post('/api/v1/eventHooks', sentBody(expectedBody()))
        .reply(200, created())
        .post(`/api/v1/eventHooks/${ID}/lifecycle/verify`)
        .reply(400, VERIFY_FAILED)
        .get('/api/v1/logs')
        .query(true)
        .times(3)
        .reply(200, [])
      const result = await runCommand(Create, [...BASE, '--auth-secret-env', 'HOOK_SECRET', '--verify', '--json'], {
        env,
      })
      expect(result.exitCode).to.equal(5)
      expect(result.json.error).to.deep.include({code: 'VERIFICATION_FAILED', exitCode: 5})
      expect(result.json.error.details).to.include({created: true, hookId: ID})
      expect(result.json.error.causes).to.deep.equal(['Unable to verify event hook. Hook User sync execution failed'])
      scope.done()
    })

    it("Okta's own 400 on create is exit 2 with its causes", async () => {
      const scope = nock(ORG)
        .post('/api/v1/eventHooks', sentBody(expectedBody()))
        .reply(400, {
          errorCauses: [{errorSummary: 'channel.config.uri: The URI is not reachable'}],
          errorCode: 'E0000001',
          errorSummary: 'Api validation failed: eventHook',
        })
      const result = await runCommand(Create, [...BASE, '--auth-secret-env', 'HOOK_SECRET'], {env})
      expect(result.exitCode).to.equal(2)
      expect(result.stderr).to.contain('Api validation failed: eventHook').and.contain('The URI is not reachable')
      scope.done()
    })

    it('a 403 is exit 3', async () => {
      const scope = nock(ORG)
        .post('/api/v1/eventHooks', sentBody(expectedBody()))
        .reply(403, {errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action'})
      const result = await runCommand(Create, [...BASE, '--auth-secret-env', 'HOOK_SECRET'], {env})
      expect(result.exitCode).to.equal(3)
      scope.done()
    })
  })

  describe('--if-not-exists', () => {
    it('a hook with that exact name exists: reports it, changes nothing, exit 0', async () => {
      const scope = nock(ORG)
        .get('/api/v1/eventHooks')
        .reply(200, contractReply([hookFixture({name: 'user sync', id: 'who2other1'}), hookFixture()]))
      const result = await runCommand(
        Create,
        [...BASE, '--auth-secret-env', 'HOOK_SECRET', '--if-not-exists', '--json'],
        {env},
      )
      expect(result.exitCode).to.equal(0)
      expect(result.json).to.deep.include({created: false, existed: true})
      expect(result.json.hook.id).to.equal(ID)
      // the existing hook listens to more events than asked for: said on stderr, nothing changed
      expect(result.stderr)
        .to.contain("Warning: the existing hook's event types differ")
        .and.contain(`okta-hooks update ${ID}`)
      scope.done()
    })

    it('says so in words without --json', async () => {
      const scope = nock(ORG)
        .get('/api/v1/eventHooks')
        .reply(200, contractReply([hookFixture({events: {items: ['user.lifecycle.create'], type: 'EVENT_TYPE'}})]))
      const result = await runCommand(Create, [...BASE, '--if-not-exists'], {env})
      expect(result.exitCode).to.equal(0)
      expect(result.stdout).to.contain(
        `An event hook named "User sync" already exists (${ID}, ACTIVE, VERIFIED); nothing changed.`,
      )
      expect(result.stderr).to.equal('')
      scope.done()
    })

    it('no hook with that name: creates it', async () => {
      const scope = nock(ORG)
        .get('/api/v1/eventHooks')
        .reply(200, contractReply([hookFixture({name: 'User sync (old)', id: 'who2other1'})]))
        .post('/api/v1/eventHooks', sentBody(expectedBody()))
        .reply(200, created())
      const result = await runCommand(
        Create,
        [...BASE, '--auth-secret-env', 'HOOK_SECRET', '--if-not-exists', '--json'],
        {env},
      )
      expect(result.exitCode).to.equal(0)
      expect(result.json.created).to.equal(true)
      scope.done()
    })
  })

  describe('--filter checked offline, Identity Engine warnings', () => {
    const dryRun = [...BASE, '--auth-secret-env', 'HOOK_SECRET', '--dry-run']

    it('an unknown field is exit 2 before any call: the position, a caret under it, the fix', async () => {
      const result = await runCommand(Create, [...dryRun, '--filter', "user.lifecycle.create=event.actr.id eq 'x'"], {
        env,
      })
      expect(result.exitCode, result.stderr).to.equal(2)
      expect(result.stderr).to.contain('--filter user.lifecycle.create: unknown field event.actr.id at column 7')
      expect(result.stderr).to.contain('did you mean event.actor.id?')
      expect(result.stderr).to.contain("    event.actr.id eq 'x'\n          ^^^^")
      expect(result.stderr).to.contain('okta-hooks filter test')
      expect(result.stdout).to.equal('')
    })

    it('--json: the error names the code, the expression and the problem with its offset', async () => {
      const result = await runCommand(
        Create,
        [...dryRun, '--json', '--filter', "user.lifecycle.create=event.outcome.result eq 'SUCCESS' &&"],
        {env},
      )
      expect(result.exitCode).to.equal(2)
      expect(result.json.error.code).to.equal('INVALID_FILTER')
      expect(result.json.error.message).to.match(
        /^--filter user\.lifecycle\.create: .* the expression ends at column 37/,
      )
      expect(result.json.error.details.filter).to.deep.include({expression: "event.outcome.result eq 'SUCCESS' &&"})
      expect(result.json.error.details.filter.problem).to.deep.include({code: 'syntax', column: 37, offset: 36})
    })

    it('what Okta may accept (an operator its filter docs never use) points at --no-filter-check', async () => {
      const filter = "user.lifecycle.create=event.actor.alternateId matches '.*@example.com'"
      const refused = await runCommand(Create, [...dryRun, '--filter', filter], {env})
      expect(refused.exitCode).to.equal(2)
      expect(refused.stderr).to.contain('unsupported operator matches at column 25')
      expect(refused.stderr).to.contain('pass --no-filter-check to send the filter to Okta as written')
    })

    it('--no-filter-check sends the expression as written, with a warning', async () => {
      const expression = "event.actor.alternateId matches '.*@example.com'"
      const result = await runCommand(
        Create,
        [...dryRun, '--json', '--no-filter-check', '--filter', `user.lifecycle.create=${expression}`],
        {env},
      )
      expect(result.exitCode, result.stderr).to.equal(0)
      expect(result.json.request.body.events.filter.eventFilterMap).to.deep.equal([
        {condition: {expression, version: null}, event: 'user.lifecycle.create'},
      ])
      expect(result.stderr).to.contain('--filter user.lifecycle.create is sent as written (--no-filter-check)')
      expect(result.stderr).to.contain('unsupported operator matches at column 25')
    })

    it('warns about an event type Identity Engine orgs never trigger, and still creates the hook', async () => {
      const result = await runCommand(
        Create,
        ['--name', 'A', '--url', URL_, '--event', 'user.credential.enroll,user.lifecycle.create', '--dry-run'],
        {env},
      )
      expect(result.exitCode, result.stderr).to.equal(0)
      expect(result.stderr).to.contain('user.credential.enroll is not triggered in Identity Engine orgs')
      expect(result.stderr).to.contain("Device Trust isn't supported in Identity Engine")
      expect(result.stderr).not.to.contain('user.lifecycle.create is not triggered')
    })
  })

  describe('--dry-run', () => {
    it('prints the exact body with the secret masked and calls nothing (no credentials needed)', async () => {
      // No nock scope, and test/setup.ts disables net connect: any call to Okta would fail the command.
      const result = await runCommand(
        Create,
        [
          ...BASE,
          '--auth-secret-env',
          'HOOK_SECRET',
          '--header',
          'X-Api-Key: k3y-value-123',
          '--header',
          'X-Team: identity',
          '--dry-run',
        ],
        {
          env: {HOOK_SECRET: SECRET},
        },
      )
      expect(result.error).to.equal(undefined)
      expect(result.exitCode).to.equal(0)
      expect(result.stdout).to.contain('Dry run: would send POST /api/v1/eventHooks')
      expect(result.stdout).to.contain('"value": "****"').and.contain('"value": "identity"')
      expect(result.stdout).not.to.contain('k3y-value-123')
      expect(result.stderr).to.contain('Warning: --header X-Api-Key looks like a secret')
      expectNoSecret(result)
      expect(nock.pendingMocks()).to.deep.equal([])
    })

    it('--json gives {dryRun, request: {method, path, body}}', async () => {
      const result = await runCommand(
        Create,
        [...BASE, '--auth-secret-env', 'HOOK_SECRET', '--dry-run', '--json', '--if-not-exists'],
        {env: {HOOK_SECRET: SECRET}},
      )
      expect(result.exitCode).to.equal(0)
      expect(result.json).to.deep.equal({
        created: false,
        dryRun: true,
        request: {
          method: 'POST',
          path: '/api/v1/eventHooks',
          body: expectedBody({}, {authScheme: {type: 'HEADER', key: 'Authorization', value: '****'}}),
        },
      })
    })

    it('http on a loopback host is accepted with a warning that a real org refuses it', async () => {
      const result = await runCommand(
        Create,
        [
          '--name',
          'Local',
          '--url',
          'http://127.0.0.1:8080/hook',
          '--event',
          'user.lifecycle.create',
          '--dry-run',
          '--json',
        ],
        {},
      )
      expect(result.exitCode).to.equal(0)
      expect(result.json.request.body.channel.config.uri).to.equal('http://127.0.0.1:8080/hook')
      expect(result.stderr)
        .to.contain('Warning: --url uses plain http on a loopback host')
        .and.contain('a real Okta org refuses')
    })

    it('--allow-unknown-events lets a type newer than the catalog through', async () => {
      const result = await runCommand(
        Create,
        [
          '--name',
          'New',
          '--url',
          URL_,
          '--event',
          'brand.new.event_type',
          '--allow-unknown-events',
          '--dry-run',
          '--json',
        ],
        {},
      )
      expect(result.exitCode).to.equal(0)
      expect(result.json.request.body.events.items).to.deep.equal(['brand.new.event_type'])
    })
  })

  describe('invalid input: exit 2 with a helpful message, nothing sent', () => {
    const cases: [string, string[], RegExp][] = [
      [
        'an http URL off loopback',
        ['--name', 'A', '--url', 'http://hooks.example.com/x', '--event', 'user.lifecycle.create'],
        /--url http:\/\/hooks\.example\.com\/x must use https:\/\//,
      ],
      [
        'a URL with whitespace',
        ['--name', 'A', '--url', 'https://hooks.example.com/a b', '--event', 'user.lifecycle.create'],
        /must not contain whitespace/,
      ],
      [
        'a URL over 1024 characters',
        ['--name', 'A', '--url', `https://hooks.example.com/${'a'.repeat(1000)}`, '--event', 'user.lifecycle.create'],
        /Okta allows at most 1024/,
      ],
      [
        'a name over 255 characters',
        ['--name', 'n'.repeat(256), '--url', URL_, '--event', 'user.lifecycle.create'],
        /--name is 256 characters long; Okta allows at most 255/,
      ],
      [
        'a mistyped event',
        ['--name', 'A', '--url', URL_, '--event', 'user.lifecycle.craete'],
        /Did you mean user\.lifecycle\.create/,
      ],
      [
        'an ineligible event',
        ['--name', 'A', '--url', URL_, '--event', 'event_hook.created'],
        /Okta does not deliver it to event hooks/,
      ],
      [
        'a reserved header',
        ['--name', 'A', '--url', URL_, '--event', 'user.lifecycle.create', '--header', 'Content-Type: text/plain'],
        /--header "Content-Type" is refused: Content-Type is set by Okta/,
      ],
      [
        'a reserved header, any case',
        ['--name', 'A', '--url', URL_, '--event', 'user.lifecycle.create', '--header', 'user-agent: x'],
        /"user-agent" is refused/,
      ],
      [
        'an X-Okta-* header',
        ['--name', 'A', '--url', URL_, '--event', 'user.lifecycle.create', '--header', 'X-Okta-Thing: x'],
        /X-Okta-\* headers are reserved/,
      ],
      [
        'the auth header as a custom header',
        [
          '--name',
          'A',
          '--url',
          URL_,
          '--event',
          'user.lifecycle.create',
          '--auth-secret-env',
          'HOOK_SECRET',
          '--header',
          'authorization: x',
        ],
        /is the auth header/,
      ],
      [
        'a duplicate header',
        [
          '--name',
          'A',
          '--url',
          URL_,
          '--event',
          'user.lifecycle.create',
          '--header',
          'X-Team: a',
          '--header',
          'x-team: b',
        ],
        /--header x-team is given more than once/,
      ],
      [
        'a header without a colon',
        ['--name', 'A', '--url', URL_, '--event', 'user.lifecycle.create', '--header', 'X-Team'],
        /not in the form "Name: value"/,
      ],
      [
        'a filter without "="',
        ['--name', 'A', '--url', URL_, '--event', 'user.lifecycle.create', '--filter', 'user.lifecycle.create'],
        /not in the form "EVENT_TYPE=EXPRESSION"/,
      ],
      [
        'a filter on an event the hook lacks',
        [
          '--name',
          'A',
          '--url',
          URL_,
          '--event',
          'user.lifecycle.create',
          '--filter',
          "user.lifecycle.activate=event.actor.type eq 'User'",
        ],
        /a filter must name one of the hook's event types/,
      ],
      [
        'two filters on one event',
        [
          '--name',
          'A',
          '--url',
          URL_,
          '--event',
          'user.lifecycle.create',
          '--filter',
          "user.lifecycle.create=event.actor.id eq 'a'",
          '--filter',
          "user.lifecycle.create=event.actor.id eq 'c'",
        ],
        /one filter per event type/,
      ],
      [
        'an unset secret variable',
        ['--name', 'A', '--url', URL_, '--event', 'user.lifecycle.create', '--auth-secret-env', 'NOT_SET_ANYWHERE'],
        /NOT_SET_ANYWHERE: that environment variable is not set/,
      ],
      [
        '--auth-header without a secret and no terminal',
        ['--name', 'A', '--url', URL_, '--event', 'user.lifecycle.create', '--auth-header', 'X-Key'],
        /The X-Key header needs a secret value/,
      ],
    ]
    for (const [what, argv, message] of cases) {
      it(what, async () => {
        const result = await runCommand(Create, argv, {env})
        expect(result.exitCode, result.stderr).to.equal(2)
        expect(result.stderr).to.match(message)
        expect(result.stdout).to.equal('')
      })
    }

    it('no TTY and no --name: fails at once naming --name', async () => {
      const result = await runCommand(Create, ['--url', URL_, '--event', 'user.lifecycle.create'], {env})
      expect(result.exitCode).to.equal(2)
      expect(result.stderr).to.contain('Missing --name')
      expect(result.stderr).to.contain('okta-hooks asks only when a person is at a terminal')
    })

    it('--json and nothing given: a JSON error naming every missing flag', async () => {
      ;(BaseCommand.prototype as any).canPrompt = function () {
        return !this.flags.json // a TTY, but --json forbids prompts
      }

      const result = await runCommand(Create, ['--json'], {env})
      expect(result.exitCode).to.equal(2)
      expect(result.json.error.message).to.equal(
        'Missing --name, --url, --event: the hook needs a name, an https URL and at least one event type.',
      )
    })

    it('CI set: no prompt either', async () => {
      const result = await runCommand(Create, ['--name', 'A'], {env: {...env, CI: 'true'}})
      expect(result.exitCode).to.equal(2)
      expect(result.stderr).to.contain('Missing --url, --event')
    })
  })

  describe('at a terminal', () => {
    it('asks for name, URL, events (search until done), auth header and custom headers', async () => {
      ;(BaseCommand.prototype as any).canPrompt = () => true
      const inputs = ['User sync', URL_, 'X-Hook-Key', 'X-Team: identity', '']
      const asked: string[] = []
      prompter.input = async (message) => {
        asked.push(message)
        return inputs.shift()!
      }

      const picks = ['user.lifecycle.create', 'user.lifecycle.activate']
      prompter.search = async <T>(
        message: string,
        source: (term: string | undefined) => {name: string; value: T}[],
      ) => {
        asked.push(message)
        const pick = picks.shift()
        if (pick) {
          const choice = source('user lifecycle').find((c) => c.value === (pick as unknown))
          expect(choice, pick).not.to.equal(undefined)
          return choice!.value
        }

        const done = source(undefined)[0]
        expect(done.name).to.equal('Done (user.lifecycle.create, user.lifecycle.activate)')
        return done.value
      }

      prompter.confirm = async (message) => {
        asked.push(message)
        return true
      }

      prompter.password = async (message) => {
        asked.push(message)
        return SECRET
      }

      const body = {
        name: 'User sync',
        events: {type: 'EVENT_TYPE', items: ['user.lifecycle.create', 'user.lifecycle.activate']},
        channel: {
          type: 'HTTP',
          version: '1.0.0',
          config: {
            uri: URL_,
            headers: [{key: 'X-Team', value: 'identity'}],
            authScheme: {type: 'HEADER', key: 'X-Hook-Key', value: SECRET},
          },
        },
      }
      const scope = nock(ORG).post('/api/v1/eventHooks', sentBody(body)).reply(200, created())
      const result = await runCommand(Create, [], {env: orgEnv})
      expect(result.error).to.equal(undefined)
      expect(result.exitCode).to.equal(0)
      expect(asked).to.deep.equal([
        'Name of the event hook',
        'URL Okta delivers events to (https://...)',
        'Event type to subscribe to (type to search)',
        'Another event type (1 chosen), or done',
        'Another event type (2 chosen), or done',
        'Add an auth header that Okta sends with every delivery (recommended)?',
        'Auth header name',
        'Value of the X-Hook-Key header (hidden)',
        'Custom header "Name: value" (empty to finish)',
        'Custom header "Name: value" (empty to finish)',
      ])
      expectNoSecret(result)
      scope.done()
    })

    it('asks only for what is missing (auth came as flags), and the hidden secret for --auth-header', async () => {
      ;(BaseCommand.prototype as any).canPrompt = () => true
      const asked: string[] = []
      const inputs = ['User sync', '']
      prompter.input = async (message) => {
        asked.push(message)
        return inputs.shift()!
      }

      prompter.password = async (message) => {
        asked.push(message)
        return SECRET
      }

      prompter.confirm = async () => {
        throw new Error('auth was given as flags: no question about it')
      }

      prompter.search = async () => {
        throw new Error('events were given')
      }

      const scope = nock(ORG).post('/api/v1/eventHooks', sentBody(expectedBody())).reply(200, created())
      const result = await runCommand(
        Create,
        ['--url', URL_, '--event', 'user.lifecycle.create', '--auth-header', 'Authorization'],
        {env: orgEnv},
      )
      expect(result.error).to.equal(undefined)
      expect(result.exitCode).to.equal(0)
      expect(asked).to.deep.equal([
        'Name of the event hook',
        'Value of the Authorization header (hidden)',
        'Custom header "Name: value" (empty to finish)',
      ])
      scope.done()
    })

    it('the prompts validate like the flags do', async () => {
      ;(BaseCommand.prototype as any).canPrompt = () => true
      const validations: (string | true)[] = []
      prompter.input = async (message, options) => {
        validations.push(options?.validate?.('http://hooks.example.com') ?? true, options?.validate?.('') ?? true)
        throw Object.assign(new Error('User force closed the prompt'), {name: 'ExitPromptError'})
      }

      const result = await runCommand(Create, ['--name', 'A', '--event', 'user.lifecycle.create'], {env: orgEnv})
      expect(result.exitCode).to.equal(2)
      expect(result.stderr).to.contain('Cancelled.')
      expect(validations[0]).to.match(/must use https:\/\//)
      expect(validations[1]).to.match(/is not a valid URL/)
    })
  })
})
