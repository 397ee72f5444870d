import {expect} from 'chai'
import {chmodSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {askNgrok, publicUrlIn, startTunnel, tunnelCommand} from '../../../../src/lib/dev-loop/tunnel.js'
import {CliError} from '../../../../src/lib/errors.js'
import {alive, ended} from '../../../helpers/pids.js'

/** A tunnel stand-in: a shell command that prints what real tunnels print. */
const node = (script: string) => `"${process.execPath}" -e ${JSON.stringify(script)}`

describe('dev-loop/tunnel', function () {
  this.timeout(20_000)

  it('finds the public URL in what cloudflared and ngrok print, passing over documentation links and local addresses', () => {
    const lines: [string, string | undefined][] = [
      [
        '2026-12-01T10:00:00Z INF |  https://random-words-here.trycloudflare.com                       |',
        'https://random-words-here.trycloudflare.com',
      ],
      [
        'INF Thank you for trying Cloudflare Tunnel... https://developers.cloudflare.com/cloudflare-one/connections/connect-apps',
        undefined,
      ],
      [
        't=2026-12-01 lvl=info msg="started tunnel" obj=tunnels addr=http://localhost:8787 url=https://ab12-34.ngrok-free.app',
        'https://ab12-34.ngrok-free.app',
      ],
      ['Forwarding  https://ab12.ngrok.app/ -> http://localhost:8787', 'https://ab12.ngrok.app'],
      ['metrics on https://127.0.0.1:5000/ and https://localhost/', undefined],
      ['see (https://tunnel.example.com).', 'https://tunnel.example.com'],
      ['https://user:pass@tunnel.example.com/', undefined],
      ['nothing here', undefined],
    ]
    for (const [line, url] of lines) expect(publicUrlIn(line), line).to.equal(url)
    expect(tunnelCommand('ngrok http {port} --log {port}', 8787)).to.equal('ngrok http 8787 --log 8787')
    expect(() => tunnelCommand('  ', 1)).to.throw(CliError, '--tunnel needs a command')
  })

  it('starts the command with the port, reads the first public URL it prints, and stops its whole process group', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'okta-hooks-tunnel-'))
    const pidFile = join(dir, 'child.pid')
    // The shell starts a long-running child of its own, as ngrok and cloudflared run under a shell.
    const command = `sleep 60 & echo $! > ${pidFile}; echo "connecting to port {port}"; echo "your url is https://fake-tunnel.example.com"; wait`
    const tunnel = await startTunnel({command, port: 4321, timeoutMs: 10_000})
    expect(tunnel.publicUrl).to.equal('https://fake-tunnel.example.com')
    expect(tunnel.command).to.contain('sleep 60 &')
    expect(tunnel.output()).to.contain('connecting to port 4321')
    const child = Number(readFileSync(pidFile, 'utf8'))
    expect(alive(child)).to.equal(true)
    await tunnel.stop()
    expect(await ended(child)).to.equal(true)
    await tunnel.stop() // twice is fine
  })

  it("fails with exit 2 and the tunnel's output when it prints no URL in time, or ends first, or cannot start", async () => {
    const quiet = node(
      'console.log("starting"); console.log("docs: https://docs.example.com/guide"); setTimeout(() => {}, 60000)',
    )
    const error = await startTunnel({command: quiet, port: 1, timeoutMs: 300}).catch((e) => e)
    expect(error).to.be.instanceOf(CliError)
    expect(error.exitCode).to.equal(2)
    expect(error.code).to.equal('TUNNEL_FAILED')
    expect(error.message)
      .to.contain('printed no public https URL within 0.3 s')
      .and.contain('    starting')
      .and.contain('docs: https://docs.example.com/guide')
    expect(error.suggestions.join(' ')).to.contain('--public-url')

    const ended = await startTunnel({
      command: node('console.error("ERR_NGROK_4018: authentication failed"); process.exit(3)'),
      port: 1,
    }).catch((e) => e)
    expect(ended.message).to.contain('ended (exit 3) without printing').and.contain('ERR_NGROK_4018')

    const silent = await startTunnel({command: 'exit 0', port: 1}).catch((e) => e)
    expect(silent.message).to.contain('It printed nothing.')
  })

  it('stops waiting (and stops the tunnel) when listen is stopped meanwhile', async () => {
    const stop = new AbortController()
    const waiting = startTunnel({
      command: node('setTimeout(() => {}, 60000)'),
      port: 1,
      signal: stop.signal,
      timeoutMs: 10_000,
    })
    stop.abort()
    const error = await waiting.catch((e) => e)
    expect([error.code, error.exitCode]).to.deep.equal(['INTERRUPTED', 130])
  })

  it("asks ngrok's local API for the tunnel of this port when ngrok prints nothing to a pipe", async () => {
    let tunnels: unknown[] = []
    const api = http.createServer((_req, res) =>
      res.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify({tunnels})),
    )
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve))
    const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/api/tunnels`
    const dir = mkdtempSync(join(tmpdir(), 'okta-hooks-ngrok-'))
    const ngrok = join(dir, 'ngrok')
    writeFileSync(ngrok, '#!/bin/sh\nexec sleep 60\n')
    chmodSync(ngrok, 0o755)
    try {
      tunnels = [{config: {addr: 'http://localhost:9999'}, public_url: 'https://other.ngrok-free.app'}]
      expect(await askNgrok(apiUrl, 8787)).to.equal(undefined) // another port's tunnel
      expect(await askNgrok('http://127.0.0.1:1/api/tunnels', 8787)).to.equal(undefined) // no ngrok running
      tunnels.push(
        {config: {addr: 'http://localhost:8787'}, public_url: 'http://mine.ngrok-free.app'},
        {config: {addr: 'localhost:8787'}, public_url: 'https://mine.ngrok-free.app'},
      )
      const tunnel = await startTunnel({
        command: `${ngrok} http {port}`,
        ngrokApiUrl: apiUrl,
        port: 8787,
        timeoutMs: 10_000,
      })
      expect(tunnel.publicUrl).to.equal('https://mine.ngrok-free.app')
      await tunnel.stop()
    } finally {
      api.close()
    }
  })
})
