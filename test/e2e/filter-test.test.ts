/**
 * `filter test` end to end against the sandbox: a hook filtered to the Sales group, one Sales and
 * one Support membership event and a user.lifecycle.create (no filter) in the System Log; the
 * built CLI decides each as Okta would, and refuses a broken expression with its position.
 */
import {expect} from 'chai'

import {assertBuilt, type CliResult, describeRun, type Env, runCli, stopAllProcesses, Workspace} from './helpers/cli.js'
import {type Sandbox, startSandbox} from './helpers/processes.js'

const SALES = "event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size() > 0"
const group = (name: string) => JSON.stringify({alternateId: name, displayName: name, id: '00gE2E', type: 'UserGroup'})

describe('e2e: filter test against the sandbox', function () {
  this.timeout(60_000)
  let workspace: Workspace
  let sandbox: Sandbox
  let since: string
  const uuids: Record<string, string> = {}

  const cli = (args: string[], extra: Env = {}): Promise<CliResult> =>
    runCli(args, {env: workspace.env({...sandbox.connection, ...extra}), timeoutMs: 30_000})
  const exits = async (code: number, args: string[]): Promise<CliResult> => {
    const result = await cli(args)
    expect(result.code, describeRun(result)).to.equal(code)
    return result
  }

  const emit = async (type: string, extra: string[] = []) =>
    (await exits(0, ['sandbox', 'emit', type, ...extra, '--json'])).json().events[0].uuid as string

  before(async () => {
    assertBuilt()
    workspace = new Workspace('e2e-filter-test')
    sandbox = await startSandbox(workspace)
    await exits(0, [
      'create',
      '--name',
      'Sales only',
      '--url',
      'https://hooks.example.com/okta',
      '--event',
      'group.user_membership.add,user.lifecycle.create',
      '--filter',
      `group.user_membership.add=${SALES}`,
      '--inactive',
    ])
    since = new Date(Date.now() - 1000).toISOString()
    uuids.sales = await emit('group.user_membership.add', ['--target', group('Sales')])
    uuids.support = await emit('group.user_membership.add', ['--target', group('Support')])
    uuids.create = await emit('user.lifecycle.create')
  })

  after(async () => {
    await sandbox?.stop()
    await stopAllProcesses()
    workspace?.remove()
  })

  it("--hook: the hook's filters and types decide each System Log event, with the reason", async () => {
    const result = await exits(0, ['filter', 'test', '--hook', 'Sales only', '--since', since, '--json'])
    const {events, source, subject, summary} = result.json()
    expect(source).to.equal('system-log')
    expect(subject).to.deep.include({items: ['group.user_membership.add', 'user.lifecycle.create'], kind: 'hook'})
    expect(subject.filters).to.deep.equal([{event: 'group.user_membership.add', expression: SALES}])
    expect(summary).to.deep.equal({events: 3, matched: 2, notMatched: 1, skipped: 0, undecided: 0})
    const byUuid = Object.fromEntries(events.map((event: any) => [event.uuid, event]))
    expect(byUuid[uuids.sales]).to.include({decision: 'applied', matched: true})
    expect(byUuid[uuids.support]).to.include({decision: 'applied', matched: false})
    expect(byUuid[uuids.support].reason).to.contain('expected size() > 0')
    expect(byUuid[uuids.create]).to.include({decision: 'no-filter', matched: true})
    expect(result.stderr).to.contain('Sales only is INACTIVE: Okta delivers nothing to it now')
  })

  it('--expression --event-type: a table of the System Log events, the summary on stderr; --verbose explains', async () => {
    const args = ['filter', 'test', '--expression', SALES, '--event-type', 'group.user_membership.add']
    const table = await exits(0, [...args, '--since', since])
    const lines = table.stdout.trimEnd().split('\n')
    expect(lines[0]).to.equal('RESULT\tEVENT TYPE\tPUBLISHED\tUUID\tWHY')
    expect(lines.find((line) => line.includes(uuids.sales))).to.match(/^matched\t/)
    expect(lines.find((line) => line.includes(uuids.support))).to.match(/^not matched\t/)
    expect(table.stderr).to.contain('2 events: 1 matched, 1 not matched.')
    const verbose = await exits(0, [...args, '--event-id', uuids.support, '--verbose'])
    expect(verbose.stdout).to.contain(`NOT MATCHED  group.user_membership.add  ${uuids.support}`)
    expect(verbose.stdout).to.match(/no {2}target\[\d\] UserGroup 'Support'/)
  })

  it('an expression okta-hooks refuses is exit 2 with its position, before reading anything', async () => {
    const result = await exits(2, [
      'filter',
      'test',
      '--expression',
      "event.actr.id eq 'x'",
      '--sample',
      '--event-type',
      'user.lifecycle.create',
    ])
    expect(result.stderr).to.contain('--expression: unknown field event.actr.id at column 7')
    expect(result.stderr).to.contain("    event.actr.id eq 'x'\n          ^")
    const json = await exits(4, ['filter', 'test', '--hook', 'Nope', '--json'])
    expect(json.json().error.code).to.equal('NOT_FOUND')
  })
})
