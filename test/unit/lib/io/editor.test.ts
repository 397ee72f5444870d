import {expect} from 'chai'

import {editJson} from '../../../../src/lib/io/editor.js'
import {refusal} from '../../../helpers/refusal.js'

describe('lib/io/editor', () => {
  it('opens $VISUAL (before $EDITOR) on the document as JSON and returns what was saved', () => {
    const edited = editJson(
      {name: 'Jane'},
      {env: {EDITOR: 'false', PATH: process.env.PATH, VISUAL: 'sed -i s/Jane/June/'}, what: 'envelope'},
    )
    expect(edited).to.deep.equal({name: 'June'})
    expect(editJson([1], {env: {EDITOR: 'true', PATH: process.env.PATH}})).to.deep.equal([1])
  })

  it('an editor that fails, or a document no longer JSON, sends nothing (exit 2)', () => {
    const failed = refusal(() => editJson({}, {env: {EDITOR: 'false', PATH: process.env.PATH}}))
    expect(failed.exitCode).to.equal(2)
    expect(failed.message).to.equal('The editor (false) exited with 1; nothing was sent.')
    const broken = refusal(() =>
      editJson({}, {env: {EDITOR: 'sh -c \'echo nope > "$0"\'', PATH: process.env.PATH}, what: 'envelope'}),
    )
    expect(broken.message).to.equal('The edited envelope is not valid JSON; nothing was sent.')
  })
})
