export const id = 806;
export const ids = [806];
export const modules = {

/***/ 9806:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ACTION_TIME_BUDGET_MS: () => (/* binding */ ACTION_TIME_BUDGET_MS),
  BACKOFF_BASE_MS: () => (/* binding */ BACKOFF_BASE_MS),
  BUDGET_EXHAUSTED: () => (/* reexport */ messages/* BUDGET_EXHAUSTED */.eq),
  DEFAULT_ORIGINATOR: () => (/* binding */ DEFAULT_ORIGINATOR),
  HttpTransportError: () => (/* binding */ HttpTransportError),
  MAX_BODY_BYTES: () => (/* binding */ MAX_BODY_BYTES),
  MAX_RETRY_DELAY_MS: () => (/* binding */ MAX_RETRY_DELAY_MS),
  createHttpClient: () => (/* binding */ createHttpClient),
  defaultHttpDeps: () => (/* binding */ defaultHttpDeps),
  httpTransportFailed: () => (/* reexport */ messages/* httpTransportFailed */.tr),
  isRetryableStatus: () => (/* binding */ isRetryableStatus),
  parseRetryAfter: () => (/* binding */ parseRetryAfter),
  safeTarget: () => (/* binding */ safeTarget),
  tlsCertificateRejected: () => (/* reexport */ messages/* tlsCertificateRejected */.lF)
});

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
// EXTERNAL MODULE: external "node:string_decoder"
var external_node_string_decoder_ = __webpack_require__(6193);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __webpack_require__(4942);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/messages.ts
var messages = __webpack_require__(4279);
// EXTERNAL MODULE: ./src/backend/redact.ts
var redact = __webpack_require__(9343);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/version.ts
/**
 * The action's own version, sent in the User-Agent so backend operators can
 * tell which release made a request. A test keeps it equal to package.json's
 * version: the bundle must not read package.json at run time (ncc would have
 * to ship it, and a stale copy would lie).
 */
const ACTION_VERSION = '1.0.0';

;// CONCATENATED MODULE: ./src/backend/user-agent.ts
/**
 * The User-Agent every backend request carries (SPEC section 7), shaped like
 * the one Codex sends so backend logs read the same way.
 */


/** The product token, also the default `originator` header value. */
const USER_AGENT_PRODUCT = 'codex_github_action';
/** The platform this process runs on. */
function currentPlatform() {
    return {
        type: external_node_os_.type(),
        release: external_node_os_.release(),
        arch: external_node_os_.arch(),
        node: process.versions.node
    };
}
/**
 * Builds
 * `codex_github_action/<version> (<os type> <os release>; <arch>) node/<version>`.
 *
 * @param platform defaults to the running machine
 */
function buildUserAgent(platform = currentPlatform()) {
    const ua = `${USER_AGENT_PRODUCT}/${ACTION_VERSION} (${platform.type} ${platform.release}; ${platform.arch}) node/${platform.node}`;
    // Node refuses a header value with control characters and the request would
    // fail before leaving the machine; an odd kernel release string must not
    // break every backend call.
    return ua.replace(/[^\x20-\x7e]/g, '?');
}

;// CONCATENATED MODULE: ./src/backend/http.ts
/**
 * The one request helper every backend client uses (JWKS, task registration,
 * whoami, token refresh). It owns what they must all get right the same way:
 * the runner's proxy settings, a timeout covering the whole attempt, retries
 * with jittered backoff and `Retry-After`, an overall time budget, a cap on
 * what is read, and error text that never carries a secret.
 *
 * It does not interpret statuses: the final response, whatever its status, is
 * returned to the endpoint client, which knows what a 401 or a 500 means for
 * its call. Only a transport failure on the last attempt throws.
 */
// Default imports are the modules' live export objects: a test interceptor
// (nock) that patches `http.request` after this module loaded is still seen.








/** Most bytes of a response body that are read; the rest is never received. */
const MAX_BODY_BYTES = 1024 * 1024;
/** The overall budget {@link defaultHttpDeps} gives the whole action. */
const ACTION_TIME_BUDGET_MS = 120_000;
/** First retry waits about this long (scaled by 0.5–1.5 for jitter). */
const BACKOFF_BASE_MS = 500;
/** No wait between attempts is longer, whatever `Retry-After` asks for. */
const MAX_RETRY_DELAY_MS = 10_000;
/** `originator` header value unless `CODEX_INTERNAL_ORIGINATOR_OVERRIDE` is set. */
const DEFAULT_ORIGINATOR = USER_AGENT_PRODUCT;
/**
 * The last attempt failed at transport level. The message names the call and
 * its URL without query string, and a short cause; never headers or bodies.
 */
class HttpTransportError extends errors/* ActionError */.l {
    what;
    target;
    attempts;
    kind;
    detail;
    /**
     * @param what the call, e.g. `agent task registration`
     * @param target origin and path of the URL, nothing else
     * @param attempts attempts made (0 when the budget was gone before the first)
     * @param kind `timeout` when the last attempt ran out of time
     * @param detail short cause, already free of secrets
     */
    constructor(what, target, attempts, kind, detail) {
        super((0,messages/* httpTransportFailed */.tr)(what, target, attempts, detail));
        this.what = what;
        this.target = target;
        this.attempts = attempts;
        this.kind = kind;
        this.detail = detail;
        this.name = 'HttpTransportError';
    }
}
// Message texts live with every other user-facing text.

/**
 * Real dependencies for the action.
 *
 * @param env the action's environment (`CODEX_INTERNAL_ORIGINATOR_OVERRIDE`)
 * @param startedAt epoch ms the action's budget counts from; default now
 */
function defaultHttpDeps(env, startedAt = Date.now()) {
    // Codex treats an empty override as unset; so do we.
    const override = env['CODEX_INTERNAL_ORIGINATOR_OVERRIDE']?.trim();
    return {
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        random: Math.random,
        now: Date.now,
        userAgent: buildUserAgent(),
        originator: override ? override : DEFAULT_ORIGINATOR,
        deadline: startedAt + ACTION_TIME_BUDGET_MS
    };
}
/** Creates the shared client. */
function createHttpClient(deps) {
    return { request: (spec) => sendWithRetries(deps, spec) };
}
/** The default retry rule: throttled or a server-side failure. */
function isRetryableStatus(res) {
    return res.status === 429 || res.status >= 500;
}
/**
 * The URL as it may appear in a message: origin and path. The query string
 * and any `user:password@` are dropped, as either may carry a secret.
 */
function safeTarget(url) {
    const parsed = new URL(url);
    return parsed.origin + parsed.pathname;
}
async function sendWithRetries(deps, spec) {
    const parsedUrl = parseTarget(spec);
    if (!Number.isInteger(spec.maxAttempts) || spec.maxAttempts < 1) {
        throw new RangeError(`${spec.what}: maxAttempts must be a whole number >= 1`);
    }
    if (!(spec.timeoutMs > 0)) {
        throw new RangeError(`${spec.what}: timeoutMs must be > 0`);
    }
    const target = safeTarget(spec.url);
    const headers = requestHeaders(deps, spec.headers);
    const retryable = spec.retryable ?? isRetryableStatus;
    const remaining = () => deps.deadline === undefined ? Infinity : deps.deadline - deps.now();
    let attempts = 0;
    let last;
    for (;;) {
        const budget = remaining();
        if (budget <= 0)
            break;
        attempts++;
        last = await attempt(spec, parsedUrl, headers, Math.min(spec.timeoutMs, budget));
        if (last.ok && !retryable(last.response))
            return last.response;
        if (!last.ok && !last.failure.retryable)
            break;
        if (attempts >= spec.maxAttempts)
            break;
        const delay = retryDelay(deps, attempts, last);
        // Waiting into the deadline would leave no time to send anything.
        if (delay >= remaining())
            break;
        await deps.sleep(delay);
    }
    if (last === undefined) {
        throw new HttpTransportError(spec.what, target, 0, 'timeout', messages/* BUDGET_EXHAUSTED */.eq);
    }
    if (last.ok)
        return last.response;
    throw new HttpTransportError(spec.what, target, attempts, last.failure.kind, scrubQuery(last.failure.detail, parsedUrl));
}
function parseTarget(spec) {
    let parsed;
    try {
        parsed = new URL(spec.url);
    }
    catch {
        // The URL itself is not quoted: it may carry a secret in its query.
        throw new TypeError(`${spec.what}: the request URL is not a valid URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new TypeError(`${spec.what}: the request URL must be http or https`);
    }
    return parsed;
}
function requestHeaders(deps, extra) {
    const headers = {};
    for (const [name, value] of Object.entries(extra ?? {})) {
        headers[name.toLowerCase()] = value;
    }
    // Set last so a caller cannot drop the identification the backend may need.
    headers['user-agent'] = deps.userAgent;
    headers['originator'] = deps.originator;
    return headers;
}
/**
 * The wait before the next attempt: `Retry-After` when the server sent a
 * usable one, else 500 ms doubling per attempt, scaled by 0.5–1.5 so clients
 * failing together do not retry together. Never above 10 s.
 */
function retryDelay(deps, attemptsSoFar, last) {
    const header = last.ok ? last.response.headers['retry-after'] : undefined;
    const asked = header === undefined ? undefined : parseRetryAfter(header, deps.now());
    const delay = asked ?? BACKOFF_BASE_MS * 2 ** (attemptsSoFar - 1) * (0.5 + deps.random());
    return Math.round(Math.min(MAX_RETRY_DELAY_MS, Math.max(0, delay)));
}
/** Milliseconds a `Retry-After` value asks for, or undefined if unusable. */
function parseRetryAfter(value, now) {
    const text = value.trim();
    if (/^\d+$/.test(text))
        return Number(text) * 1000;
    // An HTTP-date always names a month; requiring letters keeps Date.parse's
    // leniency from reading a malformed number as a date.
    if (!/[A-Za-z]{3}/.test(text))
        return undefined;
    const at = Date.parse(text);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
function isTunnelAgent(agent) {
    return (typeof agent === 'object' &&
        agent !== null &&
        'proxyOptions' in agent &&
        'request' in agent &&
        typeof agent.request === 'function');
}
/** Rejects an attempt whose time is up, whatever it was waiting for. */
class AttemptTimeoutError extends Error {
}
/**
 * Sends once. Never throws: a transport failure is returned as a value so the
 * loop can decide whether to try again.
 */
async function attempt(spec, parsedUrl, headers, timeoutMs) {
    const abort = new AbortController();
    const tunnelRequests = [];
    let message;
    let expire;
    const expired = new Promise((_, reject) => {
        expire = () => reject(new AttemptTimeoutError());
    });
    // http-client's own socketTimeout is an idle timer and restarts with every
    // byte; a server trickling a byte a second would never time out. This timer
    // covers the whole attempt, and the race below ends the attempt even if some
    // layer never reports back.
    const timer = setTimeout(() => {
        abort.abort();
        message?.destroy();
        // A proxy that accepts but never answers CONNECT would keep that socket
        // (and so the process) alive: the tunnel agent does not tie it to ours.
        for (const req of tunnelRequests)
            req.destroy();
        expire?.();
    }, timeoutMs);
    const send = async () => {
        // A fresh client per attempt: http-client caches one direct agent per
        // instance whatever the protocol, and reads the proxy variables when the
        // agent is made, so a shared instance could reuse the wrong one.
        const client = new lib/* HttpClient */.Qq(USER_AGENT_PRODUCT, [], {
            // Our timer fires first; this only bounds a socket that outlives it.
            socketTimeout: timeoutMs + 1000,
            keepAlive: false
        });
        // getAgent applies the runner conventions: HTTPS_PROXY / HTTP_PROXY /
        // NO_PROXY (either case), with loopback hosts always going direct.
        const agent = client.getAgent(parsedUrl.href);
        if (isTunnelAgent(agent))
            trackTunnelRequests(agent, tunnelRequests);
        const usingTls = parsedUrl.protocol === 'https:';
        const info = {
            parsedUrl,
            httpModule: usingTls ? (external_node_https_default()) : (external_node_http_default()),
            options: {
                // An IPv6 literal comes back from URL in brackets; sockets want it bare.
                host: parsedUrl.hostname.replace(/^\[(.*)\]$/, '$1'),
                port: parsedUrl.port ? Number(parsedUrl.port) : usingTls ? 443 : 80,
                path: parsedUrl.pathname + parsedUrl.search,
                method: spec.method,
                headers: { ...headers },
                agent,
                signal: abort.signal
            }
        };
        // requestRaw, not request(): no redirects are followed (a 3xx is returned
        // to the caller like any other status; a redirected POST would resend the
        // signed body elsewhere) and http-client's own retries stay out of it.
        const data = spec.body ?? (spec.method === 'POST' ? '' : null);
        const raw = await client.requestRaw(info, data);
        message = raw.message;
        const { body, truncated } = await readCappedBody(raw.message);
        const status = raw.message.statusCode ?? 0;
        return {
            status,
            reason: (external_node_http_default()).STATUS_CODES[status] ?? '',
            headers: flattenHeaders(raw.message.headers),
            body,
            truncated
        };
    };
    const sending = send();
    // After a timeout nobody awaits `sending` any more; its late rejection
    // must not surface as an unhandled one.
    sending.catch(() => undefined);
    try {
        return { ok: true, response: await Promise.race([sending, expired]) };
    }
    catch (err) {
        message?.destroy();
        const timedOut = err instanceof AttemptTimeoutError || abort.signal.aborted;
        return { ok: false, failure: describeFailure(err, timedOut, timeoutMs) };
    }
    finally {
        clearTimeout(timer);
    }
}
function trackTunnelRequests(agent, into) {
    const original = agent.request;
    // tunnel encodes proxy credentials with the deprecated `new Buffer()`,
    // which prints DEP0005 to stderr on every run; send the same header
    // ourselves instead.
    const proxyOptions = agent.proxyOptions;
    const proxyAuth = proxyOptions?.proxyAuth;
    if (proxyOptions && proxyAuth)
        delete proxyOptions.proxyAuth;
    agent.request = (options) => {
        if (proxyAuth) {
            options.headers = {
                ...options.headers,
                'Proxy-Authorization': `Basic ${Buffer.from(proxyAuth).toString('base64')}`
            };
        }
        const req = original(options);
        // Destroying it on timeout may emit an error nobody else listens to any
        // more; an unhandled 'error' would crash the process.
        req.on('error', () => undefined);
        into.push(req);
        return req;
    };
}
function flattenHeaders(raw) {
    const headers = {};
    for (const [name, value] of Object.entries(raw)) {
        if (value === undefined)
            continue;
        headers[name.toLowerCase()] = Array.isArray(value)
            ? value.join(', ')
            : value;
    }
    return headers;
}
/** Thrown inside an attempt when the body stops before it is complete. */
class IncompleteBodyError extends Error {
    constructor() {
        super('the connection closed before the response was complete');
    }
}
/**
 * Reads at most {@link MAX_BODY_BYTES}; past that it stops and destroys the
 * response (and with it the socket), so a runaway body costs neither memory
 * nor time.
 */
function readCappedBody(message) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        let settled = false;
        const finish = (truncated) => {
            settled = true;
            const bytes = Buffer.concat(chunks);
            if (!truncated) {
                resolve({ body: bytes.toString('utf8'), truncated });
                return;
            }
            // Without end(), the decoder holds back a character cut at the cap
            // instead of turning it into U+FFFD.
            resolve({ body: new external_node_string_decoder_.StringDecoder('utf8').write(bytes), truncated });
        };
        const fail = (err) => {
            if (settled)
                return;
            settled = true;
            reject(err);
        };
        message.on('data', (chunk) => {
            if (settled)
                return;
            const room = MAX_BODY_BYTES - size;
            if (chunk.length <= room) {
                chunks.push(chunk);
                size += chunk.length;
                return;
            }
            chunks.push(chunk.subarray(0, room));
            size += room;
            finish(true);
            message.destroy();
        });
        message.on('end', () => {
            if (!settled)
                finish(false);
        });
        // Whatever the socket reports (Node says `aborted` / ECONNRESET), a body
        // that stops early means the same to the caller. A timeout is recognised
        // before this reason is looked at.
        message.on('error', () => fail(new IncompleteBodyError()));
        message.on('close', () => {
            if (!message.complete)
                fail(new IncompleteBodyError());
        });
    });
}
// ---- Failure text ------------------------------------------------------------
const TLS_CERTIFICATE_CODES = new Set([
    'CERT_HAS_EXPIRED',
    'CERT_NOT_YET_VALID',
    'CERT_UNTRUSTED',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
]);
// Node refuses to build the request at all: a header or path it cannot send.
// The same request would be refused again.
const REQUEST_BUILD_CODES = new Set([
    'ERR_INVALID_CHAR',
    'ERR_INVALID_HTTP_TOKEN',
    'ERR_UNESCAPED_CHARACTERS',
    'ERR_HTTP_INVALID_HEADER_VALUE'
]);
const CODE_TEXT = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    EPIPE: 'connection closed while sending',
    ENOTFOUND: 'host not found (DNS)',
    EAI_AGAIN: 'DNS lookup failed',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'connection timed out',
    EPROTO: 'TLS handshake failed'
};
function errorCode(err) {
    if (typeof err !== 'object' || err === null || !('code' in err)) {
        return undefined;
    }
    return typeof err.code === 'string' ? err.code : undefined;
}
function describeFailure(err, timedOut, timeoutMs) {
    const text = err instanceof Error ? err.message : String(err);
    // http-client's idle timer reports `Request timeout: <path and query>`: its
    // text must not be passed on, and it means the same as ours.
    if (timedOut || text.startsWith('Request timeout')) {
        return {
            kind: 'timeout',
            detail: `no complete response within ${timeoutMs} ms`,
            retryable: true
        };
    }
    if (err instanceof IncompleteBodyError) {
        return { kind: 'transport', detail: err.message, retryable: true };
    }
    const code = errorCode(err);
    if (code !== undefined && TLS_CERTIFICATE_CODES.has(code)) {
        return {
            kind: 'transport',
            detail: (0,messages/* tlsCertificateRejected */.lF)(code),
            retryable: false
        };
    }
    if (code !== undefined && REQUEST_BUILD_CODES.has(code)) {
        // Node's text names the offending header, never its value.
        return {
            kind: 'transport',
            detail: `the request could not be built: ${text}`,
            retryable: false
        };
    }
    // The tunnel agent wraps every proxy problem in one generic error.
    if (text.startsWith('tunneling socket could not be established')) {
        return {
            kind: 'transport',
            detail: describeProxyFailure(text),
            retryable: true
        };
    }
    if (text === 'got illegal response body from proxy') {
        return {
            kind: 'transport',
            detail: 'the proxy answered CONNECT with an unexpected body',
            retryable: true
        };
    }
    const known = code === undefined ? undefined : CODE_TEXT[code];
    return {
        kind: code === 'ETIMEDOUT' ? 'timeout' : 'transport',
        detail: known ?? shortText(text),
        retryable: true
    };
}
function describeProxyFailure(text) {
    const status = /statusCode=(\d+)/.exec(text)?.[1];
    if (status !== undefined) {
        const reason = (external_node_http_default()).STATUS_CODES[Number(status)] ?? '';
        return `the proxy refused the tunnel with status ${status} ${reason}`.trim();
    }
    const code = /\b(E[A-Z_]+)\b/.exec(text)?.[1];
    const known = code === undefined ? undefined : CODE_TEXT[code];
    return `could not reach the proxy: ${known ?? shortText(text)}`;
}
/** An unrecognised error's text, redacted and kept short. */
function shortText(text) {
    const clean = (0,redact/* redactSecrets */.fp)(text.replace(/\s+/g, ' ').trim());
    return clean.length > 200
        ? `${clean.slice(0, 200)}...`
        : clean || 'unknown error';
}
/** Belt and braces: neither query string nor URL password may reach a message. */
function scrubQuery(detail, url) {
    let out = detail;
    for (const part of [url.search.slice(1), url.password]) {
        if (part.length > 0)
            out = out.split(part).join('[redacted]');
    }
    return out;
}


/***/ }),

/***/ 9343:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   VH: () => (/* binding */ bodyForMessage),
/* harmony export */   fp: () => (/* binding */ redactSecrets)
/* harmony export */ });
/* unused harmony exports REDACTED, MESSAGE_BODY_LIMIT, TRUNCATION_MARK, truncateBody */
/**
 * Makes server-supplied text safe to put in an error message (SPEC 4.3).
 *
 * A backend may echo a credential back in an error body, and the runner only
 * masks values it was told about, not a token we never saw (a rotated refresh
 * token, a signed assertion). So every piece of server text is redacted before
 * it reaches a message, and cut to a readable length.
 */
/** What a secret-looking run is replaced with. */
const REDACTED = '[redacted]';
/** Longest server body quoted in a message, in characters (SPEC 4.3). */
const MESSAGE_BODY_LIMIT = 512;
/** Appended to a body that was cut. */
const TRUNCATION_MARK = '...';
// Every pattern is anchored to the start of a run (the look-behinds) so that
// the engine tries each run once: without them a 1 MiB body of letters would
// cost quadratic time in backtracking.
const SECRET_PATTERNS = [
    // A JWT (or JWE) whose header is base64url JSON: `eyJ` is how `{"` encodes.
    // The signature may be empty (unsigned identities), so only one dot is
    // required after the header.
    /(?<![\w-])eyJ[\w-]*(?:\.[\w-]+)+/g,
    // A JWT-shaped token whose header does not start with `{"`. Each part must
    // be long so host names and version numbers are left alone.
    /(?<![\w-])[\w-]{16,}\.[\w-]{16,}\.[\w-]{16,}/g,
    // OpenAI API keys (`sk-`, `sk-proj-`), personal access tokens (`at-`) and
    // refresh tokens (`rt-`). Eight characters after the prefix keeps words like
    // `at-risk` readable; a real token is far longer.
    /(?<![\w-])(?:sk|at|rt)-[\w-]{8,}/g,
    // Anything else that looks like key material: base64 or base64url runs.
    /[A-Za-z0-9+/_-]{40,}={0,2}/g
];
/**
 * Replaces secret-looking runs with `[redacted]`: JWT-shaped tokens, `sk-…`,
 * `at-…` and `rt-…` tokens, and base64/base64url runs of 40 or more
 * characters.
 *
 * Deliberately greedy: a long URL path or hex digest may be redacted too. A
 * lost diagnostic detail is cheap; a leaked token is not.
 */
function redactSecrets(text) {
    let out = text;
    for (const pattern of SECRET_PATTERNS)
        out = out.replace(pattern, REDACTED);
    return out;
}
/**
 * Cuts `body` to its first `limit` characters plus `...` when it is longer.
 * Characters are Unicode code points, so a cut never leaves half of a
 * surrogate pair behind.
 *
 * Does not redact: use {@link bodyForMessage} for server text.
 */
function truncateBody(body, limit = MESSAGE_BODY_LIMIT) {
    // Code units are at least as many as code points: short strings are done.
    if (body.length <= limit)
        return body;
    let end = 0;
    let points = 0;
    while (end < body.length && points < limit) {
        const code = body.codePointAt(end) ?? 0;
        end += code > 0xffff ? 2 : 1;
        points++;
    }
    return end >= body.length ? body : body.slice(0, end) + TRUNCATION_MARK;
}
// Redaction only ever looks at a bounded prefix of a body, at least this
// long. Even if every character of it belonged to a secret that shrank to
// `[redacted]` (the worst case, a 50-character three-part token, keeps one
// fifth), the redacted prefix is still longer than the part shown, so a secret
// cut at the window's edge can never reach the output. It keeps a 1 MiB error
// page from being scanned four times for 512 characters.
const REDACTION_WINDOW = 64 * 1024;
/**
 * Server text as it may appear in a message: redacted first, then cut to
 * {@link MESSAGE_BODY_LIMIT} characters plus `...`.
 *
 * Redacting before cutting is the safe order: cutting first could shorten a
 * secret below a pattern's minimum length (an `sk-` key cut to `sk-abc`, a
 * base64 run cut to 30 characters) and the fragment would be shown.
 */
function bodyForMessage(body, limit = MESSAGE_BODY_LIMIT) {
    const window = Math.max(REDACTION_WINDOW, limit * 8);
    return truncateBody(redactSecrets(body.slice(0, window)), limit);
}


/***/ })

};
