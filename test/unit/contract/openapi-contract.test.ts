/**
 * The OpenAPI contract: every EventHook okta-hooks sends or is tested with keeps the EventHook
 * schema of Okta's spec (data/eventhooks-systemlog-openapi-subset.json). Request bodies recorded
 * by `sentBody()` in the command tests are checked as they are sent (a breaking body fails its
 * test); this file checks the fixtures, the samples, what the domain builders produce and what create
 * and update send; test/setup.ts checks once more, after the run, everything recorded in it.
 */
import {readFileSync} from 'node:fs'

import {expect} from 'chai'
import nock from 'nock'

import Create from '../../../src/commands/create.js'
import Update from '../../../src/commands/update.js'
import {buildHookBody} from '../../../src/lib/hooks/hook-builder.js'
import {planUpdate} from '../../../src/lib/hooks/hook-update.js'
import {hookFixture} from '../../fixtures/hooks/index.js'
import {capturedRequests, contractReply, sentBody, validateEventHook} from '../../helpers/contract.js'
import {ORG, orgEnv, runCommand} from '../../helpers/run-command.js'

const sample = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../data/samples/${name}`, import.meta.url), 'utf8'))
const SECRET = 'contract-secret-value-03'

describe('contract: OpenAPI EventHook schema', () => {
  describe('responses', () => {
    it('the hook fixture and its variants', () => {
      for (const hook of [
        hookFixture(),
        hookFixture({description: null, status: 'INACTIVE', verificationStatus: 'UNVERIFIED'}),
        hookFixture({
          channel: {config: {method: 'POST', uri: 'https://h.example.com'}, type: 'HTTP', version: '1.0.0'},
        }),
      ]) {
        expect(validateEventHook(hook, 'response')).to.deep.equal([])
      }
    })

    it('data/samples/RetrieveAllEventHooks.json, every hook', () => {
      const hooks = sample('RetrieveAllEventHooks.json')
      expect(hooks).to.have.length.greaterThan(0)
      for (const hook of hooks) expect(validateEventHook(hook, 'response'), hook.id).to.deep.equal([])
    })

    it('a response never carries the write-only secret, nor unknown fields, nor bad enums', () => {
      const withSecret = hookFixture()
      withSecret.channel.config.authScheme = {key: 'Authorization', type: 'HEADER', value: SECRET}
      expect(validateEventHook(withSecret, 'response')).to.deep.equal([
        '/channel/config/authScheme/value is not allowed in a response (write-only)',
      ])
      expect(validateEventHook({...hookFixture(), status: 'DELETED'}, 'response').join()).to.contain(
        '/status must be equal to one of the allowed values',
      )
      expect(validateEventHook({...hookFixture(), colour: 'red'}, 'response').join()).to.contain(
        'must NOT have additional properties',
      )
    })
  })

  describe('requests', () => {
    it("data/samples/CreateAnEventHookWithFilter.json (Okta's own create example)", () => {
      expect(validateEventHook(sample('CreateAnEventHookWithFilter.json'), 'request')).to.deep.equal([])
    })

    it('refuses server-owned fields and a missing name', () => {
      const errors = validateEventHook(hookFixture(), 'request')
      for (const field of [
        '/id',
        '/status',
        '/verificationStatus',
        '/created',
        '/createdBy',
        '/lastUpdated',
        '/_links',
        '/channel/config/method',
      ]) {
        expect(errors, field).to.include(`${field} is not allowed in a request (server-owned, readOnly)`)
      }

      const {name: _name, ...nameless} = buildHookBody({
        events: ['user.lifecycle.create'],
        name: 'A',
        url: 'https://h.example.com',
      }).body
      expect(validateEventHook(nameless, 'request').join()).to.contain("must have required property 'name'")
    })

    it('every body the builders produce', () => {
      const bodies = [
        buildHookBody({events: ['user.lifecycle.create'], name: 'A', url: 'https://h.example.com'}).body,
        buildHookBody({
          auth: {key: 'Authorization', value: `Basic ${Buffer.from(`u:${SECRET}`).toString('base64')}`},
          description: 'd',
          events: ['group.user_membership.add', 'user.lifecycle.create'],
          filters: ["group.user_membership.add=event.target.?[type eq 'UserGroup'].size()>0"],
          headers: ['X-Team: a', 'X-Env: b'],
          name: 'B',
          url: 'http://127.0.0.1:9000/h',
        }).body,
        planUpdate(hookFixture(), {
          auth: {key: 'Authorization', value: SECRET},
          description: '',
          removeHeaders: ['X-Other-Header'],
        }).body,
        planUpdate(hookFixture(), {removeAuth: true}).body,
        planUpdate(sample('RetrieveAllEventHooks.json')[0], {
          auth: {key: 'authorization', value: SECRET},
          name: 'renamed',
        }).body,
      ]
      for (const body of bodies) expect(validateEventHook(body, 'request'), JSON.stringify(body)).to.deep.equal([])
    })

    it('what create and update send, recorded by sentBody()', async () => {
      const from = capturedRequests().length
      const path = `/api/v1/eventHooks/${hookFixture().id}`
      const env = {...orgEnv, HOOK_SECRET: SECRET}
      const scope = nock(ORG)
        .post('/api/v1/eventHooks', sentBody())
        .reply(200, contractReply(hookFixture()))
        .get(path)
        .reply(200, contractReply(hookFixture()))
        .put(path, sentBody(undefined, 'PUT', path))
        .reply(200, contractReply(hookFixture({name: 'renamed'})))
      const created = await runCommand(
        Create,
        [
          '--name',
          'C',
          '--url',
          'https://h.example.com/x',
          '--event',
          'user.lifecycle.create',
          '--auth-secret-env',
          'HOOK_SECRET',
        ],
        {env},
      )
      const updated = await runCommand(
        Update,
        [hookFixture().id, '--name', 'renamed', '--auth-secret-env', 'HOOK_SECRET'],
        {env},
      )
      expect([created.exitCode, updated.exitCode], created.stderr + updated.stderr).to.deep.equal([0, 0])
      scope.done()
      const recorded = capturedRequests().slice(from)
      expect(recorded.map((r) => [r.method, r.errors])).to.deep.equal([
        ['POST', []],
        ['PUT', []],
      ])
    })
  })
})
