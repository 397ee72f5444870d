import {expect} from 'chai'

import {hookFilterSelection, listedSelection, routedSelection} from '../../../src/lib/replay/selection.js'
import type {RawLogEvent} from '../../../src/lib/syslog/raw-events.js'
import {
  FILTERED_HOOK_ID,
  filteredHook,
  MEMBERSHIP,
  membershipEvent,
  OTHER_HOOK_ID,
  uuidFor,
} from '../../fixtures/syslog/routed-events.js'
import {refusal} from '../../helpers/refusal.js'

const SINCE = '2026-11-20T00:00:00.000Z'
const raw = (event: Record<string, unknown>): RawLogEvent => ({json: JSON.stringify(event), uuid: String(event.uuid)})
const sales = raw(membershipEvent(0, SINCE, {group: 'Sales'}))
const support = raw(membershipEvent(1, SINCE, {group: 'Support'}))

describe('replay/selection', () => {
  it("the hook's filter: Sales passes, Support is skipped by filter; the key names the filters", () => {
    const selection = hookFilterSelection(filteredHook('https://h.example'), [MEMBERSHIP])!
    expect(selection.exclude(sales)).to.equal(undefined)
    expect(selection.exclude(support)).to.equal('skippedByFilter')
    expect(selection.key).to.match(/^filters:[0-9a-f]{40}$/)
    const other = hookFilterSelection(filteredHook('https://h.example', "event.outcome.result eq 'SUCCESS'"), [
      MEMBERSHIP,
    ])!
    expect(other.key).to.not.equal(selection.key)
  })

  it('no filter for the types replayed: no selection (every event goes, as before filters existed)', () => {
    expect(hookFilterSelection(filteredHook('https://h.example'), ['user.lifecycle.create'])).to.equal(undefined)
    const plain = {...filteredHook('https://h.example'), events: {items: [MEMBERSHIP], type: 'EVENT_TYPE' as const}}
    expect(hookFilterSelection(plain, [MEMBERSHIP])).to.equal(undefined)
  })

  it('a filter the engine cannot evaluate is refused (exit 2), naming --ignore-filters and --routed-only', () => {
    const hook = filteredHook('https://h.example', "event.actor.id matches '00u.*'")
    const error = refusal(() => hookFilterSelection(hook, [MEMBERSHIP]))
    expect(error.exitCode).to.equal(2)
    expect(error.message).to.contain(`The hook's filter for ${MEMBERSHIP} cannot be evaluated here`)
    expect(error.suggestions.join(' ')).to.contain('--ignore-filters').and.contain('--routed-only')
  })

  it("--routed-only: what targetEventHookIds name; other hooks' events are not routed; no record, not sent", () => {
    const selection = routedSelection(FILTERED_HOOK_ID)
    const routed = raw(membershipEvent(2, SINCE, {group: 'Support', routedTo: [OTHER_HOOK_ID, FILTERED_HOOK_ID]}))
    const elsewhere = raw(membershipEvent(3, SINCE, {group: 'Sales', routedTo: [OTHER_HOOK_ID]}))
    const empty = raw(membershipEvent(4, SINCE, {group: 'Sales', routedTo: []}))
    expect(selection.exclude(routed)).to.equal(undefined)
    expect(selection.exclude(elsewhere)).to.equal('notRouted')
    expect(selection.exclude(empty)).to.equal('notRouted')
    expect(selection.exclude(sales)).to.equal('withoutRouting')
    expect(selection.key).to.equal(`routed:${FILTERED_HOOK_ID}`)
  })

  it('a list: only its uuids, under the key given (a shorter list on resume keeps the key)', () => {
    const selection = listedSelection([uuidFor(1)], 'reconcile:who1')
    expect(selection.exclude(support)).to.equal(undefined)
    expect(selection.exclude(sales)).to.equal('notListed')
    expect(selection.exclude({json: '{}'})).to.equal('notListed')
    expect(selection.key).to.equal(listedSelection([], 'reconcile:who1').key)
  })
})
