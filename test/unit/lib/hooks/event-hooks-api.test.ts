import {expect} from 'chai'

import {isHookId, pickHook} from '../../../../src/lib/hooks/event-hooks-api.js'
import {hookFixture} from '../../../fixtures/hooks/index.js'
import {refusal} from '../../../helpers/refusal.js'

const hooks = [
  hookFixture({id: 'whoUserSync001', name: 'User sync'}),
  hookFixture({id: 'whoUserSync002', name: 'User sync (staging)'}),
  hookFixture({id: 'whoAudit00001', name: 'Audit'}),
]

describe('lib/hooks/event-hooks-api: naming a hook on the command line', () => {
  it('matches an exact id or an exact name', () => {
    expect(pickHook(hooks, 'whoAudit00001').name).to.equal('Audit')
    expect(pickHook(hooks, 'User sync').id).to.equal('whoUserSync001')
  })

  it('never matches a name that differs only in case: exit 4, with that hook as the first suggestion', () => {
    for (const ref of ['user sync', 'USER SYNC', 'audit']) {
      const error = refusal(() => pickHook(hooks, ref))
      expect(error.exitCode, ref).to.equal(4)
      expect(error.message).to.equal(`No event hook has the id or name "${ref}" (names match exactly, case included).`)
    }

    expect(refusal(() => pickHook(hooks, 'user sync')).suggestions[0]).to.equal(
      'Did you mean "User sync" (whoUserSync001), "User sync (staging)" (whoUserSync002)?',
    )
    const unknown = refusal(() => pickHook(hooks, 'Billing'))
    expect(unknown.message).to.equal('No event hook has the id or name "Billing".')
    expect(unknown.suggestions).to.deep.equal(['List the hooks with `okta-hooks list`'])
  })

  it('tells an id from a name by its form', () => {
    expect(isHookId('who8vt36qfNpCGz9H1e6')).to.equal(true)
    expect(isHookId('User sync')).to.equal(false)
    expect(isHookId('who')).to.equal(false)
  })
})
