/** The receiver's answer to Okta's verification GET: 200 {"verification": <the challenge>}. */
import {CHALLENGE_HEADER} from '../endpoint-check/verification.js'
import {answer, type IncomingCall, type Outcome, refusal} from './exchange.js'

export function answerVerification(call: IncomingCall): Outcome {
  if (!call.challenge) {
    const message =
      `a GET without the ${CHALLENGE_HEADER} header: this endpoint ` +
      `answers Okta's verification GET and POST deliveries`
    return refusal('other', 400, {code: 'NO_CHALLENGE', message})
  }

  return {answer: answer(200, {verification: call.challenge}), kind: 'verification'}
}
