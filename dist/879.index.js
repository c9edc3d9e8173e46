export const id = 879;
export const ids = [879];
export const modules = {

/***/ 3912:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   e: () => (/* binding */ mapPlanType)
/* harmony export */ });
/**
 * Codex's plan type mapping, shared by every ChatGPT-family credential: the
 * `plan-type` output and the primed identity record use the mapped value.
 */
const KNOWN_PLANS = new Set([
    'free',
    'go',
    'plus',
    'pro',
    'prolite',
    'team',
    'self_serve_business_prolite',
    'self_serve_business_usage_based',
    'business',
    'ent26',
    'enterprise_cbp_automation',
    'enterprise_cbp_usage_based',
    'enterprise',
    'edu',
    'edu_plus',
    'edu_pro'
]);
const ALIASES = { hc: 'enterprise', education: 'edu' };
/** Maps a raw plan claim to Codex's value; anything unknown is `unknown`. */
function mapPlanType(raw) {
    if (typeof raw !== 'string')
        return 'unknown';
    if (KNOWN_PLANS.has(raw))
        return raw;
    return ALIASES[raw] ?? 'unknown';
}


/***/ }),

/***/ 4879:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  resolvePat: () => (/* binding */ resolvePat)
});

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/messages.ts
var messages = __webpack_require__(4279);
// EXTERNAL MODULE: ./src/endpoints.ts
var endpoints = __webpack_require__(7437);
// EXTERNAL MODULE: ./src/backend/http.ts + 2 modules
var backend_http = __webpack_require__(9806);
// EXTERNAL MODULE: ./src/backend/redact.ts
var redact = __webpack_require__(9343);
;// CONCATENATED MODULE: ./src/backend/whoami.ts
/**
 * The whoami call that resolves a personal access token to its account
 * (SPEC section 5). A PAT carries no claims of its own: the workspace check
 * and the `ChatGPT-Account-ID` header both depend on this answer.
 */





/** Path under the AuthAPI base. */
const WHOAMI_PATH = '/v1/user-auth-credential/whoami';
/** Per attempt (SPEC 4.3, timeouts). */
const WHOAMI_TIMEOUT_MS = 10_000;
/** Attempts in all for 429, 5xx and transport failures. */
const WHOAMI_MAX_ATTEMPTS = 3;
/** The whoami URL for an AuthAPI base (default production), joined as text. */
function whoamiUrl(base) {
    return (0,endpoints/* trimBase */.g5)(base ?? endpoints/* DEFAULT_AUTHAPI_BASE_URL */.Zx) + WHOAMI_PATH;
}
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Parses a 2xx whoami body; throws when it is not the documented shape. */
function parseWhoami(body) {
    let json;
    try {
        json = JSON.parse(body);
    }
    catch {
        throw new errors/* ActionError */.l(messages/* WHOAMI_REPLY_INVALID */.f8);
    }
    if (!isObject(json))
        throw new errors/* ActionError */.l(messages/* WHOAMI_REPLY_INVALID */.f8);
    const text = (key) => {
        const value = json[key];
        if (value === undefined || value === null)
            return undefined;
        if (typeof value !== 'string')
            throw new errors/* ActionError */.l(messages/* WHOAMI_REPLY_INVALID */.f8);
        return value === '' ? undefined : value;
    };
    const fedramp = json['chatgpt_account_is_fedramp'];
    if (fedramp !== undefined &&
        fedramp !== null &&
        typeof fedramp !== 'boolean') {
        throw new errors/* ActionError */.l(messages/* WHOAMI_REPLY_INVALID */.f8);
    }
    const identity = { fedramp: fedramp === true };
    const email = text('email');
    const userId = text('chatgpt_user_id');
    const accountId = text('chatgpt_account_id');
    const plan = text('chatgpt_plan_type');
    if (email !== undefined)
        identity.email = email;
    if (userId !== undefined)
        identity.chatgptUserId = userId;
    if (accountId !== undefined)
        identity.chatgptAccountId = accountId;
    if (plan !== undefined)
        identity.chatgptPlanType = plan;
    return identity;
}
/**
 * Asks whoami who a personal access token belongs to.
 *
 * @param http the shared client
 * @param base AuthAPI base URL; default production
 * @param token the `at-…` token; mask it (and `Bearer <token>`) first
 * @throws ActionError for 401/403 (token rejected), any other non-2xx, an
 *   unusable body, or transport failure after the last attempt
 */
async function whoami(http, base, token) {
    const url = whoamiUrl(base);
    const res = await http.request({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        timeoutMs: WHOAMI_TIMEOUT_MS,
        maxAttempts: WHOAMI_MAX_ATTEMPTS,
        what: 'personal access token lookup (whoami)'
    });
    if (res.status === 401 || res.status === 403) {
        throw new errors/* ActionError */.l((0,messages/* patRejected */.gl)(res.status, res.reason, (0,backend_http.safeTarget)(url)));
    }
    if (res.status < 200 || res.status > 299) {
        throw new errors/* ActionError */.l((0,messages/* whoamiFailed */.xE)(res.status, res.reason, (0,redact/* bodyForMessage */.VH)(res.body)));
    }
    return parseWhoami(res.body);
}

// EXTERNAL MODULE: ./src/credentials/plan-type.ts
var plan_type = __webpack_require__(3912);
// EXTERNAL MODULE: ./src/policy.ts
var policy = __webpack_require__(1237);
// EXTERNAL MODULE: ./src/modes/context.ts
var context = __webpack_require__(1235);
;// CONCATENATED MODULE: ./src/modes/pat.ts
/**
 * Personal access tokens (`at-…`, SPEC section 5): whoami tells which
 * account the token belongs to, then the workspace rule applies. Never
 * refreshed: a PAT is valid until it expires or is revoked.
 */







/** Restricts, resolves (whoami) and describes a personal access token. */
async function resolvePat(credential, ctx) {
    const { token, source } = credential;
    const authorization = `Bearer ${token}`;
    // The header value is a new string the runner does not know yet.
    ctx.runner.mask(token);
    ctx.runner.mask(authorization);
    // A PAT is ChatGPT login as far as forced_login_method goes; checked
    // before the token is sent anywhere.
    const violation = (0,policy/* loginMethodViolation */.Y0)(ctx.policy, 'chatgpt');
    if (violation)
        throw (0,context/* restrictionFailure */.J)(violation, source);
    const base = ctx.settings.whoamiAuthapi?.url;
    const identity = await whoami(await ctx.http(), base, token);
    // The account is only known now (SPEC 3): checked before anything is
    // exported.
    const workspace = (0,policy/* workspaceViolation */.ZU)(ctx.policy, identity.chatgptAccountId);
    if (workspace)
        throw (0,context/* restrictionFailure */.J)(workspace, source);
    const accountId = identity.chatgptAccountId;
    if (accountId === undefined)
        throw new errors/* ActionError */.l(messages/* WHOAMI_NO_ACCOUNT */.iZ);
    return {
        mode: 'personalAccessToken',
        source,
        secrets: [token],
        authorization,
        accountId,
        planType: (0,plan_type/* mapPlanType */.e)(identity.chatgptPlanType),
        fedramp: identity.fedramp,
        // Codex writes no auth_mode for PATs, so older builds can read it.
        authJson: { OPENAI_API_KEY: null, personal_access_token: token },
        env: {},
        config: {},
        warnings: [],
        facts: [
            [
                'Account lookup',
                `whoami at ${(0,endpoints/* trimBase */.g5)(base ?? endpoints/* DEFAULT_AUTHAPI_BASE_URL */.Zx)}`
            ]
        ]
    };
}


/***/ })

};
