import {expect} from 'chai'

import {progressLine, rate, shellCommand, summaryLines} from '../../../src/lib/replay/progress.js'
import type {ReplayStats} from '../../../src/lib/replay/replayer.js'
import {NO_EXCLUSIONS} from '../../../src/lib/replay/selection.js'

const stats = (overrides: Partial<ReplayStats> = {}): ReplayStats => ({
  alreadyDone: false,
  accepted: 85,
  batches: 40,
  elapsedMs: 2000,
  failed: 10,
  failures: [
    {
      events: 10,
      explanation: '503: Okta retries a 5xx once',
      status: 503,
      uuids: ['a', 'b', 'c', 'd'],
      verdict: 'failed',
    },
  ],
  fetched: 200,
  left: 100,
  morePages: false,
  pages: 1,
  rejected: 5,
  resumed: false,
  sentThisRun: 100,
  skipped: 0,
  stoppedEarly: false,
  ...NO_EXCLUSIONS,
  ...overrides,
})

describe('replay/progress', () => {
  it('draws fetched, the events by verdict (accepted, rejected, failed) and the rate', () => {
    expect(rate(100, 2000)).to.equal(50)
    expect(rate(1, 0)).to.equal(0)
    expect(progressLine(stats(), 2000, 10)).to.equal(
      '[#####.....] fetched 200 · 85 accepted · 5 rejected · 10 failed · 50 events/s',
    )
  })

  it('says what was not sent and why: the counts that are not 0, and skipped by filter always when filters applied', () => {
    const none = summaryLines(stats({failed: 0, failures: []}), {target: 'http://t'})
    expect(none.join('\n')).to.not.contain('Not sent')
    const filtered = summaryLines(stats({failed: 0, failures: []}), {
      alwaysShow: ['skippedByFilter'],
      target: 'http://t',
    })
    expect(filtered).to.include('Not sent: skipped by filter: 0.')
    const routed = summaryLines(stats({failed: 0, failures: [], notListed: 1, notRouted: 2, withoutRouting: 3}), {
      target: 'http://t',
    })
    expect(routed).to.include('Not sent: not missing: 1, not routed to the hook: 2, without a routing record: 3.')
  })

  it('summarises, naming the failures file and how to resume', () => {
    const lines = summaryLines(stats({resumed: true, skipped: 7, stoppedEarly: true}), {
      checkpoint: 'r.ckpt',
      failures: 'f.ndjson',
      target: 'http://127.0.0.1:3000/okta',
    })
    expect(lines[0]).to.equal(
      'Stopped: 85 accepted, 5 rejected, 10 failed, 200 fetched in 1 page, 40 ' +
        'POSTs to http://127.0.0.1:3000/okta in 2.0s (50 events/s).',
    )
    expect(lines.join('\n'))
      .to.contain('Resumed from r.ckpt: 7 already acknowledged events')
      .and.contain('failed: 10 events (a, b, c, ...): 503')
      .and.contain('--from-file f.ndjson')
      .and.contain('--checkpoint r.ckpt')
    expect(summaryLines(stats({alreadyDone: true}), {checkpoint: 'r.ckpt', target: 'x'})[0]).to.contain(
      'already replayed',
    )
  })

  it('after Ctrl-C: the events by verdict, left, the checkpoint and the exact command that resumes', () => {
    const resume = shellCommand([
      'okta-hooks',
      'replay',
      'User sync',
      '--since',
      '24h',
      '--until',
      '1h',
      '--filter',
      'actor.alternateId eq "it\'s@x"',
      '--checkpoint',
      'r.ckpt',
    ])
    expect(resume).to.equal(
      `okta-hooks replay 'User sync' --since 24h --until 1h --filter ` +
        `'actor.alternateId eq "it'\\''s@x"' --checkpoint r.ckpt`,
    )
    const lines = summaryLines(stats({morePages: true, stoppedEarly: true}), {
      checkpoint: 'r.ckpt',
      failures: 'f.ndjson',
      interrupted: {resume, signal: 'SIGINT'},
      target: 'x',
    })
    expect(lines.slice(0, 3)).to.deep.equal([
      'Interrupted (SIGINT): 85 accepted, 5 rejected, 10 failed, 100 fetched and ' +
        'left unsent, and the rest of the window (not fetched yet).',
      'The checkpoint r.ckpt holds where it stopped. Resume with:',
      `  ${resume}`,
    ])
    expect(lines.join('\n')).to.contain('--from-file f.ndjson')
    const without = summaryLines(stats({stoppedEarly: true}), {interrupted: {resume, signal: 'SIGTERM'}, target: 'x'})
    expect(without[0]).to.equal(
      'Interrupted (SIGTERM): 85 accepted, 5 rejected, 10 failed, 100 fetched and left unsent.',
    )
    expect(without[1]).to.contain('Without --checkpoint this run cannot be resumed')
  })
})
