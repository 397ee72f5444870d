/** Flags of the commands that print a table (src/lib/io/table.ts). */
import {Flags} from '@oclif/core'

export const wideFlag = Flags.boolean({
  description:
    'At a terminal, show every column in full instead of cutting the longest ones to its width (piped output is never cut).',
})
