import {expect} from 'chai'

import {CliError} from '../../../../src/lib/errors.js'
import {maskJson} from '../../../../src/lib/secrets/mask.js'
import {
  forgetSecrets,
  MIN_SECRET_LENGTH,
  redactKnownSecrets,
  registerAuthSecret,
  registerSecret,
} from '../../../../src/lib/secrets/registry.js'

describe('secrets/registry: the rule for short secrets', () => {
  afterEach(() => forgetSecrets())

  it(`refuses an auth secret shorter than ${MIN_SECRET_LENGTH} characters (exit 2), and redacts every one it accepts from free text`, () => {
    let error: CliError | undefined
    try {
      registerAuthSecret('wrong', 'The secret of the Authorization header')
    } catch (error_) {
      error = error_ as CliError
    }

    expect(error).to.be.instanceOf(CliError)
    expect(error!.exitCode).to.equal(2)
    expect(error!.message).to.equal(
      'The secret of the Authorization header is 5 characters long; okta-hooks needs at least 6.',
    )
    expect(error!.message).not.to.contain('wrong')
    expect(redactKnownSecrets('may be wrong')).to.equal('may be wrong')

    registerAuthSecret('s3cr3t', 'The secret')
    expect(redactKnownSecrets('echoed: s3cr3t and czNjcjN0')).to.equal('echoed: **** and ****')
  })

  it('catches a secret in the forms it travels: after its scheme word, as Basic user:pass and as the password alone', () => {
    registerSecret('Bearer access-token-123456')
    registerSecret(`Basic ${Buffer.from('svc:pa55word').toString('base64')}`)
    expect(redactKnownSecrets('token access-token-123456, pair svc:pa55word, password pa55word')).to.equal(
      'token ****, pair ****, password ****',
    )
  })

  it('masks every custom header value of a hook in JSON (as get does), beside the auth secret', () => {
    const hook = {
      channel: {
        config: {
          authScheme: {key: 'Authorization', type: 'HEADER', value: 'x'},
          headers: [
            {key: 'X-Api-Key', value: 'k-123'},
            {key: 'X-Tenant', value: 'acme'},
          ],
        },
      },
    }
    expect(maskJson(hook).channel.config).to.deep.equal({
      authScheme: {key: 'Authorization', type: 'HEADER', value: '****'},
      headers: [
        {key: 'X-Api-Key', value: '****'},
        {key: 'X-Tenant', value: '****'},
      ],
    })
  })
})
