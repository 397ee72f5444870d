/**
 * Carries out a plan against the org, one step at a time in the plan's order, through
 * EventHooksApi. A step that fails stops the run: the failure says what was done, which step
 * failed and what was not attempted (rerunning apply continues, since it plans again from the
 * org). `requestsFor` gives the same steps as the requests they send, for --dry-run.
 */
import type {CliError} from '../errors.js'
import type {EventHooksApi} from '../hooks/event-hooks-api.js'
import {maskBody} from '../hooks/hook-builder.js'
import {asCliError, verifyHook} from '../hooks/lifecycle.js'
import type {EventHook, EventHookBody} from '../hooks/types.js'
import {MASK} from '../secrets/mask.js'
import type {HookSpec} from './file-format.js'
import {createBody, phaseOf, type Plan, type PlanStep, updateBody} from './plan.js'

const BASE = '/api/v1/eventHooks'

export interface ApplyRequest {
  body?: EventHookBody
  method: 'DELETE' | 'POST' | 'PUT'
  path: string
}

/** A step that was carried out, and where the hook stood after it. */
export interface StepResult extends PlanStep {
  id: string
  status: 'DELETED' | EventHook['status']
  verificationStatus?: EventHook['verificationStatus']
}

export interface ApplyContext {
  /** The org's hooks the plan was made from. */
  org: EventHook[]
  /** The file's hooks, secrets read. */
  specs: HookSpec[]
}

/** A run that stopped at `failed`: `error` is why, with its exit code. */
export class ApplyFailure extends Error {
  constructor(
    readonly error: CliError,
    readonly done: StepResult[],
    readonly failed: PlanStep,
    readonly notDone: PlanStep[],
  ) {
    super(error.message)
    this.name = 'ApplyFailure'
  }
}

/** Every step as the request it sends; secrets masked. Ids of hooks this apply creates are shown as placeholders. */
export function requestsFor(plan: Plan, context: ApplyContext): (PlanStep & {request: ApplyRequest})[] {
  const lookup = lookups(context)
  return plan.steps.map((step) => {
    const request = requestFor(step, lookup, step.id ?? `{id of "${step.hook}"}`, step.id !== undefined)
    return {
      ...step,
      request: request.body ? {...request, body: masked(request.body, lookup.specs.get(step.hook)!)} : request,
    }
  })
}

export async function applyPlan(
  api: EventHooksApi,
  plan: Plan,
  context: ApplyContext,
  progress: (result: StepResult) => void = () => {},
): Promise<StepResult[]> {
  const lookup = lookups(context)
  const latest = new Map(context.org.map((hook) => [hook.name, hook]))
  const queue = [...plan.steps]
  const done: StepResult[] = []
  for (let step = queue.shift(); step; step = queue.shift()) {
    const id = step.id ?? latest.get(step.hook)?.id
    let result: StepResult
    try {
      result = await runStep(api, {...step, ...(id ? {id} : {})}, lookup, latest)
    } catch (error) {
      throw new ApplyFailure(asCliError(error), done, {...step, ...(id ? {id} : {})}, queue)
    }

    done.push(result)
    progress(result)
    if (step.kind === 'update') verifyAgainIfOktaAsks(result, lookup.specs.get(step.hook)!, queue)
  }

  return done
}

/** maskBody, and also the custom headers whose values come from a secret reference. */
function masked(body: EventHookBody, spec: HookSpec): EventHookBody {
  const out = maskBody(body)
  const secret = new Set(spec.headers.filter((h) => h.valueFrom).map((h) => h.name.toLowerCase()))
  const headers = out.channel.config.headers?.map((h) => (secret.has(h.key.toLowerCase()) ? {...h, value: MASK} : h))
  return headers ? {...out, channel: {...out.channel, config: {...out.channel.config, headers}}} : out
}

interface Lookup {
  org: Map<string, EventHook>
  specs: Map<string, HookSpec>
}

function lookups(context: ApplyContext): Lookup {
  return {
    org: new Map(context.org.map((hook) => [hook.id, hook])),
    specs: new Map(context.specs.map((spec) => [spec.name, spec])),
  }
}

/** The request of one step; `id` is a placeholder (shown as it is) unless `encode`. */
function requestFor(step: PlanStep, lookup: Lookup, id: string, encode = true): ApplyRequest {
  const path = `${BASE}/${encode ? encodeURIComponent(id) : id}`
  switch (step.kind) {
    case 'create':
      return {body: createBody(lookup.specs.get(step.hook)!), method: 'POST', path: BASE}
    case 'update':
      return {body: updateBody(lookup.specs.get(step.hook)!, lookup.org.get(id)!), method: 'PUT', path}
    case 'delete':
      return {method: 'DELETE', path}
    default:
      return {method: 'POST', path: `${path}/lifecycle/${step.kind}`}
  }
}

async function runStep(
  api: EventHooksApi,
  step: PlanStep,
  lookup: Lookup,
  latest: Map<string, EventHook>,
): Promise<StepResult> {
  const known = latest.get(step.hook)
  let hook: EventHook
  switch (step.kind) {
    case 'create':
      hook = await api.create(requestFor(step, lookup, '').body!)
      break
    case 'update':
      hook = await api.replace(step.id!, requestFor(step, lookup, step.id!).body!)
      break
    case 'activate':
      hook = await api.activate(step.id!)
      break
    case 'deactivate':
      hook = await api.deactivate(step.id!)
      break
    case 'verify':
      hook = await verifyHook(api, known ?? ({id: step.id!, name: step.hook} as EventHook))
      break
    case 'delete':
      await api.delete(step.id!)
      latest.delete(step.hook)
      return {...step, id: step.id!, status: 'DELETED'}
  }

  latest.set(step.hook, hook)
  return {...step, id: hook.id, status: hook.status, verificationStatus: hook.verificationStatus}
}

/**
 * A PUT resends the secret, which the plan cannot compare: when Okta answers that the hook is now
 * UNVERIFIED (the secret differed) and the file wants it verified, verify it in this run too.
 */
function verifyAgainIfOktaAsks(result: StepResult, spec: HookSpec, queue: PlanStep[]): void {
  if (!spec.verify || result.verificationStatus !== 'UNVERIFIED') return
  if (queue.some((step) => step.kind === 'verify' && step.hook === result.hook)) return
  const at = queue.findIndex((step) => phaseOf(step.kind) > phaseOf('verify'))
  const verify: PlanStep = {
    hook: result.hook,
    id: result.id,
    kind: 'verify',
    reason: 'Okta answered the update with UNVERIFIED (the secret it held differed)',
  }
  queue.splice(at === -1 ? queue.length : at, 0, verify)
}
