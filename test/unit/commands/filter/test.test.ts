import {expect} from 'chai'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import nock from 'nock'

import FilterTest from '../../../../src/commands/filter/test.js'
import {hookFixture} from '../../../fixtures/hooks/index.js'
import {ORG, orgEnv, runCommand} from '../../../helpers/run-command.js'
import {realEvent} from '../../../helpers/syslog-standin.js'

const HOOK_ID = 'who8vt36qfNpCGz9H1e6'
const BY_USER = "event.actor.type eq 'User'"
const SALES = "event.target.?[type eq 'UserGroup' && displayName eq 'Sales'].size() > 0"
const offline = {OKTA_CLIENT_ORGURL: undefined, OKTA_CLIENT_TOKEN: undefined}

const event = (uuid: string, eventType: string, actorType = 'User', target: unknown[] = []) =>
  realEvent({
    actor: {alternateId: 'a@example.com', displayName: 'A', id: '00ua', type: actorType},
    eventType,
    target,
    uuid,
  })
const group = (displayName: string) => ({alternateId: displayName, displayName, id: '00g1', type: 'UserGroup'})

/** The fixture hook (user.lifecycle.create and .activate) with a filter on user.lifecycle.create. */
function filteredHook(expression = BY_USER, status: 'ACTIVE' | 'INACTIVE' = 'ACTIVE') {
  const base = hookFixture()
  return hookFixture({
    events: {
      ...base.events,
      filter: {
        eventFilterMap: [{condition: {expression, version: null}, event: 'user.lifecycle.create'}],
        type: 'EXPRESSION_LANGUAGE',
      },
    },
    status,
  })
}

function tempFile(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'okta-hooks-filter-test-')), name)
  writeFileSync(file, content)
  return file
}

describe('filter test', () => {
  it('--hook: reads the hook, then the newest System Log events of its types, and decides each as Okta routes', async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, filteredHook())
      .get('/api/v1/logs')
      .query(
        (q) =>
          q.filter === 'eventType eq "user.lifecycle.create" or eventType eq "user.lifecycle.activate"' &&
          q.limit === '20' &&
          q.sortOrder === 'DESCENDING',
      )
      .reply(200, [
        event('u1', 'user.lifecycle.create'),
        event('u2', 'user.lifecycle.create', 'PublicClientApp'),
        event('u3', 'user.lifecycle.activate', 'PublicClientApp'),
      ])
    const {error, exitCode, json} = await runCommand(FilterTest, ['--hook', HOOK_ID, '--json'], {env: orgEnv})
    expect(error).to.equal(undefined)
    expect(exitCode).to.equal(0)
    expect(json.source).to.equal('system-log')
    expect(json.subject).to.deep.equal({
      filters: [{event: 'user.lifecycle.create', expression: BY_USER}],
      hook: {id: HOOK_ID, name: 'User sync', status: 'ACTIVE'},
      items: ['user.lifecycle.create', 'user.lifecycle.activate'],
      kind: 'hook',
    })
    expect(json.summary).to.deep.equal({events: 3, matched: 2, notMatched: 1, skipped: 0, undecided: 0})
    expect(json.events.map((e: any) => [e.uuid, e.decision, e.matched])).to.deep.equal([
      ['u1', 'applied', true],
      ['u2', 'applied', false],
      ['u3', 'no-filter', true],
    ])
    expect(json.events[1].reason).to.equal("event.actor.type is 'PublicClientApp', expected 'User'")
    expect(json.events[1].explanation).to.deep.include({holds: false})
    expect(json.events[2].reason).to.contain('Okta delivers every user.lifecycle.activate event')
    scope.done()
  })

  it('--hook --event-type: only those of its types; a type it lacks is exit 2 after reading the hook', async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, filteredHook())
      .get('/api/v1/logs')
      .query((q) => q.filter === 'eventType eq "user.lifecycle.create"' && q.limit === '5')
      .reply(200, [event('u1', 'user.lifecycle.create')])
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, filteredHook())
    const only = await runCommand(
      FilterTest,
      ['--hook', HOOK_ID, '--event-type', 'user.lifecycle.create', '--limit', '5', '--json'],
      {env: orgEnv},
    )
    expect(only.exitCode, only.stderr).to.equal(0)
    expect(only.json.subject.items).to.deep.equal(['user.lifecycle.create'])
    const lacking = await runCommand(FilterTest, ['--hook', HOOK_ID, '--event-type', 'user.lifecycle.suspend'], {
      env: orgEnv,
    })
    expect(lacking.exitCode).to.equal(2)
    expect(lacking.stderr).to.contain(
      '--event-type user.lifecycle.suspend: the hook User sync does not subscribe to it',
    )
    scope.done()
  })

  it('--hook with a filter okta-hooks cannot evaluate: its events are undecided, with a warning; an inactive hook is said', async () => {
    const scope = nock(ORG)
      .get(`/api/v1/eventHooks/${HOOK_ID}`)
      .reply(200, filteredHook("event.actor.id matches '00u.*'", 'INACTIVE'))
    const {exitCode, json, stderr} = await runCommand(FilterTest, ['--hook', HOOK_ID, '--sample', '--json'], {
      env: orgEnv,
    })
    expect(exitCode, stderr).to.equal(0)
    expect(json.source).to.equal('sample')
    expect(json.summary).to.deep.equal({events: 2, matched: 1, notMatched: 0, skipped: 0, undecided: 1})
    expect(json.events[0]).to.deep.include({decision: 'unsupported', matched: null})
    expect(json.events[0].problem.code).to.equal('unsupported-operator')
    expect(stderr).to.contain("the hook's filter for user.lifecycle.create cannot be evaluated here")
    expect(stderr).to.contain('User sync is INACTIVE: Okta delivers nothing to it now')
    scope.done()
  })

  it('--expression --from-file: offline (no org), NDJSON; events of other types are skipped', async () => {
    const file = tempFile(
      'events.ndjson',
      [
        event('g1', 'group.user_membership.add', 'User', [group('Sales')]),
        event('g2', 'group.user_membership.add', 'User', [group('Support')]),
        event('c1', 'user.lifecycle.create'),
      ]
        .map((e) => JSON.stringify(e))
        .join('\n'),
    )
    const args = ['--expression', SALES, '--event-type', 'group.user_membership.add', '--from-file', file]
    const {exitCode, json, stderr} = await runCommand(FilterTest, [...args, '--json'], {env: offline})
    expect(exitCode, stderr).to.equal(0)
    expect(json.source).to.equal('file')
    expect(json.subject).to.deep.equal({
      eventTypes: ['group.user_membership.add'],
      expression: SALES,
      kind: 'expression',
    })
    expect(json.summary).to.deep.equal({events: 3, matched: 1, notMatched: 1, skipped: 1, undecided: 0})
    expect(json.events[2]).to.deep.include({decision: 'skipped', expression: null, matched: null})
    expect(json.events[2].reason).to.equal(
      'the expression filters group.user_membership.add, not user.lifecycle.create',
    )

    const table = await runCommand(FilterTest, args, {env: offline})
    expect(table.exitCode).to.equal(0)
    const lines = table.stdout.trimEnd().split('\n')
    expect(lines[0]).to.equal('RESULT\tEVENT TYPE\tPUBLISHED\tUUID\tWHY')
    expect(lines.slice(1).map((line) => line.split('\t')[0])).to.deep.equal(['matched', 'not matched', 'skipped'])
    expect(table.stderr).to.equal('3 events: 1 matched, 1 not matched, 1 skipped (another event type).\n')
  })

  it('--expression without --event-type on a file: every event, whatever its type; --verbose explains per target', async () => {
    const file = tempFile(
      'events.json',
      JSON.stringify([event('g2', 'group.user_membership.add', 'User', [group('Support')])]),
    )
    const {exitCode, stdout} = await runCommand(FilterTest, ['--expression', SALES, '--from-file', file, '--verbose'], {
      env: offline,
    })
    expect(exitCode).to.equal(0)
    expect(stdout).to.contain('NOT MATCHED  group.user_membership.add  g2')
    expect(stdout).to.contain(`  expression: ${SALES}`)
    expect(stdout).to.contain("      no  target[0] UserGroup 'Support': displayName is 'Support', expected 'Sales'")
  })

  it('an expression that fails on an event (contains on a missing field) is not matched, with the failure', async () => {
    const file = tempFile('events.json', JSON.stringify([event('c1', 'user.lifecycle.create')]))
    const {json} = await runCommand(
      FilterTest,
      ['--expression', "event.outcome.reason.contains('x')", '--from-file', file, '--json'],
      {env: offline},
    )
    expect(json.events[0]).to.deep.include({matched: false})
    expect(json.events[0].failure.message).to.be.a('string').and.not.equal('')
  })

  it('--sample: one built-in event per --event-type', async () => {
    const {exitCode, json} = await runCommand(
      FilterTest,
      ['--expression', BY_USER, '--event-type', 'user.lifecycle.create,user.lifecycle.activate', '--sample', '--json'],
      {env: offline},
    )
    expect(exitCode).to.equal(0)
    expect(json.events.map((e: any) => [e.eventType, e.matched])).to.deep.equal([
      ['user.lifecycle.create', true],
      ['user.lifecycle.activate', true],
    ])
  })

  describe('refusals', () => {
    it('an expression okta-hooks refuses: exit 2 with the position and a caret, nothing read', async () => {
      const {exitCode, stderr} = await runCommand(
        FilterTest,
        ['--expression', "event.outcome.result eq 'SUCCESS' and", '--sample', '--event-type', 'user.lifecycle.create'],
        {env: offline},
      )
      expect(exitCode).to.equal(2)
      expect(stderr).to.contain(
        '--expression: expected a field, a string or a number, but the expression ends at column 38',
      )
      expect(stderr).to.contain("    event.outcome.result eq 'SUCCESS' and\n")
      expect(stderr).to.contain('Fix the expression')
    })

    it('--json: INVALID_FILTER with the problem; Okta may accept what okta-hooks cannot evaluate', async () => {
      const {exitCode, json} = await runCommand(
        FilterTest,
        [
          '--expression',
          "event.actor.id.startsWith('00u')",
          '--sample',
          '--event-type',
          'user.lifecycle.create',
          '--json',
        ],
        {env: offline},
      )
      expect(exitCode).to.equal(2)
      expect(json.error.code).to.equal('INVALID_FILTER')
      expect(json.error.details.filter.problem).to.deep.include({code: 'unsupported-function'})
      expect(json.error.suggestions[0]).to.contain("Okta's Expression Language may accept this")
    })

    const usage: [string, string[], RegExp][] = [
      [
        'neither --expression nor --hook',
        ['--sample'],
        /Exactly one of the following must be provided: --expression, --hook/,
      ],
      ['both', ['--expression', BY_USER, '--hook', 'x'], /--expression|--hook/],
      [
        '--expression with no event type to read',
        ['--expression', BY_USER],
        /--expression needs the event type it filters/,
      ],
      [
        '--sample with --since',
        ['--expression', BY_USER, '--sample', '--since', '1h'],
        /--since=1h cannot also be provided when using --sample/,
      ],
      [
        'a mistyped --event-type',
        ['--expression', BY_USER, '--sample', '--event-type', 'user.lifecycle.craete'],
        /Did you mean user\.lifecycle\.create/,
      ],
    ]
    for (const [what, argv, message] of usage) {
      it(`${what}: exit 2 before any call`, async () => {
        const result = await runCommand(FilterTest, argv, {env: offline})
        expect(result.exitCode, result.stderr).to.equal(2)
        expect(result.stderr).to.match(message)
      })
    }

    it('no System Log event in the window: exit 4 with a hint', async () => {
      const scope = nock(ORG).get('/api/v1/logs').query(true).reply(200, [])
      const {exitCode, stderr} = await runCommand(
        FilterTest,
        ['--expression', BY_USER, '--event-type', 'user.lifecycle.create', '--since', '1h'],
        {env: orgEnv},
      )
      expect(exitCode).to.equal(4)
      expect(stderr).to.contain('No System Log event matches')
      scope.done()
    })
  })
})
