import {expect} from 'chai'

import EventTypes from '../../../src/commands/event-types.js'
import {runCommand} from '../../helpers/run-command.js'

describe('event-types', () => {
  it('piped: one eligible type a line, tab-separated under a header (id, category, release, beta, identity engine), without calling Okta', async () => {
    const result = await runCommand(EventTypes, ['user lifecycle'], {env: {OKTA_CLIENT_ORGURL: undefined}})
    expect(result.error).to.equal(undefined)
    expect(result.exitCode).to.equal(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).to.equal('ID\tCATEGORY\tRELEASE\tBETA\tIDENTITY ENGINE')
    expect(lines.slice(1).every((line) => /^user\.lifecycle\.\S+\t/.test(line))).to.equal(true)
    expect(lines.map((line) => line.split('\t')[0]))
      .to.include('user.lifecycle.create')
      .and.include('user.lifecycle.deactivate')
    expect(result.stderr).to.match(/^\d+ eligible event types \(Okta event types catalog, release 2026\.08\.1\)\.\n$/)
  })

  it('leaves out ineligible types unless --all, which marks them', async () => {
    const eligible = await runCommand(EventTypes, ['event_hook', '--json'])
    expect(eligible.json.count).to.equal(0)
    const all = await runCommand(EventTypes, ['event_hook', '--all'])
    expect(all.exitCode).to.equal(0)
    expect(all.stdout.split('\n')[0]).to.equal('ID\tCATEGORY\tRELEASE\tBETA\tIDENTITY ENGINE\tELIGIBLE')
    expect(all.stdout).to.match(/^event_hook\.created\t.*\tno$/m)
  })

  it('marks beta types', async () => {
    const {json} = await runCommand(EventTypes, ['--json'])
    const beta = json.eventTypes.find((t: any) => t.beta)
    expect(beta, 'the catalog has beta types').not.to.equal(undefined)
    const {stdout} = await runCommand(EventTypes, [beta.id])
    expect(stdout).to.match(new RegExp(`^${beta.id.replaceAll('.', '\\.')}\\t.*\\tbeta\\t`, 'm'))
  })

  it('--json is {source, identityEngineSource, count, eventTypes}, eligible only by default', async () => {
    const {exitCode, json, stderr} = await runCommand(EventTypes, ['--json'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(Object.keys(json).sort()).to.deep.equal(['count', 'eventTypes', 'identityEngineSource', 'source'])
    expect(json.source).to.equal('Okta event types catalog, release 2026.08.1')
    expect(json.count).to.equal(json.eventTypes.length).and.equal(314)
    expect(json.eventTypes.every((t: any) => t.eventHookEligible)).to.equal(true)
    expect(json.eventTypes[0]).to.have.keys([
      'beta',
      'category',
      'eventHookEligible',
      'id',
      'identityEngine',
      'identityEngineNote',
      'release',
      'tags',
    ])
    const all = await runCommand(EventTypes, ['--all', '--json'])
    expect(all.json.count).to.be.greaterThan(json.count)
  })

  it("marks what Okta's Identity Engine guide names: not triggered (!), payload changed (~), IE only", async () => {
    const {json} = await runCommand(EventTypes, ['--json'])
    const mark = (id: string) => json.eventTypes.find((t: any) => t.id === id)
    expect(json.identityEngineSource).to.contain('Update your event hooks for Identity Engine')
    expect(mark('user.credential.enroll')).to.include({identityEngine: 'not-triggered'})
    expect(mark('user.credential.enroll').identityEngineNote).to.contain('Device Trust')
    expect(mark('system.sms.send_phone_verification_message')).to.include({identityEngine: 'payload-changed'})
    expect(mark('device.lifecycle.activate')).to.include({
      identityEngine: 'identity-engine-only',
      identityEngineNote: null,
    })
    expect(mark('user.lifecycle.create')).to.include({identityEngine: null, identityEngineNote: null})
    const all = await runCommand(EventTypes, ['user.account.unlock_token', '--all', '--json'])
    expect(all.json.eventTypes[0]).to.include({eventHookEligible: false, identityEngine: 'not-triggered'})
    const piped = await runCommand(EventTypes, ['phone_verification'])
    expect(piped.stdout).to.match(/^system\.sms\.send_phone_verification_message\t.*\tpayload changed$/m)
    const table = await runCommand(EventTypes, ['user.credential'])
    expect(table.stdout).to.match(/^user\.credential\.enroll\t.*\tnot triggered$/m)
  })

  it('no match says so, with a hint, and exits 0', async () => {
    const {exitCode, stderr, stdout} = await runCommand(EventTypes, ['zzz-no-such-thing'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain('No event-hook-eligible event types match "zzz-no-such-thing"').and.contain('--all')
    expect(stdout).to.equal('')
  })

  it('rejects an unknown flag with exit 2', async () => {
    const {exitCode, stderr} = await runCommand(EventTypes, ['--nope'])
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Nonexistent flag: --nope')
  })
})
