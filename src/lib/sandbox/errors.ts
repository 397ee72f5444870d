/**
 * Okta's error bodies, as the sandbox answers them: {errorCode, errorSummary, errorLink, errorId,
 * errorCauses}. Codes and summaries come from Okta's catalog (data/error-codes.json).
 */
import {randomAlphanumeric} from '../delivery/okta-headers.js'

export {randomAlphanumeric} from '../delivery/okta-headers.js'

export interface OktaErrorBody {
  errorCauses: {errorSummary: string}[]
  errorCode: string
  errorId: string
  errorLink: string
  errorSummary: string
}

/** A failed API call: thrown by the sandbox's handlers, turned into the HTTP answer by the server. */
export class OktaApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly errorSummary: string,
    readonly causes: string[] = [],
  ) {
    super(`${status} ${errorCode}: ${errorSummary}`)
    this.name = 'OktaApiError'
  }

  toBody(): OktaErrorBody {
    return {
      errorCode: this.errorCode,
      errorSummary: this.errorSummary,
      errorLink: this.errorCode,
      errorId: 'oae' + randomAlphanumeric(19),
      errorCauses: this.causes.map((errorSummary) => ({errorSummary})),
    }
  }
}

export const apiValidation = (what: string, causes: string[]) =>
  new OktaApiError(400, 'E0000001', `Api validation failed: ${what}`, causes)
export const malformedBody = () => new OktaApiError(400, 'E0000003', 'The request body was not well-formed.')
export const invalidToken = () => new OktaApiError(401, 'E0000011', 'Invalid token provided')
export const hookNotFound = (id: string) =>
  new OktaApiError(404, 'E0000007', `Not found: Resource not found: ${id} (EventHook)`)
export const pathNotFound = () => new OktaApiError(404, 'E0000008', 'The requested path was not found')
export const unsupportedMethod = () =>
  new OktaApiError(405, 'E0000022', 'The endpoint does not support the provided HTTP method')
export const rateLimited = () =>
  new OktaApiError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.')
export const invalidScimFilter = (cause: string) => new OktaApiError(400, 'E0000053', 'Invalid SCIM filter.', [cause])
export const invalidSearchCriteria = (cause: string) =>
  new OktaApiError(400, 'E0000031', 'Invalid search criteria.', [cause])
/** An attribute that is not in Okta's LogEvent: the System Log query reference's "field is not valid" 400. */
export const unknownLogField = (field: string) =>
  new OktaApiError(400, 'E0000053', `field is not valid: ${field}`, [
    `${field} is not a System Log attribute: use one of the LogEvent's, such as eventType, actor.id or target.id`,
  ])
/** The System Log query reference's refusal of an operator on a field that does not support it. */
export const unsupportedOperatorField = (operator: string, field: string) =>
  new OktaApiError(
    400,
    'E0000031',
    `The supplied combination of operator and field is not currently supported. Operator: ${operator}, Field: ${field}`,
    [`${field} cannot be searched with ${operator}: use eq, or q for a keyword search`],
  )
