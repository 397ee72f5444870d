/**
 * The events `filter test` decides: from a file (what `preview --from-file` reads: a JSON array,
 * NDJSON, one event or a delivery envelope), the built-in samples (one per event type), or the
 * System Log (through preview's reader: the newest events of the types, or given uuids). No oclif.
 */
import {type LogSelection, previewEvents} from '../delivery/preview-events.js'
import {sampleEvent} from '../delivery/sample-events.js'
import {usageError} from '../errors.js'
import type {OktaTransport} from '../okta/okta-sdk.js'

export type FilterTestSource = {file: string; text: string} | {log: LogSelection} | {sample: string[]}

/** The LogEvents of a source, as objects; the System Log is read only for a `log` source. */
export async function filterTestEvents(
  source: FilterTestSource,
  okta: OktaTransport | undefined,
  options: {onWait?: (message: string) => void} = {},
): Promise<unknown[]> {
  if ('sample' in source) {
    if (source.sample.length === 0) {
      throw usageError('--sample needs an event type.', ['e.g. --sample --event-type user.lifecycle.create'])
    }

    return source.sample.map((type) => sampleEvent(type))
  }

  const events = await previewEvents(source, okta, options)
  return 'objects' in events ? events.objects : events.raw.map((event) => JSON.parse(event.json) as unknown)
}
