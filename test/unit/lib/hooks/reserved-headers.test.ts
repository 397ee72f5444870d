import {expect} from 'chai'

import Create from '../../../../src/commands/create.js'
import {CliError} from '../../../../src/lib/errors.js'
import {checkCustomHeaders} from '../../../../src/lib/hooks/hook-builder.js'
import {isReservedHeader, RESERVED_HEADER_NAMES} from '../../../../src/lib/hooks/reserved-headers.js'
import {OktaApiError} from '../../../../src/lib/sandbox/errors.js'
import {validateHookBody} from '../../../../src/lib/sandbox/hook-validation.js'
import {runCommand} from '../../../helpers/run-command.js'
import {hookBody, startSandbox, stopAll} from '../../../helpers/sandbox.js'

/** Why the sandbox refuses a body, or undefined when it accepts it. */
function sandboxCauses(body: unknown): string[] | undefined {
  try {
    validateHookBody(body)
    return undefined
  } catch (error) {
    return (error as OktaApiError).causes
  }
}

/** A valid create body with one custom header. */
function withHeader(key: string): Record<string, any> {
  const body = hookBody('https://hooks.example.com/okta')
  body.channel.config.headers = [{key, value: 'v'}]
  return body
}

describe('hooks/reserved-headers', () => {
  afterEach(stopAll)

  it('one list, case-insensitive, with every X-Okta-* name, refused alike by create/update and by the sandbox', () => {
    expect(RESERVED_HEADER_NAMES).to.include.members([
      'accept',
      'content-type',
      'cookie',
      'host',
      'user-agent',
      'x-okta-request-id',
    ])
    for (const name of [...RESERVED_HEADER_NAMES, 'X-Okta-Anything', 'COOKIE', 'Content-Length']) {
      expect(isReservedHeader(name), name).to.equal(true)
      expect(() => checkCustomHeaders([{key: name, value: 'v'}]), name).to.throw(CliError, 'is refused')
      expect(sandboxCauses(withHeader(name)), name).to.deep.equal([
        `channel.config.headers: ${name} is a reserved header and cannot be set`,
      ])
    }

    for (const name of ['X-Team', 'X-Api-Key', 'X-Oktaish', 'Okta-Team']) {
      expect(isReservedHeader(name), name).to.equal(false)
      expect(checkCustomHeaders([{key: name, value: 'v'}]), name).to.have.length(1)
      expect(sandboxCauses(withHeader(name)), name).to.equal(undefined)
    }

    expect(() => checkCustomHeaders([], 'Content-Type')).to.throw(CliError, '--auth-header "Content-Type" is refused')
  })

  it('create --dry-run refuses "Cookie: a=b" as the sandbox does (it used to pass the dry run and fail the real create)', async () => {
    const dry = await runCommand(Create, [
      '--name',
      'Cookie',
      '--url',
      'https://hooks.example.com/okta',
      '--event',
      'user.lifecycle.create',
      '--header',
      'Cookie: a=b',
      '--dry-run',
      '--json',
    ])
    expect(dry.exitCode).to.equal(2)
    expect(dry.json.error.message).to.contain('--header "Cookie" is refused')
    const t = await startSandbox()
    const real = await t.api('POST', '/api/v1/eventHooks', withHeader('Cookie'))
    expect([real.status, real.body.errorCauses[0].errorSummary]).to.deep.equal([
      400,
      'channel.config.headers: Cookie is a reserved header and cannot be set',
    ])
  })
})
