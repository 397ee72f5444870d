import {expect} from 'chai'

import type {LogEvent} from '../../../src/lib/delivery/envelope.js'
import {sampleEvent} from '../../../src/lib/delivery/sample-events.js'
import type {EventHook} from '../../../src/lib/hooks/types.js'
import {routeEvent, routesTo, unevaluableFilters} from '../../../src/lib/sandbox/routing.js'
import {SandboxOrg} from '../../../src/lib/sandbox/sandbox-org.js'
import {hookBody, okReceiver, startReceiver, startSandbox, stopAll, type TestSandbox} from '../../helpers/sandbox.js'

const SALES = "event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size() > 0"
const ADD = 'group.user_membership.add'

function hook(id: string, overrides: Partial<EventHook> = {}, filters: Record<string, string> = {}): EventHook {
  const entries = Object.entries(filters).map(([event, expression]) => ({
    condition: {expression, version: null},
    event,
  }))
  return {
    channel: {config: {headers: [], method: 'POST', uri: 'https://example.com/hook'}, type: 'HTTP', version: '1.0.0'},
    created: '2026-08-01T00:00:00.000Z',
    createdBy: '00uadmin',
    description: null,
    events: {
      ...(entries.length > 0 ? {filter: {eventFilterMap: entries, type: 'EXPRESSION_LANGUAGE' as const}} : {}),
      items: [ADD, 'user.lifecycle.create'],
      type: 'EVENT_TYPE',
    },
    id,
    lastUpdated: '2026-08-01T00:00:00.000Z',
    name: `Hook ${id}`,
    status: 'ACTIVE',
    verificationStatus: 'VERIFIED',
    ...overrides,
  }
}

const groupEvent = (group: string): LogEvent =>
  sampleEvent(ADD, {target: {displayName: group, id: '00g' + group.padEnd(17, '0'), type: 'UserGroup'}})
const hookIdsOf = (event: LogEvent) => (event.debugContext as any)?.debugData?.targetEventHookIds

describe('sandbox/routing: which hooks Okta routes an event to', () => {
  const cases: [string, EventHook, LogEvent, boolean][] = [
    ['active, verified, subscribed, no filter', hook('who1'), groupEvent('Support'), true],
    ['inactive', hook('who1', {status: 'INACTIVE'}), groupEvent('Sales'), false],
    ['unverified', hook('who1', {verificationStatus: 'UNVERIFIED'}), groupEvent('Sales'), false],
    ['not subscribed to the type', hook('who1'), sampleEvent('user.session.start'), false],
    ['filter passes', hook('who1', {}, {[ADD]: SALES}), groupEvent('Sales'), true],
    ['filter fails', hook('who1', {}, {[ADD]: SALES}), groupEvent('Support'), false],
    ['filter case-sensitive (SpEL)', hook('who1', {}, {[ADD]: SALES}), groupEvent('sales'), false],
    [
      'a type without a filter is not filtered',
      hook('who1', {}, {[ADD]: SALES}),
      sampleEvent('user.lifecycle.create'),
      true,
    ],
    [
      'an unevaluable filter routes nothing',
      hook('who1', {}, {[ADD]: 'event.published eq 1'}),
      groupEvent('Sales'),
      false,
    ],
  ]
  for (const [name, target, event, routed] of cases) {
    it(`${routed ? 'routes' : 'does not route'}: ${name}`, () => {
      expect(routesTo(target, event)).to.equal(routed)
    })
  }

  it('records the routed ids comma-separated, in hook order, and leaves the field absent when none', () => {
    const hooks = [hook('whoA', {}, {[ADD]: SALES}), hook('whoB'), hook('whoC', {status: 'INACTIVE'})]
    const sales = groupEvent('Sales')
    expect(routeEvent(hooks, sales).map((h) => h.id)).to.deep.equal(['whoA', 'whoB'])
    expect(hookIdsOf(sales)).to.equal('whoA,whoB')
    const support = groupEvent('Support')
    routeEvent(hooks, support)
    expect(hookIdsOf(support)).to.equal('whoB')
    const nobody = sampleEvent('user.session.start')
    expect(routeEvent(hooks, nobody)).to.deep.equal([])
    expect((nobody.debugContext as any)?.debugData ?? {}).to.not.have.property('targetEventHookIds')
  })

  it('names every stored filter it cannot evaluate, and the org reports them for `sandbox start`', () => {
    const bad = hook('whoBad', {}, {[ADD]: "event.actor.id.matches('x')"})
    const problems = unevaluableFilters([bad, hook('whoOk', {}, {[ADD]: SALES})])
    expect(problems.map(({event, hookId, hookName}) => [event, hookId, hookName])).to.deep.equal([
      [ADD, 'whoBad', 'Hook whoBad'],
    ])
    expect(problems[0].message).to.match(/matches.* at column \d+/)
    const org = new SandboxOrg({state: {adminUserId: '00uadmin', events: [], hooks: [bad]} as any})
    expect(org.routingProblems().map((p) => p.hookId)).to.deep.equal(['whoBad'])
  })
})

describe('sandbox: deliveries honour filters (HTTP)', () => {
  let t: TestSandbox
  afterEach(stopAll)

  it('delivers only the events whose filter passes, and targetEventHookIds names the hook only on those', async () => {
    t = await startSandbox()
    const receiver = await startReceiver(okReceiver)
    const filter = {eventFilterMap: [{condition: {expression: SALES}, event: ADD}], type: 'EXPRESSION_LANGUAGE'}
    const body = hookBody(receiver.url, {events: {filter, items: [ADD], type: 'EVENT_TYPE'}, name: 'Sales only'})
    const {body: created} = await t.api('POST', '/api/v1/eventHooks', body)
    expect((await t.api('POST', `/api/v1/eventHooks/${created.id}/lifecycle/verify`)).status).to.equal(200)
    receiver.requests.length = 0
    const emitted: Record<string, any> = {}
    for (const group of ['Sales', 'Support']) {
      const target = {displayName: group, type: 'UserGroup'}
      const response = await t.api('POST', '/__sandbox/events', {eventType: ADD, target})
      emitted[group] = response.body.events[0]
    }

    expect(emitted.Sales.targetEventHookIds).to.deep.equal([created.id])
    expect(emitted.Support.targetEventHookIds).to.deep.equal([])
    await t.sandbox.idle()
    const delivered = receiver.requests.flatMap((request) => request.json.data.events)
    expect(delivered.map((event: any) => event.uuid)).to.deep.equal([emitted.Sales.uuid])
    expect(delivered[0].debugContext.debugData.targetEventHookIds).to.equal(created.id)
    const logged = await t.api('GET', `/api/v1/logs?filter=${encodeURIComponent(`eventType eq "${ADD}"`)}`)
    expect(logged.body.map((event: any) => event.debugContext.debugData.targetEventHookIds)).to.deep.equal([
      created.id,
      undefined,
    ])
  })

  it('refuses a filter the engine cannot evaluate with 400 E0000001, naming the type and the problem', async () => {
    t = await startSandbox()
    const cases: [string, RegExp][] = [
      ["event.target.?[type eq 'UserGroup'", /the condition for group\.user_membership\.add is not a valid/],
      ["event.actr.id eq 'x'", /event\.actr\.id.*at column/],
      ["event.eventType eq 'x' ? true : false", /not a valid event hook filter/],
    ]
    for (const [expression, cause] of cases) {
      const filter = {eventFilterMap: [{condition: {expression}, event: ADD}], type: 'EXPRESSION_LANGUAGE'}
      const body = hookBody('https://example.com/hook', {events: {filter, items: [ADD], type: 'EVENT_TYPE'}})
      const response = await t.api('POST', '/api/v1/eventHooks', body)
      expect([response.status, response.body.errorCode, response.body.errorSummary], expression).to.deep.equal([
        400,
        'E0000001',
        'Api validation failed: eventHook',
      ])
      expect(response.body.errorCauses.map((c: any) => c.errorSummary).join('\n'), expression).to.match(cause)
    }

    expect((await t.api('GET', '/api/v1/eventHooks')).body).to.deep.equal([])
  })

  it('answers "filter": null for a hook without a filter, as Okta\'s examples do, on every hook route', async () => {
    t = await startSandbox()
    const created = await t.api('POST', '/api/v1/eventHooks', hookBody('https://example.com/hook'))
    const id = created.body.id
    const answers = [
      created.body,
      (await t.api('GET', `/api/v1/eventHooks/${id}`)).body,
      (await t.api('GET', '/api/v1/eventHooks')).body[0],
      (await t.api('PUT', `/api/v1/eventHooks/${id}`, hookBody('https://example.com/hook'))).body,
      (await t.api('POST', `/api/v1/eventHooks/${id}/lifecycle/deactivate`)).body,
    ]
    for (const answer of answers) expect(answer.events).to.have.property('filter', null)
    expect(t.sandbox.org.find(id).events).to.not.have.property('filter')
  })
})
