export const id = 40;
export const ids = [40];
export const modules = {

/***/ 84040:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GitHubGraphqlError: () => (/* binding */ GitHubGraphqlError),
  GitHubUnreachableError: () => (/* binding */ GitHubUnreachableError),
  createGitHubClient: () => (/* binding */ createGitHubClient),
  defaultGraphqlUrl: () => (/* binding */ defaultGraphqlUrl),
  describeGitHubError: () => (/* binding */ describeGitHubError),
  graphql: () => (/* binding */ graphql),
  likelyPermission: () => (/* binding */ likelyPermission),
  minimizeComment: () => (/* binding */ minimizeComment),
  networkErrorCode: () => (/* binding */ networkErrorCode)
});

// EXTERNAL MODULE: ../main/node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(82743);
// EXTERNAL MODULE: ../main/node_modules/bottleneck/light.js
var light = __webpack_require__(78115);
;// CONCATENATED MODULE: ../main/node_modules/@octokit/plugin-throttling/dist-bundle/index.js
// pkg/dist-src/index.js


// pkg/dist-src/version.js
var VERSION = "0.0.0-development";

// pkg/dist-src/wrap-request.js
var noop = () => Promise.resolve();
function wrapRequest(state, request, options) {
  return state.retryLimiter.schedule(doRequest, state, request, options);
}
async function doRequest(state, request, options) {
  const { pathname } = new URL(options.url, "http://github.test");
  const isAuth = isAuthRequest(options.method, pathname);
  const isWrite = !isAuth && options.method !== "GET" && options.method !== "HEAD";
  const isSearch = options.method === "GET" && pathname.startsWith("/search/");
  const isGraphQL = pathname.startsWith("/graphql");
  const retryCount = ~~request.retryCount;
  const jobOptions = retryCount > 0 ? { priority: 0, weight: 0 } : {};
  if (state.clustering) {
    jobOptions.expiration = 1e3 * 60;
  }
  if (isWrite || isGraphQL) {
    await state.write.key(state.id).schedule(jobOptions, noop);
  }
  if (isWrite && state.triggersNotification(pathname)) {
    await state.notifications.key(state.id).schedule(jobOptions, noop);
  }
  if (isSearch) {
    await state.search.key(state.id).schedule(jobOptions, noop);
  }
  const req = (isAuth ? state.auth : state.global).key(state.id).schedule(jobOptions, request, options);
  if (isGraphQL) {
    const res = await req;
    if (res.data.errors != null && res.data.errors.some((error) => error.type === "RATE_LIMITED")) {
      const error = Object.assign(new Error("GraphQL Rate Limit Exceeded"), {
        response: res,
        data: res.data
      });
      throw error;
    }
  }
  return req;
}
function isAuthRequest(method, pathname) {
  return method === "PATCH" && // https://docs.github.com/en/rest/apps/apps?apiVersion=2022-11-28#create-a-scoped-access-token
  /^\/applications\/[^/]+\/token\/scoped$/.test(pathname) || method === "POST" && // https://docs.github.com/en/rest/apps/oauth-applications?apiVersion=2022-11-28#reset-a-token
  (/^\/applications\/[^/]+\/token$/.test(pathname) || // https://docs.github.com/en/rest/apps/apps?apiVersion=2022-11-28#create-an-installation-access-token-for-an-app
  /^\/app\/installations\/[^/]+\/access_tokens$/.test(pathname) || // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
  pathname === "/login/oauth/access_token");
}

// pkg/dist-src/generated/triggers-notification-paths.js
var triggers_notification_paths_default = [
  "/orgs/{org}/invitations",
  "/orgs/{org}/invitations/{invitation_id}",
  "/orgs/{org}/teams/{team_slug}/discussions",
  "/orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments",
  "/repos/{owner}/{repo}/collaborators/{username}",
  "/repos/{owner}/{repo}/commits/{commit_sha}/comments",
  "/repos/{owner}/{repo}/issues",
  "/repos/{owner}/{repo}/issues/{issue_number}/comments",
  "/repos/{owner}/{repo}/issues/{issue_number}/sub_issue",
  "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues/priority",
  "/repos/{owner}/{repo}/pulls",
  "/repos/{owner}/{repo}/pulls/{pull_number}/comments",
  "/repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies",
  "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
  "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
  "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
  "/repos/{owner}/{repo}/releases",
  "/teams/{team_id}/discussions",
  "/teams/{team_id}/discussions/{discussion_number}/comments"
];

// pkg/dist-src/route-matcher.js
function routeMatcher(paths) {
  const regexes = paths.map(
    (path) => path.split("/").map((c) => c.startsWith("{") ? "(?:.+?)" : c).join("/")
  );
  const regex2 = `^(?:${regexes.map((r) => `(?:${r})`).join("|")})[^/]*$`;
  return new RegExp(regex2, "i");
}

// pkg/dist-src/index.js
var regex = routeMatcher(triggers_notification_paths_default);
var triggersNotification = regex.test.bind(regex);
var groups = {};
var createGroups = function(Bottleneck, common) {
  groups.global = new Bottleneck.Group({
    id: "octokit-global",
    maxConcurrent: 10,
    ...common
  });
  groups.auth = new Bottleneck.Group({
    id: "octokit-auth",
    maxConcurrent: 1,
    ...common
  });
  groups.search = new Bottleneck.Group({
    id: "octokit-search",
    maxConcurrent: 1,
    minTime: 2e3,
    ...common
  });
  groups.write = new Bottleneck.Group({
    id: "octokit-write",
    maxConcurrent: 1,
    minTime: 1e3,
    ...common
  });
  groups.notifications = new Bottleneck.Group({
    id: "octokit-notifications",
    maxConcurrent: 1,
    minTime: 3e3,
    ...common
  });
};
function throttling(octokit, octokitOptions) {
  const {
    enabled = true,
    Bottleneck = light,
    id = "no-id",
    timeout = 1e3 * 60 * 2,
    // Redis TTL: 2 minutes
    connection
  } = octokitOptions.throttle || {};
  if (!enabled) {
    return {};
  }
  const common = { timeout };
  if (typeof connection !== "undefined") {
    common.connection = connection;
  }
  const state = Object.assign(
    {
      clustering: connection != null,
      triggersNotification,
      fallbackSecondaryRateRetryAfter: 60,
      retryAfterBaseValue: 1e3,
      id
    },
    octokitOptions.throttle
  );
  if (typeof state.onSecondaryRateLimit !== "function" || typeof state.onRateLimit !== "function") {
    throw new Error(`octokit/plugin-throttling error:
        You must pass the onSecondaryRateLimit and onRateLimit error handlers.
        See https://octokit.github.io/rest.js/#throttling

        const octokit = new Octokit({
          throttle: {
            onSecondaryRateLimit: (retryAfter, options) => {/* ... */},
            onRateLimit: (retryAfter, options) => {/* ... */}
          }
        })
    `);
  }
  let initialized = false;
  const initializeBottleneck = () => {
    if (initialized) {
      return;
    }
    initialized = true;
    if (groups.global == null) {
      createGroups(Bottleneck, common);
    }
    state.global = state.global ?? groups.global;
    state.auth = state.auth ?? groups.auth;
    state.search = state.search ?? groups.search;
    state.write = state.write ?? groups.write;
    state.notifications = state.notifications ?? groups.notifications;
    state.retryLimiter = state.retryLimiter ?? new Bottleneck();
    const events = {};
    const emitter = new Bottleneck.Events(events);
    events.on("secondary-limit", state.onSecondaryRateLimit);
    events.on("rate-limit", state.onRateLimit);
    events.on(
      "error",
      (e) => octokit.log.warn("Error in throttling-plugin limit handler", e)
    );
    state.retryLimiter.on("failed", async function(error, info) {
      const [state2, request, options] = info.args;
      const { pathname } = new URL(options.url, "http://github.test");
      const shouldRetryGraphQL = pathname.startsWith("/graphql") && error.status !== 401;
      if (!(shouldRetryGraphQL || error.status === 403 || error.status === 429)) {
        return;
      }
      const retryCount = ~~request.retryCount;
      request.retryCount = retryCount;
      options.request.retryCount = retryCount;
      const { wantRetry, retryAfter = 0 } = await (async function() {
        if (/\bsecondary rate\b/i.test(error.message)) {
          const retryAfter2 = Number(error.response.headers["retry-after"]) || state2.fallbackSecondaryRateRetryAfter;
          const wantRetry2 = await emitter.trigger(
            "secondary-limit",
            retryAfter2,
            options,
            octokit,
            retryCount
          );
          return { wantRetry: wantRetry2, retryAfter: retryAfter2 };
        }
        if (error.response.headers != null && error.response.headers["x-ratelimit-remaining"] === "0" || (error.response.data?.errors ?? []).some(
          (error2) => error2.type === "RATE_LIMITED"
        )) {
          const rateLimitReset = new Date(
            ~~error.response.headers["x-ratelimit-reset"] * 1e3
          ).getTime();
          const retryAfter2 = Math.max(
            // Add one second so we retry _after_ the reset time
            // https://docs.github.com/en/rest/overview/resources-in-the-rest-api?apiVersion=2022-11-28#exceeding-the-rate-limit
            Math.ceil((rateLimitReset - Date.now()) / 1e3) + 1,
            0
          );
          const wantRetry2 = await emitter.trigger(
            "rate-limit",
            retryAfter2,
            options,
            octokit,
            retryCount
          );
          return { wantRetry: wantRetry2, retryAfter: retryAfter2 };
        }
        return {};
      })();
      if (wantRetry) {
        request.retryCount++;
        return retryAfter * state2.retryAfterBaseValue;
      }
    });
  };
  octokit.hook.wrap("request", (request, options) => {
    initializeBottleneck();
    return wrapRequest(state, request, options);
  });
  return {};
}
throttling.VERSION = VERSION;
throttling.triggersNotification = triggersNotification;


// EXTERNAL MODULE: ../main/node_modules/@octokit/core/dist-src/index.js + 12 modules
var dist_src = __webpack_require__(78522);
// EXTERNAL MODULE: ../main/node_modules/@octokit/plugin-request-log/dist-src/index.js + 1 modules
var plugin_request_log_dist_src = __webpack_require__(98549);
// EXTERNAL MODULE: ../main/node_modules/@octokit/plugin-paginate-rest/dist-bundle/index.js
var plugin_paginate_rest_dist_bundle = __webpack_require__(97891);
// EXTERNAL MODULE: ../main/node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/index.js + 3 modules
var plugin_rest_endpoint_methods_dist_src = __webpack_require__(65354);
;// CONCATENATED MODULE: ../main/node_modules/@octokit/rest/dist-src/version.js
const version_VERSION = "22.0.1";


;// CONCATENATED MODULE: ../main/node_modules/@octokit/rest/dist-src/index.js





const Octokit = dist_src/* Octokit */.E.plugin(plugin_request_log_dist_src/* requestLog */.M, plugin_rest_endpoint_methods_dist_src/* legacyRestEndpointMethods */.T, plugin_paginate_rest_dist_bundle/* paginateRest */.ud).defaults(
  {
    userAgent: `octokit-rest.js/${version_VERSION}`
  }
);


// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __webpack_require__(77051);
;// CONCATENATED MODULE: ./packages/github/src/client.ts
/**
 * The Octokit every action uses: @octokit/rest with retries on 5xx (plugin-retry) and rate-limit
 * handling (plugin-throttling) that honours Retry-After, logs through the kit Logger and gives up after
 * `retries` attempts. Never reads process.env: callers pass baseUrl (GITHUB_API_URL) and the token.
 */




/** The API could not be reached at all (connection refused, host not found): retrying will not help. */
class GitHubUnreachableError extends Error {
    baseUrl;
    reason;
    /** Shaped so plugin-retry sees a request error it must not retry (no `request.request`). */
    request;
    constructor(baseUrl, reason, request) {
        super(`the GitHub API at ${baseUrl} is unreachable (${reason})`);
        this.baseUrl = baseUrl;
        this.reason = reason;
        this.name = 'GitHubUnreachableError';
        this.request = request;
    }
}
const UNREACHABLE = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host not found',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    CERT_HAS_EXPIRED: 'TLS certificate expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
    BAD_PORT: 'a port fetch refuses to use',
};
/** The network error code somewhere in an error's cause chain (fetch wraps it twice). */
function networkErrorCode(error) {
    let e = error;
    for (let depth = 0; e && depth < 5; depth++) {
        if (typeof e.code === 'string' && e.code in UNREACHABLE)
            return e.code;
        // fetch refuses ports it considers unsafe (6000, 9, ...) before connecting: as final as a refusal
        if (e.message === 'bad port')
            return 'BAD_PORT';
        // AggregateError (happy eyeballs: IPv4 and IPv6 both refused)
        const inner = Array.isArray(e.errors) ? e.errors.map(networkErrorCode).find(Boolean) : undefined;
        if (inner)
            return inner;
        e = e.cause;
    }
    return undefined;
}
/**
 * Registered before plugin-retry, so its error hook runs first: a request that never reached a server
 * fails at once as GitHubUnreachableError instead of being retried (Octokit reports it as status 500).
 */
function fastFailUnreachable(octokit) {
    octokit.hook.error('request', (error, options) => {
        const e = error;
        const code = e && !e.response ? networkErrorCode(error) : undefined;
        if (!code)
            throw error;
        const base = String(options.baseUrl ?? '');
        let url = String(options.url ?? '');
        try {
            url = octokit.request.endpoint.parse(options).url;
        }
        catch {
            /* keep the template */
        }
        throw new GitHubUnreachableError(base, UNREACHABLE[code] ?? code, { method: String(options.method ?? 'GET'), url });
    });
}
const GitHubOctokit = Octokit.plugin(fastFailUnreachable, dist_bundle/* retry */.L, throttling);
const graphqlUrls = new WeakMap();
function defaultGraphqlUrl(baseUrl) {
    const base = baseUrl.replace(/\/+$/, '');
    if (/\/api\/v3$/.test(base))
        return base.replace(/\/api\/v3$/, '/api/graphql');
    return `${base}/graphql`;
}
/** `METHOD /path` of a request's options (route template expanded; no host, no query). */
function describeRequest(octokit, options) {
    const method = String(options.method ?? 'GET');
    try {
        const { url } = octokit.request.endpoint.parse(options);
        return `${method} ${decodeURIComponent(new URL(url).pathname)}`;
    }
    catch {
        return `${method} ${String(options.url ?? '')}`;
    }
}
/** A limiter group that never waits (duck-types the Bottleneck.Group the throttling plugin uses). */
const noPacing = {
    key: () => ({
        schedule: (...args) => {
            // schedule(fn) or schedule(jobOptions, fn, ...fnArgs)
            const fnIndex = typeof args[0] === 'function' ? 0 : 1;
            const fn = args[fnIndex];
            return Promise.resolve(fn(...args.slice(fnIndex + 1)));
        },
    }),
};
function createGitHubClient(options) {
    const { logger } = options;
    if (!options.token)
        throw new errors/* ConfigurationError */.j('No GitHub token: set the github-token input (default ${{ github.token }}).');
    if (!/^https?:\/\/[^/]+/.test(options.baseUrl)) {
        throw new errors/* ConfigurationError */.j(`GitHub API URL "${options.baseUrl}" is not an http(s) URL: set GITHUB_API_URL to e.g. https://api.github.com.`);
    }
    const retries = options.retries ?? 3;
    const maxWait = options.maxRetryAfterSeconds ?? 300;
    const baseUrl = options.baseUrl.replace(/\/+$/, '');
    const onLimit = (kind) => (retryAfter, request, octokit, retryCount) => {
        const what = describeRequest(octokit, request);
        if (retryCount >= retries) {
            logger.warning(`GitHub ${kind} hit on ${what}; giving up after ${retries} ${retries === 1 ? 'retry' : 'retries'}.`);
            return false;
        }
        if (retryAfter > maxWait) {
            logger.warning(`GitHub ${kind} hit on ${what}; it asks to wait ${retryAfter}s, more than the ${maxWait}s limit, not retrying.`);
            return false;
        }
        logger.warning(`GitHub ${kind} hit on ${what}; retrying in ${retryAfter}s (retry ${retryCount + 1} of ${retries}).`);
        return true;
    };
    const throttle = {
        onRateLimit: onLimit('rate limit'),
        onSecondaryRateLimit: onLimit('secondary rate limit'),
    };
    if (options.pacing === false) {
        throttle.write = noPacing;
        throttle.notifications = noPacing;
        throttle.search = noPacing;
    }
    const client = new GitHubOctokit({
        auth: options.token,
        baseUrl,
        userAgent: options.userAgent ?? 'terraform-pipeline-actions',
        log: {
            debug: (m) => logger.debug(m),
            info: (m) => logger.debug(m),
            warn: (m) => logger.warning(m),
            // Octokit logs every failed request (also ones that are retried) as an error; callers decide
            // what is an error, so keep these at debug level.
            error: (m) => logger.debug(m),
        },
        retry: { retries, retryAfterBaseValue: options.retryBaseMs ?? 1000 },
        throttle: throttle,
    });
    graphqlUrls.set(client, options.graphqlUrl ?? defaultGraphqlUrl(baseUrl));
    if (options.conditionalRequests !== false)
        addEtagCache(client);
    return client;
}
const ETAG_CACHE_SIZE = 500;
function addEtagCache(client) {
    const cache = new Map();
    const wrap = client.hook.wrap;
    wrap('request', async (request, options) => {
        if (String(options.method ?? 'GET').toUpperCase() !== 'GET')
            return request(options);
        let key;
        try {
            const parsed = client.request.endpoint.parse(options);
            key = `${parsed.url} ${String(parsed.headers.accept ?? '')}`;
        }
        catch {
            return request(options);
        }
        const hit = cache.get(key);
        if (hit)
            options.headers = { ...options.headers, 'if-none-match': hit.etag };
        try {
            const response = await request(options);
            const etag = response.headers.etag;
            if (typeof etag === 'string' && etag !== '') {
                cache.delete(key);
                cache.set(key, { etag, response: { ...response, data: structuredClone(response.data) } });
                if (cache.size > ETAG_CACHE_SIZE)
                    cache.delete(cache.keys().next().value);
            }
            return response;
        }
        catch (error) {
            if (hit && error.status === 304) {
                return { ...hit.response, headers: { ...hit.response.headers }, data: structuredClone(hit.response.data) };
            }
            throw error;
        }
    });
}
// ---------------------------------------------------------------------------------------------------
// GraphQL
// ---------------------------------------------------------------------------------------------------
class GitHubGraphqlError extends Error {
    errors;
    constructor(message, errors) {
        super(message);
        this.errors = errors;
        this.name = 'GitHubGraphqlError';
    }
}
/** POSTs a GraphQL query to the client's GraphQL endpoint (through the same retry/throttling); throws GitHubGraphqlError on `errors`. */
async function graphql(client, query, variables = {}) {
    const url = graphqlUrls.get(client) ?? defaultGraphqlUrl(String(client.request.endpoint.DEFAULTS.baseUrl));
    const response = await client.request({ method: 'POST', url, query, variables });
    const data = response.data;
    if (data.errors && data.errors.length > 0) {
        throw new GitHubGraphqlError(`GraphQL: ${data.errors.map((e) => e.message).join('; ')}`, data.errors);
    }
    return data.data;
}
/** Hides a comment (by its node_id) as GitHub's "Hide → Outdated" does. */
async function minimizeComment(client, subjectId, classifier = 'OUTDATED') {
    const result = await graphql(client, `mutation($subjectId: ID!, $classifier: ReportedContentClassifiers!) {
  minimizeComment(input: {subjectId: $subjectId, classifier: $classifier}) {
    minimizedComment { isMinimized minimizedReason }
  }
}`, { subjectId, classifier });
    if (!result?.minimizeComment)
        throw new GitHubGraphqlError(`GraphQL: minimizeComment returned nothing for ${subjectId}`, []);
    return result.minimizeComment.minimizedComment;
}
/** The permission a GITHUB_TOKEN most likely lacks for a request (for 403 "Resource not accessible by integration"). */
function likelyPermission(method, url) {
    let path = url;
    try {
        path = new URL(url, 'http://x').pathname;
    }
    catch {
        /* keep as is */
    }
    path = path.replace(/^\/api\/v3/, '');
    const write = !['GET', 'HEAD'].includes(method.toUpperCase());
    const level = write ? 'write' : 'read';
    if (/\/graphql$/.test(path))
        return 'pull-requests: write';
    if (/^\/user$/.test(path))
        return undefined;
    if (/\/issues\/(\d+\/comments|comments\/\d+)/.test(path))
        return write ? 'pull-requests: write (comments on pull requests) or issues: write' : 'pull-requests: read or issues: read';
    if (/\/issues(\/|$)/.test(path))
        return `issues: ${level}`;
    if (/\/commits\/[^/]+\/pulls$/.test(path) || /\/pulls(\/|$)/.test(path))
        return `pull-requests: ${level}`;
    if (/\/git\//.test(path))
        return `contents: ${level}`;
    if (/\/deployments(\/|$)/.test(path))
        return `deployments: ${level}`;
    if (/\/environments(\/|$)/.test(path))
        return 'actions: read';
    if (/\/actions\//.test(path))
        return `actions: ${level}`;
    if (/\/(contents|commits|branches|releases)(\/|$)/.test(path))
        return `contents: ${level}`;
    return undefined;
}
function validationDetails(data) {
    const d = (data ?? {});
    const errors = Array.isArray(d.errors) ? d.errors : [];
    const parts = errors.map((e) => {
        if (typeof e === 'string')
            return e;
        const o = (e ?? {});
        if (typeof o.message === 'string')
            return o.message;
        return [o.resource, o.field, o.code].filter((x) => typeof x === 'string').join(' ');
    });
    return parts.filter((p) => p !== '').join('; ');
}
/** One line a user can act on, e.g. `Creating the plan comment failed: 403 ... — grant "pull-requests: write" ...`. */
function describeGitHubError(error, what) {
    if (error instanceof GitHubGraphqlError)
        return `${what} failed: ${error.message}`;
    if (error instanceof GitHubUnreachableError)
        return `${what} failed: ${error.message}; check GITHUB_API_URL (on GHES https://<host>/api/v3) and the runner's network.`;
    const e = (error ?? {});
    const status = typeof e.status === 'number' ? e.status : undefined;
    if (status === undefined)
        return `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
    const data = e.response?.data;
    const apiMessage = data && typeof data === 'object' && typeof data.message === 'string'
        ? (data.message)
        : (e.message ?? '').replace(/ - https:\/\/docs\.github\.com\S*$/, '');
    const method = (e.request?.method ?? '').toUpperCase();
    const url = e.request?.url ?? '';
    let path = '';
    try {
        path = url ? decodeURIComponent(new URL(url).pathname) : '';
    }
    catch {
        path = url;
    }
    const req = method && path ? ` (${method} ${path})` : '';
    switch (status) {
        case 401:
            return `${what} failed: GitHub rejected the token (401 Bad credentials)${req}. Pass a valid token (github-token input, default \${{ github.token }}); a token from another host or an expired one gives this.`;
        case 403: {
            if (/secondary rate limit/i.test(apiMessage)) {
                return `${what} failed: GitHub secondary rate limit (403)${req} and retries ran out. Run fewer jobs at once or retry later.`;
            }
            if (/rate limit/i.test(apiMessage) || e.response?.headers?.['x-ratelimit-remaining'] === '0') {
                return `${what} failed: GitHub API rate limit exhausted (403)${req}. GITHUB_TOKEN allows 1,000 requests per hour per repository; retry after the reset.`;
            }
            if (/not accessible by integration/i.test(apiMessage)) {
                const perm = likelyPermission(method, url);
                if (!perm && /^\/user$/.test(path.replace(/^\/api\/v3/, ''))) {
                    return `${what} failed: 403 Resource not accessible by integration${req}: GITHUB_TOKEN cannot read /user; use a personal access token or do not rely on the token's user.`;
                }
                return `${what} failed: 403 Resource not accessible by integration${req}. Add \`permissions: ${perm ?? '<the permission this endpoint needs>'}\` to the job; on pull requests from forks GITHUB_TOKEN is read-only.`;
            }
            return `${what} failed: 403 ${apiMessage}${req}. The token lacks access; check the job's permissions.`;
        }
        case 404:
            return `${what} failed: 404 Not Found${req}. Check the repository and number, or that the token can see this repository (private repositories answer 404 when access is missing).`;
        case 422: {
            const details = validationDetails(data);
            return `${what} failed: 422 ${apiMessage}${details ? `: ${details}` : ''}${req}.`;
        }
        default:
            if (status >= 500)
                return `${what} failed: GitHub answered ${status}${apiMessage ? ` ${apiMessage}` : ''}${req} after retries; GitHub may be degraded, re-run the job.`;
            return `${what} failed: GitHub answered ${status}${apiMessage ? ` ${apiMessage}` : ''}${req}.`;
    }
}


/***/ })

};
