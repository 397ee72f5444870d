import {expect} from 'chai'

import {
  eligibleEventTypes as catalogEligible,
  searchEventTypes as catalogSearch,
} from '../../../../src/lib/catalog/event-types.js'
import {withIdentityEngine} from '../../../../src/lib/catalog/identity-engine.js'
import {eventTypesLegend, renderEventTypes} from '../../../../src/lib/catalog/view.js'
import {displayWidth, type Output} from '../../../../src/lib/io/table.js'

const terminal = (columns: number, extra: Partial<Output> = {}): Output => ({
  color: false,
  columns,
  tty: true,
  wide: false,
  ...extra,
})

const eligibleEventTypes = () => withIdentityEngine(catalogEligible())
const searchEventTypes = (...args: Parameters<typeof catalogSearch>) => withIdentityEngine(catalogSearch(...args))

describe('lib/catalog/view (event-types)', () => {
  it('at a terminal: one line per family, its members side by side, within the width (under 150 lines at 80 columns, not 632)', () => {
    const types = eligibleEventTypes()
    const lines = renderEventTypes(types, {all: false}, terminal(80)).split('\n')
    expect(lines.length).to.be.below(150)
    expect(
      lines.every((line) => displayWidth(line) <= 80),
      lines.find((line) => displayWidth(line) > 80),
    ).to.equal(true)
    const lifecycle = lines.find((line) => line.startsWith('user.lifecycle '))!
    expect(lifecycle.split(/\s+/)).to.include('create').and.include('deactivate')
    // every type is there, by family and member
    const shown = renderEventTypes(types, {all: false}, terminal(200))
    for (const type of types)
      expect(shown).to.contain(
        type.id
          .split('.')
          .slice(type.id.split('.').length > 2 ? 2 : 1)
          .join('.'),
      )
  })

  it('wraps a long family under itself, and marks beta (name*) and, with --all, types that are not eligible ((name))', () => {
    const lines = renderEventTypes(searchEventTypes('user.lifecycle'), {all: false}, terminal(50)).split('\n')
    expect(lines.length).to.be.greaterThan(1)
    expect(lines.slice(1).every((line) => line.startsWith(' '.repeat('user.lifecycle'.length + 2)))).to.equal(true)
    const all = renderEventTypes(searchEventTypes('event_hook', {all: true}), {all: true}, terminal(120))
    expect(all).to.match(/^event_hook\s+\(activated\)  \(created\)/)
    const beta = eligibleEventTypes().find((t) => t.beta)!
    expect(renderEventTypes([beta], {all: false}, terminal(120))).to.match(/\*$/)
    expect(eventTypesLegend([beta], terminal(120)))
      .to.contain('name* is beta')
      .and.contain('--wide')
    expect(eventTypesLegend(searchEventTypes('event_hook', {all: true}), terminal(120))).to.contain(
      '(name) is not eligible',
    )
  })

  it('--wide at a terminal, or piped: the table, one type a line (no legend)', () => {
    const types = searchEventTypes('user lifecycle')
    const wide = renderEventTypes(types, {all: false}, terminal(80, {wide: true})).split('\n')
    expect(wide[0]).to.match(/^ID\s+CATEGORY\s+RELEASE\s+BETA\s+IDENTITY ENGINE$/)
    expect(wide).to.have.length(types.length + 1)
    expect(eventTypesLegend(types, terminal(80, {wide: true}))).to.equal(undefined)
    expect(renderEventTypes(types, {all: true}, {...terminal(80), tty: false}).split('\n')[0]).to.equal(
      'ID\tCATEGORY\tRELEASE\tBETA\tIDENTITY ENGINE\tELIGIBLE',
    )
  })

  it('at a terminal, marks what Identity Engine orgs never trigger (name!) or send differently (name~), with a legend', () => {
    const phone = searchEventTypes('phone_verification')
    expect(renderEventTypes(phone, {all: false}, terminal(120))).to.contain('send_phone_verification_message~')
    expect(eventTypesLegend(phone, terminal(120))).to.contain('name~ has a different payload in Identity Engine orgs')
    const enroll = searchEventTypes('user.credential.enroll')
    expect(renderEventTypes(enroll, {all: false}, terminal(120))).to.match(/\benroll!/)
    expect(eventTypesLegend(enroll, terminal(120))).to.contain('name! is not triggered in Identity Engine orgs')
    const unlock = searchEventTypes('user.account.unlock_token', {all: true})
    expect(renderEventTypes(unlock, {all: true}, terminal(120))).to.contain('(unlock_token!)')
    expect(eventTypesLegend(searchEventTypes('user lifecycle'), terminal(120))).not.to.contain('Identity Engine')
  })
})
