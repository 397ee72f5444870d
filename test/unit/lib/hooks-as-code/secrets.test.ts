import {expect} from 'chai'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {resolveSecrets} from '../../../../src/lib/hooks-as-code/secrets.js'
import {readHooksFile} from '../../../../src/lib/hooks-as-code/validate.js'
import {variableLookup} from '../../../../src/lib/hooks-as-code/variables.js'
import {forgetSecrets, redactKnownSecrets} from '../../../../src/lib/secrets/registry.js'

const AUTH_SECRET = 'auth-secret-from-env-91c2'
const FILE_SECRET = 'header-secret-from-file-77ab'

function specs(dir: string) {
  const text = `hooks:
  - name: A
    url: https://h.example.com/a
    events: [user.lifecycle.create]
    auth:
      valueFrom: env:A_SECRET
    headers:
      X-Shared:
        valueFrom: file:secrets/shared.txt
  - name: B
    url: https://h.example.com/b
    events: [user.lifecycle.create]
    auth:
      header: X-Key
      valueFrom: env:B_SECRET
    headers:
      X-Other:
        valueFrom: env:B_HEADER
`
  return readHooksFile(text, {baseDir: dir, file: 'hooks.yaml', format: 'yaml', lookup: variableLookup({env: {}})})
    .hooks
}

describe('lib/hooks-as-code/secrets', () => {
  let dir: string
  beforeEach(() => {
    forgetSecrets()
    dir = mkdtempSync(join(tmpdir(), 'okta-hooks-secrets-'))
    mkdirSync(join(dir, 'secrets'))
    writeFileSync(join(dir, 'secrets', 'shared.txt'), `${FILE_SECRET}\n`)
  })
  afterEach(() => forgetSecrets())

  it('reads env: and file: references (file relative to the hooks file, final newline dropped) and registers them for redaction', () => {
    const hooks = specs(dir)
    const result = resolveSecrets(hooks, 'all', {
      env: {A_SECRET: AUTH_SECRET, B_HEADER: 'b-header-value-123', B_SECRET: 'b-secret-value-456'},
    })
    expect(result).to.deep.equal({problems: [], unresolved: []})
    expect(hooks[0].auth!.valueFrom.value).to.equal(AUTH_SECRET)
    expect(hooks[0].headers[0].valueFrom!.value).to.equal(FILE_SECRET)
    expect(redactKnownSecrets(`a ${AUTH_SECRET} b ${FILE_SECRET}`)).to.equal('a **** b ****')
  })

  it('apply (all): every missing reference is a problem at its line, naming the variable or the file', () => {
    writeFileSync(join(dir, 'secrets', 'shared.txt'), '\n')
    const {problems, unresolved} = resolveSecrets(specs(dir), 'all', {env: {B_SECRET: 'b-secret-value-456'}})
    expect(unresolved).to.deep.equal([])
    expect(problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`)).to.deep.equal([
      '6:18 auth.valueFrom: env:A_SECRET: the environment variable A_SECRET is not ' +
        'set or is empty (export A_SECRET=... before running okta-hooks)',
      `9:20 headers: file:secrets/shared.txt: the file ${join(dir, 'secrets', 'shared.txt')} is empty`,
      '18:20 headers: env:B_HEADER: the environment variable B_HEADER is not set ' +
        'or is empty (export B_HEADER=... before running okta-hooks)',
    ])
  })

  it('plan (compared): only header values are needed; missing auth secrets are reported apart', () => {
    const {problems, unresolved} = resolveSecrets(specs(dir), 'compared', {env: {B_HEADER: 'b-header-value-123'}})
    expect(problems).to.deep.equal([])
    expect(unresolved.map((p) => p.message)).to.deep.equal([
      'env:A_SECRET: the environment variable A_SECRET is not set or is ' +
        'empty (export A_SECRET=... before running okta-hooks)',
      'env:B_SECRET: the environment variable B_SECRET is not set or is ' +
        'empty (export B_SECRET=... before running okta-hooks)',
    ])
  })

  it('a missing file, and a secret with a line break, are refused', () => {
    const hooks = specs(join(dir, 'elsewhere'))
    const {problems} = resolveSecrets(hooks, 'all', {
      env: {A_SECRET: 'two\nlines', B_HEADER: 'x-value-1', B_SECRET: 'y-value-2'},
    })
    expect(problems.map((p) => p.message)).to.deep.equal([
      'env:A_SECRET: the secret must be one line (a header value cannot hold line breaks)',
      `file:secrets/shared.txt: the file ${join(dir, 'elsewhere', 'secrets', 'shared.txt')} does not exist`,
    ])
  })
})
