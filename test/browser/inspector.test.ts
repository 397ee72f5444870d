/**
 * The inspector in a real browser (headless Chromium), served by the BUILT okta-hooks listen: the page
 * loads, a delivery posted to listen appears live without a reload, its detail shows the masked auth
 * header and the event, and "Replay with modifications" with an edited field reaches the forward
 * target with that field changed; filters and the multi-select replay too. With
 * INSPECTOR_SCREENSHOTS=DIR it leaves screenshots (1280×800) there.
 */
import {expect} from 'chai'
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'

import type {Page} from 'playwright-core'

import {buildEnvelope} from '../../src/lib/delivery/envelope.js'
import {sampleEvent} from '../../src/lib/delivery/sample-events.js'
import {assertBuilt, CliProcess, stopAllProcesses, Workspace} from '../e2e/helpers/cli.js'
import {type Receiver as App, startReceiver as startApp, stopAll} from '../helpers/sandbox.js'
import {type Browser, startBrowser} from './browser.js'

const SECRET = 'browser-test-secret-4242'
const SHOTS = process.env.INSPECTOR_SCREENSHOTS

function envelope(type: string, target: {alternateId: string; displayName: string}, count = 1): string {
  const events = Array.from({length: count}, () => sampleEvent(type, {target}))
  return JSON.stringify(buildEnvelope({events, source: 'https://acme.okta.com/api/v1/eventHooks/whoDev0000000000001'}))
}

describe('browser: the inspector in headless Chromium', function () {
  this.timeout(90_000)
  let workspace: Workspace
  let app: App
  let listen: CliProcess
  let browser: Browser
  let page: Page
  let hookUrl: string
  let inspectorUrl: string

  const post = (body: string, secret = SECRET) =>
    fetch(hookUrl, {
      body,
      headers: {Authorization: secret, 'Content-Type': 'application/json', 'User-Agent': 'Okta-Integrations'},
      method: 'POST',
    })
  /** The list's row of request #n. */
  const row = (n: number) =>
    page.locator('#requests tbody tr').filter({has: page.locator('td.c-n', {hasText: new RegExp(`^${n}$`)})})
  const shoot = async (name: string) => {
    if (!SHOTS) return
    mkdirSync(SHOTS, {recursive: true})
    await page.screenshot({path: join(SHOTS, `${name}.png`)})
  }

  before(async () => {
    assertBuilt()
    workspace = new Workspace('browser')
    app = await startApp((request, response) =>
      response.writeHead(request.body.includes('"group.user_membership.remove"') ? 500 : 204).end(),
    )
    listen = new CliProcess(
      [
        'listen',
        '--port',
        '0',
        '--inspect-port',
        '0',
        '--record',
        workspace.path('deliveries.ndjson'),
        '--forward-to',
        app.url,
        '--answer-verification',
        '--auth-secret-env',
        'HOOK_SECRET',
      ],
      workspace.env({HOOK_SECRET: SECRET}),
    )
    const ready = await listen.waitForLine((text) => text.startsWith('Inspector: '), {
      stream: 'stderr',
      what: 'the inspector line',
    })
    inspectorUrl = /Inspector: (\S+)/.exec(ready)![1]
    hookUrl = /Ready: listening on (\S+)/.exec(listen.output('stderr'))![1]
    browser = await startBrowser()
    page = await browser.context.newPage()
  })

  after(async () => {
    await browser?.close()
    await listen?.stop()
    await stopAllProcesses()
    await stopAll()
    workspace?.remove()
  })

  it('loads, live, with nothing received yet', async () => {
    await page.goto(inspectorUrl)
    await page.waitForSelector('#live[data-state="live"]')
    expect(await page.title()).to.equal('okta-hooks inspector')
    expect(await page.textContent('#empty')).to.contain('Nothing received yet')
    expect(await page.textContent('#session'))
      .to.contain(hookUrl)
      .and.contain(app.url)
  })

  it('shows a delivery posted to listen at once, without a reload', async () => {
    await page.evaluate(() => ((window as any).notReloaded = true))
    await fetch(hookUrl, {headers: {Authorization: SECRET, 'X-Okta-Verification-Challenge': 'browser-challenge'}})
    expect(
      (
        await post(
          envelope('user.lifecycle.create', {alternateId: 'grace.hopper@example.com', displayName: 'Grace Hopper'}),
        )
      ).status,
    ).to.equal(204)
    await page.waitForSelector('#requests tbody tr:nth-child(2)')
    const first = page.locator('#requests tbody tr').first()
    expect(await first.locator('.c-types').textContent()).to.equal('user.lifecycle.create')
    expect(await first.locator('.c-status').textContent()).to.equal('204')
    expect(await first.locator('.verdict').textContent()).to.equal('accepted')
    expect(await page.locator('#requests tbody tr').nth(1).locator('.kind').textContent()).to.equal('verification')
    expect(await page.evaluate(() => (window as any).notReloaded)).to.equal(true)
  })

  it('details it: the auth header masked, the event as listen prints it, the envelope, the answer', async () => {
    await page.locator('#requests tbody tr').first().click()
    await page.waitForSelector('.detail-head')
    const headers = page.locator('.card:has(h3:text("Request headers")) .headers')
    expect(await headers.locator('tr:has(td:text-is("authorization")) td').nth(1).textContent()).to.equal('****')
    expect(await page.textContent('#detail')).not.to.contain(SECRET)
    expect(await page.locator('.events li .who').first().textContent()).to.contain(
      'created Grace Hopper <grace.hopper@example.com>',
    )
    expect(await page.locator('.card:has(h3:text("Envelope")) pre').textContent()).to.contain(
      '"eventType": "com.okta.event_hook"',
    )
    expect(await page.textContent('.verdict-line'))
      .to.contain('Okta: accepted')
      .and.contain('Okta accepts this delivery')
  })

  it('"Replay with modifications": the edited field reaches the forward target, with the answer, Okta\'s verdict and the replay in the list', async () => {
    await post(
      envelope('user.lifecycle.create', {alternateId: 'ada.lovelace@example.com', displayName: 'Ada Lovelace'}, 2),
    )
    await post(envelope('group.user_membership.remove', {alternateId: 'kim@example.com', displayName: 'Kim'}))
    await post(
      envelope('user.lifecycle.deactivate', {alternateId: 'nobody@example.com', displayName: 'Nobody'}),
      'wrong-secret',
    )
    await page.waitForSelector('#requests tbody tr:nth-child(5)')
    await shoot('1-list')
    await page.locator('#requests tbody tr', {hasText: 'group.user_membership.remove'}).click()
    await page.waitForSelector('.verdict-line.failed')
    await shoot('2-failed-detail')

    await row(2).click() // Grace's delivery
    await page.waitForSelector('.detail-head h2:has-text("#2 ")')
    await page.click('#replay-modified')
    const body = await page.inputValue('#replay-body')
    expect(body).to.contain('grace.hopper@example.com')
    await page.fill('#replay-body', body.replace('grace.hopper@example.com', 'katherine.johnson@example.com'))
    await shoot('3-editor')
    const before = app.requests.length
    await page.click('#replay-send')
    await page.waitForSelector('.card.result')
    expect(await page.textContent('.card.result'))
      .to.contain('accepted')
      .and.contain(app.url)
    const sent = app.requests.slice(before)
    expect(sent).to.have.length(1)
    expect(sent[0].json.data.events[0].target[0].alternateId).to.equal('katherine.johnson@example.com')
    expect(sent[0].headers.authorization).to.equal(SECRET)
    await page.waitForSelector('#requests tbody tr:nth-child(6)')
    expect(await page.locator('#requests tbody tr').first().locator('.tag').count()).to.equal(1) // ↻: a replay
    await shoot('4-replayed')
    await page.click('.card.result .link')
    await page.waitForSelector('.detail-head h2:has-text("#6 ")')
    expect(await page.textContent('.detail-sub')).to.contain('replay of #2')
  })

  it('filters by event type, status and text, and replays the selected requests', async () => {
    await page.selectOption('#eventType', 'group.user_membership.remove')
    await page.waitForFunction(() => document.querySelectorAll('#requests tbody tr').length === 1)
    await page.selectOption('#eventType', '')
    await page.selectOption('#status', '4xx')
    await page.waitForFunction(() => document.querySelectorAll('#requests tbody tr').length === 1)
    expect(await page.locator('#requests tbody tr .c-status').textContent()).to.equal('401')
    await page.selectOption('#status', '')
    await page.fill('#q', 'ada.lovelace')
    await page.waitForFunction(() => document.querySelectorAll('#requests tbody tr').length === 1)
    await page.fill('#q', 'no such text anywhere')
    await page.waitForSelector('#empty:not([hidden])')
    expect(await page.textContent('#empty')).to.contain('Nothing matches')
    await page.fill('#q', '')
    await page.waitForFunction(() => document.querySelectorAll('#requests tbody tr').length === 6)

    const before = app.requests.length
    await row(4).locator('input[type=checkbox]').check() // the group removal: the app answers 500
    await row(3).locator('input[type=checkbox]').check() // Ada's
    expect(await page.textContent('#replay-checked')).to.equal('Replay selected (2)')
    await page.click('#replay-checked')
    await page.waitForSelector('#bulk-result:has-text("Replayed 2")')
    expect(await page.textContent('#bulk-result')).to.equal('Replayed 2: 1 accepted, 0 rejected, 1 failed')
    expect(app.requests.length - before).to.equal(2)
    await page.waitForFunction(() => document.querySelectorAll('#requests tbody tr').length === 8)
    expect(await page.locator('#requests tbody input[type=checkbox]:checked').count()).to.equal(0)
    await shoot('5-after-bulk-replay')
  })
})
