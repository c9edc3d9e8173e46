/**
 * No leaks, ChatGPT tokens: every failure path (and the success path) of the mode,
 * run as the built action plus its post step, with every channel a later
 * step or a log reader could see scanned for every form of every secret
 * (the credential's values, server echoes known and unknown to the action,
 * rotated tokens, the `authorization` output, the primed auth.json's
 * secrets). The only acceptable number of findings is zero.
 */
import { CHATGPT_SCENARIOS } from '../../support/leak-scenarios/chatgpt.js'
import { describeLeakScenarios } from '../../support/leak-scenarios/run.js'

describeLeakScenarios('chatgpt', CHATGPT_SCENARIOS)
