/** Entry point of the main step. */
import { run } from './main.js'
import { createActionsRunner } from './runner/actions.js'

// run() never rejects: every failure goes to runner.fail.
void run(createActionsRunner())
