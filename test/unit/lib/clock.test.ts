import {expect} from 'chai'

import {clock, realClock, useClock} from '../../../src/lib/clock.js'
import {testClock, VirtualClock} from '../../helpers/clock.js'

describe('clock', () => {
  it('the real clock sleeps with a timer, and ends a sleep at once when it is aborted', async () => {
    const order: string[] = []
    const short = realClock.sleep(5).then(() => order.push('slept 5 ms'))
    await new Promise<void>((resolve) => {
      setImmediate(resolve)
    })
    order.push('next turn')
    await short
    expect(order).to.deep.equal(['next turn', 'slept 5 ms'])
    const controller = new AbortController()
    const long = realClock.sleep(60_000, controller.signal)
    controller.abort()
    await long
    await realClock.sleep(60_000, controller.signal)
    expect(realClock.now()).to.be.a('number')
  })

  it('each test gets a fresh virtual clock whose waits end at once and move its time', async () => {
    const virtual = testClock()
    expect(virtual.sleeps).to.deep.equal([])
    const before = virtual.now()
    await clock().sleep(90_000)
    expect(virtual.sleeps).to.deep.equal([90_000])
    expect(virtual.now() - before).to.be.at.least(90_000)
    const previous = useClock(realClock)
    expect(previous).to.equal(virtual)
    expect(() => testClock()).to.throw('no virtual clock installed')
    useClock(new VirtualClock())
  })
})
