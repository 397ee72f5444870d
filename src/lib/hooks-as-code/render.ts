/** Plans, dry runs and apply reports as text for people (the --json forms are the objects themselves). */
import {renderChanges} from '../hooks/hook-update.js'
import type {ApplyFailure, ApplyRequest, StepResult} from './apply.js'
import {type HookPlan, phaseOf, type Plan, type PlanStep, SECRET_NEVER_COMPARED, type StepKind} from './plan.js'

const SYMBOL: Record<HookPlan['action'], string> = {
  activate: '~',
  create: '+',
  deactivate: '~',
  delete: '-',
  unchanged: '=',
  update: '~',
  verify: '~',
}

const ORDER: StepKind[] = ['create', 'update', 'verify', 'activate', 'deactivate', 'delete']

const label = (hook: {id?: string; name: string}): string => `"${hook.name}"${hook.id ? ` (${hook.id})` : ''}`

export function renderPlan(plan: Plan): string {
  const unmanaged =
    plan.unmanaged.length > 0
      ? [
          `Not in the file, left alone (--prune would delete ${plan.unmanaged.length === 1 ? 'it' : 'them'}): ` +
            `${plan.unmanaged.map((hook) => label(hook)).join(', ')}`,
        ]
      : []
  if (!plan.changesPending) return [summaryLine(plan), ...unmanaged].join('\n')
  const lines = [`Plan for ${plan.org} from ${plan.file}:`, '']
  for (const hook of plan.hooks.filter((h) => h.action !== 'unchanged')) lines.push(...renderHookPlan(hook))
  const unchanged = plan.hooks.filter((hook) => hook.action === 'unchanged')
  if (unchanged.length > 0) lines.push(`= unchanged: ${unchanged.map((hook) => label(hook)).join(', ')}`)
  lines.push(...unmanaged)
  if (plan.hooks.some((hook) => hook.secret && !hook.secret.sent)) lines.push(SECRET_NEVER_COMPARED)
  lines.push('', summaryLine(plan))
  return lines.join('\n')
}

function renderHookPlan(hook: HookPlan): string[] {
  const main = hook.steps.find((step) => step.kind === hook.action)
  const lines = [
    `${SYMBOL[hook.action]} ${hook.action} ` +
      `${label(hook)}${main && hook.changes.length === 0 ? `: ${main.reason}` : ''}`,
  ]
  if (hook.changes.length > 0)
    lines.push(
      ...renderChanges(hook.changes)
        .split('\n')
        .map((line) => `  ${line}`),
    )
  for (const step of hook.steps.filter((s) => s !== main)) {
    lines.push(`    ${main && phaseOf(step.kind) < phaseOf(main.kind) ? 'first' : 'then'} ${step.kind}: ${step.reason}`)
  }

  if (hook.secret?.sent)
    lines.push(`    secret: the ${hook.secret.header} value from ${hook.secret.ref} is sent: ${hook.secret.reason}`)
  for (const note of hook.notes) lines.push(`    note: ${note}`)
  return lines
}

/** "Plan: 1 to create, 2 to verify; 3 unchanged." or "No changes: …". */
export function summaryLine(plan: Plan): string {
  const hooks = plan.hooks.length
  if (!plan.changesPending) return `No changes: the org matches ${plan.file} (${hooks} hook${hooks === 1 ? '' : 's'}).`
  const counts = ORDER.filter((kind) => plan.summary[kind] > 0).map((kind) => `${plan.summary[kind]} to ${kind}`)
  return `Plan: ${counts.join(', ')}; ${plan.summary.unchanged} unchanged.`
}

export function renderRequests(requests: (PlanStep & {request: ApplyRequest})[]): string {
  const lines = ['Dry run: apply would send these requests, in this order (secrets masked; nothing was sent):']
  for (const [index, {hook, kind, request}] of requests.entries()) {
    lines.push(`${index + 1}. ${request.method} ${request.path}   (${kind} "${hook}")`)
    if (request.body)
      lines.push(
        ...JSON.stringify(request.body, null, 2)
          .split('\n')
          .map((line) => `   ${line}`),
      )
  }

  return lines.join('\n')
}

const DONE: Record<StepKind, string> = {
  activate: 'Activated',
  create: 'Created',
  deactivate: 'Deactivated',
  delete: 'Deleted',
  update: 'Updated',
  verify: 'Verified',
}

export function renderStepDone(result: StepResult): string {
  const state = result.status === 'DELETED' ? '' : `: ${result.status}, ${result.verificationStatus}`
  return `${DONE[result.kind]} ${label({id: result.id, name: result.hook})}${state}.`
}

export function renderApplied(results: StepResult[]): string {
  const counts = ORDER.map((kind) => [kind, results.filter((r) => r.kind === kind).length] as const).filter(
    ([, n]) => n > 0,
  )
  return `Applied: ${counts.map(([kind, n]) => `${n} ${kind}`).join(', ')}.`
}

/** What was done, what failed, what was not attempted: on stderr before the error itself. */
export function renderFailure(failure: ApplyFailure): string {
  const step = (s: PlanStep) => `${s.kind} ${label({id: s.id, name: s.hook})}`
  const lines = ['Apply stopped at a failed step.']
  lines.push(`  Done (${failure.done.length}): ${failure.done.map((s) => step(s)).join(', ') || 'nothing'}`)
  lines.push(`  Failed: ${step(failure.failed)}`)
  lines.push(`  Not done (${failure.notDone.length}): ${failure.notDone.map((s) => step(s)).join(', ') || 'nothing'}`)
  return lines.join('\n')
}
