import {Args} from '@oclif/core'

export const hookArg = Args.string({description: 'Event hook id (who...) or exact name.', required: true})
