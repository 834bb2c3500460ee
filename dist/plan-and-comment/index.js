import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 77051:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   g: () => (/* binding */ errorMessage),
/* harmony export */   j: () => (/* binding */ ConfigurationError)
/* harmony export */ });
/** A mistake the user can fix (bad input, bad policy, missing permission): shown as one line, no stack. */
class ConfigurationError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ConfigurationError';
    }
}
function errorMessage(error) {
    return error instanceof Error ? error.message : String(error);
}


/***/ }),

/***/ 42613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 20181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 35317:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");

/***/ }),

/***/ 49140:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("constants");

/***/ }),

/***/ 76982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 24434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 79896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 91943:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs/promises");

/***/ }),

/***/ 58611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 65692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 69278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 34589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 16698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 31421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 37540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 77598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 53053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 40610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 78474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 73024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 51455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 37067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 32467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 44708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 98995:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");

/***/ }),

/***/ 77030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 48161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 76760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:process");

/***/ }),

/***/ 41792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 57075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 46193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:string_decoder");

/***/ }),

/***/ 41692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 73136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 57975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 73429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 75919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 38522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 70857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 16928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 13193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 53557:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");

/***/ }),

/***/ 64756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 52018:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tty");

/***/ }),

/***/ 87016:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("url");

/***/ }),

/***/ 39023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 43106:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("zlib");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		id: moduleId,
/******/ 		loaded: false,
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Flag the module as loaded
/******/ 	module.loaded = true;
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/node module decorator */
/******/ (() => {
/******/ 	__nccwpck_require__.nmd = (module) => {
/******/ 		module.paths = [];
/******/ 		if (!module.children) module.children = [];
/******/ 		return module;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(73024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(48161);
;// CONCATENATED MODULE: ./packages/kit/src/workflow-commands.ts


/** null/undefined -> '', strings as they are, anything else as JSON (utils.toCommandValue). */
function toCommandValue(input) {
    if (input === null || input === undefined)
        return '';
    if (typeof input === 'string' || input instanceof String)
        return String(input);
    return JSON.stringify(input);
}
function escapeData(s) {
    return toCommandValue(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return toCommandValue(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
}
/** The text of one workflow command, without the line end (command.Command#toString). */
function formatCommand(command, properties, message) {
    let out = `::${command || 'missing.command'}`;
    if (properties && Object.keys(properties).length > 0) {
        out += ' ';
        let first = true;
        for (const key in properties) {
            if (!Object.prototype.hasOwnProperty.call(properties, key))
                continue;
            const val = properties[key];
            if (!val)
                continue;
            if (first)
                first = false;
            else
                out += ',';
            out += `${key}=${escapeProperty(val)}`;
        }
    }
    return `${out}::${escapeData(message)}`;
}
function issueCommand(command, properties, message) {
    process.stdout.write(formatCommand(command, properties, message) + external_node_os_.EOL);
}
function toCommandProperties(p) {
    if (!Object.keys(p).length)
        return {};
    return { title: p.title, file: p.file, line: p.startLine, endLine: p.endLine, col: p.startColumn, endColumn: p.endColumn };
}
function annotationText(message) {
    return message instanceof Error ? message.toString() : message;
}
function getInput(name, options) {
    const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    if (options && options.required && !val)
        throw new Error(`Input required and not supplied: ${name}`);
    if (options && options.trimWhitespace === false)
        return val;
    return val.trim();
}
/** The GITHUB_OUTPUT entry for one output (file-command.prepareKeyValueMessage). */
function prepareKeyValueMessage(key, value, delimiter = `ghadelimiter_${globalThis.crypto.randomUUID()}`) {
    const convertedValue = toCommandValue(value);
    if (key.includes(delimiter))
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    if (convertedValue.includes(delimiter))
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    return `${key}<<${delimiter}${external_node_os_.EOL}${convertedValue}${external_node_os_.EOL}${delimiter}`;
}
function issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath)
        throw new Error(`Unable to find environment variable for file command ${command}`);
    if (!(0,external_node_fs_.existsSync)(filePath))
        throw new Error(`Missing file at path: ${filePath}`);
    (0,external_node_fs_.appendFileSync)(filePath, `${toCommandValue(message)}${external_node_os_.EOL}`, { encoding: 'utf8' });
}
function setOutput(name, value) {
    const filePath = process.env.GITHUB_OUTPUT || '';
    if (filePath) {
        issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
        return;
    }
    process.stdout.write(external_node_os_.EOL);
    issueCommand('set-output', { name }, toCommandValue(value));
}
function setSecret(secret) {
    issueCommand('add-mask', {}, secret);
}
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}
function isDebug() {
    return process.env.RUNNER_DEBUG === '1';
}
function debug(message) {
    issueCommand('debug', {}, message);
}
function error(message, properties = {}) {
    issueCommand('error', toCommandProperties(properties), annotationText(message));
}
function warning(message, properties = {}) {
    issueCommand('warning', toCommandProperties(properties), annotationText(message));
}
function notice(message, properties = {}) {
    issueCommand('notice', toCommandProperties(properties), annotationText(message));
}
function info(message) {
    process.stdout.write(message + external_node_os_.EOL);
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(76760);
// EXTERNAL MODULE: ./packages/kit/src/errors.ts
var errors = __nccwpck_require__(77051);
;// CONCATENATED MODULE: ./packages/kit/src/context.ts


function readRunContext(env = process.env) {
    const repository = env.GITHUB_REPOSITORY ?? '';
    const [owner, repo] = repository.split('/');
    if (!owner || !repo) {
        throw new errors/* ConfigurationError */.j('GITHUB_REPOSITORY is not set (expected owner/repo); run inside GitHub Actions or set it.');
    }
    let event = {};
    if (env.GITHUB_EVENT_PATH) {
        try {
            event = JSON.parse((0,external_node_fs_.readFileSync)(env.GITHUB_EVENT_PATH, 'utf8'));
        }
        catch {
            event = {};
        }
    }
    const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, '');
    const apiUrl = (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, '');
    const runId = env.GITHUB_RUN_ID ?? '';
    return {
        owner,
        repo,
        sha: env.GITHUB_SHA ?? '',
        ref: env.GITHUB_REF ?? '',
        actor: env.GITHUB_ACTOR ?? '',
        eventName: env.GITHUB_EVENT_NAME ?? '',
        event,
        runId,
        runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
        serverUrl,
        apiUrl,
        graphqlUrl: (env.GITHUB_GRAPHQL_URL ?? `${apiUrl}/graphql`).replace(/\/$/, ''),
        runUrl: runId ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` : '',
        workflow: env.GITHUB_WORKFLOW ?? '',
        job: env.GITHUB_JOB ?? '',
    };
}
/** The pull request number of a pull_request / pull_request_target / issue_comment event, if any. */
function pullRequestNumber(context) {
    const pr = context.event.pull_request;
    if (pr?.number)
        return pr.number;
    const issue = context.event.issue;
    if (issue?.number && issue.pull_request)
        return issue.number;
    return undefined;
}

;// CONCATENATED MODULE: ./packages/kit/src/runner.ts


const coreLogger = {
    info: (m) => info(m),
    warning: (m) => warning(m),
    error: (m) => error(m),
    debug: (m) => debug(m),
};
/** Sets an output; objects and arrays are written as JSON, numbers and booleans as text. */
function runner_setOutput(name, value) {
    setOutput(name, typeof value === 'string' ? value : JSON.stringify(value));
}
function maskSecret(value) {
    if (value)
        core.setSecret(value);
}
/**
 * Runs an action's body: a user mistake (ConfigurationError) fails the step with one line prefixed
 * by the action's name and no stack; an unexpected error also shows its stack in the debug log.
 */
async function runAction(actionName, body) {
    try {
        await body();
    }
    catch (error) {
        if (!(error instanceof errors/* ConfigurationError */.j) && error instanceof Error && error.stack)
            debug(error.stack);
        setFailed(`${actionName}: ${(0,errors/* errorMessage */.g)(error)}`);
    }
}
function notImplemented(actionName) {
    return runAction(actionName, async () => {
        throw new ConfigurationError('not implemented yet in this release; no action was taken.');
    });
}

;// CONCATENATED MODULE: ./packages/kit/src/summary.ts

/** GitHub refuses a step summary over 1 MiB; keep a margin for what the runner adds. */
const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 8 * 1024;
/**
 * Builds a job summary that never exceeds the 1 MiB step limit. `add` refuses (returns false) a part
 * that would not fit, so the caller can add a shorter variant or a pointer instead.
 */
class SummaryBuilder {
    limit;
    parts = [];
    bytes = 0;
    constructor(limit = SUMMARY_LIMIT_BYTES) {
        this.limit = limit;
    }
    get size() {
        return this.bytes;
    }
    remaining() {
        return this.limit - this.bytes;
    }
    add(markdown) {
        const text = markdown.endsWith('\n') ? markdown : `${markdown}\n`;
        const size = Buffer.byteLength(text, 'utf8');
        if (this.bytes + size > this.limit)
            return false;
        this.parts.push(text);
        this.bytes += size;
        return true;
    }
    toString() {
        return this.parts.join('');
    }
    /** Appends to GITHUB_STEP_SUMMARY when the runner provides it; returns whether it wrote. */
    write(path = process.env.GITHUB_STEP_SUMMARY) {
        if (!path || (!(0,external_node_fs_.existsSync)(path) && !path.startsWith('/')))
            return false;
        (0,external_node_fs_.appendFileSync)(path, this.toString(), 'utf8');
        return true;
    }
}

;// CONCATENATED MODULE: ./packages/terraform/src/parse.ts

const HOW = 'pass the output of `terraform show -json <planfile>` instead';
function fail(source, what) {
    throw new errors/* ConfigurationError */.j(`${source}: ${what}; ${HOW}`);
}
function isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** Guesses what a non-JSON text is, for the error message. */
function describeText(text) {
    const t = text.trimStart();
    if (t === '')
        return 'is empty';
    if (t.startsWith('PK'))
        return 'is a binary plan file (zip), not its JSON';
    if (/Terraform (will perform|used the selected providers)|^Plan: \d+ to|No changes\.|Changes to Outputs:|Terraform planned the following actions/m.test(t)) {
        return 'is the human-readable `terraform plan` text, not JSON';
    }
    if (t.startsWith('{"@level"') || t.startsWith('{"@message"'))
        return 'is `terraform plan -json` machine-readable UI log lines, not a plan document';
    return 'is not valid JSON';
}
/** Plan JSON formats read: 0.1 (Terraform 0.12-0.14), 0.2 (0.15-1.0), 1.x (1.1 and later, OpenTofu). */
const SUPPORTED_FORMAT = /^(0\.[12]|1\.\d+)$/;
const SUPPORTED_RANGE = 'Terraform 0.12 and later and OpenTofu';
/** A change without either sensitivity mask: Terraform 0.12/0.13 wrote none, so nothing in it is known to be safe. */
function maskUnmarked(change) {
    if ('before_sensitive' in change || 'after_sensitive' in change)
        return;
    change.before_sensitive = change.before !== null && change.before !== undefined;
    change.after_sensitive = change.after !== null && change.after !== undefined;
}
function maskUnmarkedModule(mod) {
    if (!isRecord(mod))
        return;
    if (Array.isArray(mod.resources))
        for (const r of mod.resources)
            if (isRecord(r) && !('sensitive_values' in r))
                r.sensitive_values = true;
    if (Array.isArray(mod.child_modules))
        mod.child_modules.forEach(maskUnmarkedModule);
}
/**
 * Plans of Terraform 0.12 to 1.0 (format 0.1 and 0.2) have the structure of 1.x for everything read
 * here (resource_changes, output_changes, resource_drift, planned_values, prior_state). Terraform 0.14
 * added the sensitivity masks; a plan written before (0.12, 0.13) has none and shows provider-sensitive
 * values in clear. Those values are marked wholly sensitive here, so every reader (comment, gate,
 * artifact, fingerprint) redacts them; root variables of such a plan count as sensitive too.
 */
function markLegacyPlan(data) {
    let unmarked = false;
    for (const key of ['resource_changes', 'resource_drift']) {
        const list = data[key];
        if (!Array.isArray(list))
            continue;
        for (const rc of list) {
            if (!isRecord(rc) || !isRecord(rc.change))
                continue;
            if (!('before_sensitive' in rc.change) && !('after_sensitive' in rc.change))
                unmarked = true;
            maskUnmarked(rc.change);
        }
    }
    if (isRecord(data.output_changes))
        for (const oc of Object.values(data.output_changes))
            if (isRecord(oc))
                maskUnmarked(oc);
    for (const key of ['planned_values', 'prior_state']) {
        const v = data[key];
        if (!isRecord(v))
            continue;
        maskUnmarkedModule(key === 'prior_state' ? (isRecord(v.values) ? v.values.root_module : undefined) : v.root_module);
    }
    if (unmarked && isRecord(data.variables)) {
        const config = isRecord(data.configuration) ? data.configuration : (data.configuration = {});
        const root = isRecord(config.root_module) ? config.root_module : (config.root_module = {});
        const vars = isRecord(root.variables) ? root.variables : (root.variables = {});
        for (const name of Object.keys(data.variables)) {
            const v = isRecord(vars[name]) ? vars[name] : (vars[name] = {});
            v.sensitive = true;
        }
    }
}
/**
 * Parses and validates the JSON of `terraform show -json <planfile>` (format_version 0.1, 0.2 or 1.x).
 * Throws a one-line ConfigurationError naming `source` that says what was given and what to pass instead.
 */
function parsePlanJson(text, source) {
    let data;
    try {
        data = JSON.parse(text);
    }
    catch {
        fail(source, describeText(text));
    }
    if (!isRecord(data))
        fail(source, `is JSON ${Array.isArray(data) ? 'array' : typeof data === 'object' ? 'null' : typeof data}, not a plan object`);
    if ('lineage' in data && 'serial' in data && 'resources' in data) {
        fail(source, 'is a raw state file (terraform.tfstate), not a plan');
    }
    if (typeof data.format_version !== 'string')
        fail(source, 'has no "format_version"; it is not terraform plan JSON');
    if (!SUPPORTED_FORMAT.test(data.format_version)) {
        throw new errors/* ConfigurationError */.j(`${source}: has plan format_version "${data.format_version}", which this tool cannot read; it reads plans of ${SUPPORTED_RANGE} (format_version 0.1, 0.2 and 1.x): pass the output of \`terraform show -json <planfile>\` of one of those versions`);
    }
    const planKeys = ['resource_changes', 'planned_values', 'output_changes', 'resource_drift', 'prior_state', 'errored'];
    if (!planKeys.some((k) => k in data)) {
        if ('values' in data)
            fail(source, 'is state JSON (`terraform show -json` without a plan file), not a plan');
        if ('provider_schemas' in data)
            fail(source, 'is provider schema JSON (`terraform providers schema -json`), not a plan');
        if ('valid' in data && 'diagnostics' in data)
            fail(source, 'is `terraform validate -json` output, not a plan');
        fail(source, 'has none of resource_changes/planned_values/output_changes; it is not a plan');
    }
    for (const key of ['resource_changes', 'resource_drift', 'deferred_changes']) {
        const v = data[key];
        if (v === undefined || v === null)
            continue;
        if (!Array.isArray(v))
            fail(source, `has "${key}" that is not an array`);
        v.forEach((rc, i) => {
            const entry = key === 'deferred_changes' && isRecord(rc) ? rc.resource_change : rc;
            if (!isRecord(entry) || typeof entry.address !== 'string')
                fail(source, `has ${key}[${i}] without an "address"`);
            if (!isRecord(entry.change) || !Array.isArray(entry.change.actions)) {
                fail(source, `has ${key}[${i}] (${entry.address}) without "change.actions"`);
            }
        });
    }
    if (data.output_changes !== undefined && data.output_changes !== null) {
        if (!isRecord(data.output_changes))
            fail(source, 'has "output_changes" that is not an object');
        for (const [name, oc] of Object.entries(data.output_changes)) {
            if (!isRecord(oc) || !Array.isArray(oc.actions))
                fail(source, `has output_changes.${name} without "actions"`);
        }
    }
    if (data.variables !== undefined && !isRecord(data.variables))
        fail(source, 'has "variables" that is not an object');
    if (data.format_version.startsWith('0.'))
        markLegacyPlan(data);
    return data;
}

;// CONCATENATED MODULE: ./packages/terraform/src/classify.ts
/**
 * Maps terraform's `change.actions` to one ChangeKind.
 *
 * Terraform 1.11 writes these action lists (plans/action.go, command/jsonplan):
 *  - ["no-op"]                      no-op (may still be a move or an import: see isMove / isImport)
 *  - ["create"] / ["read"] / ["update"] / ["delete"]
 *  - ["delete","create"]            replace, destroy-before-create (the default)
 *  - ["create","delete"]            replace, create-before-destroy (lifecycle create_before_destroy)
 *  - ["forget"]                     `removed { lifecycle { destroy = false } }`: dropped from state, object kept
 *  - ["create","forget"]            CreateThenForget: the object must be replaced but the existing one is
 *                                   not destroyed, only dropped from state (resource-level
 *                                   `lifecycle { destroy = false }`, terraform >= 1.12; 1.11.4 rejects that
 *                                   argument, so 1.11 never writes this list). Terraform's JSON UI calls it
 *                                   "replace"; we do too. Counting (build-model.ts) follows terraform's plan
 *                                   line: one add and one forget, no destroy (counts.replaceForget).
 */
function classify_classifyActions(actions) {
    const key = actions.join(',');
    switch (key) {
        case 'no-op':
        case '':
            return 'no-op';
        case 'create':
            return 'create';
        case 'read':
            return 'read';
        case 'update':
            return 'update';
        case 'delete':
            return 'delete';
        case 'forget':
            return 'forget';
        case 'delete,create':
        case 'create,delete':
            return 'replace';
        case 'create,forget':
            return 'replace';
        default:
            throw new Error(`unsupported terraform change actions [${actions.join(', ')}]`);
    }
}
function isReplace(actions) {
    return classify_classifyActions(actions) === 'replace';
}
/** True when the action list includes a forget (["forget"] or ["create","forget"]). */
function forgets(actions) {
    return actions.includes('forget');
}
/** A resource instance whose address changed (a `moved` block or an implied move). */
function isMove(rc) {
    return typeof rc.previous_address === 'string' && rc.previous_address !== '' && rc.previous_address !== rc.address;
}
/** A resource instance being imported by an `import` block (any action, usually no-op or update). */
function isImport(rc) {
    return rc.change.importing !== undefined && rc.change.importing !== null;
}
/**
 * True when the entry is worth showing: any real action, or a no-op that moves or imports.
 */
function classify_isSignificant(rc) {
    return classify_classifyActions(rc.change.actions) !== 'no-op' || isMove(rc) || isImport(rc);
}

;// CONCATENATED MODULE: ./packages/terraform/src/redact.ts
const SENSITIVE = '(sensitive)';
const UNKNOWN = '(known after apply)';
function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** `true` at this node of a mask (sensitive or unknown) means the whole value below is marked. */
function marked(mask) {
    return mask === true;
}
function child(mask, key) {
    if (Array.isArray(mask) && typeof key === 'number')
        return mask[key];
    if (isObject(mask) && typeof key === 'string')
        return mask[key];
    return undefined;
}
/**
 * Returns `value` where every part marked `true` in `sensitive` becomes "(sensitive)" and every
 * part marked `true` in `unknown` becomes "(known after apply)". Masks mirror the value's shape (objects,
 * lists and sets alike are arrays/objects); a `true` at a parent covers everything below. Sensitivity wins
 * over unknown-ness. Unknown attributes that are absent from `value` (terraform omits them) are added.
 * A sensitive `null` stays `null`: there is nothing to leak and it keeps "no object" readable.
 * Parts that nothing changes are returned as they are (shared with the input, never modified); an object
 * with an own "__proto__" key is always copied, which drops that key (as a plain copy always did).
 */
function redactValue(value, sensitive, unknown) {
    if (sensitive === true)
        return value === null ? null : SENSITIVE;
    if (unknown === true)
        return UNKNOWN;
    if (value === undefined) {
        // absent from `after` but partly unknown: rebuild the shape from the mask
        if (Array.isArray(unknown) && hasMark(unknown))
            return redactValue([], sensitive, unknown);
        if (isObject(unknown) && hasMark(unknown))
            return redactValue({}, sensitive, unknown);
        return null;
    }
    if (typeof value !== 'object' || value === null)
        return value;
    // a mask that is not an object/array, or an empty one, marks nothing below: the same as no mask
    const sMask = nonEmptyMask(sensitive);
    const uMask = nonEmptyMask(unknown);
    if (sMask === undefined && uMask === undefined)
        return hasProtoKey(value) ? copyPlain(value) : value;
    if (Array.isArray(value)) {
        let out;
        for (let i = 0; i < value.length; i++) {
            const item = value[i];
            const r = redactValue(item, child(sMask, i), child(uMask, i));
            if (out === undefined && r !== item)
                out = value.slice(0, i);
            if (out !== undefined)
                out.push(r);
        }
        if (Array.isArray(uMask)) {
            for (let i = value.length; i < uMask.length; i++) {
                if (hasMark(uMask[i])) {
                    if (out === undefined)
                        out = value.slice();
                    out.push(redactValue(undefined, child(sMask, i), uMask[i]));
                }
            }
        }
        return out ?? value;
    }
    const keys = Object.keys(value);
    let results;
    let changed = false;
    for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        const v = value[k];
        const r = redactValue(v, child(sMask, k), child(uMask, k));
        if (!changed && (r !== v || k === '__proto__')) {
            changed = true;
            results = new Array(keys.length);
            for (let j = 0; j < i; j++)
                results[j] = value[keys[j]];
        }
        if (results !== undefined)
            results[i] = r;
    }
    let extra;
    if (isObject(uMask)) {
        const uKeys = Object.keys(uMask);
        for (let i = 0; i < uKeys.length; i++) {
            const k = uKeys[i];
            if (k in value)
                continue;
            const u = uMask[k];
            if (hasMark(u))
                (extra ??= []).push([k, redactValue(undefined, child(sMask, k), u)]);
        }
    }
    if (!changed && extra === undefined)
        return value;
    const out = {};
    for (let i = 0; i < keys.length; i++)
        out[keys[i]] = results ? results[i] : value[keys[i]];
    if (extra)
        for (const [k, r] of extra)
            out[k] = r;
    return out;
}
function nonEmptyMask(mask) {
    if (typeof mask !== 'object' || mask === null)
        return undefined;
    if (Array.isArray(mask))
        return mask.length > 0 ? mask : undefined;
    for (const _ in mask)
        return mask;
    return undefined;
}
/** True if an object anywhere in `value` has an own "__proto__" key (JSON.parse makes those). */
function hasProtoKey(value) {
    if (typeof value !== 'object' || value === null)
        return false;
    if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++)
            if (hasProtoKey(value[i]))
                return true;
        return false;
    }
    if (Object.prototype.hasOwnProperty.call(value, '__proto__'))
        return true;
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++)
        if (hasProtoKey(value[keys[i]]))
            return true;
    return false;
}
/** A plain deep copy (assignment drops own "__proto__" keys, as the copies made here always did). */
function copyPlain(value) {
    if (typeof value !== 'object' || value === null)
        return value;
    if (Array.isArray(value))
        return value.map(copyPlain);
    const out = {};
    for (const [k, v] of Object.entries(value))
        out[k] = copyPlain(v);
    return out;
}
/** True if the mask marks anything at all. */
function hasMark(mask) {
    if (mask === true)
        return true;
    if (Array.isArray(mask))
        return mask.some(hasMark);
    if (isObject(mask))
        return Object.values(mask).some(hasMark);
    return false;
}
/**
 * Redacted before/after of a resource (or output) change. Output changes marked `sensitive` are masked
 * whole. `secrets` (from collectPlanSecrets) are then scrubbed from what is left: terraform does not always
 * carry the marks along (1.11 drops them from terraform_data's computed `output` in the prior state, so
 * `before.output` holds the secret unmarked) and the masks alone would leak it.
 */
function redact_redactChange(change, secrets = []) {
    const whole = 'sensitive' in change && change.sensitive === true;
    const before = whole ? maskWhole(change.before) : redactValue(change.before, change.before_sensitive);
    let after = whole ? maskWhole(change.after) : redactValue(change.after, change.after_sensitive, change.after_unknown);
    if (whole && change.after_unknown === true)
        after = SENSITIVE;
    return { before: scrubValue(before, secrets), after: scrubValue(after, secrets) };
}
function maskWhole(v) {
    return v === null || v === undefined ? null : SENSITIVE;
}
/** Collects every string/number/boolean leaf of `value` that the mask marks sensitive. */
function collectSecrets(value, mask, into) {
    if (value === undefined || value === null)
        return;
    if (marked(mask)) {
        collectLeaves(value, into);
        return;
    }
    if (Array.isArray(value))
        value.forEach((v, i) => collectSecrets(v, child(mask, i), into));
    else if (isObject(value))
        for (const [k, v] of Object.entries(value))
            collectSecrets(v, child(mask, k), into);
}
function collectLeaves(value, into) {
    if (value === null)
        return;
    if (Array.isArray(value))
        value.forEach((v) => collectLeaves(v, into));
    else if (isObject(value))
        Object.values(value).forEach((v) => collectLeaves(v, into));
    else if (typeof value === 'string')
        into.add(value);
}
/**
 * Replaces any string leaf (or object key) containing a secret of at least MIN_SCRUB_LENGTH characters
 * with "(sensitive)". The whole string goes, not just the secret: "Bearer <token>" becomes "(sensitive)".
 * Parts without any secret are returned as they are (shared with the input, never modified); an object
 * with an own "__proto__" key is always copied, which drops that key (as a plain copy always did).
 */
function scrubValue(value, secrets) {
    if (secrets.length === 0)
        return value;
    const matcher = secretMatcher(secrets);
    if (matcher.secrets.length === 0)
        return hasProtoKey(value) ? copyPlain(value) : value;
    return scrub(value, matcher);
}
function scrub(value, m) {
    if (typeof value === 'string')
        return leaksAny(value, m) ? SENSITIVE : value;
    if (typeof value !== 'object' || value === null)
        return value;
    if (Array.isArray(value)) {
        let out;
        for (let i = 0; i < value.length; i++) {
            const item = value[i];
            const r = scrub(item, m);
            if (out === undefined && r !== item)
                out = value.slice(0, i);
            if (out !== undefined)
                out.push(r);
        }
        return out ?? value;
    }
    const keys = Object.keys(value);
    let results;
    for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        const v = value[k];
        const r = scrub(v, m);
        if (results === undefined && (r !== v || k === '__proto__' || leaksAny(k, m))) {
            results = new Array(keys.length);
            for (let j = 0; j < i; j++)
                results[j] = value[keys[j]];
        }
        if (results !== undefined)
            results[i] = r;
    }
    if (results === undefined)
        return value;
    const out = {};
    for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        out[leaksAny(k, m) ? SENSITIVE : k] = results[i];
    }
    return out;
}
const matcherCache = new WeakMap();
/** The scrubbable secrets of a list, computed once per list (planSecrets returns the same array each time). */
function secretMatcher(secrets) {
    let m = matcherCache.get(secrets);
    if (!m) {
        const list = secrets.filter((s) => s.length >= MIN_SCRUB_LENGTH);
        let minLength = Infinity;
        for (const s of list)
            if (s.length < minLength)
                minLength = s.length;
        m = { secrets: list, minLength };
        // a caller may modify its array later: cache only frozen lists
        if (Object.isFrozen(secrets))
            matcherCache.set(secrets, m);
    }
    return m;
}
function leaksAny(s, m) {
    if (s.length < m.minLength)
        return false;
    const list = m.secrets;
    for (let i = 0; i < list.length; i++)
        if (s.includes(list[i]))
            return true;
    return false;
}
/**
 * Replaces every occurrence of a secret (of at least MIN_SCRUB_LENGTH characters) in free text, e.g. the output of
 * `terraform show -no-color`, which prints values whose marks terraform lost IN CLEAR.
 */
function scrubText(text, secrets) {
    let out = text;
    for (const secret of secrets) {
        if (secret.length >= MIN_SCRUB_LENGTH && out.includes(secret))
            out = out.split(secret).join(SENSITIVE);
    }
    return out;
}
/**
 * Secrets shorter than this are not scrubbed outside their marked places: a wholly sensitive object such as
 * sensitive({ release = "r2", token = "..." }) would otherwise turn every "r2" (or "true", "eu") in the plan
 * into "(sensitive)". Values in marked places are always masked, whatever their length.
 */
const MIN_SCRUB_LENGTH = 6;
function redactResourceChange(rc, secrets) {
    const c = rc.change;
    collectSecrets(c.before, c.before_sensitive, secrets);
    collectSecrets(c.after, c.after_sensitive, secrets);
    // unknown values stay absent as terraform writes them: masks only (after_unknown is kept alongside)
    return { ...rc, change: { ...c, before: redactValue(c.before, c.before_sensitive), after: redactValue(c.after, c.after_sensitive) } };
}
function redactOutputChange(oc, secrets) {
    if (oc.sensitive === true) {
        collectLeaves(oc.before ?? null, secrets);
        collectLeaves(oc.after ?? null, secrets);
        return { ...oc, before: maskWhole(oc.before), after: oc.after_unknown === true ? null : maskWhole(oc.after) };
    }
    collectSecrets(oc.before, oc.before_sensitive, secrets);
    collectSecrets(oc.after, oc.after_sensitive, secrets);
    return { ...oc, before: redactValue(oc.before, oc.before_sensitive), after: redactValue(oc.after, oc.after_sensitive) };
}
/** planned_values / prior_state.values: { outputs: {n: {sensitive, value}}, root_module: {resources, child_modules} } */
function redactValuesDoc(doc, secrets) {
    if (!isObject(doc))
        return doc;
    const out = { ...doc };
    if (isObject(doc.outputs)) {
        const outputs = {};
        for (const [name, o] of Object.entries(doc.outputs)) {
            if (isObject(o) && o.sensitive === true) {
                collectLeaves(o.value ?? null, secrets);
                outputs[name] = { ...o, value: maskWhole(o.value) };
            }
            else
                outputs[name] = o;
        }
        out.outputs = outputs;
    }
    if (isObject(doc.root_module))
        out.root_module = redactModuleValues(doc.root_module, secrets);
    return out;
}
function redactModuleValues(mod, secrets) {
    const out = { ...mod };
    if (Array.isArray(mod.resources)) {
        out.resources = mod.resources.map((r) => {
            if (!isObject(r))
                return r;
            collectSecrets(r.values, r.sensitive_values, secrets);
            return { ...r, values: redactValue(r.values, r.sensitive_values) };
        });
    }
    if (Array.isArray(mod.child_modules)) {
        out.child_modules = mod.child_modules.map((m) => (isObject(m) ? redactModuleValues(m, secrets) : m));
    }
    return out;
}
/** Names of root variables declared `sensitive = true` in the configuration. */
function sensitiveVariableNames(plan) {
    const names = new Set();
    const cfg = plan.configuration;
    if (!isObject(cfg) || !isObject(cfg.root_module) || !isObject(cfg.root_module.variables))
        return names;
    for (const [name, v] of Object.entries(cfg.root_module.variables)) {
        if (isObject(v) && v.sensitive === true)
            names.add(name);
    }
    return names;
}
/** Walks configuration modules: sensitive variable defaults are masked (and collected as secrets). */
function redactConfigModule(mod, secrets) {
    if (!isObject(mod))
        return mod;
    const out = { ...mod };
    if (isObject(mod.variables)) {
        const vars = {};
        for (const [name, v] of Object.entries(mod.variables)) {
            if (isObject(v) && v.sensitive === true && 'default' in v) {
                collectLeaves(v.default ?? null, secrets);
                vars[name] = { ...v, default: maskWhole(v.default) };
            }
            else
                vars[name] = v;
        }
        out.variables = vars;
    }
    if (isObject(mod.module_calls)) {
        const calls = {};
        for (const [name, call] of Object.entries(mod.module_calls)) {
            calls[name] = isObject(call) ? { ...call, module: redactConfigModule(call.module, secrets) ?? null } : call;
        }
        out.module_calls = calls;
    }
    return out;
}
/**
 * A redacted deep copy of the whole raw plan, safe to upload as an artifact: resource changes, drift,
 * deferred changes, output changes, prior_state and planned_values (by their `sensitive_values` masks),
 * root variables declared sensitive, sensitive variable defaults in the configuration. Every secret value
 * found on the way is then scrubbed from the rest of the document (configuration literals, checks,
 * generated config...), so a secret repeated anywhere unmarked does not survive either.
 */
function redactPlan(plan) {
    const secrets = new Set();
    const out = redactPlanCollecting(plan, secrets);
    secrets.delete('');
    const list = [...secrets].sort((a, b) => b.length - a.length);
    const scrubbed = scrubValue(out, list);
    // identification fields are never secret; keep them even if a secret happens to equal them
    scrubbed.format_version = plan.format_version;
    if (plan.terraform_version !== undefined)
        scrubbed.terraform_version = plan.terraform_version;
    return scrubbed;
}
/** Mask-based redaction of the whole plan; adds every masked secret found to `secrets`. */
function redactPlanCollecting(plan, secrets) {
    const out = { ...plan };
    if (plan.resource_changes)
        out.resource_changes = plan.resource_changes.map((rc) => redactResourceChange(rc, secrets));
    if (plan.resource_drift)
        out.resource_drift = plan.resource_drift.map((rc) => redactResourceChange(rc, secrets));
    if (plan.deferred_changes) {
        out.deferred_changes = plan.deferred_changes.map((d) => ({ ...d, resource_change: redactResourceChange(d.resource_change, secrets) }));
    }
    if (plan.output_changes) {
        const oc = {};
        for (const [name, c] of Object.entries(plan.output_changes))
            oc[name] = redactOutputChange(c, secrets);
        out.output_changes = oc;
    }
    if (isObject(plan.prior_state)) {
        const ps = { ...plan.prior_state };
        const values = redactValuesDoc(plan.prior_state.values, secrets);
        if (values !== undefined)
            ps.values = values;
        out.prior_state = ps;
    }
    if (plan.planned_values !== undefined)
        out.planned_values = redactValuesDoc(plan.planned_values, secrets) ?? null;
    const sensitiveVars = sensitiveVariableNames(plan);
    if (plan.variables) {
        const vars = {};
        for (const [name, v] of Object.entries(plan.variables)) {
            if (sensitiveVars.has(name)) {
                collectLeaves(v.value, secrets);
                vars[name] = { ...v, value: maskWhole(v.value) };
            }
            else
                vars[name] = v;
        }
        out.variables = vars;
    }
    if (isObject(plan.configuration)) {
        const cfg = { ...plan.configuration };
        const root = redactConfigModule(plan.configuration.root_module, secrets);
        if (root !== undefined)
            cfg.root_module = root;
        out.configuration = cfg;
    }
    return out;
}
/**
 * Collects what redactPlanCollecting collects, without building the redacted copy: the same places, the
 * same masks. Only the masks are walked (a value part without a mask holds nothing to collect).
 */
function collectPlan(plan, secrets) {
    const collectRc = (rc) => {
        const c = rc.change;
        collectMarked(c.before, c.before_sensitive, secrets);
        collectMarked(c.after, c.after_sensitive, secrets);
    };
    if (plan.resource_changes)
        plan.resource_changes.forEach(collectRc);
    if (plan.resource_drift)
        plan.resource_drift.forEach(collectRc);
    if (plan.deferred_changes)
        plan.deferred_changes.forEach((d) => collectRc(d.resource_change));
    if (plan.output_changes) {
        for (const oc of Object.values(plan.output_changes)) {
            if (oc.sensitive === true) {
                collectLeaves(oc.before ?? null, secrets);
                collectLeaves(oc.after ?? null, secrets);
            }
            else {
                collectMarked(oc.before, oc.before_sensitive, secrets);
                collectMarked(oc.after, oc.after_sensitive, secrets);
            }
        }
    }
    if (isObject(plan.prior_state))
        collectValuesDoc(plan.prior_state.values, secrets);
    if (plan.planned_values !== undefined)
        collectValuesDoc(plan.planned_values, secrets);
    const sensitiveVars = sensitiveVariableNames(plan);
    if (plan.variables) {
        for (const [name, v] of Object.entries(plan.variables))
            if (sensitiveVars.has(name))
                collectLeaves(v.value, secrets);
    }
    if (isObject(plan.configuration))
        collectConfigModule(plan.configuration.root_module, secrets);
}
/** collectSecrets, walking the mask: only where the mask has something can a leaf be collected. */
function collectMarked(value, mask, into) {
    if (value === undefined || value === null)
        return;
    if (mask === true) {
        collectLeaves(value, into);
        return;
    }
    if (typeof mask !== 'object' || mask === null || typeof value !== 'object')
        return;
    if (Array.isArray(value)) {
        if (!Array.isArray(mask))
            return;
        const n = Math.min(value.length, mask.length);
        for (let i = 0; i < n; i++)
            collectMarked(value[i], mask[i], into);
    }
    else {
        if (Array.isArray(mask))
            return;
        for (const k of Object.keys(mask))
            if (Object.prototype.hasOwnProperty.call(value, k))
                collectMarked(value[k], mask[k], into);
    }
}
function collectValuesDoc(doc, secrets) {
    if (!isObject(doc))
        return;
    if (isObject(doc.outputs)) {
        for (const o of Object.values(doc.outputs))
            if (isObject(o) && o.sensitive === true)
                collectLeaves(o.value ?? null, secrets);
    }
    if (isObject(doc.root_module))
        collectModuleValues(doc.root_module, secrets);
}
function collectModuleValues(mod, secrets) {
    if (Array.isArray(mod.resources))
        for (const r of mod.resources)
            if (isObject(r))
                collectMarked(r.values, r.sensitive_values, secrets);
    if (Array.isArray(mod.child_modules))
        for (const m of mod.child_modules)
            if (isObject(m))
                collectModuleValues(m, secrets);
}
function collectConfigModule(mod, secrets) {
    if (!isObject(mod))
        return;
    if (isObject(mod.variables)) {
        for (const v of Object.values(mod.variables))
            if (isObject(v) && v.sensitive === true && 'default' in v)
                collectLeaves(v.default ?? null, secrets);
    }
    if (isObject(mod.module_calls)) {
        for (const call of Object.values(mod.module_calls))
            if (isObject(call))
                collectConfigModule(call.module, secrets);
    }
}
/**
 * Every secret string the plan marks somewhere: values under `true` in any sensitive mask (changes, drift,
 * deferred changes, prior_state/planned_values `sensitive_values`), sensitive outputs, root variables and
 * variable defaults declared sensitive. Longest first, for scrubValue/scrubText.
 */
function collectPlanSecrets(plan) {
    const secrets = new Set();
    collectPlan(plan, secrets);
    secrets.delete('');
    return [...secrets].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
}
const secretCache = new WeakMap();
/** collectPlanSecrets, memoized per plan object (buildPlanModel and planFingerprint both need it). */
function redact_planSecrets(plan) {
    let secrets = secretCache.get(plan);
    if (!secrets) {
        secrets = Object.freeze(collectPlanSecrets(plan));
        secretCache.set(plan, secrets);
    }
    return secrets;
}

// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __nccwpck_require__(98995);
;// CONCATENATED MODULE: ./packages/terraform/src/fingerprint.ts



/** JSON with object keys sorted at every level (arrays keep their order). */
function canonicalJson(value) {
    // Fast: copy only the objects whose keys are out of order (sorted), share the rest, and let
    // JSON.stringify write it all; terraform writes values with sorted keys, so little is copied.
    const unsorted = new Set();
    markUnsorted(value, unsorted);
    try {
        return JSON.stringify(canonicalCopy(value, unsorted)) ?? 'null';
    }
    catch (error) {
        if (error !== NOT_PLAIN)
            throw error;
    }
    // Slow, for what JSON.stringify cannot be made to write canonically (integer-like keys out of order,
    // values that are not JSON): one key at a time.
    const parts = [];
    const w = new CanonicalWriter((chunk) => parts.push(chunk));
    w.value(value);
    w.flush();
    return parts.join('');
}
const NOT_PLAIN = new Error('not plain JSON');
const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/;
/**
 * `value` with every object in `unsorted` replaced by a copy with its keys inserted in sorted order (and
 * undefined values left out), recursively; everything else shared. Throws NOT_PLAIN when an object to copy
 * has an integer-like key (JavaScript enumerates those first whatever the insertion order) or a value that
 * is not JSON.
 */
function canonicalCopy(value, unsorted) {
    if (value === null || typeof value !== 'object' || !unsorted.has(value))
        return value;
    if (Array.isArray(value)) {
        const out = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
            const v = value[i];
            if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint')
                throw NOT_PLAIN;
            out[i] = canonicalCopy(v, unsorted);
        }
        return out;
    }
    if (typeof value.toJSON === 'function')
        throw NOT_PLAIN;
    const obj = value;
    const keys = Object.keys(obj).sort();
    const out = {};
    for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        const v = obj[k];
        if (v === undefined)
            continue;
        if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint')
            throw NOT_PLAIN;
        const c0 = k.charCodeAt(0);
        if (c0 >= 48 && c0 <= 57 && INDEX_KEY.test(k))
            throw NOT_PLAIN;
        const c = canonicalCopy(v, unsorted);
        // a plain assignment to "__proto__" would set the prototype instead of adding the key
        if (k === '__proto__')
            Object.defineProperty(out, k, { value: c, enumerable: true, writable: true, configurable: true });
        else
            out[k] = c;
    }
    return out;
}
/**
 * Writes canonicalJson(value) in chunks of about CHUNK characters to `sink` (the fingerprint hashes them
 * as they come instead of building one large string).
 */
class CanonicalWriter {
    sink;
    buf = '';
    constructor(sink) {
        this.sink = sink;
    }
    flush() {
        if (this.buf !== '')
            this.sink(this.buf);
        this.buf = '';
    }
    put(s) {
        this.buf += s;
        if (this.buf.length > CHUNK)
            this.flush();
    }
    /**
     * Writes canonicalJson(value). A part whose keys are already in order at every level (terraform writes
     * values that way) is the same as its plain JSON, so it is written by JSON.stringify in one go; only the
     * objects `markUnsorted` found out of order (and their containers) are walked here.
     */
    value(value) {
        if (value !== null && typeof value === 'object')
            markUnsorted(value, this.unsorted);
        this.write(value, this.unsorted);
    }
    /** Objects out of canonical order (the values written are never modified while the writer lives). */
    unsorted = new Set();
    write(value, unsorted) {
        if (value === undefined)
            return this.put('null');
        if (value === null || typeof value !== 'object')
            return this.put(JSON.stringify(value));
        if (!unsorted.has(value))
            return this.put(JSON.stringify(value));
        if (Array.isArray(value)) {
            this.put('[');
            for (let i = 0; i < value.length; i++) {
                if (i > 0)
                    this.put(',');
                const v = value[i];
                // what canonicalJson always did for a function or symbol in an array: nothing between the commas
                if (typeof v === 'function' || typeof v === 'symbol')
                    continue;
                this.write(v, unsorted);
            }
            return this.put(']');
        }
        const obj = value;
        const keys = Object.keys(obj).sort();
        const copy = sortedCopy(obj, keys, unsorted);
        if (copy !== undefined)
            return this.put(JSON.stringify(copy));
        this.put('{');
        let first = true;
        for (let i = 0; i < keys.length; i++) {
            const k = keys[i];
            const v = obj[k];
            if (v === undefined)
                continue;
            this.put(first ? `${JSON.stringify(k)}:` : `,${JSON.stringify(k)}:`);
            first = false;
            this.write(v, unsorted);
        }
        this.put('}');
    }
}
const CHUNK = 16 * 1024;
/**
 * For an object out of key order whose values are all in order already (plain JSON values, no unsorted
 * object or array): a shallow copy with the keys inserted in `keys` order, so that
 * JSON.stringify(copy) is its canonical JSON. Undefined when that does not hold: a value is undefined or not
 * JSON, or a key starts with a digit (integer-like keys would be enumerated first, whatever the order).
 */
function sortedCopy(obj, keys, unsorted) {
    const copy = {};
    for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        const c = k.charCodeAt(0);
        if (c >= 48 && c <= 57)
            return undefined;
        const v = obj[k];
        if (v !== null) {
            const t = typeof v;
            if (t === 'object') {
                if (unsorted.has(v))
                    return undefined;
            }
            else if (t !== 'string' && t !== 'number' && t !== 'boolean')
                return undefined;
        }
        // a plain assignment to "__proto__" would set the prototype instead of adding the key
        if (k === '__proto__')
            Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
        else
            copy[k] = v;
    }
    return copy;
}
/**
 * Adds to `unsorted` every object or array below `value` (itself included) whose JSON.stringify would differ
 * from canonicalJson: an object whose own keys do not come in ascending order, or with an undefined value
 * (JSON.stringify leaves it out too, but canonicalJson's filter must see it), or anything containing one.
 * Returns true when `value` was added. One pass; every node is visited once.
 */
function markUnsorted(value, unsorted) {
    if (value === null || typeof value !== 'object')
        return false;
    let bad = false;
    if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
            const v = value[i];
            // JSON.stringify writes an undefined element as null, like canonicalJson; anything else non-JSON
            // (functions, symbols) is left to the slow path
            if (v === undefined)
                continue;
            if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint')
                bad = true;
            else if (markUnsorted(v, unsorted))
                bad = true;
        }
    }
    else {
        if (typeof value.toJSON === 'function')
            bad = true;
        const obj = value;
        const keys = Object.keys(obj);
        for (let i = 0; i < keys.length; i++) {
            const k = keys[i];
            if (i > 0 && !(keys[i - 1] < k))
                bad = true;
            const v = obj[k];
            if (v === undefined || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint')
                bad = true;
            else if (markUnsorted(v, unsorted))
                bad = true;
        }
    }
    if (bad)
        unsorted.add(value);
    return bad;
}
/**
 * node:crypto is loaded on first use, not at import: the bundles import this module, and loading crypto
 * costs start-up time in every run that fails fast on its inputs.
 */
function sha256() {
    const crypto = process.getBuiltinModule?.('node:crypto') ?? (0,external_node_module_.createRequire)(import.meta.url)('node:crypto');
    return crypto.createHash('sha256');
}
/**
 * The semantic change set a fingerprint covers: every resource change that is not a plain no-op (moves,
 * imports and forgets included) and every output change, with redacted values and unknown markers.
 * Deliberately left out: timestamp, terraform_version, variables, resource_drift, prior_state and
 * ordering. Values are redacted, so a plan differing ONLY in a sensitive value hashes the same (the
 * fingerprint is published in PR comments; hashing raw secrets would let low-entropy ones be guessed).
 */
function changeSet(plan) {
    const secrets = planSecrets(plan);
    return changeSetOf(plan, (rc) => redactChange(rc.change, secrets), (_name, oc) => redactChange(oc, secrets));
}
/**
 * changeSet, with the redacted values supplied by the caller (buildPlanModel has them already); they must
 * be redactChange(rc.change, planSecrets(plan)) and redactChange(oc, planSecrets(plan)).
 */
function changeSetOf(plan, redactedResource, redactedOutput) {
    const resources = [];
    for (const rc of plan.resource_changes ?? []) {
        if (!isSignificant(rc))
            continue;
        const { before, after } = redactedResource(rc);
        const entry = {
            address: rc.address,
            previous_address: rc.previous_address ?? null,
            deposed: rc.deposed ?? null,
            actions: [...rc.change.actions],
            before,
            after,
        };
        const imp = rc.change.importing;
        if (imp)
            entry.importing = { id: imp.id ?? null, identity: imp.identity ?? null };
        resources.push(entry);
    }
    const keyed = resources.map((entry) => ({ key: sortKey(entry), entry }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (let i = 0; i < keyed.length; i++)
        resources[i] = keyed[i].entry;
    const outputs = [];
    for (const name of Object.keys(plan.output_changes ?? {}).sort()) {
        const oc = plan.output_changes[name];
        if (classifyActions(oc.actions) === 'no-op')
            continue;
        const { before, after } = redactedOutput(name, oc);
        outputs.push({ name, actions: [...oc.actions], before, after });
    }
    return { resources, outputs };
}
/**
 * fingerprintOf(changeSet(plan)) without building the change set: `changes` are the significant resource
 * changes in plan order with their redacted values (redactChange(rc.change, planSecrets(plan))), `outputs`
 * the redacted non-no-op output changes by name. Writes the same canonical JSON straight into the hash.
 */
function fingerprintOfChanges(plan, changes, redacted, redactedOutput) {
    // the change set of changeSet(), built with its keys already in canonical (sorted) order
    const outputs = [];
    for (const name of Object.keys(plan.output_changes ?? {}).sort()) {
        const oc = plan.output_changes[name];
        if (classify_classifyActions(oc.actions) === 'no-op')
            continue;
        const { before, after } = redactedOutput(name, oc);
        outputs.push({ actions: [...oc.actions], after, before, name });
    }
    const keys = changes.map((rc) => `${rc.address}\u0000${rc.deposed ?? ''}`);
    const order = changes.map((_, i) => i);
    order.sort((a, b) => {
        const ka = keys[a];
        const kb = keys[b];
        return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    const resources = new Array(order.length);
    for (let n = 0; n < order.length; n++) {
        const i = order[n];
        const rc = changes[i];
        const { before, after } = redacted(i);
        const imp = rc.change.importing;
        const entry = { actions: [...rc.change.actions], address: rc.address, after, before, deposed: rc.deposed ?? null };
        if (imp)
            entry.importing = { id: imp.id ?? null, identity: imp.identity ?? null };
        entry.previous_address = rc.previous_address ?? null;
        resources[n] = entry;
    }
    return fingerprintOf({ outputs, resources });
}
function sortKey(v) {
    const o = v;
    return `${o.address}\u0000${o.deposed ?? ''}`;
}
/** sha256 hex of canonicalJson(changeSet(plan)). */
function planFingerprint(plan) {
    return fingerprintOf(changeSet(plan));
}
/** sha256 hex of canonicalJson(set). */
function fingerprintOf(set) {
    return sha256().update(canonicalJson(set), 'utf8').digest('hex');
}

;// CONCATENATED MODULE: ./packages/terraform/src/build-model.ts



function build_model_isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** Renders a replace path (["tags","Name"], ["list", 0]) as "tags.Name" / "list[0]". */
function renderPath(path) {
    let out = '';
    for (const step of path) {
        if (typeof step === 'number')
            out += `[${step}]`;
        else if (typeof step === 'string')
            out += out === '' ? step : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`;
        else
            out += `[${JSON.stringify(step)}]`;
    }
    return out;
}
function sameJson(a, b) {
    return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
/** Top-level attribute names whose raw value differs (unknown-after-apply counts as different). */
function changedAttributes(rc) {
    const { before, after, after_unknown: unknown } = rc.change;
    if (!build_model_isObject(before) || !build_model_isObject(after))
        return [];
    const names = new Set([...Object.keys(before), ...Object.keys(after)]);
    if (build_model_isObject(unknown))
        for (const k of Object.keys(unknown))
            names.add(k);
    const changed = [];
    for (const name of names) {
        const unknownNow = build_model_isObject(unknown) && hasMark(unknown[name]);
        if (unknownNow || !sameJson(before[name], after[name]))
            changed.push(name);
    }
    return changed.sort();
}
/** One ResourceEntry; pass the plan's secrets (planSecrets(plan)) so unmarked copies are scrubbed too. */
function toResourceEntry(rc, secrets = []) {
    return entryOf(rc, redact_redactChange(rc.change, secrets));
}
function entryOf(rc, redacted) {
    const { before, after } = redacted;
    const entry = {
        address: rc.address,
        moduleAddress: rc.module_address ?? '',
        type: rc.type,
        name: rc.name,
        mode: rc.mode,
        kind: classify_classifyActions(rc.change.actions),
        actions: [...rc.change.actions],
        importing: isImport(rc),
        replacePaths: (rc.change.replace_paths ?? []).map((p) => renderPath(p)),
        before,
        after,
        changedAttributes: changedAttributes(rc),
    };
    if (isMove(rc))
        entry.previousAddress = rc.previous_address;
    if (rc.action_reason)
        entry.actionReason = rc.action_reason;
    if (rc.deposed)
        entry.deposed = rc.deposed;
    if (rc.index !== undefined)
        entry.index = rc.index;
    return entry;
}
function emptyCounts() {
    return { add: 0, change: 0, destroy: 0, replace: 0, import: 0, move: 0, forget: 0, read: 0, drift: 0, outputs: 0 };
}
/**
 * Counts over resource changes: `add` and `destroy` exclude replacements (`replace` counts them),
 * `forget` counts ["forget"] and the forget half of ["create","forget"]; the latter is also a `replace`
 * and is counted in `replaceForget` (a replacement that destroys nothing).
 */
function countChanges(plan) {
    const counts = emptyCounts();
    for (const rc of plan.resource_changes ?? []) {
        const kind = classify_classifyActions(rc.change.actions);
        if (isImport(rc))
            counts.import++;
        if (isMove(rc))
            counts.move++;
        if (forgets(rc.change.actions))
            counts.forget++;
        switch (kind) {
            case 'create':
                counts.add++;
                break;
            case 'update':
                counts.change++;
                break;
            case 'delete':
                counts.destroy++;
                break;
            case 'replace':
                counts.replace++;
                if (forgets(rc.change.actions))
                    counts.replaceForget = (counts.replaceForget ?? 0) + 1;
                break;
            case 'read':
                counts.read++;
                break;
            default:
                break;
        }
    }
    counts.drift = (plan.resource_drift ?? []).length;
    for (const oc of Object.values(plan.output_changes ?? {})) {
        if (classify_classifyActions(oc.actions) !== 'no-op')
            counts.outputs++;
    }
    return counts;
}
function versionAtLeast(version, major, minor) {
    const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
    if (!m)
        return false;
    const [maj, min] = [Number(m[1]), Number(m[2])];
    return maj > major || (maj === major && min >= minor);
}
/**
 * Terraform's own summary line, as `terraform plan` / `terraform show` print it: a replacement is one add
 * plus one destroy (["create","forget"]: one add, no destroy); imports get "N to import, " in front when
 * non-zero; moves and data reads never appear. Terraform prints it only when some resource changes; a
 * plan without any prints "No changes." or only output changes instead.
 */
function terraformPlanLine(counts, options = {}) {
    const add = counts.add + counts.replace;
    const destroy = counts.destroy + counts.replace - (counts.replaceForget ?? 0);
    const core = `${add} to add, ${counts.change} to change, ${destroy} to destroy`;
    const imports = counts.import > 0 ? `${counts.import} to import, ` : '';
    const forget = counts.forget > 0 && versionAtLeast(options.terraformVersion, 1, 12) ? `, ${counts.forget} to forget` : '';
    return `Plan: ${imports}${core}${forget}.`;
}
/**
 * Terraform 1.11 writes no `sensitive` flag on output_changes entries: a sensitive output shows as
 * before_sensitive/after_sensitive === true. planned_values and the configuration also say it.
 */
function isSensitiveOutput(plan, name) {
    const oc = plan.output_changes?.[name];
    if (oc && (oc.sensitive === true || oc.before_sensitive === true || oc.after_sensitive === true))
        return true;
    const pv = plan.planned_values;
    if (build_model_isObject(pv) && build_model_isObject(pv.outputs)) {
        const o = pv.outputs[name];
        if (build_model_isObject(o) && o.sensitive === true)
            return true;
    }
    const cfg = plan.configuration;
    if (build_model_isObject(cfg) && build_model_isObject(cfg.root_module) && build_model_isObject(cfg.root_module.outputs)) {
        const o = cfg.root_module.outputs[name];
        if (build_model_isObject(o) && o.sensitive === true)
            return true;
    }
    return false;
}
/**
 * Builds the normalized, redacted PlanModel from the raw JSON of `terraform show -json <planfile>`.
 * `resources`: managed changes, moves and imports (also no-op ones), forgets, and data sources read during
 * apply (kind "read", mode "data"). `hasChanges`: a managed resource or an output changes (a refresh-only
 * plan that only records drift has hasChanges false, applyable true, counts.drift > 0).
 */
function buildPlanModel(plan) {
    const secrets = redact_planSecrets(plan);
    // each change is redacted once: the entries and the fingerprint's change set share the values
    const significant = [];
    const resources = [];
    for (const rc of plan.resource_changes ?? []) {
        if (!classify_isSignificant(rc))
            continue;
        significant.push(rc);
        resources.push(entryOf(rc, redact_redactChange(rc.change, secrets)));
    }
    const drift = (plan.resource_drift ?? []).map((rc) => toResourceEntry(rc, secrets));
    const outputs = [];
    const redactedOutputs = new Map();
    for (const [name, oc] of Object.entries(plan.output_changes ?? {})) {
        const kind = classify_classifyActions(oc.actions);
        if (kind === 'no-op')
            continue;
        const redacted = redact_redactChange(oc, secrets);
        redactedOutputs.set(name, redacted);
        const { before, after } = redacted;
        outputs.push({ name, kind, sensitive: isSensitiveOutput(plan, name), before, after });
    }
    outputs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const counts = countChanges(plan);
    const hasChanges = resources.some((r) => r.mode === 'managed') || outputs.length > 0;
    return {
        terraformVersion: plan.terraform_version ?? '',
        errored: plan.errored === true,
        complete: plan.complete !== false,
        resources,
        drift,
        outputs,
        counts,
        hasChanges,
        applyable: plan.applyable === true,
        // the same as planFingerprint(plan), from the values redacted above
        fingerprint: fingerprintOfChanges(plan, significant, (i) => resources[i], (name, oc) => redactedOutputs.get(name) ?? redact_redactChange(oc, secrets)),
    };
}

;// CONCATENATED MODULE: ./packages/kit/src/logger.ts
const silentLogger = { info() { }, warning() { }, error() { }, debug() { } };
function consoleLogger(debug = false) {
    return {
        info: (m) => console.error(m),
        warning: (m) => console.error(`warning: ${m}`),
        error: (m) => console.error(`error: ${m}`),
        debug: (m) => {
            if (debug)
                console.error(`debug: ${m}`);
        },
    };
}
/** Collects messages; for tests. */
function memoryLogger() {
    const lines = [];
    return {
        lines,
        info: (m) => lines.push(`info: ${m}`),
        warning: (m) => lines.push(`warning: ${m}`),
        error: (m) => lines.push(`error: ${m}`),
        debug: (m) => lines.push(`debug: ${m}`),
    };
}

;// CONCATENATED MODULE: ./packages/terraform/src/exec.ts


function notFound(binary) {
    const other = binary === 'tofu' ? 'terraform' : 'tofu';
    const setup = binary === 'tofu' ? 'opentofu/setup-opentofu' : 'hashicorp/setup-terraform';
    return new errors/* ConfigurationError */.j(`binary '${binary}' not found on PATH; install it (e.g. ${setup}) or set binary: ${other}`);
}
/**
 * Runs terraform/tofu with `args` in `cwd`. Output is collected as Buffer chunks and decoded once at the
 * end (plan JSON can be tens of MB; no maxBuffer limit, no per-chunk string concatenation). Never throws
 * for a non-zero exit: callers decide (e.g. -detailed-exitcode 2 = changes). Throws ConfigurationError
 * when the binary is missing.
 */
async function runTerraform(binary, args, options) {
    const { cwd, env, logger, streamStderr = true } = options;
    logger.debug(`running ${binary} ${args.join(' ')} in ${cwd}`);
    // loaded on first use: node:child_process (and the net/stream modules it pulls) costs start-up time in
    // every bundle that fails fast on its inputs before running anything
    const { spawn } = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 31421, 23));
    return new Promise((resolve, reject) => {
        let child;
        try {
            child = spawn(binary, [...args], { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
        }
        catch (error) {
            reject(isEnoent(error) ? notFound(binary) : error);
            return;
        }
        const out = [];
        const err = [];
        let pending = '';
        child.stdout.on('data', (chunk) => out.push(chunk));
        child.stderr.on('data', (chunk) => {
            err.push(chunk);
            if (!streamStderr)
                return;
            pending += chunk.toString('utf8');
            const lines = pending.split('\n');
            pending = lines.pop() ?? '';
            for (const line of lines)
                if (line.trim() !== '')
                    logger.info(line);
        });
        child.on('error', (error) => reject(isEnoent(error) ? notFound(binary) : error));
        child.on('close', (code, signal) => {
            if (streamStderr && pending.trim() !== '')
                logger.info(pending);
            const stderr = Buffer.concat(err).toString('utf8');
            resolve({
                exitCode: code ?? (signal ? 128 : 1),
                stdout: Buffer.concat(out).toString('utf8'),
                stderr: signal ? `${stderr}\n${binary} killed by ${signal}` : stderr,
            });
        });
    });
}
function isEnoent(error) {
    return typeof error === 'object' && error !== null && error.code === 'ENOENT';
}
function lastLines(text, n = 20) {
    return text.trim().split('\n').slice(-n).join('\n');
}
async function show(binary, args, cwd, options) {
    const opts = { cwd, logger: options.logger ?? silentLogger, streamStderr: false };
    if (options.env)
        opts.env = options.env;
    const result = await runTerraform(binary, args, opts);
    if (result.exitCode !== 0) {
        throw new Error(`${binary} ${args.join(' ')} failed with exit code ${result.exitCode}: ${lastLines(result.stderr || result.stdout)}`);
    }
    return result.stdout;
}
/** `terraform show -json <planFile>` in `cwd` (the initialised working directory). */
function showPlanJson(binary, planFile, cwd, options = {}) {
    return show(binary, ['show', '-json', planFile], cwd, options);
}
/** `terraform show -no-color <planFile>`: the human-readable plan. */
function showPlanText(binary, planFile, cwd, options = {}) {
    return show(binary, ['show', '-no-color', planFile], cwd, options);
}

;// CONCATENATED MODULE: ./packages/markdown/src/escape.ts
/**
 * Safe rendering of untrusted text (addresses, values, plan text) into GitHub-flavoured markdown.
 *
 * Rules:
 *  - outside code, HTML is escaped (`<`, `>`, `&`), so `</details>`, `<!--` or `<img>` in a plan stay text;
 *  - outside code, `@name` and `@org/team` are neutralised with a zero-width joiner after the `@`, so a plan
 *    cannot ping anyone (GitHub does not resolve mentions inside code spans or code blocks either);
 *  - inline code and fenced blocks use a backtick run longer than any run inside the text, so the text
 *    cannot close them early.
 */
const ZWJ = '\u200d';
/** Inserts a zero-width joiner after every `@` that could start a mention (`@user`, `@org/team`). */
function neutralizeMentions(text) {
    return text.replace(/@(?=[A-Za-z0-9_-])/g, `@${ZWJ}`);
}
const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
/** Escapes HTML specials. */
function escapeHtml(text) {
    return text.replace(/[&<>"]/g, (c) => HTML_ESCAPES[c]);
}
/**
 * Text for a markdown paragraph, list item or `<summary>`: one line, HTML escaped, markdown
 * punctuation that could start emphasis/links/code escaped, mentions neutralised.
 */
function escapeText(text) {
    const oneLine = text.replace(/\r?\n|\r/g, ' ');
    return neutralizeMentions(escapeHtml(oneLine).replace(/([\\`*_[\]|~#!])/g, '\\$1'));
}
function longestRun(text, ch) {
    let longest = 0;
    let current = 0;
    for (let i = 0; i < text.length; i++) {
        if (text[i] === ch) {
            current++;
            if (current > longest)
                longest = current;
        }
        else
            current = 0;
    }
    return longest;
}
/**
 * An inline code span holding `text` verbatim: one line, fenced by more backticks than any run inside,
 * padded with a space when the text starts or ends with a backtick. Line breaks become `␤` and long text
 * is cut with `…` at `maxLength`. (Not for table cells: a `|` inside would still split the cell.)
 */
function inlineCode(text, maxLength = 300) {
    let oneLine = text.includes('\n') || text.includes('\r') ? text.replace(/\r?\n|\r/g, '␤') : text;
    if (oneLine.length > maxLength)
        oneLine = `${oneLine.slice(0, maxLength - 1)}…`;
    if (oneLine === '')
        return '` `';
    if (!oneLine.includes('`'))
        return `\`${oneLine}\``;
    const fence = '`'.repeat(longestRun(oneLine, '`') + 1);
    const pad = oneLine.startsWith('`') || oneLine.endsWith('`') || (oneLine.startsWith(' ') && oneLine.endsWith(' ')) ? ' ' : '';
    return `${fence}${pad}${oneLine}${pad}${fence}`;
}
/** The fence (at least three backticks) a fenced block needs so no line of `text` can close it. */
function fenceFor(text) {
    return '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
}
/** A fenced code block holding `text` verbatim. */
function codeBlock(text, language = '') {
    const fence = fenceFor(text);
    const body = text.endsWith('\n') ? text : `${text}\n`;
    return `${fence}${language}\n${body}${fence}`;
}

;// CONCATENATED MODULE: ./packages/markdown/src/budget.ts

/** GitHub rejects an issue/PR comment body over 65,536 characters; we keep a margin. */
const COMMENT_LIMIT = 65_536;
const COMMENT_BUDGET = 60_000;
/**
 * Keeps whole lines from the start while the joined text stays within `maxChars`.
 * Never splits a line; a single line longer than the budget is dropped, not cut.
 */
function takeLines(lines, maxChars) {
    let size = 0;
    let kept = 0;
    for (; kept < lines.length; kept++) {
        const add = lines[kept].length + (kept > 0 ? 1 : 0);
        if (size + add > maxChars)
            break;
        size += add;
    }
    return { text: lines.slice(0, kept).join('\n'), kept, omitted: lines.length - kept };
}
/** Total characters of `lines` joined by "\n". */
function joinedLength(lines) {
    let size = lines.length > 0 ? lines.length - 1 : 0;
    for (const line of lines)
        size += line.length;
    return size;
}
/**
 * Renders `lines` as a list or paragraph block within `maxChars`: everything when it fits, otherwise the
 * leading lines plus the `pointer(omitted)` line. Returns '' when not even the pointer fits.
 */
function fitLines(lines, maxChars, pointer, length = joinedLength(lines)) {
    if (length <= maxChars)
        return lines.join('\n');
    const reserve = pointer(lines.length).length + 1;
    if (reserve > maxChars)
        return '';
    const cut = takeLines(lines, maxChars - reserve);
    return cut.kept === 0 ? pointer(cut.omitted) : `${cut.text}\n${pointer(cut.omitted)}`;
}
/**
 * A fenced code block of `lines` within `maxChars` (fences included). When the lines do not all fit, the
 * block holds the leading lines and `pointer(omitted)` follows it, outside the fence, so the fence is always
 * closed. Returns '' when not even an empty block and the pointer fit.
 */
function fitCodeBlock(lines, maxChars, language, pointer, known = codeBlockInfo(lines)) {
    const fence = known.fence;
    const frame = fence.length * 2 + language.length + 2;
    const full = known.length;
    if (full + frame + 1 <= maxChars)
        return `${fence}${language}\n${lines.join('\n')}\n${fence}`;
    const reserve = frame + 2 + pointer(lines.length).length;
    if (reserve > maxChars)
        return '';
    const cut = takeLines(lines, maxChars - reserve);
    const body = cut.kept > 0 ? `${cut.text}\n` : '';
    return `${fence}${language}\n${body}${fence}\n${pointer(cut.omitted)}`;
}
function codeBlockInfo(lines) {
    let fence = '```';
    for (const line of lines) {
        if (line.includes('```')) {
            fence = fenceFor(lines.join('\n'));
            break;
        }
    }
    return { fence, length: joinedLength(lines) };
}

;// CONCATENATED MODULE: ./packages/markdown/src/diff.ts
/**
 * Turns terraform's human plan (`terraform show -no-color`) into text a ```diff block highlights:
 * the change marker moves to column 0, where the diff grammar looks for it.
 *
 *   `  + foo = 1`      -> `+   foo = 1`        (create / added attribute: green)
 *   `  - foo = 1`      -> `-   foo = 1`        (destroy / removed attribute: red)
 *   `  ~ foo = 1 -> 2` -> `!   foo = 1 -> 2`   (update in place: `!` is highlighted as a change)
 *   `-/+ resource`     -> kept: it already starts at column 0 with `-` (red); `+/-` likewise (green)
 * Other lines are indented by two so nothing else is mistaken for a marker.
 */
const MARKER = /^(\s*)(-\/\+|\+\/-|[+\-~])( |$)/;
function planLineToDiff(line) {
    // fast path: after the leading spaces, a printable ASCII character that is not a marker cannot match
    let j = 0;
    while (j < line.length && line.charCodeAt(j) === 32)
        j++;
    const c = line.charCodeAt(j);
    if (c > 32 && c < 127 && c !== 43 && c !== 45 && c !== 126)
        return `  ${line}`;
    const m = MARKER.exec(line);
    if (!m)
        return line === '' ? '' : `  ${line}`;
    const indent = m[1];
    const marker = m[2];
    const rest = line.slice(m[0].length);
    if (marker.length > 1)
        return indent === '' ? line : `${marker[0]}${indent.slice(1)}${marker} ${rest}`;
    const sign = marker === '~' ? '!' : marker;
    return `${sign} ${indent}${rest}`.trimEnd();
}
/** Converts a whole plan text; returns the converted lines (no trailing empty line). */
function planTextToDiffLines(text) {
    const lines = text.includes('\r') ? text.split(/\r?\n/) : text.split('\n');
    while (lines.length > 0 && lines[lines.length - 1].trim() === '')
        lines.pop();
    let start = 0;
    while (start < lines.length && lines[start].trim() === '')
        start++;
    if (start > 0)
        lines.splice(0, start);
    const out = new Array(lines.length);
    for (let i = 0; i < lines.length; i++)
        out[i] = planLineToDiff(lines[i]);
    return out;
}

;// CONCATENATED MODULE: ./packages/plan-report/src/counts.ts

/**
 * Counts as Terraform prints them. Terraform counts a replacement once as "to add" and once as "to
 * destroy"; our counts keep replacements apart (add/destroy exclude them), so:
 *   terraform add = add + replace, change = change, destroy = destroy + replace.
 */
function terraformCounts(counts) {
    return {
        import: counts.import,
        add: counts.add + counts.replace,
        change: counts.change,
        destroy: counts.destroy + counts.replace - (counts.replaceForget ?? 0),
        forget: counts.forget,
    };
}
/** "Plan: [I to import, ]A to add, C to change, D to destroy[, F to forget]." in Terraform's own format. */
function planLineOf(counts) {
    return terraformPlanLine(counts);
}
/** The explanation that keeps our line and Terraform's consistent, e.g. "1 of them a replacement". */
function replacementNote(counts) {
    if (counts.replace === 0)
        return '';
    return counts.replace === 1
        ? '1 of the adds and destroys is a replacement'
        : `${counts.replace} of the adds and destroys are replacements`;
}
/**
 * Terraform's own summary line from `terraform show -no-color` output, if present: "Plan: …",
 * "No changes. …", or the first sentence of the outputs-only / refresh-only closing paragraph
 * (re-joined when terraform wrapped it).
 */
function findTerraformPlanLine(planText) {
    if (!planText)
        return undefined;
    const m = /^(Plan: \d+ to [^\n]*|No changes\.[^\n]*)$/m.exec(planText);
    if (m)
        return m[1].trim();
    const p = /^(You can apply this plan to save these new output values[^.]*\.|This is a refresh-only plan, so (?:Terraform|OpenTofu) will not take any actions to undo[^.]*\.)/m.exec(planText);
    return p ? p[1].replace(/\s*\n\s*/g, ' ').trim() : undefined;
}

;// CONCATENATED MODULE: ./packages/plan-report/src/marker.ts
/** The hidden first line of a plan-and-comment comment (see CONTRIBUTING.md "Hidden markers"). */
const MARKER_PREFIX = '<!-- tfpipe:plan-and-comment ';
function formatMarker(fields) {
    return `${MARKER_PREFIX}env=${encodeURIComponent(fields.environment)} dir=${encodeURIComponent(fields.directory)} fingerprint=${fields.fingerprint} -->`;
}
/** Reads the marker from the FIRST line of a comment body; undefined when the body is not ours. */
function parseMarker(body) {
    if (!body || !body.startsWith(MARKER_PREFIX))
        return undefined;
    const end = body.indexOf('\n');
    const line = end === -1 ? body : body.slice(0, end);
    const m = /^<!-- tfpipe:plan-and-comment env=(\S*) dir=(\S*) fingerprint=([0-9a-f]*) -->\r?$/.exec(line);
    if (!m)
        return undefined;
    try {
        return { environment: decodeURIComponent(m[1]), directory: decodeURIComponent(m[2]), fingerprint: m[3] };
    }
    catch {
        return undefined;
    }
}
/** True when `body` is the comment of this environment and directory. */
function isMarkerFor(body, environment, directory) {
    const fields = parseMarker(body);
    return fields !== undefined && fields.environment === environment && fields.directory === directory;
}

;// CONCATENATED MODULE: ./packages/github/src/reviewed-plan.ts
const PLAN_MARKER_RE = /^<!-- tfpipe:plan-and-comment env=(\S+) dir=(\S+) fingerprint=([0-9a-f]*) -->/;
const DEFAULT_COMMENT_AUTHORS = (/* unused pure expression or super */ null && (['github-actions[bot]']));
/** Keep the change list well inside the comment budget (~60,000 characters). */
const CHANGE_LIST_MAX_CHARS = 20_000;
function normalizeDir(dir) {
    let d = dir.trim().replace(/\\/g, '/').replace(/\/+$/, '').replace(/^(\.\/)+/, '');
    if (d === '' || d === '.')
        d = '.';
    return d;
}
function changeList(model) {
    const out = [];
    for (const r of model.resources) {
        const action = r.kind !== 'no-op' ? r.kind : r.previousAddress ? 'move' : r.importing ? 'import' : undefined;
        if (action)
            out.push({ action, address: r.address });
    }
    return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.action.localeCompare(b.action)));
}
const encodeAddress = (a) => a.replace(/%/g, '%25').replace(/>/g, '%3E').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const decodeAddress = (a) => a.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%3E/g, '>').replace(/%25/g, '%');
/** The hidden change list plan-and-comment may append to its comment (see the format above). */
function formatPlanChangesMarker(changes, maxChars = CHANGE_LIST_MAX_CHARS) {
    const lines = [];
    let size = 0;
    let truncated = false;
    for (const c of changes) {
        const line = `${c.action} ${encodeAddress(c.address)}`;
        if (size + line.length + 1 > maxChars) {
            truncated = true;
            break;
        }
        lines.push(line);
        size += line.length + 1;
    }
    return [`<!-- tfpipe:plan-changes count=${changes.length}${truncated ? ' truncated=1' : ''}`, ...lines, '-->'].join('\n');
}
function parsePlanChangesMarker(body) {
    const m = /<!-- tfpipe:plan-changes count=(\d+)( truncated=1)?\n([\s\S]*?)-->/.exec(body);
    if (!m)
        return undefined;
    const changes = [];
    for (const line of (m[3] ?? '').split('\n')) {
        const t = line.trim();
        if (t === '')
            continue;
        const sp = t.indexOf(' ');
        if (sp > 0)
            changes.push({ action: t.slice(0, sp), address: decodeAddress(t.slice(sp + 1)) });
    }
    return { changes, truncated: Boolean(m[2]) };
}
function parsePlanMarker(body) {
    const m = PLAN_MARKER_RE.exec(body.replace(/^\uFEFF/, ''));
    if (!m)
        return undefined;
    try {
        return { environment: decodeURIComponent(m[1]), dir: decodeURIComponent(m[2]), fingerprint: m[3] };
    }
    catch {
        return undefined;
    }
}
/** Readable difference between the reviewed change list and the one about to be applied. */
function diffChangeLists(reviewed, current) {
    const key = (c) => c.address;
    const before = new Map();
    const after = new Map();
    for (const c of reviewed)
        before.set(key(c), [...(before.get(key(c)) ?? []), c.action]);
    for (const c of current)
        after.set(key(c), [...(after.get(key(c)) ?? []), c.action]);
    const lines = [];
    const addresses = [...new Set([...before.keys(), ...after.keys()])].sort();
    for (const address of addresses) {
        const b = (before.get(address) ?? []).sort().join('+');
        const a = (after.get(address) ?? []).sort().join('+');
        if (a === b)
            continue;
        if (!b)
            lines.push(`+ ${a} ${address}  (not in the reviewed plan)`);
        else if (!a)
            lines.push(`- ${b} ${address}  (reviewed, no longer in the plan)`);
        else
            lines.push(`~ ${address}: reviewed ${b}, now ${a}`);
    }
    return lines;
}
/** The pull request a commit came from (merged first, then open), via GET commits/{sha}/pulls. */
async function pullRequestOfCommit(client, repo, sha) {
    const pulls = (await client.paginate(client.rest.repos.listPullRequestsAssociatedWithCommit, {
        ...repo,
        commit_sha: sha,
        per_page: 100,
    }));
    const pick = pulls.find((p) => p.merged_at) ?? pulls.find((p) => p.state === 'open') ?? pulls[0];
    if (!pick)
        return undefined;
    return {
        number: pick.number,
        url: pick.html_url,
        merged: Boolean(pick.merged_at),
        labels: (pick.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((l) => l !== ''),
    };
}
/**
 * The newest plan-and-comment comment for this environment and directory on the pull request, written
 * by a trusted author (github-actions[bot] unless told otherwise): comments by anyone else are ignored,
 * so a copied marker cannot vouch for a plan.
 */
async function findReviewedPlan(client, repo, prNumber, environment, workingDirectory, options = {}) {
    const authors = options.authors ?? DEFAULT_COMMENT_AUTHORS;
    const dir = normalizeDir(workingDirectory);
    const comments = (await client.paginate(client.rest.issues.listComments, { ...repo, issue_number: prNumber, per_page: 100 }));
    let ours;
    let marker;
    let foreign = 0;
    for (const c of comments) {
        const m = parsePlanMarker(c.body ?? '');
        if (!m || m.environment !== environment || normalizeDir(m.dir) !== dir)
            continue;
        if (!authors.includes(c.user?.login ?? '')) {
            foreign++;
            continue;
        }
        if (!ours || c.updated_at >= ours.updated_at) {
            ours = c;
            marker = m;
        }
    }
    if (!ours || !marker) {
        const extra = foreign > 0 ? ` (${foreign} comment(s) with the marker by other authors were ignored)` : '';
        return { found: false, reason: `no plan-and-comment comment for env=${environment} dir=${dir} by ${authors.join(' or ')}${extra}` };
    }
    if (marker.fingerprint === '') {
        return { found: false, reason: `the plan-and-comment comment for env=${environment} dir=${dir} has no fingerprint (the plan could not be read when it was posted)` };
    }
    const list = parsePlanChangesMarker(ours.body ?? '');
    return {
        found: true,
        fingerprint: marker.fingerprint,
        commentUrl: ours.html_url,
        author: ours.user?.login ?? '',
        ...(list ? { changes: list.changes, changesTruncated: list.truncated } : {}),
    };
}

;// CONCATENATED MODULE: ./packages/plan-report/src/render.ts






/** Room for the hidden change list safety-gate compares (see packages/github/src/reviewed-plan.ts). */
const CHANGES_MARKER_MAX = 12_000;
function preparePlan(model, planText) {
    const prepared = { model };
    if (planText !== undefined && planText !== '') {
        prepared.diffLines = planTextToDiffLines(planText);
        const line = findTerraformPlanLine(planText);
        if (line)
            prepared.terraformLine = line;
    }
    return prepared;
}
const KIND_ORDER = [
    { kind: 'replace', icon: '♻️', label: 'Replace' },
    { kind: 'delete', icon: '🗑️', label: 'Destroy' },
    { kind: 'create', icon: '➕', label: 'Create' },
    { kind: 'update', icon: '✏️', label: 'Update in place' },
    { kind: 'forget', icon: '🫥', label: 'Forget (removed from state, object kept)' },
    { kind: 'read', icon: '📖', label: 'Read during apply' },
];
const REASONS = {
    replace_because_tainted: 'tainted',
    replace_because_cannot_update: 'cannot be updated in place',
    replace_by_request: 'replacement requested with -replace',
    replace_by_triggers: 'replace_triggered_by changed',
    delete_because_no_resource_config: 'removed from the configuration',
    delete_because_no_module: 'its module was removed from the configuration',
    delete_because_wrong_repetition: 'count/for_each changed shape',
    delete_because_count_index: 'index no longer in count',
    delete_because_each_key: 'key no longer in for_each',
    delete_because_no_move_target: 'moved block target does not exist',
    read_because_config_unknown: 'configuration known only after apply',
    read_because_dependency_pending: 'depends on a pending change',
    read_because_check_nested: 'used by a check block',
};
const LIST_FOLD_OPEN_MAX = 15;
function tool(binary) {
    return binary === 'tofu' ? 'OpenTofu' : 'Terraform';
}
function statusIcon(model) {
    if (model.errored)
        return '❌';
    if (model.counts.destroy > 0 || model.counts.replace > 0)
        return '⚠️';
    if (model.hasChanges)
        return '📝';
    if (model.counts.drift > 0)
        return '🌀';
    return '✅';
}
function titleLine(icon, options) {
    const where = [options.environment ? inlineCode(options.environment, 80) : '', inlineCode(options.directory || '.', 200)].filter(Boolean).join(' · ');
    return `### ${icon} ${tool(options.binary)} plan: ${where}`;
}
function reasonOf(entry) {
    const parts = [];
    if (entry.replacePaths.length > 0) {
        const paths = entry.replacePaths.slice(0, 5).map((p) => inlineCode(p, 80));
        const more = entry.replacePaths.length > 5 ? ` and ${entry.replacePaths.length - 5} more` : '';
        parts.push(`${paths.join(', ')}${more} ${entry.replacePaths.length === 1 ? 'forces' : 'force'} replacement`);
    }
    if (entry.actionReason) {
        const text = REASONS[entry.actionReason];
        if (!(entry.actionReason === 'replace_because_cannot_update' && entry.replacePaths.length > 0)) {
            parts.push(text ?? inlineCode(entry.actionReason, 80));
        }
    }
    if (entry.kind === 'delete' && parts.length === 0)
        parts.push('removed from the configuration or planned with -destroy');
    return parts.join('; ');
}
/** A compact, redacted value for inline display. Values in the model are already redacted. */
function formatValue(value, sensitive = false) {
    if (sensitive)
        return '(sensitive)';
    if (value === '(sensitive)' || value === '(known after apply)')
        return value;
    if (value === null)
        return 'null';
    return JSON.stringify(value);
}
function changedAttrs(entry) {
    if (entry.changedAttributes.length === 0)
        return '';
    const shown = entry.changedAttributes.slice(0, 8).map((a) => inlineCode(a, 60));
    const more = entry.changedAttributes.length > 8 ? ` +${entry.changedAttributes.length - 8} more` : '';
    return ` — ${shown.join(', ')}${more}`;
}
function resourceLine(entry, indent) {
    let line = `${indent}- ${inlineCode(entry.address)}`;
    if (entry.kind === 'update')
        line += changedAttrs(entry);
    if (entry.kind === 'replace' || entry.kind === 'delete') {
        const reason = reasonOf(entry);
        if (reason)
            line += ` — ${reason}`;
    }
    if (entry.previousAddress && entry.previousAddress !== entry.address)
        line += ` (moved from ${inlineCode(entry.previousAddress)})`;
    if (entry.importing)
        line += ' (imported)';
    return line;
}
/** List lines grouped by module: root resources first, then one sub-list per module. */
function groupedLines(entries, line) {
    const byModule = new Map();
    for (const e of entries) {
        const list = byModule.get(e.moduleAddress);
        if (list)
            list.push(e);
        else
            byModule.set(e.moduleAddress, [e]);
    }
    if (byModule.size === 1 && byModule.has(''))
        return entries.map((e) => line(e, ''));
    const out = [];
    const root = byModule.get('');
    if (root)
        for (const e of root)
            out.push(line(e, ''));
    for (const [mod, list] of byModule) {
        if (mod === '')
            continue;
        out.push(`- 📦 ${inlineCode(mod)} (${list.length})`);
        for (const e of list)
            out.push(line(e, '  '));
    }
    return out;
}
function details(summary, count) {
    const open = count <= LIST_FOLD_OPEN_MAX ? ' open' : '';
    return { head: `<details${open}><summary><b>${summary}</b></summary>\n\n`, tail: '\n\n</details>' };
}
function linesLength(s) {
    return (s.linesLength ??= joinedLength(s.lines));
}
function sectionSize(s) {
    return (s.size ??= s.head.length + linesLength(s) + s.tail.length + (s.code ? 12 : 0));
}
function warningLines(model) {
    const lines = [];
    for (const e of model.resources) {
        if (e.kind === 'replace')
            lines.push(`> - ♻️ **replace** ${inlineCode(e.address)}${reasonOf(e) ? ` — ${reasonOf(e)}` : ''}`);
        else if (e.kind === 'delete')
            lines.push(`> - 🗑️ **destroy** ${inlineCode(e.address)} — ${reasonOf(e)}`);
    }
    return lines;
}
function summaryLine(prepared, binary) {
    const { model } = prepared;
    const c = model.counts;
    const lines = [];
    if (model.errored) {
        lines.push(`❌ **${tool(binary)} reported an error while planning: this plan is incomplete and cannot be applied.** See the workflow log.`);
    }
    const resourceChanges = c.add + c.change + c.destroy + c.replace + c.import + c.forget > 0;
    const extras = [];
    if (c.move > 0)
        extras.push(`🚚 ${c.move} moved`);
    if (c.drift > 0)
        extras.push(`🌀 ${c.drift} changed outside of ${tool(binary)}`);
    if (c.outputs > 0)
        extras.push(`📤 ${c.outputs} output ${c.outputs === 1 ? 'change' : 'changes'}`);
    if (c.read > 0)
        extras.push(`📖 ${c.read} to read`);
    if (resourceChanges) {
        const note = replacementNote(c);
        lines.push(`**${planLineOf(c)}**${note ? ` — ${note} (♻️ ${c.replace})` : ''}${extras.length ? ` · ${extras.join(' · ')}` : ''}`);
    }
    else {
        const what = c.outputs > 0 ? 'no resource changes, only output values change' : 'your infrastructure matches the configuration';
        lines.push(`**No changes** — ${what}.${extras.length ? ` ${extras.join(' · ')}` : ''}`);
    }
    if (prepared.terraformLine)
        lines.push(`<sub>${tool(binary)} says: ${inlineCode(prepared.terraformLine, 200)}</sub>`);
    return lines;
}
function pointerText(options) {
    const links = options.links ?? {};
    const where = [];
    if (options.target !== 'summary')
        where.push(links.runUrl ? `the [job summary](${links.runUrl})` : 'the job summary');
    if (links.artifactUrl)
        where.push(`artifact [${escapeText(links.artifactName ?? 'plan')}](${links.artifactUrl})`);
    else if (links.artifactName)
        where.push(`artifact ${inlineCode(links.artifactName)}`);
    if (where.length === 0)
        where.push(`\`${options.binary === 'tofu' ? 'tofu' : 'terraform'} show\` of the plan file`);
    return `full plan in ${where.join(' / ')}`;
}
function outputLine(o) {
    const icon = o.kind === 'create' ? '➕' : o.kind === 'delete' ? '🗑️' : '✏️';
    const before = formatValue(o.before, o.sensitive);
    const after = formatValue(o.after, o.sensitive);
    const change = o.kind === 'create' ? inlineCode(after, 120) : o.kind === 'delete' ? `~~${inlineCode(before, 120)}~~` : `${inlineCode(before, 120)} → ${inlineCode(after, 120)}`;
    return `- ${icon} ${inlineCode(o.name, 100)}: ${change}`;
}
function driftLine(e, indent) {
    const what = e.kind === 'delete' ? ' — deleted' : e.kind === 'create' ? ' — created' : changedAttrs(e);
    return `${indent}- ${inlineCode(e.address)}${what}`;
}
const sectionCache = new WeakMap();
/** The optional sections, built once per plan and label set (the comment and the summary share them). */
function optionalSections(prepared, options) {
    let byKey = sectionCache.get(prepared);
    if (!byKey) {
        byKey = new Map();
        sectionCache.set(prepared, byKey);
    }
    const key = options.binary ?? '';
    let sections = byKey.get(key);
    if (!sections) {
        sections = buildSections(prepared, options);
        byKey.set(key, sections);
    }
    return sections;
}
function buildSections(prepared, options) {
    const { model } = prepared;
    const byKind = new Map();
    const moves = [];
    const imports = [];
    for (const e of model.resources) {
        const list = byKind.get(e.kind);
        if (list)
            list.push(e);
        else
            byKind.set(e.kind, [e]);
        if (e.previousAddress && e.previousAddress !== e.address)
            moves.push(e);
        if (e.importing)
            imports.push(e);
    }
    const lists = [];
    for (const { kind, icon, label } of KIND_ORDER) {
        const entries = byKind.get(kind);
        if (!entries || entries.length === 0)
            continue;
        lists.push({ ...details(`${icon} ${label} (${entries.length})`, entries.length), lines: groupedLines(entries, resourceLine) });
    }
    if (moves.length > 0) {
        const lines = moves.map((e) => `- ${inlineCode(e.previousAddress ?? '')} → ${inlineCode(e.address)}`);
        lists.push({ ...details(`🚚 Moved (${moves.length})`, moves.length), lines });
    }
    if (imports.length > 0) {
        lists.push({ ...details(`📥 Import (${imports.length})`, imports.length), lines: groupedLines(imports, (e, i) => `${i}- ${inlineCode(e.address)}`) });
    }
    if (model.drift.length > 0) {
        const head = details(`🌀 Changed outside of ${tool(options.binary)} (${model.drift.length})`, model.drift.length);
        lists.push({
            head: `${head.head}These objects changed since the last apply (found on refresh); the planned changes start from their current state.\n\n`,
            tail: head.tail,
            lines: groupedLines(model.drift, driftLine),
        });
    }
    const outputs = model.outputs.filter((o) => o.kind !== 'no-op');
    if (outputs.length > 0) {
        lists.push({ ...details(`📤 Output changes (${outputs.length})`, outputs.length), lines: outputs.map(outputLine) });
    }
    let plan;
    if (prepared.diffLines && prepared.diffLines.length > 0) {
        plan = { head: `<details><summary><b>📄 Full plan</b></summary>\n\n`, lines: prepared.diffLines, tail: '\n\n</details>', code: true };
    }
    return { lists, plan };
}
function renderSection(s, maxChars, pointer) {
    const frame = s.head.length + s.tail.length;
    if (maxChars <= frame)
        return '';
    const body = s.code
        ? fitCodeBlock(s.lines, maxChars - frame, 'diff', pointer, (s.codeInfo ??= codeBlockInfo(s.lines)))
        : fitLines(s.lines, maxChars - frame, pointer, linesLength(s));
    return body === '' ? '' : `${s.head}${body}${s.tail}`;
}
function footerLine(model, options) {
    const links = options.links ?? {};
    const parts = [`fingerprint ${inlineCode(model.fingerprint.slice(0, 16) || 'none')}`];
    if (links.runUrl)
        parts.push(`[workflow run](${links.runUrl})`);
    if (links.artifactUrl)
        parts.push(`[plan artifact](${links.artifactUrl})`);
    parts.push(`${escapeHtml(tool(options.binary))} ${escapeHtml(model.terraformVersion || '')}`.trim());
    return `<sub>${parts.join(' · ')}</sub>`;
}
const SEP = '\n\n';
/**
 * Renders the plan as markdown within `options.budget` characters. The title, the summary line and
 * the destroy/replace warnings always stay (the warning list is capped at half the budget); the
 * resource lists come next and the full plan text gets what is left. Anything cut is cut on a line
 * boundary and replaced by a pointer to where the full plan is.
 */
function renderPlanMarkdown(prepared, options) {
    const { model } = prepared;
    const target = options.target ?? 'comment';
    const budget = options.budget ?? COMMENT_BUDGET;
    const where = pointerText({ ...options, target });
    const head = [];
    if (target === 'comment')
        head.push(formatMarker({ environment: options.environment, directory: options.directory, fingerprint: model.fingerprint }));
    head.push(titleLine(statusIcon(model), options));
    const required = [head.join('\n'), summaryLine(prepared, options.binary).join('\n')];
    if (target === 'comment' && model.resources.length > 0) {
        required.push(formatPlanChangesMarker(changeList(model), Math.min(CHANGES_MARKER_MAX, Math.floor(budget / 5))));
    }
    const warnings = warningLines(model);
    if (warnings.length > 0) {
        const n = warnings.length;
        const intro = `> [!CAUTION]\n> ⚠️ **${n} ${n === 1 ? 'resource' : 'resources'} will be destroyed or replaced — review before approving:**\n`;
        const body = fitLines(warnings, Math.floor(budget / 2) - intro.length, (omitted) => `> - ✂️ *…and ${omitted} more — ${where}*`);
        required.push(intro + body);
    }
    const footer = footerLine(model, options);
    let used = joinedLength(required) + SEP.length * required.length + footer.length;
    const { lists, plan } = optionalSections(prepared, options);
    const parts = [...required];
    const listSizes = lists.map(sectionSize);
    const listsTotal = listSizes.reduce((a, b) => a + b + SEP.length, 0);
    const planFull = plan ? sectionSize(plan) + SEP.length : 0;
    // Everything fits: no cutting at all.
    const fitsWhole = used + listsTotal + planFull <= budget;
    // Otherwise lists get what they need but leave the plan text at least a third of what remains.
    const planReserve = fitsWhole || !plan ? 0 : Math.min(planFull, Math.floor((budget - used) / 3));
    const listPointer = (omitted) => `- ✂️ *truncated: ${omitted} more ${omitted === 1 ? 'line' : 'lines'} — ${where}*`;
    for (let i = 0; i < lists.length; i++) {
        const s = lists[i];
        const room = budget - used - planReserve - SEP.length;
        const text = renderSection(s, Math.min(room, listSizes[i]), listPointer);
        if (text === '') {
            if (room > 0) {
                const note = `*✂️ more sections truncated — ${where}*`;
                if (note.length + SEP.length <= budget - used) {
                    parts.push(note);
                    used += note.length + SEP.length;
                }
            }
            break;
        }
        parts.push(text);
        used += text.length + SEP.length;
    }
    if (plan) {
        const room = budget - used - SEP.length;
        const text = renderSection(plan, room, (omitted) => `\n*✂️ truncated: ${omitted} more ${omitted === 1 ? 'line' : 'lines'} of the plan — ${where}*`);
        if (text !== '') {
            parts.push(text);
            used += text.length + SEP.length;
        }
    }
    else if (!model.errored && model.hasChanges && target === 'comment') {
        // nothing: without plan text the lists above are the whole story
    }
    parts.push(footer);
    return `${parts.join(SEP)}\n`;
}
/** The PR comment: hidden marker first, never over the comment budget. */
function renderComment(prepared, options) {
    return renderPlanMarkdown(prepared, { ...options, target: 'comment', budget: options.budget ?? COMMENT_BUDGET });
}
/**
 * The job summary within `maxBytes` UTF-8 bytes (the runner's limit is in bytes; the renderer counts
 * characters, so this shrinks the character budget until the bytes fit).
 */
function renderSummary(prepared, options, maxBytes) {
    let budget = maxBytes;
    for (let attempt = 0; attempt < 6; attempt++) {
        const text = renderPlanMarkdown(prepared, { ...options, target: 'summary', budget });
        const bytes = Buffer.byteLength(text, 'utf8');
        if (bytes <= maxBytes)
            return text;
        budget = Math.floor(budget * (maxBytes / bytes) * 0.97);
    }
    return renderPlanMarkdown(prepared, { ...options, target: 'summary', budget: Math.floor(maxBytes / 4) });
}
/** The ❌ comment (or summary) for a plan that could not be read at all. */
function renderFailure(info, target = 'comment', budget = COMMENT_BUDGET) {
    const parts = [];
    const head = [];
    if (target === 'comment')
        head.push(formatMarker({ environment: info.environment, directory: info.directory, fingerprint: info.fingerprint ?? '' }));
    head.push(titleLine('❌', info));
    parts.push(head.join('\n'));
    parts.push(`❌ **${escapeText(info.what)}** — there is no plan to review; the step failed.`);
    if (info.details) {
        const lines = neutralizeMentions(info.details).split(/\r?\n/);
        const block = fitCodeBlock(lines, Math.max(0, budget - joinedLength(parts) - 200), '', (n) => `*✂️ ${n} more lines in the workflow log*`);
        if (block)
            parts.push(block);
    }
    if (info.links?.runUrl)
        parts.push(`<sub>[workflow run](${info.links.runUrl})</sub>`);
    return `${parts.join(SEP)}\n`;
}

;// CONCATENATED MODULE: ./packages/plan-report/src/report.ts

function buildReport(model, environment, directory) {
    const a = { create: [], update: [], delete: [], replace: [], read: [], forget: [], import: [], move: [], drift: [] };
    for (const e of model.resources) {
        if (e.kind !== 'no-op')
            a[e.kind].push(e.address);
        if (e.importing)
            a.import.push(e.address);
        if (e.previousAddress && e.previousAddress !== e.address)
            a.move.push({ from: e.previousAddress, to: e.address });
        // ["create","forget"]: created, and the old object is forgotten
        if (e.kind === 'create' && e.actions.includes('forget'))
            a.forget.push(e.address);
    }
    for (const e of model.drift)
        a.drift.push(e.address);
    return {
        schema: 1,
        environment,
        directory,
        terraformVersion: model.terraformVersion,
        errored: model.errored,
        hasChanges: model.hasChanges,
        fingerprint: model.fingerprint,
        counts: model.counts,
        terraformCounts: terraformCounts(model.counts),
        addresses: a,
        outputs: model.outputs.filter((o) => o.kind !== 'no-op').map((o) => ({ name: o.name, action: o.kind, sensitive: o.sensitive })),
    };
}

;// CONCATENATED MODULE: ./packages/github/src/artifacts.ts
function artifactUrl(serverUrl, owner, repo, runId, id) {
    return `${serverUrl.replace(/\/$/, '')}/${owner}/${repo}/actions/runs/${runId}/artifacts/${id}`;
}
/**
 * A valid, unique-per-job artifact name: `tfplan-<env>-<dir>`; characters GitHub refuses
 * (`" : < > | * ? \ /` and control characters) become `_`.
 */
function planArtifactName(environment, directory) {
    const dir = directory.replace(/^\.\/?/, '').replace(/\/+$/, '') || 'root';
    const raw = ['tfplan', environment, dir].filter((p) => p !== '').join('-');
    // eslint-disable-next-line no-control-regex
    return raw.replace(/[":<>|*?\\/\x00-\x1f]/g, '_').slice(0, 200);
}
/**
 * Uploads the plan files. Unavailable artifact storage (GHES, no ACTIONS_RUNTIME_TOKEN, a service
 * error) is a warning and returns undefined: the comment and summary still come.
 */
async function uploadPlanArtifact(options) {
    try {
        const result = await options.uploader.uploadArtifact(options.name, options.files, options.rootDirectory, { retentionDays: options.retentionDays });
        if (typeof result.id !== 'number') {
            options.logger.warning(`The artifact service did not return an id for '${options.name}'; no artifact link.`);
            return undefined;
        }
        const uploaded = { id: result.id, name: options.name, url: options.urlFor(result.id) };
        if (result.size !== undefined)
            uploaded.size = result.size;
        return uploaded;
    }
    catch (error) {
        options.logger.warning(`Could not upload the plan artifact '${options.name}' (${error.message}); continuing without it.`);
        return undefined;
    }
}

;// CONCATENATED MODULE: ./packages/kit/src/inputs.ts


/**
 * Typed readers for action inputs. Every error names the input and says what it accepts, so the
 * user knows what to change. An empty input counts as "not given" (that is what the runner passes
 * for an input the workflow omitted and that has no default).
 */
function inputs_getInput(name, options = {}) {
    const value = getInput(name, { trimWhitespace: options.trim ?? true });
    if (value === '') {
        if (options.required)
            throw new errors/* ConfigurationError */.j(`Input '${name}' is required; set it in the step's 'with:'.`);
        return options.default ?? '';
    }
    return value;
}
function getOptionalInput(name) {
    const value = getInput(name);
    return value === '' ? undefined : value;
}
function getSecretInput(name, options = {}) {
    const value = getOptionalInput(name);
    if (value === undefined) {
        if (options.required)
            throw new errors/* ConfigurationError */.j(`Input '${name}' is required; pass it from a secret.`);
        return undefined;
    }
    setSecret(value);
    return value;
}
const TRUE = ['true', 'yes', 'on', '1'];
const FALSE = ['false', 'no', 'off', '0'];
function parseBoolean(name, raw) {
    const v = raw.trim().toLowerCase();
    if (TRUE.includes(v))
        return true;
    if (FALSE.includes(v))
        return false;
    throw new errors/* ConfigurationError */.j(`Input '${name}' must be true or false; got '${raw}'.`);
}
function getBooleanInput(name, defaultValue) {
    const raw = getOptionalInput(name);
    return raw === undefined ? defaultValue : parseBoolean(name, raw);
}
function parseInteger(name, raw, bounds = {}) {
    const trimmed = raw.trim();
    if (!/^-?\d+$/.test(trimmed))
        throw new errors/* ConfigurationError */.j(`Input '${name}' must be a whole number; got '${raw}'.`);
    const n = Number(trimmed);
    if (bounds.min !== undefined && n < bounds.min)
        throw new errors/* ConfigurationError */.j(`Input '${name}' must be at least ${bounds.min}; got ${n}.`);
    if (bounds.max !== undefined && n > bounds.max)
        throw new errors/* ConfigurationError */.j(`Input '${name}' must be at most ${bounds.max}; got ${n}.`);
    return n;
}
function getIntegerInput(name, defaultValue, bounds = {}) {
    const raw = getOptionalInput(name);
    return raw === undefined ? defaultValue : parseInteger(name, raw, bounds);
}
function parseChoice(name, raw, choices) {
    const v = raw.trim();
    if (choices.includes(v))
        return v;
    throw new errors/* ConfigurationError */.j(`Input '${name}' must be one of ${choices.map((c) => `'${c}'`).join(', ')}; got '${raw}'.`);
}
function getChoiceInput(name, choices, defaultValue) {
    const raw = getOptionalInput(name);
    return raw === undefined ? defaultValue : parseChoice(name, raw, choices);
}
/** Newline- or comma-separated list, blanks and `#` comments dropped. */
function parseList(raw) {
    return raw
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter((s) => s !== '' && !s.startsWith('#'));
}
function getListInput(name) {
    const raw = getOptionalInput(name);
    return raw === undefined ? [] : parseList(raw);
}
/** Durations such as `90s`, `30m`, `2h`, `1d`, `1h30m` or a bare number of seconds; returns milliseconds. */
function parseDuration(name, raw) {
    const v = raw.trim().toLowerCase();
    if (/^\d+$/.test(v))
        return Number(v) * 1000;
    const units = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
    const re = /(\d+)(ms|s|m|h|d)/g;
    let total = 0;
    let consumed = 0;
    for (const match of v.matchAll(re)) {
        total += Number(match[1]) * (units[match[2]] ?? 0);
        consumed += match[0].length;
    }
    if (consumed === 0 || consumed !== v.length) {
        throw new ConfigurationError(`Input '${name}' must be a duration such as 90s, 30m, 2h or 1d; got '${raw}'.`);
    }
    return total;
}
function getDurationInput(name, defaultValue) {
    return parseDuration(name, getOptionalInput(name) ?? defaultValue);
}
function parseJson(name, raw) {
    try {
        return JSON.parse(raw);
    }
    catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ConfigurationError(`Input '${name}' must be valid JSON (${reason}).`);
    }
}
function getJsonInput(name) {
    const raw = getOptionalInput(name);
    return raw === undefined ? undefined : parseJson(name, raw);
}
/**
 * An HTTP header given as `Name: value` (e.g. `Authorization: Bearer ...`). The value is a secret:
 * errors name the input, never the value.
 */
function parseHeaderLine(name, raw) {
    const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):[ \t]*(.*?)\s*$/s.exec(raw.trim());
    if (!m || m[2] === '' || /[\r\n]/.test(m[2])) {
        throw new ConfigurationError(`Input '${name}' must be one header line 'Name: value', e.g. 'Authorization: Bearer <token>' from a secret (the value is not shown here).`);
    }
    return { name: m[1], value: m[2] };
}

;// CONCATENATED MODULE: ./actions/plan-and-comment/src/config.ts



function readConfig() {
    const planFile = getOptionalInput('plan-file');
    const planJson = getOptionalInput('plan-json');
    const planText = getOptionalInput('plan-text');
    if (!planFile && !planJson) {
        throw new errors/* ConfigurationError */.j("Give 'plan-file' (a plan saved with -out) or 'plan-json' (the output of `terraform show -json <plan>`).");
    }
    if (planFile && planJson)
        throw new errors/* ConfigurationError */.j("Give either 'plan-file' or 'plan-json', not both.");
    if (planText && !planJson)
        throw new errors/* ConfigurationError */.j("'plan-text' goes with 'plan-json'; with 'plan-file' the action runs `show -no-color` itself.");
    const workingDirectory = inputs_getInput('working-directory', { default: '.' });
    const config = {
        workingDirectory,
        directoryLabel: normalizeDir(workingDirectory),
        binary: getChoiceInput('binary', ['terraform', 'tofu'], 'terraform'),
        environment: inputs_getInput('environment', { default: '' }),
        comment: getChoiceInput('comment', ['update', 'new', 'changes-only', 'off'], 'update'),
        uploadArtifact: getBooleanInput('upload-artifact', true),
        retentionDays: getIntegerInput('retention-days', 30, { min: 1, max: 400 }),
        summary: getBooleanInput('summary', true),
    };
    const token = getSecretInput('github-token');
    if (token)
        config.token = token;
    if (planFile)
        config.planFile = planFile;
    if (planJson)
        config.planJson = planJson;
    if (planText)
        config.planText = planText;
    return config;
}

;// CONCATENATED MODULE: ./actions/plan-and-comment/src/main.ts

















const MINIMAL_BUDGET = 8_000;
/** Octokit and its plugins load only once the inputs are valid (keeps a failing start fast). */
const github = async () => {
    const [client, comments, pulls] = await Promise.all([
        Promise.all(/* import() */[__nccwpck_require__.e(301), __nccwpck_require__.e(40)]).then(__nccwpck_require__.bind(__nccwpck_require__, 84040)),
        Promise.all(/* import() */[__nccwpck_require__.e(301), __nccwpck_require__.e(909)]).then(__nccwpck_require__.bind(__nccwpck_require__, 23909)),
        __nccwpck_require__.e(/* import() */ 963).then(__nccwpck_require__.bind(__nccwpck_require__, 13963)),
    ]);
    return { ...client, ...comments, ...pulls };
};
/** A path given relative to the workspace, or (fallback) to working-directory. */
function resolveInputPath(path, workingDirectory) {
    if ((0,external_node_path_.isAbsolute)(path))
        return path;
    const direct = (0,external_node_path_.resolve)(path);
    if ((0,external_node_fs_.existsSync)(direct))
        return direct;
    const inDir = (0,external_node_path_.resolve)(workingDirectory, path);
    return (0,external_node_fs_.existsSync)(inDir) ? inDir : direct;
}
/** Reads the plan JSON (and text); any failure is described in one line for the ❌ comment. */
async function loadPlan(config, logger) {
    if (config.planFile) {
        const cwd = (0,external_node_path_.resolve)(config.workingDirectory);
        const json = await showPlanJson(config.binary, config.planFile, cwd, { logger });
        const text = await showPlanText(config.binary, config.planFile, cwd, { logger });
        return { plan: parsePlanJson(json, `${config.binary} show -json ${config.planFile}`), text };
    }
    const jsonPath = resolveInputPath(config.planJson, config.workingDirectory);
    if (!(0,external_node_fs_.existsSync)(jsonPath)) {
        throw new errors/* ConfigurationError */.j(`Input 'plan-json': file ${config.planJson} not found: check the path (relative to the workspace or working-directory) or the step that writes it.`);
    }
    const plan = parsePlanJson((0,external_node_fs_.readFileSync)(jsonPath, 'utf8'), `plan-json ${config.planJson}`);
    const loaded = { plan };
    if (config.planText) {
        const textPath = resolveInputPath(config.planText, config.workingDirectory);
        if (!(0,external_node_fs_.existsSync)(textPath))
            throw new errors/* ConfigurationError */.j(`Input 'plan-text': file ${config.planText} not found: check the path or leave plan-text empty.`);
        loaded.text = (0,external_node_fs_.readFileSync)(textPath, 'utf8');
    }
    return loaded;
}
function workDir(config) {
    const base = process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)();
    (0,external_node_fs_.mkdirSync)(base, { recursive: true });
    return (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(base, `tfpipe-plan-${planArtifactName(config.environment, config.directoryLabel).slice(7, 60)}-`));
}
async function uploadArtifact(config, context, dir, files, logger) {
    if (!config.uploadArtifact)
        return undefined;
    if (!process.env.ACTIONS_RUNTIME_TOKEN || !process.env.ACTIONS_RESULTS_URL) {
        logger.warning('Artifact storage is not available here (no ACTIONS_RUNTIME_TOKEN/ACTIONS_RESULTS_URL, e.g. on GHES or outside Actions); the plan is not uploaded.');
        return undefined;
    }
    const { DefaultArtifactClient } = await Promise.all(/* import() */[__nccwpck_require__.e(301), __nccwpck_require__.e(704)]).then(__nccwpck_require__.bind(__nccwpck_require__, 76704));
    return uploadPlanArtifact({
        uploader: new DefaultArtifactClient(),
        name: planArtifactName(config.environment, config.directoryLabel),
        files,
        rootDirectory: dir,
        retentionDays: config.retentionDays,
        urlFor: (id) => artifactUrl(context.serverUrl, context.owner, context.repo, context.runId, id),
        logger,
    });
}
function setCountOutputs(model) {
    const c = model?.counts;
    runner_setOutput('has-changes', model ? String(model.hasChanges) : 'false');
    for (const [name, value] of [
        ['add', c?.add],
        ['change', c?.change],
        ['destroy', c?.destroy],
        ['replace', c?.replace],
        ['import', c?.import],
        ['move', c?.move],
        ['forget', c?.forget],
        ['drift', c?.drift],
    ]) {
        runner_setOutput(name, value === undefined ? '' : String(value));
    }
    runner_setOutput('fingerprint', model?.fingerprint ?? '');
}
async function comment(gh, config, context, client, logger, bodies) {
    if (config.comment === 'off')
        return undefined;
    if (!client) {
        logger.warning("No 'github-token': not commenting.");
        return undefined;
    }
    const pr = await gh.findPullRequest(client, { owner: context.owner, repo: context.repo, eventName: context.eventName, event: context.event, sha: context.sha }, logger);
    if (!pr) {
        logger.info(`No pull request for this ${context.eventName || 'run'}: plan in the job summary, artifact and outputs only.`);
        return undefined;
    }
    const result = await gh.upsertComment(client, {
        target: { owner: context.owner, repo: context.repo, issueNumber: pr.number },
        mode: config.comment,
        isOurs: (body) => isMarkerFor(body, config.environment, config.directoryLabel),
        body: bodies.body,
        minimalBody: bodies.minimal,
        hasChanges: bodies.hasChanges,
        logger,
    });
    if (result.action !== 'skipped')
        logger.info(`Plan comment ${result.action} on #${pr.number}: ${result.url ?? ''}`);
    return result;
}
async function run() {
    await runAction('plan-and-comment', async () => {
        const config = readConfig();
        const context = readRunContext();
        const logger = coreLogger;
        const gh = await github();
        const client = config.token && config.comment !== 'off' ? gh.createGitHubClient({ token: config.token, baseUrl: context.apiUrl, logger }) : undefined;
        const dir = workDir(config);
        const links = {};
        if (context.runUrl)
            links.runUrl = context.runUrl;
        const view = { environment: config.environment, directory: config.directoryLabel, binary: config.binary };
        let loaded;
        let failure;
        try {
            loaded = await loadPlan(config, logger);
        }
        catch (error) {
            failure = (0,errors/* errorMessage */.g)(error);
        }
        if (!loaded) {
            const what = failure ?? 'reading the plan failed';
            const [first, ...rest] = what.split('\n');
            setCountOutputs(undefined);
            const info = { ...view, what: first ?? what, details: rest.join('\n').trim(), links };
            if (config.summary) {
                const summary = new SummaryBuilder();
                summary.add(renderFailure(info, 'summary', 100_000));
                summary.write();
            }
            let commentError;
            try {
                const body = renderFailure(info, 'comment');
                const result = await comment(gh, config, context, client, logger, { body, minimal: renderFailure({ ...info, details: '' }, 'comment'), hasChanges: true });
                runner_setOutput('comment-id', result?.id ?? '');
                runner_setOutput('comment-url', result?.url ?? '');
            }
            catch (error) {
                // said once, in the step's failure below
                commentError = gh.describeGitHubError(error, 'Writing the ❌ plan comment');
            }
            throw new errors/* ConfigurationError */.j(`${what.split('\n')[0]}${commentError ? ` (and ${commentError})` : ''}`);
        }
        const { plan } = loaded;
        // terraform masks what it knows is sensitive, but prints values whose marks it lost (e.g. a secret
        // copied into another attribute of the prior state) in clear: scrub every secret the JSON marks.
        const text = loaded.text === undefined ? undefined : scrubText(loaded.text, redact_planSecrets(plan));
        const model = buildPlanModel(plan);
        const prepared = preparePlan(model, text);
        setCountOutputs(model);
        // The report and the review artifact: redacted JSON, the masked text, the report. Never the binary plan:
        // it holds every secret in clear and the artifact is readable by anyone who can read the run.
        const report = buildReport(model, config.environment, config.directoryLabel);
        const reportPath = (0,external_node_path_.join)(dir, 'report.json');
        (0,external_node_fs_.writeFileSync)(reportPath, `${JSON.stringify(report, null, 2)}\n`);
        runner_setOutput('report', reportPath);
        const artifactDir = (0,external_node_path_.join)(dir, 'artifact');
        (0,external_node_fs_.mkdirSync)(artifactDir);
        const files = [(0,external_node_path_.join)(artifactDir, 'plan.redacted.json'), (0,external_node_path_.join)(artifactDir, 'report.json')];
        (0,external_node_fs_.writeFileSync)(files[0], JSON.stringify(redactPlan(plan)));
        (0,external_node_fs_.copyFileSync)(reportPath, files[1]);
        if (text !== undefined) {
            const textPath = (0,external_node_path_.join)(artifactDir, 'plan.txt');
            (0,external_node_fs_.writeFileSync)(textPath, text);
            files.push(textPath);
        }
        const artifact = await uploadArtifact(config, context, artifactDir, files, logger);
        runner_setOutput('artifact-id', artifact ? String(artifact.id) : '');
        runner_setOutput('artifact-url', artifact?.url ?? '');
        if (artifact) {
            links.artifactUrl = artifact.url;
            links.artifactName = artifact.name;
        }
        else if (config.uploadArtifact) {
            // no link: the pointer names the summary only
        }
        if (config.summary) {
            const summary = new SummaryBuilder();
            summary.add(renderSummary(prepared, { ...view, links }, summary.remaining() - 16));
            summary.write();
        }
        let commentError;
        try {
            const body = renderComment(prepared, { ...view, links });
            const minimal = renderComment({ model }, { ...view, links, budget: MINIMAL_BUDGET });
            const result = await comment(gh, config, context, client, logger, { body, minimal, hasChanges: model.hasChanges || model.errored });
            runner_setOutput('comment-id', result?.id !== undefined ? String(result.id) : '');
            runner_setOutput('comment-url', result?.url ?? '');
        }
        catch (error) {
            commentError = gh.describeGitHubError(error, 'Writing the plan comment');
            runner_setOutput('comment-id', '');
            runner_setOutput('comment-url', '');
        }
        const line = `${config.environment ? `${config.environment} ` : ''}${config.directoryLabel}: ${prepared.terraformLine ?? (model.hasChanges ? 'changes' : 'no changes')}`;
        info(line);
        if (model.errored)
            throw new errors/* ConfigurationError */.j(`${config.binary} reported errors while planning ${config.directoryLabel}; the plan is incomplete.${commentError ? ` ${commentError}` : ''}`);
        if (commentError)
            throw new Error(commentError);
    });
}

;// CONCATENATED MODULE: ./actions/plan-and-comment/src/index.ts

void run();

