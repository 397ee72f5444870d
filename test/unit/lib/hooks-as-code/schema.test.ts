/**
 * The JSON Schema shipped in schemas/hooks-file.schema.json is what hooksFileSchema() builds, and it
 * agrees with the validator (the judge) on a corpus of files. After an intended change:
 * UPDATE_SCHEMA=1 npx mocha test/unit/lib/hooks-as-code/schema.test.ts
 */
import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {Ajv} from 'ajv'
import {parse} from 'yaml'

import {eligibleEventTypes} from '../../../../src/lib/catalog/event-types.js'
import {CliError} from '../../../../src/lib/errors.js'
import {hooksFileSchema} from '../../../../src/lib/hooks-as-code/schema.js'
import {readHooksFile} from '../../../../src/lib/hooks-as-code/validate.js'
import {variableLookup} from '../../../../src/lib/hooks-as-code/variables.js'

const SHIPPED = fileURLToPath(new URL('../../../../schemas/hooks-file.schema.json', import.meta.url))

const hook = (fields: string) =>
  `hooks:\n  - name: A\n    url: https://h.example.com/a\n    events: [user.lifecycle.create]\n${fields}`

/** [what, file, valid?] */
const CORPUS: [string, string, boolean][] = [
  ['the smallest file', 'hooks: []\n', true],
  [
    'every field',
    hook(
      '    description: d\n    filters:\n      user.lifecycle.create: "event.actor.id eq \'a\'"\n    ' +
        'headers:\n      X-Team: t\n      X-Key: {valueFrom: env:K}\n    auth: {header: ' +
        'X-Auth, valueFrom: "file:s.txt"}\n    status: INACTIVE\n    verify: false\n',
    ),
    true,
  ],
  [
    'a URL from a variable',
    'hooks:\n  - name: A\n    url: https://${HOST}/okta\n    events: [user.lifecycle.create]\n',
    true,
  ],
  [
    'plain http on loopback',
    'hooks:\n  - name: A\n    url: http://127.0.0.1:8080/a\n    events: [user.lifecycle.create]\n',
    true,
  ],
  ['a null description', hook('    description: null\n'), true],
  ['$schema', '$schema: ./hooks-file.schema.json\nhooks: []\n', true],
  ['no hooks key', 'hook: []\n', false],
  ['an unknown key', hook('    urls: x\n'), false],
  ['a missing url', 'hooks:\n  - name: A\n    events: [user.lifecycle.create]\n', false],
  ['no events', 'hooks:\n  - name: A\n    url: https://h.example.com/a\n    events: []\n', false],
  [
    'an unknown event type',
    'hooks:\n  - name: A\n    url: https://h.example.com/a\n    events: [user.lifecycle.creat]\n',
    false,
  ],
  [
    'an ineligible event type',
    'hooks:\n  - name: A\n    url: https://h.example.com/a\n    events: [event_hook.created]\n',
    false,
  ],
  [
    'an event type twice',
    'hooks:\n  - name: A\n    url: https://h.example.com/a\n    events: ' +
      '[user.lifecycle.create, user.lifecycle.create]\n',
    false,
  ],
  [
    'plain http elsewhere',
    'hooks:\n  - name: A\n    url: http://h.example.com/a\n    events: [user.lifecycle.create]\n',
    false,
  ],
  [
    'whitespace in the URL',
    'hooks:\n  - name: A\n    url: "https://h.example.com/a b"\n    events: [user.lifecycle.create]\n',
    false,
  ],
  [
    'an empty name',
    'hooks:\n  - name: ""\n    url: https://h.example.com/a\n    events: [user.lifecycle.create]\n',
    false,
  ],
  [
    'a name of 256 characters',
    `hooks:\n  - name: ${'n'.repeat(256)}\n    url: https://h.example.com/a\n    events: [user.lifecycle.create]\n`,
    false,
  ],
  ['a reserved header', hook('    headers:\n      Content-Type: x\n'), false],
  ['a reserved header in another case', hook('    headers:\n      user-AGENT: x\n'), false],
  ['an X-Okta- header', hook('    headers:\n      X-OKTA-Thing: x\n'), false],
  ['a header name with a space', hook('    headers:\n      "X Team": x\n'), false],
  ['an empty header value', hook('    headers:\n      X-Team: ""\n'), false],
  ['a header value on two lines', hook('    headers:\n      X-Team: "a\\nb"\n'), false],
  ['a header valueFrom that is no reference', hook('    headers:\n      X-Key: {valueFrom: secret}\n'), false],
  ['auth without valueFrom', hook('    auth: {header: X-Auth}\n'), false],
  ['auth with a literal secret', hook('    auth: {valueFrom: hunter2}\n'), false],
  ['auth with an unknown key', hook('    auth: {valueFrom: env:A, value: x}\n'), false],
  ['a filter on an unknown type', hook('    filters:\n      nope.nope: "a eq 1"\n'), false],
  ['an empty filter', hook('    filters:\n      user.lifecycle.create: ""\n'), false],
  ['a lower-case status', hook('    status: active\n'), false],
  ['verify as a string', hook('    verify: "true"\n'), false],
]

describe('lib/hooks-as-code/schema', () => {
  const schema = hooksFileSchema()

  it('schemas/hooks-file.schema.json is exactly what okta-hooks builds (and `okta-hooks schema` prints)', () => {
    if (process.env.UPDATE_SCHEMA) writeFileSync(SHIPPED, JSON.stringify(schema, null, 2) + '\n')
    expect(JSON.parse(readFileSync(SHIPPED, 'utf8'))).to.deep.equal(schema)
  })

  it("is a valid draft-07 schema whose event types are the catalog's eligible ones, for completion in editors", () => {
    const ajv = new Ajv({allErrors: true, strict: true, strictTypes: false})
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).to.equal(true)
    const defs = schema.definitions as Record<string, {enum?: string[]}>
    expect(defs.eventType.enum)
      .to.have.length(eligibleEventTypes().length)
      .and.include('user.lifecycle.create')
      .and.not.include('event_hook.created')
  })

  it('agrees with the validator on every file of the corpus', () => {
    const validate = new Ajv({allErrors: true, strictTypes: false}).compile(schema)
    for (const [what, text, valid] of CORPUS) {
      const bySchema = validate(parse(text))
      let byCode = true
      try {
        readHooksFile(text, {
          baseDir: '/tmp',
          file: 'hooks.yaml',
          format: 'yaml',
          lookup: variableLookup({env: {HOST: 'h.example.com', K: 'k'}}),
        })
      } catch (error) {
        if (!(error instanceof CliError)) throw error
        byCode = false
      }

      expect({bySchema, byCode, what}).to.deep.equal({bySchema: valid, byCode: valid, what})
    }
  })
})
