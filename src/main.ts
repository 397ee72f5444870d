/** Entry of bin/run.js: oclif's execute, from the same bundle chunk the commands use. */
export {execute} from '@oclif/core'
