import {expect} from 'chai'

import Schema from '../../../src/commands/schema.js'
import {hooksFileSchema} from '../../../src/lib/hooks-as-code/schema.js'
import {runCommand} from '../../helpers/run-command.js'

describe('schema', () => {
  it("prints the hooks file's JSON Schema, the same with --json, and needs no org", async () => {
    const text = await runCommand(Schema, [])
    expect([text.error, text.exitCode, text.stderr]).to.deep.equal([undefined, 0, ''])
    expect(JSON.parse(text.stdout)).to.deep.equal(hooksFileSchema())
    const json = await runCommand(Schema, ['--json'])
    expect(json.exitCode).to.equal(0)
    expect(json.json).to.deep.equal(hooksFileSchema())
  })
})
