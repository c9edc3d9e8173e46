/**
 * Leak scenarios of API-key mode: inputs, env, the Codex home, restrictions.
 */
import type { Secret } from '../leak-scan.js'
import { randomToken } from '../../hardening/support/harness.js'
import { writeHomeAuth, writeHomeConfig, type Scenario } from './common.js'

function apiKey(): Secret {
  return { label: 'API key', value: `sk-proj-${randomToken(36)}` }
}

export const API_KEY_SCENARIOS: Scenario[] = [
  {
    mode: 'apikey',
    path: 'success, input',
    outcome: 'ok',
    prepare: () => {
      const key = apiKey()
      return { inputs: { 'api-key': key.value }, secrets: [key] }
    }
  },
  {
    mode: 'apikey',
    path: 'success, auth-json input as base64',
    outcome: 'ok',
    prepare: () => {
      const key = apiKey()
      const doc = JSON.stringify({ OPENAI_API_KEY: key.value }, null, 2)
      return {
        inputs: { 'auth-json': Buffer.from(doc).toString('base64') },
        secrets: [key]
      }
    }
  },
  {
    mode: 'apikey',
    path: 'success, multi-line auth-json input',
    outcome: 'ok',
    prepare: () => {
      const key = apiKey()
      const doc = JSON.stringify(
        { auth_mode: 'apikey', OPENAI_API_KEY: key.value },
        null,
        2
      )
      return { inputs: { 'auth-json': doc }, secrets: [key] }
    }
  },
  {
    mode: 'apikey',
    path: 'success, Codex home auth.json, with CODEX_ACCESS_TOKEN set',
    outcome: 'ok',
    prepare: (_b, dirs) => {
      const key = apiKey()
      const stale = {
        label: 'stale access token',
        value: `at-${randomToken()}`
      }
      writeHomeAuth(dirs, { OPENAI_API_KEY: key.value })
      return {
        env: { CODEX_API_KEY: key.value, CODEX_ACCESS_TOKEN: stale.value },
        secrets: [key, stale]
      }
    }
  },
  {
    mode: 'apikey',
    path: 'bad input (forced-login-method)',
    outcome: "Invalid forced-login-method 'API'. Expected 'chatgpt' or 'api'.",
    prepare: () => {
      const key = apiKey()
      return {
        inputs: { 'api-key': key.value, 'forced-login-method': 'API' },
        secrets: [key]
      }
    }
  },
  {
    mode: 'apikey',
    path: 'bad input (key with a line break)',
    outcome: /^The credential from input api-key contains a line break/,
    prepare: () => {
      const a = apiKey()
      const b = apiKey()
      return {
        inputs: { 'api-key': `${a.value}\n${b.value}` },
        secrets: [a, b]
      }
    }
  },
  {
    mode: 'apikey',
    path: 'bad input (auth-json that is not JSON, holding the key)',
    outcome:
      'The auth.json from input auth-json is not valid: it is not valid JSON.',
    prepare: () => {
      const key = apiKey()
      return {
        inputs: {
          'auth-json': `{\n  "OPENAI_API_KEY": "${key.value}",\n  oops\n}`
        },
        secrets: [key]
      }
    }
  },
  {
    mode: 'apikey',
    path: 'bad input (auth-json base64 of garbage)',
    outcome: /^The auth\.json from input auth-json is not valid/,
    prepare: () => {
      const key = apiKey()
      return {
        inputs: {
          'auth-json': Buffer.from(`OPENAI_API_KEY=${key.value}`).toString(
            'base64'
          )
        },
        secrets: [key]
      }
    }
  },
  {
    mode: 'apikey',
    path: 'restriction (forced chatgpt), logging out of the home auth.json',
    outcome:
      'ChatGPT login is required, but an API key is currently being used. Logging out.',
    prepare: (_b, dirs) => {
      const key = apiKey()
      writeHomeAuth(dirs, { OPENAI_API_KEY: key.value })
      writeHomeConfig(dirs, 'forced_login_method = "chatgpt"\n')
      return { secrets: [key] }
    }
  },
  {
    mode: 'apikey',
    path: 'bad config.toml next to the key',
    outcome: /^The Codex config .*config\.toml is not valid/,
    prepare: (_b, dirs) => {
      const key = apiKey()
      writeHomeAuth(dirs, { OPENAI_API_KEY: key.value })
      // A config line holding the key: a parse error must not quote it.
      writeHomeConfig(dirs, `model = "o3"\napi_key = ${key.value}\n`)
      return { secrets: [key] }
    }
  }
]
