import {expect} from 'chai'

import {CliError} from '../../../../src/lib/errors.js'
import {exportHooks, serializeHooks} from '../../../../src/lib/hooks-as-code/exporter.js'
import {planHooks} from '../../../../src/lib/hooks-as-code/plan.js'
import {resolveSecrets} from '../../../../src/lib/hooks-as-code/secrets.js'
import {readHooksFile, type FileFormat} from '../../../../src/lib/hooks-as-code/validate.js'
import {variableLookup} from '../../../../src/lib/hooks-as-code/variables.js'
import type {EventHook} from '../../../../src/lib/hooks/types.js'
import {hookFixture} from '../../../fixtures/hooks/index.js'

const filtered = (): EventHook =>
  hookFixture({
    channel: {
      config: {
        authScheme: {key: 'X-Hook-Key', type: 'HEADER'},
        headers: [
          {key: 'X-Team', value: 'identity at hooks.preview.example.com'},
          {key: 'X-Api-Key', value: 'header-secret-in-okta-6f2'},
        ],
        method: 'POST',
        uri: 'https://hooks.preview.example.com/okta/${not-a-variable}',
      },
      type: 'HTTP',
      version: '1.0.0',
    },
    description: null,
    events: {
      filter: {
        eventFilterMap: [
          {
            condition: {expression: "event.target.?[displayName eq 'Sales'].size()>0", version: null},
            event: 'group.user_membership.add',
          },
        ],
        type: 'EXPRESSION_LANGUAGE',
      },
      items: ['group.user_membership.add'],
      type: 'EVENT_TYPE',
    },
    id: 'whoGroups00000000001',
    name: 'Group joins',
    status: 'INACTIVE',
    verificationStatus: 'UNVERIFIED',
  })

describe('lib/hooks-as-code/exporter', () => {
  it('writes each hook by name, sorted, with secret references in place of secrets, and lists them', () => {
    const {document, secrets} = exportHooks([hookFixture(), filtered()])
    expect(document.hooks.map((h) => h.name)).to.deep.equal(['Group joins', 'User sync'])
    expect(document.hooks[0]).to.deep.equal({
      auth: {header: 'X-Hook-Key', valueFrom: 'env:OKTA_HOOK_GROUP_JOINS_SECRET'},
      events: ['group.user_membership.add'],
      filters: {'group.user_membership.add': "event.target.?[displayName eq 'Sales'].size()>0"},
      headers: {
        'X-Api-Key': {valueFrom: 'env:OKTA_HOOK_GROUP_JOINS_X_API_KEY'},
        'X-Team': 'identity at hooks.preview.example.com',
      },
      name: 'Group joins',
      status: 'INACTIVE',
      url: 'https://hooks.preview.example.com/okta/$${not-a-variable}',
      verify: false,
    })
    expect(document.hooks[1]).to.deep.include({
      description: 'Sync new users to the CRM',
      status: 'ACTIVE',
      verify: true,
    })
    expect(secrets).to.deep.equal([
      {env: 'OKTA_HOOK_GROUP_JOINS_X_API_KEY', header: 'X-Api-Key', hook: 'Group joins', kind: 'header'},
      {env: 'OKTA_HOOK_GROUP_JOINS_SECRET', header: 'X-Hook-Key', hook: 'Group joins', kind: 'auth'},
      {env: 'OKTA_HOOK_USER_SYNC_SECRET', header: 'Authorization', hook: 'User sync', kind: 'auth'},
    ])
    expect(JSON.stringify(document)).not.to.include('header-secret-in-okta-6f2')
  })

  it('gives distinct variable names to hooks whose names make the same one', () => {
    const {secrets} = exportHooks([
      hookFixture({id: 'whoA0000000000000001', name: 'user-sync'}),
      hookFixture({id: 'whoA0000000000000002', name: 'User Sync!'}),
      hookFixture({id: 'whoA0000000000000003', name: '★'}),
    ])
    expect(secrets.map((s) => s.env)).to.deep.equal([
      'OKTA_HOOK_USER_SYNC_SECRET',
      'OKTA_HOOK_USER_SYNC_SECRET_2',
      'OKTA_HOOK_UNNAMED_SECRET',
    ])
  })

  it('--var values become ${NAME} in URLs, descriptions, filters and header values', () => {
    const {document} = exportHooks(
      [filtered()],
      [
        ['HOOKS_HOST', 'hooks.preview.example.com'],
        ['TEAM', 'Sales'],
      ],
    )
    expect(document.hooks[0]).to.deep.include({url: 'https://${HOOKS_HOST}/okta/$${not-a-variable}'})
    expect(document.hooks[0].filters).to.deep.equal({
      'group.user_membership.add': "event.target.?[displayName eq '${TEAM}'].size()>0",
    })
    expect(document.hooks[0].headers!['X-Team']).to.equal('identity at ${HOOKS_HOST}')
  })

  it('refuses hooks whose names are the same (or the same but for case): a file names each hook once', () => {
    expect(() => exportHooks([hookFixture(), hookFixture({id: 'whoTwin0000000000001', name: 'user SYNC'})])).to.throw(
      CliError,
      /Two hooks in the org are named "User sync" and "user SYNC" \(the same name but for case\): who8vt36qfNpCGz9H1e6, whoTwin0000000000001/,
    )
  })

  it('YAML: the comment on top, a blank line between hooks, long lines unfolded', () => {
    const text = serializeHooks(exportHooks([hookFixture(), filtered()]).document, 'yaml', [
      'Event hooks of https://test-org.okta.example',
    ])
    expect(
      text.startsWith('# Event hooks of https://test-org.okta.example\n\nhooks:\n  - name: Group joins\n'),
    ).to.equal(true)
    expect(text).to.include("      group.user_membership.add: event.target.?[displayName eq 'Sales'].size()>0\n")
    expect(text).to.include('    verify: false\n\n  - name: User sync\n')
  })

  for (const format of ['yaml', 'json'] as FileFormat[]) {
    it(`${format}: export, read back and plan against the same org: no changes (round trip)`, () => {
      const org = [hookFixture(), filtered()]
      const vars: [string, string][] = [['HOOKS_HOST', 'hooks.preview.example.com']]
      const text = serializeHooks(exportHooks(org, vars).document, format)
      const file = readHooksFile(text, {
        baseDir: '/tmp',
        file: `hooks.${format}`,
        format,
        lookup: variableLookup({env: {}, vars: ['HOOKS_HOST=hooks.preview.example.com']}),
      })
      const env = {
        OKTA_HOOK_GROUP_JOINS_SECRET: 's1-value',
        OKTA_HOOK_GROUP_JOINS_X_API_KEY: 'header-secret-in-okta-6f2',
        OKTA_HOOK_USER_SYNC_SECRET: 's2-value',
      }
      expect(resolveSecrets(file.hooks, 'all', {env}).problems).to.deep.equal([])
      const plan = planHooks(file.hooks, org, {file: 'hooks', org: 'https://test-org.okta.example', prune: true})
      expect(plan.steps).to.deep.equal([])
      expect(plan.summary.unchanged).to.equal(2)
    })
  }
})
