/**
 * The package as users install it (test/package/helpers/install.ts: npm pack, npm install -g
 * --prefix), run as `okta-hooks` from that PATH, in a temporary working folder and HOME, against
 * the sandbox started from the installed CLI itself; with settings from the environment only, from
 * ~/.okta/okta.yaml, from ./okta.yaml over it, and from okta.yaml in PrivateKey mode (the sandbox's
 * OAuth service app).
 */
import {expect} from 'chai'
import {generateKeyPairSync} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {type CliResult, describeRun, type Env, runCli, stopAllProcesses, Workspace} from '../e2e/helpers/cli.js'
import {type Listener, type Sandbox, startListen, startSandbox} from '../e2e/helpers/processes.js'
import {type InstalledPackage, packAndInstall} from './helpers/install.js'

const CLIENT_ID = '0oaPackageSuiteApp01'
const KEY_ID = 'package-suite-key-1'
const SCOPES = ['okta.eventHooks.read', 'okta.eventHooks.manage', 'okta.logs.read']
const keys = generateKeyPairSync('rsa', {modulusLength: 2048})
const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version

function expectExit(result: CliResult, code: number): void {
  expect(result.code, describeRun(result)).to.equal(code)
}

/** okta.yaml text: okta.client with these settings (values are YAML, written as given). */
function oktaYaml(settings: Record<string, string>): string {
  return ['okta:', '  client:', ...Object.entries(settings).map(([key, value]) => `    ${key}: ${value}`), ''].join(
    '\n',
  )
}

describe('the installed package: npm pack, npm install -g --prefix, okta-hooks from PATH', function () {
  let installed: InstalledPackage
  let workspace: Workspace
  let sandbox: Sandbox
  let listener: Listener
  let cases = 0

  /** A fresh HOME and working folder for one case, with the okta.yaml files given. */
  function place(files: {cwd?: string; home?: string} = {}): {cwd: string; home: string} {
    const dirs = {cwd: workspace.path(`case-${++cases}-cwd`), home: workspace.path(`case-${cases}-home`)}
    mkdirSync(dirs.cwd)
    mkdirSync(join(dirs.home, '.okta'), {recursive: true})
    if (files.home !== undefined) writeFileSync(join(dirs.home, '.okta', 'okta.yaml'), files.home)
    if (files.cwd !== undefined) writeFileSync(join(dirs.cwd, 'okta.yaml'), files.cwd)
    return dirs
  }

  /**
   * `okta-hooks ARGS` as a user runs it: from PATH, in `dirs.cwd` with HOME `dirs.home`, no OKTA_CLIENT_* unless given.
   */
  const okta = (args: string[], dirs: {cwd: string; home: string}, extra: Env = {}): Promise<CliResult> =>
    runCli(args, {
      cwd: dirs.cwd,
      env: workspace.env({HOME: dirs.home, USERPROFILE: dirs.home, ...extra}),
      launcher: installed.launcher,
    })

  before(async function () {
    this.timeout(300_000)
    installed = packAndInstall()
    console.log(`      (npm pack ${installed.seconds.pack} s, npm install ${installed.seconds.install} s)`)
    workspace = new Workspace('package', installed.launcher)
    const publicKey = workspace.path('service-app.pub.jwk')
    writeFileSync(publicKey, JSON.stringify({...keys.publicKey.export({format: 'jwk'}), kid: KEY_ID}))
    ;[sandbox, listener] = await Promise.all([
      startSandbox(workspace, ['--oauth-client-id', CLIENT_ID, '--oauth-public-key', publicKey]),
      startListen(workspace),
    ])
  })

  after(async () => {
    await Promise.all([sandbox?.stop(), listener?.stop()])
    await stopAllProcesses()
    workspace?.remove()
    installed?.remove()
  })

  it('installs the built CLI alone (no runtime dependencies), with its LICENSE, and PATH finds it', async () => {
    // No node_modules: the package has no runtime dependencies (oclif, its help and the SDK are bundled in dist/).
    expect(readdirSync(installed.dir).sort()).to.deep.equal([
      'LICENSE',
      'README.md',
      'bin',
      'data',
      'dist',
      'oclif.manifest.json',
      'package.json',
      'schemas',
    ])
    expect(existsSync(join(installed.dir, 'dist', 'vendor', 'okta-sdk.cjs'))).to.equal(true)
    expect(existsSync(join(installed.dir, 'dist', 'vendor', 'okta-sdk-oauth.cjs'))).to.equal(true)
    expect(readFileSync(join(installed.dir, 'LICENSE'), 'utf8')).to.match(/^MIT License/)
    const which = await runCli(['-c', 'command -v okta-hooks'], {
      env: {...installed.launcher.env},
      launcher: {args: [], command: '/bin/sh'},
    })
    expect(which.stdout.trim()).to.equal(join(installed.prefix, 'bin', 'okta-hooks'))
  })

  it("--version, --version --json, --help and a command's --help", async () => {
    const dirs = place()
    const version = await okta(['--version'], dirs)
    expectExit(version, 0)
    expect(version.stdout).to.equal(
      `okta-hooks/${VERSION} ${process.platform}-${process.arch} node-${process.version}\n`,
    )
    const json = await okta(['--version', '--json'], dirs)
    expectExit(json, 0)
    expect(json.json()).to.deep.include({version: VERSION})
    const help = await okta(['--help'], dirs)
    expectExit(help, 0)
    for (const command of ['create', 'list', 'preview', 'listen', 'sandbox', 'replay'])
      expect(help.stdout).to.contain(command)
    const createHelp = await okta(['create', '--help'], dirs)
    expectExit(createHelp, 0)
    expect(createHelp.stdout).to.contain('--auth-secret-env')
  })

  it('(a) the environment only: list, create, preview --sample to listen', async () => {
    const dirs = place()
    const env = sandbox.connection
    const empty = await okta(['list', '--json'], dirs, env)
    expectExit(empty, 0)
    const before = empty.json().hooks.length
    const created = await okta(
      ['create', '--name', 'Package suite (env)', '--url', listener.url, '--event', 'user.lifecycle.create', '--json'],
      dirs,
      env,
    )
    expectExit(created, 0)
    const hook = created.json().hook
    expect(hook).to.include({name: 'Package suite (env)', status: 'ACTIVE'})
    const listed = await okta(['list', '--json'], dirs, env)
    expect(listed.json().hooks.map((h: any) => h.id))
      .to.include(hook.id)
      .and.have.length(before + 1)
    const from = listener.messages.length
    const preview = await okta(['preview', hook.id, '--sample', '--json'], dirs, env)
    expectExit(preview, 0)
    const delivery = await listener.waitForMessage((m) => m.type === 'delivery', 'the previewed delivery', from)
    expect(delivery.events?.[0]?.eventType).to.equal('user.lifecycle.create')
    expect(delivery.envelope?.source).to.equal(`${sandbox.orgUrl}/api/v1/eventHooks/${hook.id}`)
  })

  it('(b) ~/.okta/okta.yaml only', async () => {
    const dirs = place({home: oktaYaml({orgUrl: sandbox.orgUrl, token: sandbox.token})})
    const listed = await okta(['list', '--json'], dirs)
    expectExit(listed, 0)
    expect(listed.json().hooks).to.be.an('array')
  })

  it('(c) ./okta.yaml overrides ~/.okta/okta.yaml, key by key; the environment overrides both', async () => {
    const wrongHome = place({
      cwd: oktaYaml({token: sandbox.token}),
      home: oktaYaml({orgUrl: sandbox.orgUrl, token: 'wrong-token-from-home'}),
    })
    expectExit(await okta(['list', '--json'], wrongHome), 0)
    const wrongCwd = place({
      cwd: oktaYaml({token: 'wrong-token-from-cwd'}),
      home: oktaYaml({orgUrl: sandbox.orgUrl, token: sandbox.token}),
    })
    const refused = await okta(['list', '--json'], wrongCwd)
    expectExit(refused, 3)
    expect(refused.json().error.code).to.equal('E0000011')
    expectExit(await okta(['list', '--json'], wrongCwd, {OKTA_CLIENT_TOKEN: sandbox.token}), 0)
  })

  it('(d) okta.yaml in PrivateKey mode: clientId, scopes as a YAML list, privateKey as PEM or JWK, keyId, userAgent', async () => {
    const pem = keys.privateKey.export({format: 'pem', type: 'pkcs8'}).toString().trim().split('\n')
    const settings = {
      authorizationMode: 'PrivateKey',
      clientId: CLIENT_ID,
      keyId: KEY_ID,
      orgUrl: sandbox.orgUrl,
      privateKey: `|\n${pem.map((line) => `      ${line}`).join('\n')}`,
      scopes: `\n${SCOPES.map((scope) => `      - ${scope}`).join('\n')}`,
      userAgent: 'package-suite/1.0',
    }
    const dirs = place({cwd: oktaYaml(settings)})
    const created = await okta(
      [
        'create',
        '--name',
        'Package suite (OAuth)',
        '--url',
        listener.url,
        '--event',
        'user.lifecycle.create',
        '--json',
      ],
      dirs,
    )
    expectExit(created, 0)
    const listed = await okta(['list', '--debug', '--json'], dirs)
    expectExit(listed, 0)
    expect(listed.json().hooks.map((h: any) => h.name)).to.include('Package suite (OAuth)')
    expect(listed.stderr)
      .to.contain(`-> POST ${sandbox.orgUrl}/oauth2/v1/token`)
      .and.contain('Authorization: Bearer ****')
    expect(listed.stderr).to.match(/User-Agent: package-suite\/1\.0 okta-hooks\//)
    expect(listed.stderr).to.not.contain('PRIVATE KEY')

    const jwk = JSON.stringify(keys.privateKey.export({format: 'jwk'}))
    const asJwk = place({home: oktaYaml({...settings, privateKey: jwk, scopes: SCOPES.join(' ')})})
    expectExit(await okta(['list', '--json'], asJwk), 0)
    const otherKey = generateKeyPairSync('rsa', {modulusLength: 2048})
      .privateKey.export({format: 'pem', type: 'pkcs8'})
      .toString()
    const refused = await okta(['list', '--json'], asJwk, {OKTA_CLIENT_PRIVATEKEY: otherKey})
    expectExit(refused, 3)
    expect(refused.json().error).to.include({code: 'invalid_client'})
  })

  it('a malformed okta.yaml exits 2 naming the file and the line, with or without OKTA_CLIENT_*', async () => {
    const broken = 'okta:\n  client:\n    orgUrl: http://127.0.0.1:1\n   token: [unclosed\n'
    for (const where of ['home', 'cwd'] as const) {
      const dirs = place({[where]: broken})
      const file = where === 'home' ? join(dirs.home, '.okta', 'okta.yaml') : join(dirs.cwd, 'okta.yaml')
      for (const env of [{}, sandbox.connection]) {
        const result = await okta(['list'], dirs, env)
        expectExit(result, 2)
        expect(result.stderr).to.contain(
          `Error: ${file} is not valid YAML: line 4, column 1: All mapping items must start at the same column`,
        )
      }
    }
  })
})
