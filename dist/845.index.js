export const id = 845;
export const ids = [845];
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

/***/ 6894:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $X: () => (/* binding */ decodeBase64Url),
/* harmony export */   DX: () => (/* binding */ encodeBase64Url),
/* harmony export */   WG: () => (/* binding */ encodeBase64),
/* harmony export */   y4: () => (/* binding */ decodeBase64)
/* harmony export */ });
/**
 * Strict base64 codecs.
 *
 * Node's `Buffer.from(text, 'base64')` silently skips characters it does not
 * know, accepts both alphabets and missing padding. Codex decodes keys and
 * encrypted task ids with a strict standard engine, and a later Codex drops a
 * key it cannot decode without saying so, so anything we accept here must be
 * exactly what Codex accepts. Every decoder returns `null` on invalid input;
 * callers turn that into their own user-facing message.
 *
 * Strictness comes from a round trip: Node's encoder only ever writes the one
 * canonical text for given bytes, so input that re-encodes to itself is
 * exactly the canonical encoding, and anything lenient decoding let through
 * (foreign characters, the other alphabet, wrong padding, stray trailing
 * bits) fails the comparison.
 */
/**
 * Decodes standard base64 (`+`, `/`, `=` padding required).
 *
 * Rejects the URL-safe alphabet, missing or extra padding, whitespace and
 * line breaks (so PEM armour and wrapped text), and non-canonical encodings
 * whose unused trailing bits are not zero.
 *
 * @param text - the encoded text, exactly as received (not trimmed)
 * @returns the decoded bytes, or `null` when `text` is not strict base64
 */
function decodeBase64(text) {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.toString('base64') !== text)
        return null;
    return new Uint8Array(bytes);
}
/**
 * Encodes bytes as standard base64 with padding.
 *
 * @param bytes - the bytes to encode
 * @returns the encoded text
 */
function encodeBase64(bytes) {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
/**
 * Encodes bytes as base64url without padding (RFC 4648 section 5).
 *
 * @param bytes - the bytes to encode
 * @returns the encoded text
 */
function encodeBase64Url(bytes) {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}
/**
 * Decodes base64url without padding (RFC 4648 section 5).
 *
 * Rejects padding, the standard alphabet's `+` and `/`, whitespace, lengths of
 * the form 4n+1 and non-canonical trailing bits.
 *
 * @param text - the encoded text, exactly as received (not trimmed)
 * @returns the decoded bytes, or `null` when `text` is not strict base64url
 */
function decodeBase64Url(text) {
    const bytes = Buffer.from(text, 'base64url');
    if (bytes.toString('base64url') !== text)
        return null;
    return new Uint8Array(bytes);
}


/***/ }),

/***/ 6845:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  resolveChatgpt: () => (/* binding */ resolveChatgpt)
});

// EXTERNAL MODULE: ./src/crypto/base64.ts
var base64 = __webpack_require__(6894);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/messages.ts
var messages = __webpack_require__(4279);
;// CONCATENATED MODULE: ./src/credentials/chatgpt-tokens.ts
/**
 * ChatGPT login tokens from an auth.json (SPEC section 6): strict validation,
 * the identity claims, which account id is used where, when a refresh is due,
 * and how a refresh reply is merged. Pure: no IO, no clock of its own.
 *
 * Codex silently drops a file whose id_token is not a JWT and quietly sends no
 * Authorization without `last_refresh`; a CI step that did the same would fail
 * far from the cause, so every such problem is an error here.
 */



/** Claim namespace of ChatGPT account facts in the id_token. */
const AUTH_CLAIM = 'https://api.openai.com/auth';
/** Claim namespace of the profile (email fallback) in the id_token. */
const PROFILE_CLAIM = 'https://api.openai.com/profile';
/** A JWT access token this close to `exp` is refreshed first (Codex). */
const PROACTIVE_REFRESH_WINDOW_MS = 300_000;
/** An opaque access token is refreshed when last_refresh is older (Codex). */
const SCHEDULED_REFRESH_AGE_MS = 8 * 24 * 60 * 60 * 1000;
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
// eslint-disable-next-line no-control-regex
const UNUSABLE_IN_TOKEN = /[\s\u0000-\u001f\u007f]/;
/**
 * Whether a token value can be used: a non-empty string without whitespace
 * or control characters. A token goes into a header and into the runner's
 * masker, which matches line by line, so anything else is a mangled value.
 */
function isUsableToken(v) {
    return typeof v === 'string' && v !== '' && !UNUSABLE_IN_TOKEN.test(v);
}
/**
 * Decodes the payload of a JWT-shaped token: exactly three `.`-separated
 * parts, all non-empty (as Codex's id_token parser requires), the middle one
 * strict base64url without padding of a JSON object.
 *
 * @returns the payload, or undefined when the token is not JWT-shaped
 */
function decodeJwtPayload(token) {
    const parts = token.split('.');
    if (parts.length !== 3 || parts.some((p) => p === ''))
        return undefined;
    const bytes = (0,base64/* decodeBase64Url */.$X)(parts[1] ?? '');
    if (bytes === null)
        return undefined;
    let payload;
    try {
        payload = JSON.parse(Buffer.from(bytes).toString('utf8'));
    }
    catch {
        return undefined;
    }
    return isObject(payload) ? payload : undefined;
}
/** True when `token` is JWT-shaped (see {@link decodeJwtPayload}). */
function isJwtShaped(token) {
    return decodeJwtPayload(token) !== undefined;
}
/**
 * Reads the identity claims of an id_token payload. Types are checked as
 * Codex's deserializer does (a wrong type makes Codex drop the file); null
 * counts as absent.
 *
 * @param source label of the credential source, for messages
 */
function readIdTokenClaims(payload, source) {
    const text = (value, claim) => {
        if (value === undefined || value === null)
            return undefined;
        if (typeof value !== 'string') {
            throw new errors/* ActionError */.l((0,messages/* chatgptClaimInvalid */.Jd)(source, claim, 'a string'));
        }
        return value;
    };
    const object = (value, claim) => {
        if (value === undefined || value === null)
            return {};
        if (!isObject(value)) {
            throw new errors/* ActionError */.l((0,messages/* chatgptClaimInvalid */.Jd)(source, claim, 'an object'));
        }
        return value;
    };
    const auth = object(payload[AUTH_CLAIM], AUTH_CLAIM);
    const profile = object(payload[PROFILE_CLAIM], PROFILE_CLAIM);
    const fedramp = auth['chatgpt_account_is_fedramp'];
    if (fedramp !== undefined &&
        fedramp !== null &&
        typeof fedramp !== 'boolean') {
        throw new errors/* ActionError */.l((0,messages/* chatgptClaimInvalid */.Jd)(source, `${AUTH_CLAIM}.chatgpt_account_is_fedramp`, 'a boolean'));
    }
    const claims = { fedramp: fedramp === true };
    const email = text(payload['email'], 'email') ??
        text(profile['email'], `${PROFILE_CLAIM}.email`);
    const accountId = text(auth['chatgpt_account_id'], `${AUTH_CLAIM}.chatgpt_account_id`);
    const plan = text(auth['chatgpt_plan_type'], `${AUTH_CLAIM}.chatgpt_plan_type`);
    const userId = text(auth['chatgpt_user_id'], `${AUTH_CLAIM}.chatgpt_user_id`) ??
        text(auth['user_id'], `${AUTH_CLAIM}.user_id`);
    if (email !== undefined)
        claims.email = email;
    if (accountId !== undefined)
        claims.chatgptAccountId = accountId;
    if (plan !== undefined)
        claims.chatgptPlanType = plan;
    if (userId !== undefined)
        claims.chatgptUserId = userId;
    return claims;
}
// RFC 3339 date-time; chrono (Codex) also accepts a space for the `T`.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
/** Parses an RFC 3339 time; undefined when it is not one. */
function parseRfc3339(value) {
    if (!RFC3339.test(value))
        return undefined;
    const ms = Date.parse(value.replace(/^(.{10})[t ]/, '$1T').toUpperCase());
    return Number.isNaN(ms) ? undefined : new Date(ms);
}
/**
 * Validates a chatgpt-mode auth.json strictly.
 *
 * @param doc the parsed auth.json
 * @param source where it came from, e.g. `input auth-json`
 * @throws ActionError naming the field at fault and the fix
 */
function parseChatgptAuth(doc, source) {
    const raw = doc.tokens;
    if (!isObject(raw))
        throw new errors/* ActionError */.l((0,messages/* chatgptTokensMissing */._X)(source));
    for (const field of ['id_token', 'access_token', 'refresh_token']) {
        if (!isUsableToken(raw[field])) {
            throw new errors/* ActionError */.l((0,messages/* chatgptTokenInvalid */.EV)(source, field));
        }
    }
    const idToken = raw['id_token'];
    const payload = decodeJwtPayload(idToken);
    if (payload === undefined)
        throw new errors/* ActionError */.l((0,messages/* chatgptIdTokenNotJwt */.SO)(source));
    const accountId = raw['account_id'];
    if (accountId !== undefined &&
        accountId !== null &&
        typeof accountId !== 'string') {
        throw new errors/* ActionError */.l((0,messages/* chatgptAccountIdInvalid */.VE)(source));
    }
    if (doc.last_refresh === undefined || doc.last_refresh === null) {
        throw new errors/* ActionError */.l((0,messages/* chatgptLastRefreshMissing */.Zy)(source));
    }
    const lastRefresh = typeof doc.last_refresh === 'string'
        ? parseRfc3339(doc.last_refresh)
        : undefined;
    if (lastRefresh === undefined) {
        throw new errors/* ActionError */.l((0,messages/* chatgptLastRefreshInvalid */.sU)(source));
    }
    const tokens = {
        idToken,
        accessToken: raw['access_token'],
        refreshToken: raw['refresh_token']
    };
    if (typeof accountId === 'string' && accountId !== '') {
        tokens.accountId = accountId;
    }
    return {
        doc,
        tokens,
        claims: readIdTokenClaims(payload, source),
        lastRefresh
    };
}
/**
 * The account id the workspace rule checks: `tokens.account_id`, falling
 * back to the id_token's `chatgpt_account_id` only when that is absent
 * (null, empty or missing). The fallback never reaches a header or output.
 */
function workspaceAccountId(auth) {
    if (auth.tokens.accountId !== undefined)
        return auth.tokens.accountId;
    const claimed = auth.claims.chatgptAccountId;
    return claimed === undefined || claimed === '' ? undefined : claimed;
}
/**
 * The access token's `exp` in epoch milliseconds, when it is a JWT with a
 * numeric `exp`; undefined for an opaque token. Read only for timing.
 */
function accessTokenExpiry(accessToken) {
    const exp = decodeJwtPayload(accessToken)?.['exp'];
    return typeof exp === 'number' && Number.isFinite(exp)
        ? exp * 1000
        : undefined;
}
/**
 * Whether the access token is known to have expired. An opaque token has no
 * expiry we can read, so it is not known to be expired.
 */
function isAccessTokenExpired(auth, now) {
    const expiry = accessTokenExpiry(auth.tokens.accessToken);
    return expiry !== undefined && expiry <= now.getTime();
}
/**
 * Codex's refresh rule: a JWT access token with a numeric `exp` is refreshed
 * when it expires within 5 minutes (`proactive_expiry`) and otherwise not at
 * all; any other access token when last_refresh is more than 8 days old
 * (`scheduled`).
 *
 * @returns the refresh_reason, or undefined when no refresh is due
 */
function refreshReason(auth, now) {
    const expiry = accessTokenExpiry(auth.tokens.accessToken);
    if (expiry !== undefined) {
        return expiry <= now.getTime() + PROACTIVE_REFRESH_WINDOW_MS
            ? 'proactive_expiry'
            : undefined;
    }
    return auth.lastRefresh.getTime() < now.getTime() - SCHEDULED_REFRESH_AGE_MS
        ? 'scheduled'
        : undefined;
}
/**
 * Merges a refresh reply as Codex does: only the tokens that came back are
 * replaced, `last_refresh` becomes `now`, everything else in the document
 * (account_id included) is kept.
 *
 * @throws ActionError `Failed to refresh token: invalid ID token format` when
 *   a returned id_token is not JWT-shaped
 */
function mergeRefreshReply(auth, reply, now) {
    let claims = auth.claims;
    if (reply.id_token !== undefined) {
        const payload = decodeJwtPayload(reply.id_token);
        if (payload === undefined)
            throw new errors/* ActionError */.l(messages/* REFRESH_INVALID_ID_TOKEN */.Kv);
        try {
            claims = readIdTokenClaims(payload, 'the token endpoint');
        }
        catch {
            // Codex fails to parse such an id_token the same way as a non-JWT one.
            throw new errors/* ActionError */.l(messages/* REFRESH_INVALID_ID_TOKEN */.Kv);
        }
    }
    const tokens = {
        ...auth.tokens,
        ...(reply.id_token !== undefined && { idToken: reply.id_token }),
        ...(reply.access_token !== undefined && {
            accessToken: reply.access_token
        }),
        ...(reply.refresh_token !== undefined && {
            refreshToken: reply.refresh_token
        })
    };
    const rawTokens = isObject(auth.doc.tokens) ? auth.doc.tokens : {};
    const doc = {
        ...auth.doc,
        tokens: {
            ...rawTokens,
            id_token: tokens.idToken,
            access_token: tokens.accessToken,
            refresh_token: tokens.refreshToken
        },
        last_refresh: now.toISOString()
    };
    return { doc, tokens, claims, lastRefresh: now };
}

// EXTERNAL MODULE: ./src/backend/http.ts + 2 modules
var backend_http = __webpack_require__(9806);
// EXTERNAL MODULE: ./src/backend/redact.ts
var redact = __webpack_require__(9343);
;// CONCATENATED MODULE: ./src/backend/token-refresh.ts
/**
 * The ChatGPT token refresh call (SPEC section 6, seeds 001 and 002).
 *
 * A refresh token works once. A permanent failure (revoked, expired, already
 * used) is final after exactly one request: asking again cannot succeed and
 * only adds load (seed 002's "refresh storm"). Transient failures (429, 5xx,
 * transport) are retried a bounded number of times by the shared helper.
 */





/** The OAuth client id Codex refreshes with. */
const CODEX_CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';
/** Per attempt (SPEC 4.3, timeouts). */
const REFRESH_TIMEOUT_MS = 30_000;
/** Attempts in all for transient failures; a permanent one stops at one. */
const REFRESH_MAX_ATTEMPTS = 3;
/**
 * A failed refresh. `permanent` failures must never be retried and the stale
 * access token must not be used; transient ones may fall back to it.
 */
class TokenRefreshError extends errors/* ActionError */.l {
    permanent;
    reason;
    /**
     * @param message Codex's text (permanent) or the transient detail
     * @param permanent true when asking again cannot help
     * @param reason the permanent class, when permanent
     */
    constructor(message, permanent, reason) {
        super(message);
        this.permanent = permanent;
        this.reason = reason;
        this.name = 'TokenRefreshError';
    }
}
/**
 * The request body, byte for byte as Codex sends it: compact JSON with the
 * keys in this order.
 */
function refreshRequestBody(refreshToken, reason) {
    return JSON.stringify({
        client_id: CODEX_CLIENT_ID,
        grant_type: 'refresh_token',
        refresh_reason: reason,
        refresh_token: refreshToken
    });
}
const token_refresh_isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
function parseJson(body) {
    try {
        return JSON.parse(body);
    }
    catch {
        return undefined;
    }
}
/**
 * The error code of a failure body, as Codex extracts it: `error.code` when
 * `error` is an object, `error` when it is a string, else top-level `code`.
 */
function refreshErrorCode(body) {
    if (body.trim() === '')
        return undefined;
    const json = parseJson(body);
    if (!token_refresh_isObject(json))
        return undefined;
    const error = json['error'];
    if (token_refresh_isObject(error) && typeof error['code'] === 'string') {
        return error['code'];
    }
    if (typeof error === 'string')
        return error;
    const code = json['code'];
    return typeof code === 'string' ? code : undefined;
}
const PERMANENT_CODES = {
    refresh_token_expired: 'expired',
    refresh_token_reused: 'reused',
    refresh_token_invalidated: 'invalidated'
};
const PERMANENT_MESSAGES = {
    expired: messages/* REFRESH_TOKEN_EXPIRED */.yC,
    reused: messages/* REFRESH_TOKEN_REUSED */.Zf,
    invalidated: messages/* REFRESH_TOKEN_INVALIDATED */.ce,
    other: messages/* REFRESH_TOKEN_UNKNOWN_PERMANENT */.wq
};
/**
 * The permanent class of a non-2xx reply, or undefined when it is
 * transient: HTTP 401, one of the three refresh-token codes (any status), or
 * 400 with `invalid_grant`. Codes compare case-insensitively.
 */
function permanentReason(status, body) {
    const code = refreshErrorCode(body)?.toLowerCase();
    const known = code === undefined ? undefined : PERMANENT_CODES[code];
    if (known !== undefined)
        return known;
    if (status === 401)
        return 'other';
    if (status === 400 && code === 'invalid_grant')
        return 'other';
    return undefined;
}
/**
 * Codex's message for a failure reply: the permanent text, or
 * `Failed to refresh token: {status}: {message}` where message is
 * `error.message` of a JSON body, else the body, else `Unknown error`.
 * Server text is redacted and cut before it reaches the message.
 */
function classifyRefreshFailure(res) {
    const reason = permanentReason(res.status, res.body);
    if (reason !== undefined) {
        return new TokenRefreshError(PERMANENT_MESSAGES[reason], true, reason);
    }
    const json = parseJson(res.body);
    const error = token_refresh_isObject(json) ? json['error'] : undefined;
    const detail = token_refresh_isObject(error) && typeof error['message'] === 'string'
        ? error['message']
        : res.body;
    const message = detail === '' ? 'Unknown error' : (0,redact/* bodyForMessage */.VH)(detail);
    const status = `${res.status} ${res.reason}`.trim();
    return new TokenRefreshError((0,messages/* refreshTransient */.Qs)(status, message), false);
}
/**
 * Parses a 2xx reply. Each field may be absent or null (Codex: only what
 * came back is replaced); a present one must be a usable token.
 */
function parseRefreshReply(res) {
    const json = res.truncated ? undefined : parseJson(res.body);
    if (!token_refresh_isObject(json))
        throw new TokenRefreshError(messages/* REFRESH_REPLY_INVALID */.b6, false);
    const reply = {};
    for (const key of ['id_token', 'access_token', 'refresh_token']) {
        const value = json[key];
        if (value === undefined || value === null)
            continue;
        if (!isUsableToken(value)) {
            throw new TokenRefreshError(messages/* REFRESH_REPLY_INVALID */.b6, false);
        }
        reply[key] = value;
    }
    // RFC 6749 5.1 makes access_token required; a reply without one would
    // leave the expired token in place while looking like a success.
    if (reply.access_token === undefined) {
        throw new TokenRefreshError(messages/* REFRESH_REPLY_INVALID */.b6, false);
    }
    return reply;
}
/**
 * Redeems a refresh token once (transient failures retried by the helper).
 *
 * @returns the reply's tokens; mask them before anything else
 * @throws TokenRefreshError `permanent` after exactly one request for a
 *   permanent failure; not permanent when transient failures ran out of
 *   attempts or the reply was unusable
 */
async function refreshTokens(http, request) {
    let res;
    try {
        res = await http.request({
            method: 'POST',
            url: request.url,
            headers: { 'content-type': 'application/json' },
            body: refreshRequestBody(request.refreshToken, request.reason),
            timeoutMs: REFRESH_TIMEOUT_MS,
            maxAttempts: REFRESH_MAX_ATTEMPTS,
            what: 'token refresh',
            // Never retried after a permanent answer, whatever its status: the
            // refresh token cannot recover (seed 002).
            retryable: (r) => (0,backend_http.isRetryableStatus)(r) && permanentReason(r.status, r.body) === undefined
        });
    }
    catch (err) {
        if (err instanceof backend_http.HttpTransportError) {
            throw new TokenRefreshError(err.message, false);
        }
        throw err;
    }
    if (res.status < 200 || res.status > 299)
        throw classifyRefreshFailure(res);
    return parseRefreshReply(res);
}

// EXTERNAL MODULE: ./src/credentials/plan-type.ts
var plan_type = __webpack_require__(3912);
// EXTERNAL MODULE: ./src/auth-json.ts
var auth_json = __webpack_require__(9172);
// EXTERNAL MODULE: ./src/endpoints.ts
var endpoints = __webpack_require__(7437);
// EXTERNAL MODULE: ./src/fs-safe.ts
var fs_safe = __webpack_require__(9284);
// EXTERNAL MODULE: ./src/policy.ts
var policy = __webpack_require__(1237);
// EXTERNAL MODULE: ./src/modes/context.ts
var context = __webpack_require__(1235);
;// CONCATENATED MODULE: ./src/modes/chatgpt.ts
/**
 * ChatGPT login (auth.json with refreshable tokens, SPEC sections 3 and 6):
 * validate, restrict before any network call, refresh when Codex would, and
 * keep the one valid copy of a rotated refresh token where the user can
 * reach it.
 */










/** Masks every token of `auth` and the header value built from it. */
function maskTokens(ctx, auth) {
    const { idToken, accessToken, refreshToken } = auth.tokens;
    for (const secret of [idToken, accessToken, refreshToken]) {
        ctx.runner.mask(secret);
    }
    ctx.runner.mask(`Bearer ${accessToken}`);
}
/** Codex's login-method and workspace rules, with Codex's messages. */
function restrict(ctx, credential, auth) {
    const violation = (0,policy/* loginMethodViolation */.Y0)(ctx.policy, 'chatgpt') ??
        (0,policy/* workspaceViolation */.ZU)(ctx.policy, workspaceAccountId(auth));
    if (violation)
        throw (0,context/* restrictionFailure */.J)(violation, credential.source);
}
/**
 * Refreshes when due. A permanent failure propagates (Codex's message, and
 * the stale token is never exported); a transient one falls back to a token
 * that has not expired yet, with a warning.
 */
async function refreshIfDue(ctx, credential, auth) {
    const now = ctx.now();
    const reason = refreshReason(auth, now);
    if (reason === undefined) {
        return { auth, warnings: [], facts: [['Token refresh', 'not needed']] };
    }
    let refreshed;
    try {
        const reply = await refreshTokens(await ctx.http(), {
            url: ctx.settings.refreshTokenUrl?.url ?? endpoints/* DEFAULT_REFRESH_TOKEN_URL */.m1,
            refreshToken: auth.tokens.refreshToken,
            reason
        });
        // New secrets: masked before they can reach any message or file.
        for (const token of [
            reply.id_token,
            reply.access_token,
            reply.refresh_token
        ]) {
            if (token !== undefined)
                ctx.runner.mask(token);
        }
        if (reply.access_token !== undefined) {
            ctx.runner.mask(`Bearer ${reply.access_token}`);
        }
        refreshed = mergeRefreshReply(auth, reply, ctx.now());
    }
    catch (err) {
        if (!(err instanceof TokenRefreshError) || err.permanent)
            throw err;
        return fallBack(auth, err, now, reason);
    }
    // The refreshed id_token may name the account differently: check again
    // before the new tokens go anywhere.
    restrict(ctx, credential, refreshed);
    const rotated = refreshed.tokens.refreshToken !== auth.tokens.refreshToken;
    return {
        auth: refreshed,
        ...persist(credential, refreshed, reason, rotated)
    };
}
/** After transient failures: the current token, unless it has expired. */
function fallBack(auth, err, now, reason) {
    if (isAccessTokenExpired(auth, now)) {
        throw new TokenRefreshError((0,messages/* refreshFailedTokenExpired */.Nz)(err.message), false);
    }
    const expiry = accessTokenExpiry(auth.tokens.accessToken);
    return {
        auth,
        warnings: [
            (0,messages/* refreshFailedUsingCurrent */.OE)(err.message, expiry === undefined ? undefined : new Date(expiry).toISOString())
        ],
        facts: [
            ['Token refresh', `failed (${reason}); using the current access token`]
        ]
    };
}
/**
 * Keeps the refreshed tokens where the user can reach them. A runner file
 * gets them at once, as Codex would write them. A secret cannot be updated:
 * when the refresh token rotated, the old one in the secret is used up and
 * the user is told how to keep the new copy.
 */
function persist(credential, auth, reason, rotated) {
    const facts = [['Token refresh', `refreshed (${reason})`]];
    const file = credential.source.authFilePath;
    if (file === undefined) {
        // Without rotation the secret's refresh token still works.
        if (!rotated)
            return { warnings: [], facts };
        facts.push([
            'Refresh token in the source',
            'used up: persist the auth-file output before the job ends'
        ]);
        return { warnings: [messages/* REFRESHED_INPUT_SECRET_STALE */.TV], facts };
    }
    try {
        (0,fs_safe/* writeFileAtomic */.Z)(file, (0,auth_json/* renderAuthJson */.TR)(auth.doc));
    }
    catch (err) {
        // Not fatal: the primed copy holds the valid tokens, and failing would
        // delete it with the only usable refresh token.
        return {
            warnings: [(0,messages/* refreshWriteBackFailed */.RK)(file, (0,errors/* describeError */.U)(err))],
            facts
        };
    }
    facts.push(['Refreshed tokens written to', file]);
    return { warnings: [], facts };
}
/** Restricts, refreshes when due, and resolves a ChatGPT login. */
async function resolveChatgpt(credential, ctx) {
    const loaded = parseChatgptAuth(credential.doc, credential.source.label);
    maskTokens(ctx, loaded);
    // On the unverified claims, before any network call: a wrong workspace
    // never reaches the token endpoint.
    restrict(ctx, credential, loaded);
    const { auth, warnings, facts } = await refreshIfDue(ctx, credential, loaded);
    const { idToken, accessToken, refreshToken, accountId } = auth.tokens;
    const resolved = {
        mode: 'chatgpt',
        source: credential.source,
        secrets: [idToken, accessToken, refreshToken],
        authorization: `Bearer ${accessToken}`,
        planType: (0,plan_type/* mapPlanType */.e)(auth.claims.chatgptPlanType),
        fedramp: auth.claims.fedramp,
        authJson: auth.doc,
        env: {},
        config: {},
        warnings,
        facts
    };
    if (accountId !== undefined)
        resolved.accountId = accountId;
    // A later Codex may rotate the primed copy again (long jobs): the post
    // step copies the newest file back to the runner's.
    if (credential.source.authFilePath !== undefined) {
        resolved.writeBackPath = credential.source.authFilePath;
    }
    return resolved;
}


/***/ })

};
