/******/ // The require scope
/******/ var __nccwpck_require__ = {};
/******/ 
/************************************************************************/
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
/************************************************************************/
var __webpack_exports__ = {};

// NAMESPACE OBJECT: ./packages/cli/src/commands/deployments.ts
var deployments_namespaceObject = {};
__nccwpck_require__.r(deployments_namespaceObject);
__nccwpck_require__.d(deployments_namespaceObject, {
  run: () => (run),
  summary: () => (summary)
});

// NAMESPACE OBJECT: ./packages/cli/src/commands/gate.ts
var gate_namespaceObject = {};
__nccwpck_require__.r(gate_namespaceObject);
__nccwpck_require__.d(gate_namespaceObject, {
  run: () => (gate_run),
  summary: () => (gate_summary)
});

// NAMESPACE OBJECT: ./packages/cli/src/commands/notify.ts
var notify_namespaceObject = {};
__nccwpck_require__.r(notify_namespaceObject);
__nccwpck_require__.d(notify_namespaceObject, {
  run: () => (notify_run),
  summary: () => (notify_summary)
});

// NAMESPACE OBJECT: ./packages/cli/src/commands/plan-comment.ts
var plan_comment_namespaceObject = {};
__nccwpck_require__.r(plan_comment_namespaceObject);
__nccwpck_require__.d(plan_comment_namespaceObject, {
  run: () => (plan_comment_run),
  summary: () => (plan_comment_summary)
});

// NAMESPACE OBJECT: ./packages/cli/src/commands/state.ts
var state_namespaceObject = {};
__nccwpck_require__.r(state_namespaceObject);
__nccwpck_require__.d(state_namespaceObject, {
  run: () => (state_run),
  summary: () => (state_summary)
});

;// CONCATENATED MODULE: ./packages/kit/src/errors.ts
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

;// CONCATENATED MODULE: ./packages/cli/src/errors.ts
/** A CLI usage or input error: printed as one line, exit code 2. */
class CliError extends Error {
}

;// CONCATENATED MODULE: ./packages/cli/src/commands/deployments.ts

const summary = 'not implemented yet';
async function run(_args) {
    throw new CliError('tfpipe deployments: not implemented yet in this release.');
}

;// CONCATENATED MODULE: ./packages/cli/src/commands/gate.ts

const gate_summary = 'not implemented yet';
async function gate_run(_args) {
    throw new CliError('tfpipe gate: not implemented yet in this release.');
}

;// CONCATENATED MODULE: ./packages/cli/src/commands/notify.ts

const notify_summary = 'not implemented yet';
async function notify_run(_args) {
    throw new CliError('tfpipe notify: not implemented yet in this release.');
}

;// CONCATENATED MODULE: ./packages/cli/src/commands/plan-comment.ts

const plan_comment_summary = 'not implemented yet';
async function plan_comment_run(_args) {
    throw new CliError('tfpipe plan-comment: not implemented yet in this release.');
}

;// CONCATENATED MODULE: ./packages/cli/src/commands/state.ts

const state_summary = 'not implemented yet';
async function state_run(_args) {
    throw new CliError('tfpipe state: not implemented yet in this release.');
}

;// CONCATENATED MODULE: ./packages/cli/src/main.ts







const commands = {
    'plan-comment': plan_comment_namespaceObject,
    gate: gate_namespaceObject,
    deployments: deployments_namespaceObject,
    state: state_namespaceObject,
    notify: notify_namespaceObject,
};
function usage() {
    const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`);
    return ['usage: tfpipe <command> [options]', '', 'commands:', ...rows, '', 'tfpipe <command> --help shows its options.'].join('\n');
}
/** Runs the same code as the actions, without GitHub. Returns the process exit code. */
async function main(argv) {
    const [name, ...rest] = argv;
    if (!name || name === '--help' || name === '-h' || name === 'help') {
        console.log(usage());
        return name ? 0 : 2;
    }
    const command = commands[name];
    if (!command) {
        console.error(`tfpipe: unknown command '${name}'.\n${usage()}`);
        return 2;
    }
    try {
        return await command.run(rest);
    }
    catch (error) {
        if (error instanceof CliError || error instanceof ConfigurationError) {
            console.error(`tfpipe ${name}: ${error.message}`);
            return 2;
        }
        console.error(`tfpipe ${name}: ${error instanceof Error ? error.message : String(error)}`);
        if (process.env.TFPIPE_DEBUG && error instanceof Error)
            console.error(error.stack);
        return 1;
    }
}

;// CONCATENATED MODULE: ./packages/cli/src/index.ts

void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
});

