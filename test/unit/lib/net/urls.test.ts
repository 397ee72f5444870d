import {expect} from 'chai'

import {CliError} from '../../../../src/lib/errors.js'
import {checkHookUri, displayUrl, isLoopbackHost, refuseCredentials} from '../../../../src/lib/net/urls.js'

describe('net/urls', () => {
  it('loopback is localhost, 127.0.0.0/8 and ::1, and nothing a DNS lookup could send elsewhere', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '127.255.255.255', '::1', '[::1]'])
      expect(isLoopbackHost(host), host).to.equal(true)
    for (const host of [
      'anything.localhost',
      'app.localhost',
      'localhost.',
      'localhost.example.com',
      '127.0.0.1.nip.io',
      '127.256.0.1',
      '128.0.0.1',
      '10.0.0.1',
      '::ffff:7f00:1',
      '0.0.0.0',
      '',
    ]) {
      expect(isLoopbackHost(host), host).to.equal(false)
    }
  })

  it('plain http is a hook URL only on loopback: http://anything.localhost is refused like any other host', () => {
    expect(checkHookUri('http://127.0.0.1:3000/h')).to.include({plainHttpLoopback: true})
    expect(checkHookUri('http://localhost:3000/h')).to.include({plainHttpLoopback: true})
    expect(checkHookUri('http://[::1]:3000/h')).to.include({plainHttpLoopback: true})
    const refused = checkHookUri('http://anything.localhost/h')
    expect(refused)
      .to.have.property('problem')
      .that.contains('plain http is accepted only for localhost, 127.0.0.0/8 and ::1')
  })

  it('refuses a URL with a user name or password (exit 2) without echoing the password', () => {
    for (const url of [
      'https://user:hunter2-pass@hooks.example.com/okta',
      'https://only-user@hooks.example.com/',
      'http://:hunter2-pass@127.0.0.1:3000/',
    ]) {
      let error: CliError | undefined
      try {
        refuseCredentials(url, '--url')
      } catch (error_) {
        error = error_ as CliError
      }

      expect(error, url).to.be.instanceOf(CliError)
      expect(error!.exitCode).to.equal(2)
      expect(error!.message).to.match(
        /^--url https?:\/\/(\*{4})?(:\*{4})?@[^ ]+ has a user name or password in it; okta-hooks refuses such URLs\.$/,
      )
      expect(error!.message + error!.suggestions.join())
        .not.to.contain('hunter2')
        .and.not.to.contain('only-user')
    }

    expect(() => refuseCredentials('https://hooks.example.com/okta?token=a@b', '--url')).not.to.throw()
    expect(() => refuseCredentials('not a url', '--url')).not.to.throw()
  })

  it('shows a URL as given, with a user name and password masked (even one that does not parse)', () => {
    expect(displayUrl('https://h.example.com')).to.equal('https://h.example.com')
    expect(displayUrl('https://user:pass@h.example.com/okta')).to.equal('https://****:****@h.example.com/okta')
    expect(displayUrl('https://user:pass@h .example.com/')).to.equal('https://****@h .example.com/')
  })
})
