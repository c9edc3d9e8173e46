export const id = 499;
export const ids = [499];
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

/***/ 8598:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   i: () => (/* binding */ CryptoError)
/* harmony export */ });
/**
 * A failure of the crypto layer whose message is one of the user-facing texts
 * in `src/messages.ts`, so the pipeline can report it to the user unchanged.
 *
 * Programming errors (a seed of the wrong length, an invalid `Date`) are not
 * `CryptoError`s: they throw the built-in `RangeError`, so they never pass for
 * a problem with the user's credential.
 */
class CryptoError extends Error {
    /**
     * @param message - the user-facing text, taken from `src/messages.ts`
     * @param options - standard error options; `cause` keeps the low-level error
     *   for debugging without putting its text in front of the user
     */
    constructor(message, options) {
        super(message, options);
        this.name = 'CryptoError';
    }
}


/***/ }),

/***/ 9499:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  resolveAgentIdentity: () => (/* binding */ resolveAgentIdentity)
});

// EXTERNAL MODULE: ./src/endpoints.ts
var endpoints = __webpack_require__(7437);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/messages.ts
var messages = __webpack_require__(4279);
;// CONCATENATED MODULE: ./src/backend/agent-endpoints.ts
/**
 * Where Agent Identity talks to (SPEC 4.1 and 4.3): the JWKS URL, the AuthAPI
 * base for task registration, and Codex's rule about which ChatGPT
 * environments Agent Identity may be used with.
 *
 * Pure: no IO. URLs are joined as text, because `new URL(path, base)` drops
 * the base's own path (`…/backend-api` would be lost).
 */



const ORIGINS = {
    'https://chatgpt.com': 'production',
    'https://chat.openai.com': 'production',
    'https://chatgpt-staging.com': 'staging'
};
const KNOWN_PATHS = ['', '/backend-api', '/codex', '/backend-api/codex'];
/**
 * Codex's known-environment table: the exact bases (after trimming
 * whitespace and trailing `/`) that Codex maps to production or staging.
 * Comparison is exact text, as in Codex: `https://ChatGPT.com` is not known.
 *
 * @param chatgptBaseUrl - the ChatGPT base URL in force
 * @returns the environment, or undefined for any other base
 */
function knownEnvironment(chatgptBaseUrl) {
    const base = (0,endpoints/* trimBase */.g5)(chatgptBaseUrl);
    for (const [origin, environment] of Object.entries(ORIGINS)) {
        if (KNOWN_PATHS.some((p) => base === origin + p))
            return environment;
    }
    return undefined;
}
/**
 * The JWKS URL for a base: `/wham/agent-identities/jwks` under a base that
 * contains `/backend-api`, else `/agent-identities/jwks`.
 *
 * @param jwksBase - the JWKS base (jwks-base-url, else the ChatGPT base)
 * @returns the URL to GET
 */
function agentIdentityJwksUrl(jwksBase) {
    const base = (0,endpoints/* trimBase */.g5)(jwksBase);
    return base.includes('/backend-api')
        ? `${base}/wham/agent-identities/jwks`
        : `${base}/agent-identities/jwks`;
}
/**
 * Resolves the JWKS and AuthAPI endpoints exactly as Codex does. A known
 * ChatGPT base takes either override as given. Any other base is accepted
 * only when the JWKS base equals it and an AuthAPI base is set: a later
 * Codex would otherwise refuse the identity, or (JWKS base differing) run
 * silently unauthenticated.
 *
 * @param settings - the ChatGPT base and the two optional overrides
 * @returns the endpoints to use
 * @throws {@link ActionError} with Codex's `UNSUPPORTED_ENVIRONMENT` text
 */
function resolveAgentEndpoints(settings) {
    const chatgptBase = (0,endpoints/* trimBase */.g5)(settings.chatgptBaseUrl);
    const jwksOverride = nonEmpty(settings.jwksBaseUrl);
    const authapiOverride = nonEmpty(settings.authapiBaseUrl);
    const environment = knownEnvironment(chatgptBase);
    if (environment === undefined) {
        if (jwksOverride !== chatgptBase || authapiOverride === undefined) {
            throw new errors/* ActionError */.l(messages/* UNSUPPORTED_ENVIRONMENT */.Ov);
        }
        return {
            environment: 'custom',
            jwksBase: jwksOverride,
            jwksUrl: agentIdentityJwksUrl(jwksOverride),
            authapiBase: authapiOverride
        };
    }
    const jwksBase = jwksOverride ?? chatgptBase;
    return {
        environment,
        jwksBase,
        jwksUrl: agentIdentityJwksUrl(jwksBase),
        authapiBase: authapiOverride ??
            (environment === 'staging'
                ? endpoints/* STAGING_AUTHAPI_BASE_URL */.LO
                : endpoints/* DEFAULT_AUTHAPI_BASE_URL */.Zx)
    };
}
function nonEmpty(url) {
    if (url === undefined)
        return undefined;
    const trimmed = (0,endpoints/* trimBase */.g5)(url);
    return trimmed === '' ? undefined : trimmed;
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 14 modules
var schemas = __webpack_require__(5586);
// EXTERNAL MODULE: ./node_modules/zod/v4/core/errors.js
var core_errors = __webpack_require__(7428);
// EXTERNAL MODULE: ./src/crypto/base64.ts
var base64 = __webpack_require__(6894);
// EXTERNAL MODULE: ./src/credentials/plan-type.ts
var plan_type = __webpack_require__(3912);
;// CONCATENATED MODULE: ./src/credentials/agent-identity.ts
/**
 * Agent Identity material: decoding the JWT, validating its claims (the
 * current shape, and the seeds' older one), reading auth.json records, and
 * building the record a primed Codex home stores. Pure: no IO, no
 * signature checks (those live in `backend/jwks.ts`).
 *
 * No message built here quotes a claim value: `agent_private_key` is a
 * secret, and the others are not worth the risk of a mistake.
 */





/** `iss` of a current Agent Identity JWT. */
const AGENT_IDENTITY_ISSUER = 'https://chatgpt.com/codex-backend/agent-identity';
/** `aud` of a current Agent Identity JWT. */
const AGENT_IDENTITY_AUDIENCE = 'codex-app-server';
/**
 * Codex's format check: three `.`-separated parts, the first two non-empty,
 * the middle one base64url (no padding) of a JSON object. The signature part
 * must be non-empty unless `allowUnsigned` (the seeds' unsigned identities,
 * accepted only with `verify-identity: false`).
 *
 * @param jwt - the token, trimmed
 * @param from - the source label, for the message
 * @param allowUnsigned - accept an empty signature part
 * @throws {@link ActionError} with `JWT_INVALID_FORMAT`
 */
function decodeAgentIdentityJwt(jwt, from, allowUnsigned) {
    const invalid = () => new errors/* ActionError */.l((0,messages/* identityFrom */.pH)(messages/* JWT_INVALID_FORMAT */.Yf, from));
    const parts = jwt.split('.');
    if (parts.length !== 3)
        throw invalid();
    const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
    if (headerPart === '' || payloadPart === '')
        throw invalid();
    if (signaturePart === '' && !allowUnsigned)
        throw invalid();
    const payload = decodeJsonObject(payloadPart);
    if (payload === undefined)
        throw invalid();
    return { headerPart, payload, signaturePart };
}
/**
 * Decodes the JWT header for verification.
 *
 * @param headerPart - the first JWT part
 * @param from - the source label, for the message
 * @returns the header object
 * @throws {@link ActionError} with `JWT_HEADER_UNDECODABLE`
 */
function decodeJwtHeader(headerPart, from) {
    const header = decodeJsonObject(headerPart);
    if (header === undefined) {
        throw new errors/* ActionError */.l((0,messages/* identityFrom */.pH)(messages/* JWT_HEADER_UNDECODABLE */.DS, from));
    }
    return header;
}
function decodeJsonObject(part) {
    const bytes = (0,base64/* decodeBase64Url */.$X)(part);
    if (bytes === null)
        return undefined;
    let value;
    try {
        value = JSON.parse(Buffer.from(bytes).toString('utf8'));
    }
    catch {
        return undefined;
    }
    return isObject(value) ? value : undefined;
}
// ---- Claim schemas ---------------------------------------------------------
// zod 4 numbers are finite already: Infinity and NaN are rejected.
const numericDate = schemas/* number */.aig();
/**
 * Current claims (SPEC 4.1). `iss`, `aud` and `exp` are optional here because
 * jose enforces their presence and values when verifying; `aud` must be a
 * string when present, since Codex cannot parse an array.
 */
const currentClaimsSchema = schemas/* object */.Ikc({
    iss: schemas/* string */.YjP().optional(),
    aud: schemas/* string */.YjP().optional(),
    iat: numericDate.optional(),
    exp: numericDate.optional(),
    nbf: numericDate.optional(),
    agent_runtime_id: schemas/* string */.YjP().min(1),
    agent_private_key: schemas/* string */.YjP(),
    account_id: schemas/* string */.YjP(),
    chatgpt_user_id: schemas/* string */.YjP(),
    email: schemas/* string */.YjP().nullish(),
    plan_type: schemas/* string */.YjP(),
    chatgpt_account_is_fedramp: schemas/* boolean */.zMY()
});
/** The seeds' unsigned claims (`workspace_id` is the account). */
const legacyClaimsSchema = schemas/* object */.Ikc({
    workspace_id: schemas/* string */.YjP(),
    agent_runtime_id: schemas/* string */.YjP().min(1),
    agent_private_key: schemas/* string */.YjP(),
    chatgpt_user_id: schemas/* string */.YjP().nullish(),
    registered_at: schemas/* string */.YjP().nullish()
});
/** Codex's current auth.json record; missing optional fields get defaults. */
const currentRecordSchema = schemas/* object */.Ikc({
    agent_runtime_id: schemas/* string */.YjP().min(1),
    agent_private_key: schemas/* string */.YjP(),
    account_id: schemas/* string */.YjP(),
    chatgpt_user_id: schemas/* string */.YjP().nullish(),
    email: schemas/* string */.YjP().nullish(),
    plan_type: schemas/* string */.YjP().nullish(),
    chatgpt_account_is_fedramp: schemas/* boolean */.zMY().nullish(),
    task_id: schemas/* string */.YjP().nullish()
});
/** The seeds' auth.json record (`background_task_id` is the task). */
const seedRecordSchema = schemas/* object */.Ikc({
    workspace_id: schemas/* string */.YjP(),
    chatgpt_user_id: schemas/* string */.YjP().nullish(),
    agent_runtime_id: schemas/* string */.YjP().min(1),
    agent_private_key: schemas/* string */.YjP(),
    registered_at: schemas/* string */.YjP().nullish(),
    background_task_id: schemas/* string */.YjP().nullish()
});
/** True when an object uses the seeds' account name instead of Codex's. */
function isSeedShape(value) {
    return !('account_id' in value) && 'workspace_id' in value;
}
/**
 * Validates JWT claims and maps them to an identity. The seeds' shape is
 * accepted only when `allowLegacy` (verification turned off).
 *
 * @param payload - the decoded payload
 * @param from - the source label, for messages
 * @param allowLegacy - whether the seeds' shape is acceptable
 * @throws {@link ActionError} naming the failing claims, never their values
 */
function identityFromClaims(payload, from, allowLegacy) {
    if (isSeedShape(payload)) {
        if (!allowLegacy)
            throw new errors/* ActionError */.l((0,messages/* legacyIdentityNeedsVerifyOff */.vp)(from));
        const claims = parseClaims(legacyClaimsSchema, payload, from);
        return {
            shape: 'legacy-jwt',
            runtimeId: claims.agent_runtime_id,
            privateKey: claims.agent_private_key,
            accountId: claims.workspace_id,
            chatgptUserId: claims.chatgpt_user_id ?? '',
            email: '',
            planType: undefined,
            fedramp: false
        };
    }
    const claims = parseClaims(currentClaimsSchema, payload, from);
    return {
        shape: 'jwt',
        runtimeId: claims.agent_runtime_id,
        privateKey: claims.agent_private_key,
        accountId: claims.account_id,
        chatgptUserId: claims.chatgpt_user_id,
        email: claims.email ?? '',
        planType: claims.plan_type,
        fedramp: claims.chatgpt_account_is_fedramp
    };
}
function parseClaims(schema, payload, from) {
    const result = schema.safeParse(payload);
    if (!result.success) {
        throw new errors/* ActionError */.l((0,messages/* identityFrom */.pH)((0,messages/* jwtClaimsUndecodable */.fA)(zodDetail(result.error)), from));
    }
    return result.data;
}
/**
 * Reads an auth.json `agent_identity` object: Codex's current record or the
 * seeds' one. Records are trusted local state, as in Codex.
 *
 * @param record - the `agent_identity` value
 * @param from - the auth.json's source label, for messages
 * @throws {@link ActionError} (`authJsonInvalid`) naming the failing fields
 */
function identityFromRecord(record, from) {
    if (!isObject(record)) {
        throw new errors/* ActionError */.l((0,messages/* authJsonInvalid */.eM)(from, 'agent_identity is neither a JWT nor an object'));
    }
    const invalid = (error) => new errors/* ActionError */.l((0,messages/* authJsonInvalid */.eM)(from, `agent_identity: ${zodDetail(error)}`));
    if (isSeedShape(record)) {
        const result = seedRecordSchema.safeParse(record);
        if (!result.success)
            throw invalid(result.error);
        const r = result.data;
        return {
            shape: 'seed-record',
            runtimeId: r.agent_runtime_id,
            privateKey: r.agent_private_key,
            accountId: r.workspace_id,
            chatgptUserId: r.chatgpt_user_id ?? '',
            email: '',
            planType: undefined,
            fedramp: false,
            ...taskField(r.background_task_id)
        };
    }
    const result = currentRecordSchema.safeParse(record);
    if (!result.success)
        throw invalid(result.error);
    const r = result.data;
    return {
        shape: 'record',
        runtimeId: r.agent_runtime_id,
        privateKey: r.agent_private_key,
        accountId: r.account_id,
        chatgptUserId: r.chatgpt_user_id ?? '',
        email: r.email ?? '',
        planType: r.plan_type ?? undefined,
        fedramp: r.chatgpt_account_is_fedramp ?? false,
        ...taskField(r.task_id)
    };
}
// Codex registers a new task when the stored one is missing or blank.
function taskField(taskId) {
    return taskId === undefined || taskId === null || taskId.trim() === ''
        ? {}
        : { taskId };
}
/**
 * zod's readable error on one line (the action fails with a single line).
 * zod's issue texts name types and paths, not the values it rejected.
 */
function zodDetail(error) {
    return core_errors/* prettifyError */.S1(error)
        .replace(/\n\s*→/g, ' →')
        .split('\n')
        .map((line) => line.replace(/^✖\s*/, '').trim())
        .filter((line) => line !== '')
        .join('; ');
}
function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}
/**
 * Builds the record a later Codex trusts as it is: with a `task_id` it makes
 * no JWKS call and no registration of its own.
 *
 * @param identity - the identity
 * @param privateKey - the key re-encoded as standard padded base64
 *   (`encodeAgentPrivateKey`), the one form every Codex reads back
 * @param taskId - the registered task; left out when there is none
 * @returns the record, keys in Codex's order
 */
function primedIdentityRecord(identity, privateKey, taskId) {
    return {
        agent_runtime_id: identity.runtimeId,
        agent_private_key: privateKey,
        account_id: identity.accountId,
        chatgpt_user_id: identity.chatgptUserId,
        email: identity.email,
        plan_type: (0,plan_type/* mapPlanType */.e)(identity.planType),
        chatgpt_account_is_fedramp: identity.fedramp,
        ...(taskId === undefined ? {} : { task_id: taskId })
    };
}

// EXTERNAL MODULE: ./src/backend/http.ts + 2 modules
var backend_http = __webpack_require__(9806);
// EXTERNAL MODULE: ./src/backend/redact.ts
var redact = __webpack_require__(9343);
;// CONCATENATED MODULE: ./src/backend/jwks.ts






/** Per attempt, as in Codex. */
const JWKS_TIMEOUT_MS = 10_000;
/** Attempts in all; transport failures, 429 and 5xx are retried. */
const JWKS_MAX_ATTEMPTS = 3;
/** Accepted clock difference for `exp` and `nbf`, in seconds (Codex: 60). */
const JWT_CLOCK_TOLERANCE_S = 60;
/** Only what verification needs; jose checks each key in detail. */
const jwksSchema = schemas/* object */.Ikc({
    keys: schemas/* array */.YOg(schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* unknown */.L5J()))
});
/**
 * GETs the JWKS (no Authorization: it is public).
 *
 * @param http - the shared client
 * @param url - the full JWKS URL (`agentIdentityJwksUrl`)
 * @param timeoutMs - per attempt; tests shorten it
 * @returns the key set
 * @throws {@link ActionError} for a non-2xx answer or a body that is not a
 *   key set; `HttpTransportError` when every attempt failed in transport
 */
async function fetchAgentIdentityJwks(http, url, timeoutMs = JWKS_TIMEOUT_MS) {
    const target = (0,backend_http.safeTarget)(url);
    const res = await http.request({
        method: 'GET',
        url,
        headers: { accept: 'application/json' },
        timeoutMs,
        maxAttempts: JWKS_MAX_ATTEMPTS,
        what: 'agent identity JWKS request'
    });
    if (res.status < 200 || res.status >= 300) {
        throw new errors/* ActionError */.l((0,messages/* jwksRequestFailed */.Ur)(target, res.status, res.reason, (0,redact/* bodyForMessage */.VH)(res.body)));
    }
    let value;
    try {
        value = JSON.parse(res.body);
    }
    catch {
        throw new errors/* ActionError */.l((0,messages/* jwksUndecodable */.ES)(target, 'the body is not JSON'));
    }
    const parsed = jwksSchema.safeParse(value);
    if (!parsed.success) {
        throw new errors/* ActionError */.l((0,messages/* jwksUndecodable */.ES)(target, 'it is not an object with a "keys" array'));
    }
    return parsed.data;
}
/**
 * Verifies an Agent Identity JWT as Codex does: the key picked by `kid`, the
 * algorithm pinned to RS256, issuer, audience and `exp` required, 60 s
 * leeway. Stricter than Codex on purpose: `nbf` is checked when present.
 *
 * The payload returned is only signature-checked; validate its shape with
 * `identityFromClaims` afterwards (jose accepts an array `aud`, Codex not).
 *
 * @param input - the token, its header, the key set, the clock, the source
 * @returns the verified payload
 * @throws {@link ActionError} with Codex's texts: `JWT_HEADER_UNDECODABLE`,
 *   `JWT_MISSING_KID`, `jwtKidNotTrusted(kid)`, or `JWT_VERIFY_FAILED` with
 *   our reason
 */
async function verifyAgentIdentityJwt(input) {
    const { from } = input;
    const fail = (message) => new errors/* ActionError */.l((0,messages/* identityFrom */.pH)(message, from));
    const { alg, kid } = checkJwtHeader(input.header, from);
    if (!input.jwks.keys.some((key) => key['kid'] === kid)) {
        throw fail((0,messages/* jwtKidNotTrusted */.kk)(printable(kid)));
    }
    if (alg !== 'RS256') {
        throw fail((0,messages/* jwtVerifyFailed */.Ei)((0,messages/* jwtReasonAlgorithm */.Hg)(printable(alg))));
    }
    const jose = await __webpack_require__.e(/* import() */ 460).then(__webpack_require__.bind(__webpack_require__, 6460));
    let keySet;
    try {
        keySet = jose.createLocalJWKSet(input.jwks);
    }
    catch {
        throw fail((0,messages/* jwtVerifyFailed */.Ei)(messages/* JWT_REASON_KEY_UNUSABLE */.nu));
    }
    try {
        const { payload } = await jose.jwtVerify(input.jwt, keySet, {
            algorithms: ['RS256'],
            issuer: AGENT_IDENTITY_ISSUER,
            audience: AGENT_IDENTITY_AUDIENCE,
            requiredClaims: ['iss', 'aud', 'exp'],
            clockTolerance: JWT_CLOCK_TOLERANCE_S,
            currentDate: input.now
        });
        return payload;
    }
    catch (err) {
        throw fail(verifyFailure(err));
    }
}
/**
 * The header checks that need no key set, so a token that can never verify
 * fails before any request: Codex cannot decode a header whose `alg` is
 * missing or `none`, and needs a `kid` to pick the key.
 *
 * @param header - the decoded JWT header
 * @param from - the credential's source label, for messages
 * @returns the header's `alg` and `kid`
 * @throws {@link ActionError} with `JWT_HEADER_UNDECODABLE` or `JWT_MISSING_KID`
 */
function checkJwtHeader(header, from) {
    const alg = header['alg'];
    if (typeof alg !== 'string' || alg === 'none') {
        throw new errors/* ActionError */.l((0,messages/* identityFrom */.pH)(messages/* JWT_HEADER_UNDECODABLE */.DS, from));
    }
    const kid = header['kid'];
    if (kid === undefined || kid === null) {
        throw new errors/* ActionError */.l((0,messages/* identityFrom */.pH)(messages/* JWT_MISSING_KID */.w_, from));
    }
    if (typeof kid !== 'string') {
        throw new errors/* ActionError */.l((0,messages/* identityFrom */.pH)(messages/* JWT_HEADER_UNDECODABLE */.DS, from));
    }
    return { alg, kid };
}
/** Our reason for a jose failure; jose's own text is never passed on. */
function verifyFailure(err) {
    const code = errorField(err, 'code');
    switch (code) {
        case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
            return (0,messages/* jwtVerifyFailed */.Ei)(messages/* JWT_REASON_SIGNATURE */.Em);
        case 'ERR_JWT_EXPIRED':
            return (0,messages/* jwtVerifyFailed */.Ei)((0,messages/* jwtReasonExpired */.tv)(dateClaim(err, 'exp')));
        case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
            const claim = errorField(err, 'claim') ?? 'unknown';
            return (0,messages/* jwtVerifyFailed */.Ei)(claim === 'nbf'
                ? (0,messages/* jwtReasonNotYetValid */.Tm)(dateClaim(err, 'nbf'))
                : (0,messages/* jwtReasonClaim */.Iq)(printable(claim)));
        }
        case 'ERR_JWKS_NO_MATCHING_KEY':
        case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
        case 'ERR_JWKS_INVALID':
        case 'ERR_JWK_INVALID':
        case 'ERR_JOSE_NOT_SUPPORTED':
            return (0,messages/* jwtVerifyFailed */.Ei)(messages/* JWT_REASON_KEY_UNUSABLE */.nu);
        case 'ERR_JWS_INVALID':
        case 'ERR_JWT_INVALID':
            return (0,messages/* jwtVerifyFailed */.Ei)(messages/* JWT_REASON_MALFORMED */.hK);
        default:
            return messages/* JWT_VERIFY_FAILED */.AG;
    }
}
function errorField(err, name) {
    if (typeof err !== 'object' || err === null || !(name in err)) {
        return undefined;
    }
    const value = err[name];
    return typeof value === 'string' ? value : undefined;
}
/** A NumericDate claim of a jose claim error's payload, as RFC 3339. */
function dateClaim(err, claim) {
    const payload = typeof err === 'object' && err !== null && 'payload' in err
        ? err.payload
        : undefined;
    const value = typeof payload === 'object' && payload !== null
        ? payload[claim]
        : undefined;
    if (typeof value !== 'number' || !Number.isFinite(value))
        return 'unknown';
    const date = new Date(value * 1000);
    return Number.isNaN(date.getTime())
        ? 'unknown'
        : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
/**
 * Header text made safe for a one-line message: short, printable, and with
 * anything secret-looking redacted (a header is attacker-controlled text).
 */
function printable(text) {
    const clean = (0,redact/* redactSecrets */.fp)(text);
    if (/^[\x21-\x7e]{1,64}$/.test(clean))
        return clean;
    return JSON.stringify(clean.slice(0, 64)) + (clean.length > 64 ? '...' : '');
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/crypto/errors.ts
var crypto_errors = __webpack_require__(8598);
;// CONCATENATED MODULE: ./src/crypto/agent-key.ts
/**
 * The agent identity's Ed25519 key: strict parsing of the stored PKCS#8 form,
 * re-encoding for priming, and signing.
 *
 * Only node:crypto is used here, so every mode that signs (registration, the
 * AgentAssertion header) starts without loading the sealed-box libraries.
 */




const SEED_LENGTH = 32;
// PKCS#8 v1 (RFC 8410): SEQUENCE { INTEGER 0, AlgorithmIdentifier { 1.3.101.112 },
// OCTET STRING { OCTET STRING seed } }.
const V1_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const V1_LENGTH = V1_PREFIX.length + SEED_LENGTH; // 48
// PKCS#8 v2 (RFC 5958 OneAsymmetricKey), as Codex writes it: version 1 and the
// public key appended as [1] IMPLICIT BIT STRING with no unused bits.
const V2_PREFIX = Buffer.from('3051020101300506032b657004220420', 'hex');
const V2_PUBLIC_KEY_TAG = Buffer.from('812100', 'hex');
const V2_PUBLIC_KEY_OFFSET = V1_LENGTH + V2_PUBLIC_KEY_TAG.length; // 51
const V2_LENGTH = V2_PUBLIC_KEY_OFFSET + SEED_LENGTH; // 83
/**
 * Parses the identity's `agent_private_key`: standard padded base64 of an
 * Ed25519 PKCS#8 key in exactly the 48-byte v1 or the 83-byte v2 form.
 *
 * The key is rebuilt from the seed rather than handed to node:crypto as
 * received, because Node 20 refuses v2 while Node 24 accepts it; for v2 the
 * embedded public key must match the seed.
 *
 * @param b64 - the stored key text, exactly as received
 * @returns the parsed key
 * @throws {@link CryptoError} with `KEY_NOT_BASE64` when the text is not strict
 *   standard base64, or `KEY_NOT_PKCS8` for anything else that is wrong
 */
function parseAgentPrivateKey(b64) {
    const der = (0,base64/* decodeBase64 */.y4)(b64);
    if (der === null)
        throw new crypto_errors/* CryptoError */.i(messages/* KEY_NOT_BASE64 */.Yp);
    try {
        const seed = seedFromPkcs8(der);
        if (seed === null)
            throw new crypto_errors/* CryptoError */.i(messages/* KEY_NOT_PKCS8 */.sF);
        const key = agentKeyFromSeed(seed);
        if (der.length === V2_LENGTH) {
            const embedded = der.subarray(V2_PUBLIC_KEY_OFFSET);
            // A v2 key whose halves disagree is corrupt; signing with it would only
            // fail later, at the server, with a less helpful error.
            if (!(0,external_node_crypto_.timingSafeEqual)(embedded, key.publicKey)) {
                throw new crypto_errors/* CryptoError */.i(messages/* KEY_NOT_PKCS8 */.sF);
            }
        }
        return key;
    }
    finally {
        der.fill(0);
    }
}
/**
 * Encodes a seed as the standard padded base64 of its PKCS#8 v1 form, the
 * strict shape every Codex version reads back.
 *
 * @param seed - the 32-byte Ed25519 seed
 * @returns the text to store as `agent_private_key`
 * @throws RangeError when `seed` is not 32 bytes (a programming error)
 */
function encodeAgentPrivateKey(seed) {
    if (seed.length !== SEED_LENGTH) {
        throw new RangeError(`Ed25519 seed must be ${SEED_LENGTH} bytes, got ${seed.length}`);
    }
    const der = v1Der(seed);
    try {
        return (0,base64/* encodeBase64 */.WG)(der);
    }
    finally {
        der.fill(0);
    }
}
/**
 * Signs a message with Ed25519 (RFC 8032, pure, no context).
 *
 * @param key - the agent key
 * @param message - the bytes to sign; a string is signed as its UTF-8 bytes
 * @returns the 64-byte signature
 */
function signEd25519(key, message) {
    const data = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
    return new Uint8Array((0,external_node_crypto_.sign)(null, data, key.privateKey));
}
/** The seed (a fresh copy) of a v1 or v2 key, or null for any other shape. */
function seedFromPkcs8(der) {
    const prefix = der.subarray(0, V1_PREFIX.length);
    if (der.length === V1_LENGTH) {
        if (!V1_PREFIX.equals(prefix))
            return null;
    }
    else if (der.length === V2_LENGTH) {
        if (!V2_PREFIX.equals(prefix))
            return null;
        const tag = der.subarray(V1_LENGTH, V2_PUBLIC_KEY_OFFSET);
        if (!V2_PUBLIC_KEY_TAG.equals(tag))
            return null;
    }
    else {
        return null;
    }
    return der.slice(V1_PREFIX.length, V1_LENGTH);
}
function v1Der(seed) {
    return Buffer.concat([V1_PREFIX, seed]);
}
function agentKeyFromSeed(seed) {
    const der = v1Der(seed);
    let privateKey;
    try {
        privateKey = (0,external_node_crypto_.createPrivateKey)({ key: der, format: 'der', type: 'pkcs8' });
    }
    catch (cause) {
        throw new crypto_errors/* CryptoError */.i(messages/* KEY_NOT_PKCS8 */.sF, { cause });
    }
    finally {
        der.fill(0);
    }
    const x = (0,external_node_crypto_.createPublicKey)(privateKey).export({ format: 'jwk' }).x;
    const publicKey = x === undefined ? null : (0,base64/* decodeBase64Url */.$X)(x);
    if (publicKey === null || publicKey.length !== SEED_LENGTH) {
        throw new crypto_errors/* CryptoError */.i(messages/* KEY_NOT_PKCS8 */.sF);
    }
    const key = { publicKey, privateKey };
    Object.defineProperty(key, 'seed', { value: seed, enumerable: false });
    return Object.freeze(key);
}

;// CONCATENATED MODULE: ./src/crypto/assertion.ts
/**
 * The two signed texts of Agent Identity: the task registration body and the
 * `AgentAssertion` Authorization header. Both are compared byte for byte by
 * the server, so key order and formatting are fixed here and nowhere else.
 */


/**
 * Formats a time as UTC RFC 3339 with whole seconds and `Z`, e.g.
 * `2026-08-22T05:54:43Z`, the only form Codex signs.
 *
 * Milliseconds are dropped, not rounded, matching Codex's truncation.
 *
 * @param date - the time to format
 * @returns the timestamp text
 * @throws RangeError when `date` is invalid or outside the years 0 to 9999
 */
function formatTimestamp(date) {
    const iso = date.toISOString();
    // Outside years 0..9999 toISOString switches to a signed six-digit year,
    // which is not RFC 3339; refuse rather than cut it into a wrong time.
    if (iso.length !== 24) {
        throw new RangeError(`timestamp out of RFC 3339 range: ${iso}`);
    }
    return `${iso.slice(0, 19)}Z`;
}
/**
 * Builds the task registration request body,
 * `{"timestamp":"<ts>","signature":"<sig>"}` in that key order, where `sig` is
 * the standard base64 Ed25519 signature over `"{runtimeId}:{timestamp}"`.
 *
 * @param runtimeId - the identity's `agent_runtime_id`
 * @param timestamp - a timestamp made by {@link formatTimestamp}
 * @param key - the identity's key
 * @returns the exact body text to send
 */
function registrationBody(runtimeId, timestamp, key) {
    const signature = (0,base64/* encodeBase64 */.WG)(signEd25519(key, `${runtimeId}:${timestamp}`));
    // Object literal order is the serialised key order; stringify escapes.
    return JSON.stringify({ timestamp, signature });
}
/**
 * Builds the `AgentAssertion` Authorization header value: `AgentAssertion `
 * followed by base64url without padding of the compact JSON
 * `{"agent_runtime_id":…,"signature":…,"task_id":…,"timestamp":…}`, where the
 * signature is the standard base64 Ed25519 signature over
 * `"{runtimeId}:{taskId}:{timestamp}"`. It is not a JWT.
 *
 * The header carries `timestamp` and so ages once made; Codex makes a fresh
 * one per request.
 *
 * @param input - the identity's runtime id and key, the task id and the time
 * @returns the complete header value
 */
function agentAssertionHeader(input) {
    const { runtimeId, taskId, timestamp, key } = input;
    const signature = (0,base64/* encodeBase64 */.WG)(signEd25519(key, `${runtimeId}:${taskId}:${timestamp}`));
    const json = JSON.stringify({
        agent_runtime_id: runtimeId,
        signature,
        task_id: taskId,
        timestamp
    });
    return `AgentAssertion ${(0,base64/* encodeBase64Url */.DX)(Buffer.from(json, 'utf8'))}`;
}

;// CONCATENATED MODULE: ./src/backend/task-registration.ts







/** Per attempt, as in Codex. */
const REGISTRATION_TIMEOUT_MS = 30_000;
/** Attempts in all, as in Codex; 429, 5xx and transport failures retry. */
const REGISTRATION_MAX_ATTEMPTS = 3;
/**
 * The registration URL: the base with whitespace and every trailing `/`
 * trimmed, then `/v1/agent/{runtimeId}/task/register`, joined as text.
 *
 * Codex inserts the runtime id verbatim; one containing `/`, `?`, `#` or
 * whitespace would address a different resource, so it is refused instead.
 *
 * @param authapiBase - the AuthAPI base
 * @param runtimeId - the identity's `agent_runtime_id`
 * @param from - the credential's source label, for the message
 * @returns the URL
 * @throws {@link ActionError} for an unsafe runtime id
 */
function taskRegistrationUrl(authapiBase, runtimeId, from) {
    if (runtimeId === '' || /[/?#\s]/.test(runtimeId)) {
        throw new errors/* ActionError */.l((0,messages/* runtimeIdNotUrlSafe */.rt)(from));
    }
    return `${(0,endpoints/* trimBase */.g5)(authapiBase)}/v1/agent/${runtimeId}/task/register`;
}
/**
 * Registers one agent task.
 *
 * @param input - client, URL, identity, key and clock
 * @returns the task id
 * @throws {@link ActionError} with Codex's texts: `registrationFailed(…)`
 *   (prefixed `RETRYABLE_REGISTRATION_PREFIX` when the last of the retried
 *   attempts was itself retryable), `TASK_ID_OMITTED`, the sealed-box errors,
 *   or `REGISTRATION_RESPONSE_UNDECODABLE`
 */
async function registerAgentTask(input) {
    const body = registrationBody(input.runtimeId, formatTimestamp(input.now), input.key);
    let res;
    try {
        res = await input.http.request({
            method: 'POST',
            url: input.url,
            headers: {
                'content-type': 'application/json',
                accept: 'application/json'
            },
            body,
            timeoutMs: input.timeoutMs ?? REGISTRATION_TIMEOUT_MS,
            maxAttempts: REGISTRATION_MAX_ATTEMPTS,
            what: 'agent task registration'
        });
    }
    catch (err) {
        if (err instanceof backend_http.HttpTransportError) {
            throw new errors/* ActionError */.l(messages/* RETRYABLE_REGISTRATION_PREFIX */.Y5 + err.message);
        }
        throw err;
    }
    if (res.status < 200 || res.status >= 300) {
        const message = (0,messages/* registrationFailed */.lA)(res.status, res.reason, (0,redact/* bodyForMessage */.VH)(res.body));
        // The helper only returns a retryable status once the attempts are used
        // up, which is exactly when Codex adds its prefix.
        throw new errors/* ActionError */.l((0,backend_http.isRetryableStatus)(res) ? messages/* RETRYABLE_REGISTRATION_PREFIX */.Y5 + message : message);
    }
    return taskIdFromResponse(res.body, input.key);
}
/**
 * Reads the task id from a 2xx answer: the first of `task_id` / `taskId`,
 * else `encrypted_task_id` / `encryptedTaskId` opened with the agent key.
 *
 * @param body - the response body
 * @param key - the agent key the sealed id is addressed to
 * @returns the task id, never empty
 * @throws {@link ActionError} as {@link registerAgentTask}
 */
async function taskIdFromResponse(body, key) {
    let value;
    try {
        value = JSON.parse(body);
    }
    catch {
        throw new errors/* ActionError */.l(messages/* REGISTRATION_RESPONSE_UNDECODABLE */.jS);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new errors/* ActionError */.l(messages/* REGISTRATION_RESPONSE_UNDECODABLE */.jS);
    }
    const fields = value;
    const plain = firstPresent(fields, 'task_id', 'taskId');
    if (plain !== undefined)
        return nonEmptyTaskId(plain);
    const sealed = firstPresent(fields, 'encrypted_task_id', 'encryptedTaskId');
    if (sealed === undefined)
        throw new errors/* ActionError */.l(messages/* TASK_ID_OMITTED */.nJ);
    if (typeof sealed !== 'string') {
        throw new errors/* ActionError */.l(messages/* REGISTRATION_RESPONSE_UNDECODABLE */.jS);
    }
    // Loaded only here: most registrations answer in plain text.
    const { openSealedTaskId } = await Promise.all(/* import() */[__webpack_require__.e(578), __webpack_require__.e(905)]).then(__webpack_require__.bind(__webpack_require__, 6905));
    try {
        return nonEmptyTaskId(openSealedTaskId(sealed, key));
    }
    catch (err) {
        if (err instanceof crypto_errors/* CryptoError */.i)
            throw new errors/* ActionError */.l(err.message);
        throw err;
    }
}
/** Codex reads absent and `null` alike (serde `Option`). */
function firstPresent(fields, ...names) {
    for (const name of names) {
        const value = fields[name];
        if (value !== undefined && value !== null)
            return value;
    }
    return undefined;
}
// An empty id would sign assertions for no task; Codex re-registers on a
// blank one, so it is as good as omitted.
function nonEmptyTaskId(value) {
    if (typeof value !== 'string') {
        throw new errors/* ActionError */.l(messages/* REGISTRATION_RESPONSE_UNDECODABLE */.jS);
    }
    if (value.trim() === '')
        throw new errors/* ActionError */.l(messages/* TASK_ID_OMITTED */.nJ);
    // The id lands in logs, headers and the summary: a server must not be able
    // to smuggle a line break (a workflow command) or markup in through it.
    if (!/^[\x21-\x7e]+$/.test(value)) {
        throw new errors/* ActionError */.l(messages/* TASK_ID_NOT_PRINTABLE */.Oh);
    }
    return value;
}

// EXTERNAL MODULE: ./src/policy.ts
var src_policy = __webpack_require__(1237);
// EXTERNAL MODULE: ./src/sources.ts
var sources = __webpack_require__(6197);
// EXTERNAL MODULE: ./src/modes/context.ts
var context = __webpack_require__(1235);
;// CONCATENATED MODULE: ./src/modes/agent-identity.ts
/**
 * Agent Identity: the load → restrict → verify → register pipeline Codex runs
 * for an identity, done once here so that later Codex steps start from a
 * primed record with a registered task and never bootstrap themselves.
 *
 * Order matters: everything that can fail without the network (format,
 * claims, restrictions, key, endpoints) runs first, so a wrong workspace or a
 * broken secret never reaches the JWKS or AuthAPI.
 */













/**
 * Restricts, verifies and registers an Agent Identity, and resolves what
 * later steps need: the primed auth.json record with its task, an
 * `AgentAssertion` header, the account and the endpoint overrides.
 *
 * @param credential - the identity as the sources loaded it
 * @param ctx - runner, settings, policy, lazy HTTP client and clock
 * @returns the resolved credential
 * @throws {@link ActionError} with Codex's texts where Codex has one
 */
async function resolveAgentIdentity(credential, ctx) {
    const { runner, settings, policy } = ctx;
    const from = credential.source.label;
    const loaded = load(credential, settings.verifyIdentity, runner);
    let identity = loaded.identity;
    // Restrictions, on the claims as given: nothing has touched the network.
    // Records are trusted local state (as in Codex); a JWT counts as verified
    // here only if it is going to be verified before anything uses it.
    const loginViolation = (0,src_policy/* loginMethodViolation */.Y0)(policy, 'chatgpt');
    if (loginViolation) {
        throw (0,context/* restrictionFailure */.J)(loginViolation, credential.source);
    }
    const trusted = loaded.jwt === undefined || settings.verifyIdentity;
    const wsViolation = (0,src_policy/* workspaceViolation */.ZU)(policy, identity.accountId, trusted);
    if (wsViolation)
        throw (0,context/* restrictionFailure */.J)(wsViolation, credential.source);
    const key = parseKey(identity.privateKey, from);
    const keyText = encodeAgentPrivateKey(key.seed);
    (0,sources/* maskValue */.QS)(runner, keyText);
    const verify = loaded.jwt !== undefined && settings.verifyIdentity;
    const register = identity.taskId === undefined && settings.registerTask;
    // Without a stored task, a later Codex bootstraps with these endpoints
    // even when we do not, so the environment rule applies then too.
    const endpoints = verify || identity.taskId === undefined
        ? resolveAgentEndpoints({
            chatgptBaseUrl: ctx.chatgptBaseUrl,
            jwksBaseUrl: settings.jwksBase?.url,
            authapiBaseUrl: settings.registrationAuthapi?.url
        })
        : undefined;
    const registrationUrl = register && endpoints
        ? taskRegistrationUrl(endpoints.authapiBase, identity.runtimeId, from)
        : undefined;
    const header = verify && loaded.jwt
        ? decodeJwtHeader(loaded.jwt.headerPart, from)
        : undefined;
    if (header)
        checkJwtHeader(header, from);
    // ---- Network from here on -------------------------------------------------
    if (verify && loaded.jwt && header && endpoints) {
        const jwks = await fetchAgentIdentityJwks(await ctx.http(), endpoints.jwksUrl);
        const payload = await verifyAgentIdentityJwt({
            jwt: loaded.jwt.text,
            header,
            jwks,
            now: ctx.now(),
            from
        });
        identity = identityFromClaims(payload, from, false);
        // The same token, so the same account; checked again now that it is
        // proven rather than claimed.
        const verifiedViolation = (0,src_policy/* workspaceViolation */.ZU)(policy, identity.accountId);
        if (verifiedViolation) {
            throw (0,context/* restrictionFailure */.J)(verifiedViolation, credential.source);
        }
        runner.info(`Verified the agent identity against ${endpoints.jwksUrl}.`);
    }
    let taskId = identity.taskId;
    if (registrationUrl) {
        taskId = await registerAgentTask({
            http: await ctx.http(),
            url: registrationUrl,
            runtimeId: identity.runtimeId,
            key,
            now: ctx.now()
        });
        runner.info(`Registered agent task ${taskId}.`);
    }
    const timestamp = formatTimestamp(ctx.now());
    const authorization = taskId === undefined
        ? ''
        : agentAssertionHeader({
            runtimeId: identity.runtimeId,
            taskId,
            timestamp,
            key
        });
    (0,sources/* maskValue */.QS)(runner, authorization);
    // A current JWT left unregistered is primed as it is: Codex verifies and
    // registers it itself. Everything else becomes the trusted record.
    const primeJwt = loaded.jwt !== undefined && identity.shape === 'jwt' && taskId === undefined;
    const agentIdentity = primeJwt
        ? loaded.jwt?.text
        : primedIdentityRecord(identity, keyText, taskId);
    const secrets = [identity.privateKey, keyText];
    if (loaded.jwt)
        secrets.push(loaded.jwt.text);
    if (authorization !== '')
        secrets.push(authorization);
    return {
        mode: 'agentIdentity',
        source: credential.source,
        secrets,
        authorization,
        ...(identity.accountId === '' ? {} : { accountId: identity.accountId }),
        planType: (0,plan_type/* mapPlanType */.e)(identity.planType),
        fedramp: identity.fedramp,
        agentRuntimeId: identity.runtimeId,
        ...(taskId === undefined ? {} : { taskId }),
        authJson: {
            auth_mode: 'agentIdentity',
            OPENAI_API_KEY: null,
            agent_identity: agentIdentity
        },
        // Endpoint overrides for later steps are exported for every mode by
        // export.ts.
        env: {},
        // chatgpt_base_url reaches the primed config.toml through main (input)
        // or the carried-over table (config.toml); nothing to add here.
        config: {},
        warnings: warnings(loaded, settings.verifyIdentity, taskId, timestamp),
        facts: facts({
            loaded,
            identity,
            verified: verify,
            registered: registrationUrl !== undefined,
            endpoints,
            from,
            taskId,
            timestamp
        })
    };
}
/**
 * Decodes the material and masks the private key it carries before anything
 * else can run (the JWT itself was masked by the sources).
 */
function load(credential, verifyIdentity, runner) {
    const from = credential.source.label;
    const material = credential.material;
    if (material.kind === 'record') {
        const record = material.record;
        maskClaim(runner, record?.['agent_private_key']);
        return { identity: identityFromRecord(material.record, from) };
    }
    (0,sources/* maskValue */.QS)(runner, material.jwt);
    // Unsigned tokens only exist in the seeds' shape, accepted unverified.
    const decoded = decodeAgentIdentityJwt(material.jwt, from, !verifyIdentity);
    maskClaim(runner, decoded.payload['agent_private_key']);
    const identity = identityFromClaims(decoded.payload, from, !verifyIdentity);
    if (decoded.signaturePart === '' && identity.shape !== 'legacy-jwt') {
        throw new errors/* ActionError */.l((0,messages/* identityFrom */.pH)(messages/* JWT_INVALID_FORMAT */.Yf, from));
    }
    return {
        identity,
        jwt: { text: material.jwt, headerPart: decoded.headerPart }
    };
}
function maskClaim(runner, value) {
    if (typeof value === 'string')
        (0,sources/* maskValue */.QS)(runner, value);
}
function parseKey(text, from) {
    try {
        return parseAgentPrivateKey(text);
    }
    catch (err) {
        if (err instanceof crypto_errors/* CryptoError */.i) {
            throw new errors/* ActionError */.l((0,messages/* identityFrom */.pH)(err.message, from));
        }
        throw err;
    }
}
function warnings(loaded, verifyIdentity, taskId, timestamp) {
    const list = [];
    if (loaded.jwt && !verifyIdentity)
        list.push(messages/* UNVERIFIED_IDENTITY_WARNING */.uH);
    list.push(taskId === undefined ? messages/* NO_TASK_REGISTERED */.th : (0,messages/* assertionAges */.ni)(timestamp));
    return list;
}
/** Non-secret rows for the job summary. */
function facts(input) {
    const { loaded, identity, endpoints } = input;
    const rows = [];
    rows.push([
        'Identity',
        input.verified && endpoints
            ? `JWT verified (RS256) against ${endpoints.jwksUrl}`
            : loaded.jwt
                ? `JWT not verified (verify-identity: false)${identity.shape === 'legacy-jwt' ? ', older seed shape' : ''}`
                : `trusted auth.json record from ${input.from}`
    ]);
    rows.push([
        'Task origin',
        input.registered && endpoints
            ? `registered now at ${endpoints.authapiBase}`
            : input.taskId !== undefined
                ? `reused from ${input.from}`
                : 'none (register-task: false); a later Codex registers its own'
    ]);
    if (input.taskId !== undefined) {
        rows.push([
            'AgentAssertion signed at',
            `${input.timestamp} (it ages; Codex signs fresh ones from the primed home)`
        ]);
    }
    if (identity.fedramp) {
        rows.push(['FedRAMP header', 'X-OpenAI-Fedramp: true on every request']);
    }
    return rows;
}


/***/ })

};
