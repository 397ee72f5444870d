import {expect} from 'chai'

import {assertSchema, matchesStrictly, officialSample} from '../../helpers/sandbox-schemas.js'
import {hookBody, startReceiver, startSandbox, stopAll, type TestSandbox} from '../../helpers/sandbox.js'

const causesOf = (body: any): string[] => body.errorCauses.map((cause: any) => cause.errorSummary)

describe('sandbox: Event Hooks API', () => {
  let t: TestSandbox
  beforeEach(async () => {
    t = await startSandbox()
  })
  afterEach(stopAll)

  it('the schema helper accepts the official samples and rejects a broken hook', () => {
    assertSchema('EventHook[]', officialSample('RetrieveAllEventHooks.json'))
    assertSchema('EventHook', officialSample('CreateAnEventHookWithFilter.json'))
    // Okta's own System Log samples break their spec (nulls, a numeric postalCode): hence the null rule for LogEvents.
    expect(matchesStrictly('LogEvent[]', officialSample('ListLogs.json'))).to.equal(false)
    expect(() => assertSchema('EventHook', {channel: {}, events: {items: 'x', type: 'EVENT_TYPE'}, name: 1})).to.throw(
      /official EventHook schema/,
    )
  })

  it("create answers 200 with an ACTIVE, UNVERIFIED hook, Okta's fields and links, and never the secret", async () => {
    const {body, headers, status} = await t.api(
      'POST',
      '/api/v1/eventHooks',
      hookBody('https://hooks.example.com/okta'),
    )
    expect(status).to.equal(200)
    expect(matchesStrictly('EventHook', body)).to.equal(true)
    expect(body.id).to.match(/^who[A-Za-z0-9]{17}$/)
    expect(body).to.include({name: 'Test hook', status: 'ACTIVE', verificationStatus: 'UNVERIFIED'})
    expect(body.createdBy).to.match(/^00u/)
    expect(Date.parse(body.created)).to.be.closeTo(Date.now(), 5000)
    expect(body.lastUpdated).to.equal(body.created)
    expect(body.channel.config).to.deep.equal({
      authScheme: {key: 'Authorization', type: 'HEADER'},
      headers: [{key: 'X-Other-Header', value: 'other-value'}],
      method: 'POST',
      uri: 'https://hooks.example.com/okta',
    })
    expect(JSON.stringify(body)).not.to.contain('hook-secret-value')
    expect(body._links.self.href).to.equal(`${t.url}/api/v1/eventHooks/${body.id}`)
    expect(body._links.verify.href).to.equal(`${t.url}/api/v1/eventHooks/${body.id}/lifecycle/verify`)
    expect(body._links.deactivate.hints.allow).to.deep.equal(['POST'])
    expect(headers.get('content-type')).to.equal('application/json')
    for (const name of ['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset'])
      expect(headers.get(name)).to.match(/^\d+$/)

    const got = await t.api('GET', `/api/v1/eventHooks/${body.id}`)
    expect(got.body).to.deep.equal(body)
    const list = await t.api('GET', '/api/v1/eventHooks')
    expect(list.body.map((hook: any) => hook.id)).to.deep.equal([body.id])
  })

  it('refuses invalid bodies with 400 E0000001 and one cause per problem', async () => {
    const bad = hookBody('http://hooks.example.com/okta', {
      events: {items: ['event_hook.created', 'no.such.type'], type: 'EVENT_TYPE'},
      name: '',
    })
    bad.channel.config.headers = [{key: 'Accept', value: 'text/plain'}]
    bad.channel.config.authScheme = {key: 'Authorization', type: 'BASIC', value: 'x'}
    const {body, status} = await t.api('POST', '/api/v1/eventHooks', bad)
    expect(status).to.equal(400)
    expect(body.errorCode).to.equal('E0000001')
    expect(body.errorSummary).to.equal('Api validation failed: eventHook')
    expect(body.errorLink).to.equal('E0000001')
    expect(body.errorId).to.match(/^oae/)
    const causes = causesOf(body)
    expect(causes).to.include('name: The field cannot be left blank')
    expect(causes.join('\n')).to.contain('channel.config.uri: The URI must use https://')
    expect(causes).to.include('events.items: Invalid event type for event hooks: event_hook.created')
    expect(causes).to.include('events.items: Invalid event type for event hooks: no.such.type')
    expect(causes).to.include('channel.config.headers: Accept is a reserved header and cannot be set')
    expect(causes).to.include('channel.config.authScheme.type: The only supported type is HEADER')
  })

  it('checks name length, uri length and whitespace, the 300-type cap, empty items and the filter shape', async () => {
    const cases: [Record<string, any>, RegExp][] = [
      [hookBody('https://h.example.com', {name: 'x'.repeat(256)}), /name: The field must be between 1 and 255/],
      [hookBody('https://h.example.com/' + 'a'.repeat(1100)), /at most 1024/],
      [hookBody('https://h.example.com/a b'), /whitespace/],
      [hookBody('https://h.example.com', {events: {items: [], type: 'EVENT_TYPE'}}), /At least one event type/],
      [
        hookBody('https://h.example.com', {
          events: {items: Array.from({length: 301}, () => 'user.lifecycle.create'), type: 'EVENT_TYPE'},
        }),
        /at most 300/,
      ],
      [hookBody('https://h.example.com', {events: {items: ['user.lifecycle.create'], type: 'OTHER'}}), /EVENT_TYPE/],
      [
        hookBody('https://h.example.com', {
          events: {
            filter: {
              eventFilterMap: [{condition: {expression: 'x'}, event: 'group.user_membership.add'}],
              type: 'EXPRESSION_LANGUAGE',
            },
            items: ['user.lifecycle.create'],
            type: 'EVENT_TYPE',
          },
        }),
        /must be one of the hook's event types/,
      ],
    ]
    for (const [body, cause] of cases) {
      const response = await t.api('POST', '/api/v1/eventHooks', body)
      expect(response.status).to.equal(400)
      expect(causesOf(response.body).join('\n')).to.match(cause)
    }

    const noSecret = hookBody('https://h.example.com')
    delete noSecret.channel.config.authScheme.value
    expect(causesOf((await t.api('POST', '/api/v1/eventHooks', noSecret)).body)).to.include(
      'channel.config.authScheme.value: The field cannot be left blank',
    )
  })

  it('accepts loopback http, a filter, and no auth at all', async () => {
    const filter = {
      eventFilterMap: [
        {
          condition: {expression: "event.target.?[type eq 'User'].size()>0", version: null},
          event: 'user.lifecycle.create',
        },
      ],
      type: 'EXPRESSION_LANGUAGE',
    }
    const body = hookBody('http://localhost:9999/okta', {
      description: 'local',
      events: {filter, items: ['user.lifecycle.create'], type: 'EVENT_TYPE'},
    })
    delete body.channel.config.authScheme
    const {body: hook, status} = await t.api('POST', '/api/v1/eventHooks', body)
    expect(status).to.equal(200)
    expect(hook.events.filter).to.deep.equal(filter)
    expect(hook.channel.config).not.to.have.property('authScheme')
    expect(hook.description).to.equal('local')
  })

  it('malformed JSON is 400 E0000003; an unknown id (or one with a malformed %-escape) is 404 E0000007; a bad token is 401 E0000011', async () => {
    const malformed = await t.api('POST', '/api/v1/eventHooks', undefined, {rawBody: '{"name": '})
    expect([malformed.status, malformed.body.errorCode, malformed.body.errorSummary]).to.deep.equal([
      400,
      'E0000003',
      'The request body was not well-formed.',
    ])
    for (const [method, path] of [
      ['GET', '/api/v1/eventHooks/whoNope'],
      ['PUT', '/api/v1/eventHooks/whoNope'],
      ['DELETE', '/api/v1/eventHooks/whoNope'],
      ['POST', '/api/v1/eventHooks/whoNope/lifecycle/activate'],
      ['POST', '/api/v1/eventHooks/whoNope/lifecycle/deactivate'],
      ['POST', '/api/v1/eventHooks/whoNope/lifecycle/verify'],
    ]) {
      const response = await t.api(method, path, method === 'PUT' ? hookBody('https://h.example.com') : undefined)
      expect([response.status, response.body.errorCode, response.body.errorSummary], `${method} ${path}`).to.deep.equal(
        [404, 'E0000007', 'Not found: Resource not found: whoNope (EventHook)'],
      )
    }

    for (const token of [null, 'wrong-token']) {
      const response = await t.api('GET', '/api/v1/eventHooks', undefined, {token})
      expect([response.status, response.body.errorCode, response.body.errorSummary]).to.deep.equal([
        401,
        'E0000011',
        'Invalid token provided',
      ])
      expect(response.headers.get('x-rate-limit-limit')).to.match(/^\d+$/)
    }

    for (const [method, path] of [
      ['GET', '/api/v1/eventHooks/%E0%A4%A'],
      ['DELETE', '/api/v1/eventHooks/%E0%A4%A'],
      ['POST', '/api/v1/eventHooks/%ZZ/lifecycle/activate'],
    ]) {
      const response = await t.api(method, path)
      expect([response.status, response.body.errorCode], `${method} ${path}`).to.deep.equal([404, 'E0000007'])
    }

    const bearer = await fetch(`${t.url}/api/v1/eventHooks`, {headers: {Authorization: `Bearer ${t.sandbox.token}`}})
    expect(bearer.status).to.equal(401)
    expect((await t.api('PATCH', '/api/v1/eventHooks', {})).body.errorCode).to.equal('E0000022')
    expect((await t.api('GET', '/api/v1/users')).status).to.equal(404)
  })

  it('delete is refused while ACTIVE, allowed (204) once INACTIVE, and writes the lifecycle events', async () => {
    const {body: hook} = await t.api('POST', '/api/v1/eventHooks', hookBody('https://h.example.com'))
    const refused = await t.api('DELETE', `/api/v1/eventHooks/${hook.id}`)
    expect(refused.status).to.equal(400)
    expect(refused.body.errorCode).to.equal('E0000001')
    expect(causesOf(refused.body)[0]).to.match(/ACTIVE; deactivate it before deleting it/)
    const deactivated = await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/deactivate`)
    expect(deactivated.body.status).to.equal('INACTIVE')
    expect(deactivated.body._links.activate.href).to.match(/lifecycle\/activate$/)
    const activated = await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/activate`)
    expect(activated.body.status).to.equal('ACTIVE')
    await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/deactivate`)
    const deleted = await t.api('DELETE', `/api/v1/eventHooks/${hook.id}`)
    expect(deleted.status).to.equal(204)
    expect((await t.api('GET', `/api/v1/eventHooks/${hook.id}`)).status).to.equal(404)

    const log = await t.api('GET', `/api/v1/logs?filter=${encodeURIComponent('eventType sw "event_hook"')}`)
    expect(log.body.map((event: any) => event.eventType)).to.deep.equal([
      'event_hook.created',
      'event_hook.deactivated',
      'event_hook.activated',
      'event_hook.deactivated',
      'event_hook.deleted',
    ])
    for (const event of log.body) {
      expect(event.target).to.deep.equal([
        {
          alternateId: 'https://h.example.com',
          detailEntry: null,
          displayName: 'Test hook',
          id: hook.id,
          type: 'EventHook',
        },
      ])
      expect(event.actor.id).to.equal(hook.createdBy)
    }
  })

  it('PUT is a full replace: a changed channel resets verification; the secret is kept only for the same header sent without value', async () => {
    const receiver = await startReceiver()
    const {body: hook} = await t.api('POST', '/api/v1/eventHooks', hookBody(receiver.url))
    expect((await t.api('POST', `/api/v1/eventHooks/${hook.id}/lifecycle/verify`)).body.verificationStatus).to.equal(
      'VERIFIED',
    )

    // Resending what GET returned (no secret, no description): same channel, still verified, secret kept.
    const resent = structuredClone(hook)
    resent.name = 'Renamed'
    const same = await t.api('PUT', `/api/v1/eventHooks/${hook.id}`, resent)
    expect(same.status).to.equal(200)
    expect(same.body).to.include({name: 'Renamed', status: 'ACTIVE', verificationStatus: 'VERIFIED'})
    expect(same.body.id).to.equal(hook.id)
    expect(same.body.created).to.equal(hook.created)
    expect(t.sandbox.org.find(hook.id).channel.config.authScheme?.value).to.equal('hook-secret-value')

    // Full replace: omitted headers are gone, which is a channel change.
    const replaced = structuredClone(resent)
    delete replaced.channel.config.headers
    const changed = await t.api('PUT', `/api/v1/eventHooks/${hook.id}`, replaced)
    expect(changed.body.channel.config.headers).to.deep.equal([])
    expect(changed.body.verificationStatus).to.equal('UNVERIFIED')

    // Another auth header without a value cannot inherit the secret; no authScheme drops auth.
    const otherKey = structuredClone(replaced)
    otherKey.channel.config.authScheme = {key: 'X-Api-Key', type: 'HEADER'}
    expect(causesOf((await t.api('PUT', `/api/v1/eventHooks/${hook.id}`, otherKey)).body)).to.include(
      'channel.config.authScheme.value: The field cannot be left blank',
    )
    const noAuth = structuredClone(replaced)
    delete noAuth.channel.config.authScheme
    expect((await t.api('PUT', `/api/v1/eventHooks/${hook.id}`, noAuth)).body.channel.config).not.to.have.property(
      'authScheme',
    )
    expect(t.sandbox.org.find(hook.id).channel.config.authScheme).to.equal(undefined)

    const updates = await t.api('GET', `/api/v1/logs?filter=${encodeURIComponent('eventType eq "event_hook.updated"')}`)
    expect(updates.body.map((event: any) => event.debugContext.debugData.channelChanged)).to.deep.equal([
      'false',
      'true',
      'true',
    ])
  })

  it('allows at most 25 active and verified hooks', async function () {
    this.timeout(30_000)
    const receiver = await startReceiver()
    const ids: string[] = []
    for (let i = 0; i < 26; i++)
      ids.push((await t.api('POST', '/api/v1/eventHooks', hookBody(receiver.url, {name: `Hook ${i}`}))).body.id)
    for (const id of ids.slice(0, 25))
      expect((await t.api('POST', `/api/v1/eventHooks/${id}/lifecycle/verify`)).status).to.equal(200)
    const refused = await t.api('POST', `/api/v1/eventHooks/${ids[25]}/lifecycle/verify`)
    expect(refused.status).to.equal(400)
    expect(causesOf(refused.body)[0]).to.contain('maximum of 25 active and verified event hooks')

    // An inactive hook can be verified, but not activated while 25 are active and verified.
    await t.api('POST', `/api/v1/eventHooks/${ids[25]}/lifecycle/deactivate`)
    expect((await t.api('POST', `/api/v1/eventHooks/${ids[25]}/lifecycle/verify`)).body).to.include({
      status: 'INACTIVE',
      verificationStatus: 'VERIFIED',
    })
    expect((await t.api('POST', `/api/v1/eventHooks/${ids[25]}/lifecycle/activate`)).status).to.equal(400)
    await t.api('POST', `/api/v1/eventHooks/${ids[0]}/lifecycle/deactivate`)
    expect((await t.api('POST', `/api/v1/eventHooks/${ids[25]}/lifecycle/activate`)).body.status).to.equal('ACTIVE')
  })
})
