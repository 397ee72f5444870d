import {expect} from 'chai'

import {CliError} from '../../../../src/lib/errors.js'
import {
  buildHookBody,
  checkCustomHeaders,
  checkFilters,
  maskBody,
  parseFilterFlag,
  parseHeaderFlag,
  reservedHeaderReason,
} from '../../../../src/lib/hooks/hook-builder.js'
import {assertEventHookContract} from '../../../helpers/contract.js'

function usage(fn: () => unknown): CliError {
  try {
    fn()
  } catch (error) {
    expect(error).to.be.instanceOf(CliError)
    expect((error as CliError).exitCode).to.equal(2)
    return error as CliError
  }

  throw new Error('expected a usage error')
}

const SECRET = 'builder-secret-value-01'

describe('lib/hooks/hook-builder', () => {
  it('builds the minimal body', () => {
    const {body, warnings} = buildHookBody({
      events: ['user.lifecycle.create'],
      name: ' A ',
      url: 'https://h.example.com/x',
    })
    expect(body).to.deep.equal({
      channel: {config: {uri: 'https://h.example.com/x'}, type: 'HTTP', version: '1.0.0'},
      events: {items: ['user.lifecycle.create'], type: 'EVENT_TYPE'},
      name: 'A',
    })
    expect(warnings).to.deep.equal([])
    assertEventHookContract(body, 'request')
  })

  it('builds the full body: description, headers, auth, filter; every piece in the contract', () => {
    const {body} = buildHookBody({
      auth: {key: 'X-Key', value: SECRET},
      description: 'd',
      events: ['user.lifecycle.create, user.lifecycle.activate'],
      filters: ["user.lifecycle.activate=event.actor.type eq 'User'"],
      headers: ['X-Team: a'],
      name: 'A',
      url: 'https://h.example.com/x',
    })
    expect(body).to.deep.equal({
      channel: {
        config: {
          authScheme: {key: 'X-Key', type: 'HEADER', value: SECRET},
          headers: [{key: 'X-Team', value: 'a'}],
          uri: 'https://h.example.com/x',
        },
        type: 'HTTP',
        version: '1.0.0',
      },
      description: 'd',
      events: {
        filter: {
          eventFilterMap: [
            {condition: {expression: "event.actor.type eq 'User'", version: null}, event: 'user.lifecycle.activate'},
          ],
          type: 'EXPRESSION_LANGUAGE',
        },
        items: ['user.lifecycle.create', 'user.lifecycle.activate'],
        type: 'EVENT_TYPE',
      },
      name: 'A',
    })
    assertEventHookContract(body, 'request')
    expect(JSON.stringify(maskBody(body))).not.to.contain(SECRET)
    expect(maskBody(body).channel.config.authScheme?.value).to.equal('****')
    expect(body.channel.config.authScheme?.value, 'masking copies').to.equal(SECRET)
  })

  it('keeps the scheme word of a masked Basic value', () => {
    const {body} = buildHookBody({
      auth: {key: 'Authorization', value: 'Basic dXNlcjpwYXNz'},
      events: ['user.lifecycle.create'],
      name: 'A',
      url: 'https://h.example.com',
    })
    expect(maskBody(body).channel.config.authScheme?.value).to.equal('Basic ****')
  })

  it('refuses an empty name, and warns on loopback http', () => {
    expect(
      usage(() => buildHookBody({events: ['user.lifecycle.create'], name: '  ', url: 'https://h.example.com'})).message,
    ).to.equal('--name must not be empty.')
    const {warnings} = buildHookBody({events: ['user.lifecycle.create'], name: 'A', url: 'http://localhost:3000/h'})
    expect(warnings[0]).to.contain('a real Okta org refuses anything but https')
    expect(usage(() => buildHookBody({events: [], name: 'A', url: 'https://h.example.com'})).message).to.contain(
      'at least one event type',
    )
  })

  it('parses headers and filters', () => {
    expect(parseHeaderFlag('X-A:  b: c ')).to.deep.equal({key: 'X-A', value: 'b: c'})
    expect(usage(() => parseHeaderFlag(': v')).message).to.contain('"Name: value"')
    expect(usage(() => parseHeaderFlag('X-A:')).message).to.contain('empty value')
    expect(usage(() => parseHeaderFlag('Bad Name: v')).message).to.contain('not a valid HTTP header name')
    expect(parseFilterFlag('a.b=x eq "=y"')).to.deep.equal({event: 'a.b', expression: 'x eq "=y"'})
    expect(usage(() => parseFilterFlag('=x')).message).to.contain('EVENT_TYPE=EXPRESSION')
    expect(usage(() => parseFilterFlag('a.b=')).message).to.contain('EVENT_TYPE=EXPRESSION')
    expect(usage(() => checkFilters([{event: 'c', expression: 'x'}], ['a'])).message).to.contain(
      "one of the hook's event types (a)",
    )
  })

  it("reserves Okta's headers and the auth header, case-insensitively", () => {
    for (const name of [
      'Accept',
      'content-type',
      'CONTENT-LENGTH',
      'Host',
      'User-Agent',
      'connection',
      'Transfer-Encoding',
      'x-okta-request-id',
    ]) {
      expect(reservedHeaderReason(name), name).to.be.a('string')
    }

    expect(reservedHeaderReason('x-hook-key', 'X-Hook-Key')).to.contain('auth header')
    expect(reservedHeaderReason('Authorization')).to.equal(undefined)
    expect(reservedHeaderReason('X-Team')).to.equal(undefined)
    expect(
      usage(() =>
        checkCustomHeaders([
          {key: 'A-B', value: '1'},
          {key: 'a-b', value: '2'},
        ]),
      ).message,
    ).to.contain('more than once')
  })

  it('warns that a secret-looking custom header is not write-only', () => {
    const {warnings} = buildHookBody({
      events: ['user.lifecycle.create'],
      headers: ['X-Api-Key: k'],
      name: 'A',
      url: 'https://h.example.com',
    })
    expect(warnings[0]).to.contain('returned in clear')
  })
})
