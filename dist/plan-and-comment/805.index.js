export const id = 805;
export const ids = [805];
export const modules = {

/***/ 47805:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   findPullRequest: () => (/* binding */ findPullRequest)
/* harmony export */ });
/**
 * The pull request a run belongs to:
 *  - pull_request, pull_request_target (and issue_comment on a PR): the PR in the event payload;
 *  - push: the PR whose merge_commit_sha equals the pushed commit (GET commits/{sha}/pulls); a commit
 *    that is merely contained in open PRs does not count, so pushes to a PR branch find nothing;
 *  - anything else (workflow_dispatch, schedule, ...): none.
 * Lookup failures are warnings: the plan still goes to the summary, the artifact and the outputs.
 */
async function findPullRequest(client, info, logger) {
    const pr = info.event.pull_request;
    if (typeof pr?.number === 'number')
        return { number: pr.number, source: 'event' };
    const issue = info.event.issue;
    if (typeof issue?.number === 'number' && issue.pull_request)
        return { number: issue.number, source: 'event' };
    if (info.eventName !== 'push' || !info.sha)
        return undefined;
    try {
        const { data } = await client.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
            owner: info.owner,
            repo: info.repo,
            commit_sha: info.sha,
            per_page: 100,
        });
        const merged = data.find((p) => p.merge_commit_sha === info.sha);
        if (merged)
            return { number: merged.number, source: 'merged-commit' };
        logger.info(`No pull request was merged as ${info.sha.slice(0, 12)}: no PR comment.`);
    }
    catch (error) {
        logger.warning(`Could not look up the pull request of ${info.sha.slice(0, 12)}: ${error.message}`);
    }
    return undefined;
}


/***/ })

};
