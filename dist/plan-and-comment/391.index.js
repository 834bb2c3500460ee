export const id = 391;
export const ids = [391];
export const modules = {

/***/ 34391:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GITHUB_ACTIONS_BOT: () => (/* binding */ GITHUB_ACTIONS_BOT),
/* harmony export */   findComments: () => (/* binding */ findComments),
/* harmony export */   isBodyTooLong: () => (/* binding */ isBodyTooLong),
/* harmony export */   minimizeComment: () => (/* binding */ minimizeComment),
/* harmony export */   resolveTokenIdentity: () => (/* binding */ resolveTokenIdentity),
/* harmony export */   upsertComment: () => (/* binding */ upsertComment)
/* harmony export */ });
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(50979);

const GITHUB_ACTIONS_BOT = 'github-actions[bot]';
function statusOf(error) {
    const s = error?.status;
    return typeof s === 'number' ? s : undefined;
}
/**
 * The login comments written with this token carry. A PAT (or an App user token) answers GET /user;
 * GITHUB_TOKEN and installation tokens get 403 "Resource not accessible by integration": those write
 * as github-actions[bot].
 */
async function resolveTokenIdentity(client, logger) {
    try {
        const { data } = await client.request('GET /user');
        const login = data.login;
        if (login)
            return login;
    }
    catch (error) {
        const status = statusOf(error);
        if (status !== 403 && status !== 404)
            throw error;
        logger.debug(`GET /user answered ${status}: writing as ${GITHUB_ACTIONS_BOT}`);
    }
    return GITHUB_ACTIONS_BOT;
}
function hasNextPage(link) {
    return typeof link === 'string' && /rel="next"/.test(link);
}
/**
 * Every comment on the issue/PR by `author` whose body satisfies `match`, oldest first. Reads all pages
 * (100 per page) but keeps only the matching ones in memory.
 */
async function findComments(client, target, author, match) {
    const found = [];
    for (let page = 1;; page++) {
        const response = await client.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
            owner: target.owner,
            repo: target.repo,
            issue_number: target.issueNumber,
            per_page: 100,
            page,
        });
        const items = response.data;
        for (const c of items) {
            const login = c.user?.login ?? '';
            if (login.toLowerCase() !== author.toLowerCase())
                continue;
            const body = c.body ?? '';
            if (!match(body))
                continue;
            found.push({ id: c.id, nodeId: c.node_id, body, htmlUrl: c.html_url, author: login });
        }
        if (!hasNextPage(response.headers.link) || items.length === 0)
            break;
    }
    return found;
}
function isBodyTooLong(error) {
    if (statusOf(error) !== 422)
        return false;
    const data = error.response?.data;
    const text = `${JSON.stringify(data ?? '')} ${error.message ?? ''}`;
    return /too long/i.test(text);
}
async function writeWithFallback(write, body, minimalBody, logger) {
    try {
        return { ...(await write(body)), minimal: false };
    }
    catch (error) {
        if (!isBodyTooLong(error))
            throw error;
        logger.warning(`GitHub refused the comment as too long (${body.length} characters); retrying once with a minimal body.`);
        return { ...(await write(minimalBody)), minimal: true };
    }
}
/** Minimises a comment as OUTDATED (GraphQL minimizeComment); failures are warnings. */
async function minimizeComment(client, nodeId, logger) {
    try {
        const result = await (0,_client_js__WEBPACK_IMPORTED_MODULE_0__.minimizeComment)(client, nodeId, 'OUTDATED');
        return result.isMinimized;
    }
    catch (error) {
        logger.warning((0,_client_js__WEBPACK_IMPORTED_MODULE_0__.describeGitHubError)(error, 'Minimising the previous plan comment'));
        return false;
    }
}
/**
 * Creates or updates the sticky comment:
 *  - update: edit the newest of our comments for this identity, or create one;
 *  - changes-only: the same, except that no comment is created when the plan has no changes
 *    (an existing one is still updated, so a stale plan never stays);
 *  - new: post a new comment and minimise our previous one as outdated.
 */
async function upsertComment(client, options) {
    const { target, logger } = options;
    const author = options.author ?? (await resolveTokenIdentity(client, logger));
    const existing = await findComments(client, target, author, options.isOurs);
    const latest = existing[existing.length - 1];
    const create = async (body) => {
        const { data } = await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
            owner: target.owner,
            repo: target.repo,
            issue_number: target.issueNumber,
            body,
        });
        return { id: Number(data.id), html_url: data.html_url };
    };
    if (options.mode === 'new' || !latest) {
        if (!latest && options.mode === 'changes-only' && !options.hasChanges) {
            logger.info('No changes and no earlier plan comment: not commenting (comment: changes-only).');
            return { action: 'skipped', minimized: [], minimal: false };
        }
        const written = await writeWithFallback(create, options.body, options.minimalBody, logger);
        const minimized = [];
        if (options.mode === 'new' && latest && (await minimizeComment(client, latest.nodeId, logger)))
            minimized.push(latest.id);
        return { action: 'created', id: written.id, url: written.html_url, minimized, minimal: written.minimal };
    }
    if (latest.body === options.body) {
        logger.info('The plan comment is already up to date.');
        return { action: 'updated', id: latest.id, url: latest.htmlUrl, minimized: [], minimal: false };
    }
    const update = async (body) => {
        const { data } = await client.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
            owner: target.owner,
            repo: target.repo,
            comment_id: latest.id,
            body,
        });
        return { id: Number(data.id), html_url: data.html_url };
    };
    const written = await writeWithFallback(update, options.body, options.minimalBody, logger);
    return { action: 'updated', id: written.id, url: written.html_url, minimized: [], minimal: written.minimal };
}


/***/ })

};
