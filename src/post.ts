/** Entry point of the post step. */
import { runCleanup } from './cleanup.js'
import { createActionsRunner } from './runner.js'

runCleanup(createActionsRunner())
