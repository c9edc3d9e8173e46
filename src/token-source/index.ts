/** Entry point of the token source helper (see helper.ts). */
import { runHelper } from './helper.js'

await runHelper(process.argv.slice(2), process.env)
