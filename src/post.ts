/** Entry point of the post step. */
import { runCleanup } from './cleanup/run.js'
import { createActionsRunner } from './runner/actions.js'

runCleanup(createActionsRunner())
