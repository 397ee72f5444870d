import {expect} from 'chai'

import EventTypes from '../../../src/commands/event-types.js'
import {runCommand} from '../../helpers/run-command.js'

describe('event-types', () => {
  it('piped: one eligible type a line, tab-separated under a header (id, category, release, beta), without calling Okta', async () => {
    const result = await runCommand(EventTypes, ['user lifecycle'], {env: {OKTA_CLIENT_ORGURL: undefined}})
    expect(result.error).to.equal(undefined)
    expect(result.exitCode).to.equal(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).to.equal('ID\tCATEGORY\tRELEASE\tBETA')
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
    expect(all.stdout.split('\n')[0]).to.equal('ID\tCATEGORY\tRELEASE\tBETA\tELIGIBLE')
    expect(all.stdout).to.match(/^event_hook\.created\t.*\tno$/m)
  })

  it('marks beta types', async () => {
    const {json} = await runCommand(EventTypes, ['--json'])
    const beta = json.eventTypes.find((t: any) => t.beta)
    expect(beta, 'the catalog has beta types').not.to.equal(undefined)
    const {stdout} = await runCommand(EventTypes, [beta.id])
    expect(stdout).to.match(new RegExp(`^${beta.id.replaceAll('.', '\\.')}\\t.*\\tbeta$`, 'm'))
  })

  it('--json is {source, count, eventTypes}, eligible only by default', async () => {
    const {exitCode, json, stderr} = await runCommand(EventTypes, ['--json'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(Object.keys(json).sort()).to.deep.equal(['count', 'eventTypes', 'source'])
    expect(json.source).to.equal('Okta event types catalog, release 2026.08.1')
    expect(json.count).to.equal(json.eventTypes.length).and.equal(314)
    expect(json.eventTypes.every((t: any) => t.eventHookEligible)).to.equal(true)
    expect(json.eventTypes[0]).to.have.keys(['beta', 'category', 'eventHookEligible', 'id', 'release', 'tags'])
    const all = await runCommand(EventTypes, ['--all', '--json'])
    expect(all.json.count).to.be.greaterThan(json.count)
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
