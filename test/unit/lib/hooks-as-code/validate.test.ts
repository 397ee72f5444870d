import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {parse} from 'yaml'

import {CliError} from '../../../../src/lib/errors.js'
import type {FileProblem} from '../../../../src/lib/hooks-as-code/problems.js'
import {baseDirOf, formatOf, readHooksFile, type FileFormat} from '../../../../src/lib/hooks-as-code/validate.js'
import {variableLookup} from '../../../../src/lib/hooks-as-code/variables.js'

const VALID = `hooks:
  - name: User sync
    description: Sync new users
    url: https://\${HOOKS_HOST}/okta
    events:
      - user.lifecycle.create
      - user.lifecycle.activate
    filters:
      user.lifecycle.create: "event.actor.type eq 'User'"
    headers:
      X-Team: identity
      X-Shared:
        valueFrom: env:SHARED_VALUE
    auth:
      valueFrom: env:OKTA_HOOK_USER_SYNC_SECRET
    status: INACTIVE
    verify: false
  - name: Group audit
    url: https://hooks.example.com/groups
    events: [group.user_membership.add]
`

function read(
  text: string,
  options: {allowUnknownEvents?: boolean; env?: Record<string, string>; format?: FileFormat; vars?: string[]} = {},
) {
  return readHooksFile(text, {
    allowUnknownEvents: options.allowUnknownEvents,
    baseDir: '/etc/hooks',
    file: options.format === 'json' ? 'hooks.json' : 'hooks.yaml',
    format: options.format ?? 'yaml',
    lookup: variableLookup({env: options.env ?? {HOOKS_HOST: 'hooks.example.com'}, vars: options.vars}),
  })
}

/** The problems of a file that must be refused (exit 2, nothing sent). */
function problems(text: string, options: Parameters<typeof read>[1] = {}): FileProblem[] {
  try {
    read(text, options)
  } catch (error) {
    expect(error).to.be.instanceOf(CliError)
    const cliError = error as CliError
    expect(cliError.exitCode).to.equal(2)
    expect(cliError.code).to.equal('INVALID_HOOKS_FILE')
    expect(cliError.message).to.match(/nothing was sent to Okta\.$/)
    const list = (cliError.details as {problems: FileProblem[]}).problems
    expect(cliError.causes).to.deep.equal(
      list.map((p) => `${p.file}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ''}${p.message}`),
    )
    return list
  }

  throw new Error('expected the file to be refused')
}

/** "line:column path: message" of each problem, for compact assertions. */
const where = (list: FileProblem[]) => list.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`)

/** A one-hook file with `extra` lines added to the hook (indented by the caller). */
const hook = (extra: string, base = 'name: A\n    url: https://h.example.com/a\n    events: [user.lifecycle.create]') =>
  `hooks:\n  - ${base}\n${extra}`

describe('lib/hooks-as-code/validate', () => {
  it('reads every field, substitutes variables, applies the defaults', () => {
    const file = read(VALID)
    expect(file.file).to.equal('hooks.yaml')
    expect(file.warnings).to.deep.equal([])
    const [sync, audit] = file.hooks
    expect(sync).to.deep.include({
      description: 'Sync new users',
      events: ['user.lifecycle.create', 'user.lifecycle.activate'],
      filters: [{event: 'user.lifecycle.create', expression: "event.actor.type eq 'User'"}],
      name: 'User sync',
      status: 'INACTIVE',
      url: 'https://hooks.example.com/okta',
      verify: false,
    })
    expect(sync.at).to.deep.equal({column: 5, file: 'hooks.yaml', line: 2})
    expect(sync.headers[0]).to.deep.equal({name: 'X-Team', value: 'identity'})
    expect(sync.headers[1].valueFrom).to.deep.include({kind: 'env', ref: 'env:SHARED_VALUE', target: 'SHARED_VALUE'})
    expect(sync.auth).to.deep.include({header: 'Authorization'})
    expect(sync.auth!.valueFrom).to.deep.include({
      at: {column: 18, file: 'hooks.yaml', line: 15},
      kind: 'env',
      target: 'OKTA_HOOK_USER_SYNC_SECRET',
    })
    expect(audit).to.deep.include({filters: [], headers: [], name: 'Group audit', status: 'ACTIVE', verify: true})
    expect(audit).not.to.have.property('auth')
    expect(audit).not.to.have.property('description')
  })

  it('reads the same hooks from JSON by extension, with line numbers', () => {
    const json = JSON.stringify(
      {hooks: [{events: ['user.lifecycle.create'], name: 'A', url: 'https://h.example.com/a'}]},
      null,
      '\t',
    )
    expect(formatOf('org/hooks.JSON')).to.equal('json')
    expect(formatOf('hooks.yml')).to.equal('yaml')
    expect(formatOf('-')).to.equal('yaml')
    expect(read(json, {format: 'json'}).hooks[0]).to.deep.include({name: 'A', url: 'https://h.example.com/a'})

    const refused = problems('{\n  "hooks": [\n    {"name": "A", "urls": "x"}\n  ]\n}\n', {format: 'json'})
    expect(where(refused)).to.deep.equal([
      '3:5 hooks[0]: the key "url" is required',
      '3:5 hooks[0]: the key "events" is required',
      '3:19 hooks[0].urls: unknown key "urls" (did you mean "url"?); allowed here: name, ' +
        'description, url, events, filters, headers, auth, status, verify',
    ])
    expect(refused[0].file).to.equal('hooks.json')
  })

  it('refuses what JSON does not allow (trailing comma, comments) at its line, even where YAML would accept it', () => {
    expect(where(problems('{\n  "hooks": [],\n}\n', {format: 'json'}))).to.deep.equal([
      '3:1 : not valid JSON: Expected double-quoted property name',
    ])
    expect(where(problems('{"hooks": [] // none\n}', {format: 'json'}))[0]).to.match(/^1:14 : not valid JSON: /)
    expect(where(problems('{"hooks": [', {format: 'json'}))[0]).to.match(/^1:12 : not valid JSON: /)
  })

  it('reports YAML syntax errors with their line: a duplicate key, a bad indent', () => {
    expect(where(problems('hooks:\n  - name: A\n    name: B\n'))).to.deep.equal(['3:5 : Map keys must be unique'])
    expect(where(problems('hooks:\n  - name: [A\n'))[0]).to.match(/^3:1 : /)
  })

  it('refuses an empty file, a file without hooks, and hooks that are not a list', () => {
    expect(where(problems(''))).to.deep.equal(['1:1 : the file is empty; it needs a list of hooks under "hooks:"'])
    expect(where(problems('hook: []\n'))).to.deep.equal([
      '1:1 hook: unknown key "hook" (did you mean "hooks"?); allowed here: $schema, hooks',
      '1:1 : the key "hooks" is required',
    ])
    expect(where(problems('hooks: {name: A}\n'))).to.deep.equal([
      '1:8 hooks: must be a list of hooks (each starting with "- name: ...")',
    ])
    expect(where(problems('- name: A\n'))).to.deep.equal([
      '1:1 : The file must be a mapping with the keys $schema, hooks',
    ])
    expect(read('$schema: ./hooks-file.schema.json\nhooks: []\n').hooks).to.deep.equal([])
  })

  it('refuses event types that are not eligible, listed twice, misspelled, or more than 300', () => {
    const refused = where(
      problems(
        hook(
          '',
          'name: A\n    url: https://h.example.com/a\n    events: [user.lifecycle.creat, ' +
            'event_hook.created, user.lifecycle.create, user.lifecycle.create, "a,b"]',
        ),
      ),
    )
    expect(refused[0]).to.match(
      /^4:14 hooks\[0\]\.events\[0\]: the event type user\.lifecycle\.creat is not an event-hook-eligible type .* Did you mean user\.lifecycle\.create/,
    )
    expect(refused[1]).to.match(
      /^4:36 hooks\[0\]\.events\[1\]: the event type event_hook\.created: this event type exists but Okta does not deliver it to event hooks/,
    )
    expect(refused.slice(2)).to.deep.equal([
      '4:79 hooks[0].events[3]: user.lifecycle.create is listed twice (also hooks[0].events[2])',
      '4:102 hooks[0].events[4]: "a,b": one event type per list item',
    ])
    expect(where(problems(hook('', 'name: A\n    url: https://h.example.com/a\n    events: []')))).to.deep.equal([
      '4:13 hooks[0].events: must be a list of at least one event type (see `okta-hooks event-types`)',
    ])
    const many = Array.from({length: 301}, (_, i) => `t${i}.x`).join(', ')
    expect(where(problems(hook('', `name: A\n    url: https://h.example.com/a\n    events: [${many}]`)))).to.deep.equal(
      ['4:13 hooks[0].events: 301 event types; Okta allows at most 300 per hook'],
    )
    // Types newer than the catalog: accepted with --allow-unknown-events (still not ineligible ones).
    const newer = hook('', 'name: A\n    url: https://h.example.com/a\n    events: [user.lifecycle.brand_new]')
    expect(read(newer, {allowUnknownEvents: true}).hooks[0].events).to.deep.equal(['user.lifecycle.brand_new'])
  })

  it('refuses URLs and names as create does', () => {
    const refused = where(
      problems(
        'hooks:\n  - name: A\n    url: http://hooks.example.com/a\n    events: [user.lifecycle.create]\n' +
          `  - name: "${'n'.repeat(256)}"\n    url: "https://h.example.com/a b"\n    events: ` +
          `[user.lifecycle.create]\n` +
          '  - name: " "\n    url: ftp://h.example.com\n    events: [user.lifecycle.create]\n',
      ),
    )
    expect(refused).to.have.length(5)
    expect(refused[0]).to.match(/^3:10 hooks\[0\]\.url: the URL http:\/\/hooks\.example\.com\/a must use https:\/\//)
    expect(refused[1]).to.equal('5:11 hooks[1].name: the name is 256 characters long; Okta allows at most 255.')
    expect(refused[2]).to.match(
      /^6:10 hooks\[1\]\.url: the URL https:\/\/h\.example\.com\/a b must not contain whitespace/,
    )
    expect(refused[3]).to.equal('8:11 hooks[2].name: the name must not be empty.')
    expect(refused[4]).to.match(
      /^9:10 hooks\[2\]\.url: the URL ftp:\/\/h\.example\.com uses the unsupported scheme ftp:/,
    )

    const local = read(hook('', 'name: A\n    url: http://127.0.0.1:8080/a\n    events: [user.lifecycle.create]'))
    expect(local.warnings).to.deep.equal([
      '"A" uses plain http on a loopback host: fine for a local ' +
        'stand-in, but a real Okta org refuses anything but https.',
    ])
  })

  it('refuses duplicate names, also when they differ only in case', () => {
    const twice = 'hooks:\n  - name: A\n    url: https://h.example.com/a\n    events: [user.lifecycle.create]\n'
    expect(where(problems(twice + twice.slice('hooks:\n'.length).replace('name: A', 'name: a')))).to.deep.equal([
      '5:5 name: "A" and "a" differ only in case and are already the name of the hook at ' +
        'line 2; names must be unique (plan and apply match hooks by name)',
    ])
  })

  it('refuses reserved, duplicate and malformed headers, and the auth header as a custom one', () => {
    const refused = where(
      problems(
        hook(
          '    headers:\n      Accept: a\n      X-Okta-Thing: b\n      X-Team: c\n     ' +
            ' x-team: d\n      "Bad Name": e\n      Authorization: f\n' +
            '      X-Empty: ""\n      X-Number: 2\n      X-Lines: "a\\nb"\n ' +
            '   auth:\n      valueFrom: env:SECRET_VALUE\n',
        ),
      ),
    )
    expect(refused).to.deep.equal([
      '6:7 hooks[0].headers.Accept: refused: Accept is set by Okta itself (or by HTTP) and cannot be a custom header',
      '7:7 hooks[0].headers.X-Okta-Thing: refused: X-Okta-* headers are reserved for Okta',
      '9:7 hooks[0].headers.x-team: given twice: X-Team and x-team are the same header (names are case-insensitive)',
      '10:7 hooks[0].headers.Bad Name: the header name "Bad Name" is not a valid HTTP ' +
        'header name. Use letters, digits and dashes, e.g. X-Hook-Secret',
      '11:7 hooks[0].headers.Authorization: refused: Authorization is the auth ' +
        'header (auth.header); its value comes from auth.valueFrom',
      '12:16 hooks[0].headers.X-Empty: the value is empty',
      '13:17 hooks[0].headers.X-Number: must be a string (got 2: put it in quotes)',
      '14:16 hooks[0].headers.X-Lines: the value must be one line',
    ])
    expect(where(problems(hook('    auth:\n      header: Content-Type\n      valueFrom: env:S\n')))).to.deep.equal([
      '6:15 hooks[0].auth.header: refused: Content-Type is set by Okta ' +
        'itself (or by HTTP) and cannot be a custom header',
    ])
  })

  it('warns about a secret-looking header written in the file, not about one from a variable or valueFrom', () => {
    const file = read(hook('    headers:\n      X-Api-Key: abc123\n      X-Token: ${TOKEN_VALUE}\n'), {
      env: {TOKEN_VALUE: 'from-env'},
    })
    expect(file.warnings).to.deep.equal([
      'hooks.yaml:6:18: hooks[0].headers.X-Api-Key looks like a secret written in the ' +
        'file; use {valueFrom: env:NAME} so it stays out of files and git.',
    ])
    expect(file.hooks[0].headers).to.deep.equal([
      {name: 'X-Api-Key', value: 'abc123'},
      {name: 'X-Token', value: 'from-env'},
    ])
  })

  it('refuses invalid filters: empty, unbalanced, or on an event type the hook does not have', () => {
    const refused = where(
      problems(
        hook(
          '    filters:\n      user.lifecycle.create: "  "\n      ' +
            'user.lifecycle.activate: "x eq 1"\n      group.nope: "y"\n',
          'name: A\n    url: https://h.example.com/a\n    events: [user.lifecycle.create]',
        ),
      ),
    )
    expect(refused).to.deep.equal([
      "6:31 hooks[0].filters.user.lifecycle.create: the expression is empty: for example event.outcome.result eq 'SUCCESS'",
      '7:7 hooks[0].filters.user.lifecycle.activate: a filter must name one of ' +
        "the hook's event types; this hook has user.lifecycle.create",
      "8:7 hooks[0].filters.group.nope: a filter must name one of the hook's event types (and " +
        'is not in the event-type catalog); this hook has user.lifecycle.create',
    ])
    const unbalanced = where(
      problems(hook('    filters:\n      user.lifecycle.create: "event.target.?[type eq \'UserGroup\').size()>0"\n')),
    )
    expect(unbalanced).to.deep.equal([
      '6:65 hooks[0].filters.user.lifecycle.create: expected ] to close the ?[ at column 14, found ) ' +
        "(the expression's column 35)",
    ])
    expect(
      where(problems(hook('    filters:\n      user.lifecycle.create: "displayName eq \'Sales"\n'))),
    ).to.deep.equal([
      "6:46 hooks[0].filters.user.lifecycle.create: unterminated string (the expression's column 16): close it with '",
    ])
    expect(where(problems(hook('    filters:\n      user.lifecycle.create: "(a"\n')))).to.deep.equal([
      "6:31 hooks[0].filters.user.lifecycle.create: unclosed ( (the expression's column 1): close it with )",
    ])
  })

  it('points at the problem inside the expression: plain, quoted, on a later line of a block scalar', () => {
    const plain = where(problems(hook("    filters:\n      user.lifecycle.create: event.actr.id eq 'x'\n")))
    expect(plain).to.have.length(1)
    expect(plain[0]).to.match(
      /^6:36 hooks\[0\]\.filters\.user\.lifecycle\.create: unknown field event\.actr\.id \(the expression's column 7\): did you mean event\.actor\.id\?/,
    )
    const block =
      "    filters:\n      user.lifecycle.create: |-\n        event.actor.id eq 'x' &&\n        event.outcom.result eq 'SUCCESS'\n"
    const inBlock = where(problems(hook(block)))
    expect(inBlock).to.have.length(1)
    expect(inBlock[0]).to.match(
      /^8:15 hooks\[0\]\.filters\.user\.lifecycle\.create: unknown field event\.outcom\.result \(the expression's line 2, column 7\)/,
    )
    // An escape before the problem: the scalar's text is no longer the expression, so the scalar's start.
    const escaped = where(
      problems(hook('    filters:\n      user.lifecycle.create: "event.actor.id eq \'\\x41\' && nope"\n')),
    )
    expect(escaped).to.have.length(1)
    expect(escaped[0]).to.match(/^6:30 .*unknown field nope/)
  })

  it('keeps a filter Okta may accept but the engine cannot check, with a warning at its position', () => {
    const file = read(hook("    filters:\n      user.lifecycle.create: event.actor.id matches 'a.*'\n"))
    expect(file.hooks[0].filters).to.deep.equal([
      {event: 'user.lifecycle.create', expression: "event.actor.id matches 'a.*'"},
    ])
    expect(file.warnings).to.have.length(1)
    expect(file.warnings[0]).to.match(
      /^hooks\.yaml:6:45: hooks\[0\]\.filters\.user\.lifecycle\.create: okta-hooks cannot check this filter \(unsupported operator matches/,
    )
    expect(file.warnings[0]).to.contain("Okta's Expression Language may accept it, so it is kept")
  })

  it('warns about an event type Identity Engine orgs do not trigger, at its position', () => {
    const file = read(
      'hooks:\n  - name: A\n    url: https://h.example.com/a\n    events:\n      - user.lifecycle.create\n' +
        '      - user.credential.enroll\n',
    )
    expect(file.hooks[0].events).to.deep.equal(['user.lifecycle.create', 'user.credential.enroll'])
    expect(file.warnings).to.have.length(1)
    expect(file.warnings[0]).to.match(
      /^hooks\.yaml:6:9: hooks\[0\]\.events\[1\]: user\.credential\.enroll is not triggered in Identity Engine orgs/,
    )
  })

  it('refuses malformed secret references and auth without valueFrom', () => {
    const refused = where(
      problems(
        'hooks:\n  - name: A\n    url: https://h.example.com/a\n    events: ' +
          '[user.lifecycle.create]\n    auth:\n      valueFrom: the-secret-itself\n' +
          '    headers:\n      X-A:\n        valueFrom: env:1BAD\n      X-B:\n     ' +
          '   valueFrom: "file:"\n      X-C:\n        value: x\n' +
          '  - name: B\n    url: https://h.example.com/b\n    events: ' +
          '[user.lifecycle.create]\n    auth:\n      header: X-Key\n',
      ),
    )
    expect(refused).to.deep.equal([
      '6:18 hooks[0].auth.valueFrom: "the-secret-itself" must be env:NAME (an ' +
        'environment variable) or file:PATH (a file holding the secret)',
      '9:20 hooks[0].headers.X-A.valueFrom: "1BAD" is not an environment ' +
        'variable name (letters, digits and _, not starting with a digit)',
      '11:20 hooks[0].headers.X-B.valueFrom: file: needs a path',
      '13:9 hooks[0].headers.X-C.value: unknown key "value" (did you mean "valueFrom"?); allowed here: valueFrom',
      '13:9 hooks[0].headers.X-C: the key "valueFrom" is required',
      '18:7 hooks[1].auth: the key "valueFrom" is required',
    ])
  })

  it("resolves file: references against the hooks file's folder", () => {
    const file = read(hook('    auth:\n      valueFrom: file:secrets/hook.txt\n'))
    expect(file.hooks[0].auth!.valueFrom).to.deep.include({
      kind: 'file',
      ref: 'file:secrets/hook.txt',
      target: '/etc/hooks/secrets/hook.txt',
    })
    expect(baseDirOf('org/hooks.yaml', '/work')).to.equal('/work/org')
    expect(baseDirOf('-', '/work')).to.equal('/work')
  })

  it('names every variable that is not set, and malformed references; --var wins over the environment', () => {
    const text = hook(
      '    description: "${TEAM} hooks, $${literal}"\n',
      'name: A\n    url: https://${HOST}/${PATH_PART}\n    events: [user.lifecycle.create]',
    )
    expect(where(problems(text, {env: {}}))).to.deep.equal([
      '3:10 hooks[0].url: the variable HOST is not set: pass --var ' +
        'HOST=VALUE (or --var-file), or set it in the environment',
      '3:10 hooks[0].url: the variable PATH_PART is not set: pass --var ' +
        'PATH_PART=VALUE (or --var-file), or set it in the environment',
      '5:18 hooks[0].description: the variable TEAM is not set: pass --var ' +
        'TEAM=VALUE (or --var-file), or set it in the environment',
    ])
    const file = read(text, {
      env: {HOST: 'env.example.com', PATH_PART: 'okta', TEAM: 'Identity'},
      vars: ['HOST=var.example.com'],
    })
    expect(file.hooks[0]).to.deep.include({
      description: 'Identity hooks, ${literal}',
      url: 'https://var.example.com/okta',
    })
    expect(where(problems(hook('    description: "${not closed"\n')))).to.deep.equal([
      '5:18 hooks[0].description: "${not closed" is not a variable reference: ' +
        'write ${NAME} (letters, digits, _), or $${ for a literal ${',
    ])
  })

  it('refuses bad status and verify values, and non-string names', () => {
    expect(where(problems(hook('    status: active\n    verify: "yes"\n')))).to.deep.equal([
      '5:13 hooks[0].status: "active" must be ACTIVE or INACTIVE',
      '6:13 hooks[0].verify: must be true or false',
    ])
    expect(
      where(problems('hooks:\n  - name: 123\n    url: https://h.example.com/a\n    events: [user.lifecycle.create]\n')),
    ).to.deep.equal(['2:11 hooks[0].name: must be a string (got 123: put it in quotes)'])
    expect(where(problems('hooks:\n  - just a string\n'))[0]).to.match(
      /^2:5 hooks\[0\]: A hook must be a mapping with the keys name, /,
    )
  })

  it('follows YAML anchors, so one list can serve several hooks', () => {
    const file = read(
      'hooks:\n  - name: A\n    url: https://h.example.com/a\n    events: ' +
        '&user-events [user.lifecycle.create, user.lifecycle.activate]\n' +
        '  - name: B\n    url: https://h.example.com/b\n    events: *user-events\n',
    )
    expect(file.hooks[1].events).to.deep.equal(['user.lifecycle.create', 'user.lifecycle.activate'])
  })

  it('reports every problem of the file at once, in file order', () => {
    const refused = problems(
      'hooks:\n  - name: A\n    urll: x\n    events: [nope.nope]\n  - name: B\n    url: ' +
        'https://h.example.com/b\n    events: [user.lifecycle.create]\n    verify: 1\n',
    )
    expect(refused.map((p) => p.line)).to.deep.equal([2, 3, 4, 8])
  })

  it("the README's example file is valid, and its CI workflow is YAML", () => {
    const readme = readFileSync(fileURLToPath(new URL('../../../../README.md', import.meta.url)), 'utf8')
    const section = readme.slice(readme.indexOf('## Hooks as code'))
    const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1])
    const file = read(blocks[0])
    expect(file.hooks.map((h) => h.name)).to.deep.equal(['User sync'])
    expect(file.hooks[0]).to.deep.include({status: 'ACTIVE', url: 'https://hooks.example.com/okta', verify: true})
    expect(parse(blocks[1]).jobs.hooks.steps.at(-1).run).to.equal(
      'okta-hooks plan --file okta/hooks.yaml --prune --detailed-exitcode',
    )
  })
})
