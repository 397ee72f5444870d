import {expect} from 'chai'

import {renderHookTable} from '../../../../src/lib/hooks/hook-view.js'
import {displayWidth} from '../../../../src/lib/io/table.js'
import {hookFixture} from '../../../fixtures/hooks/index.js'

const hooks = [
  hookFixture({
    events: {
      items: ['user.lifecycle.create', 'user.lifecycle.activate', 'user.lifecycle.deactivate'],
      type: 'EVENT_TYPE',
    },
    id: 'whoLong000000000001',
    name: 'User sync to the provisioning service',
  }),
  hookFixture({id: 'whoShort00000000002', name: 'Audit'}),
]

describe('lib/hooks/hook-view: list', () => {
  it('at an 80-column terminal: one line per hook, ids whole, the rest cut with …', () => {
    const lines = renderHookTable(hooks, {color: false, columns: 80, tty: true, wide: false}).split('\n')
    expect(lines).to.have.length(3)
    expect(
      lines.every((line) => displayWidth(line) <= 80),
      lines.join('\n'),
    ).to.equal(true)
    expect(lines[1]).to.match(/^whoLong000000000001 {2}User sync t…/)
    expect(lines[1]).to.contain('…')
  })

  it('wide enough (or --wide): every field in full, the event list summed up at a terminal; piped, every event', () => {
    const wide = renderHookTable(hooks, {color: false, columns: 80, tty: true, wide: true}).split('\n')
    expect(wide[1])
      .to.contain('User sync to the provisioning service')
      .and.contain('user.lifecycle.create, user.lifecycle.activate, user.lifecycle.deactivate')
    const roomy = renderHookTable(hooks, {color: false, columns: 250, tty: true, wide: false}).split('\n')
    expect(roomy[1]).to.contain('user.lifecycle.create +2 more').and.contain('https://hooks.example.com/okta')
    const piped = renderHookTable(hooks, {color: false, columns: 80, tty: false, wide: false}).split('\n')
    expect(piped[0]).to.equal('ID\tNAME\tSTATUS\tVERIFICATION\tEVENTS\tURL')
    expect(piped[1].split('\t')).to.deep.equal([
      'whoLong000000000001',
      'User sync to the provisioning service',
      'ACTIVE',
      'VERIFIED',
      'user.lifecycle.create, user.lifecycle.activate, user.lifecycle.deactivate',
      'https://hooks.example.com/okta',
    ])
  })
})
