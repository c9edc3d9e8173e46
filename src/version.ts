/**
 * The action's own version, sent in the User-Agent so backend operators can
 * tell which release made a request. A test keeps it equal to package.json's
 * version: the bundle does not read package.json at run time (dist/ would
 * have to ship a copy, and a stale copy would lie).
 */
export const ACTION_VERSION = '1.0.0'
