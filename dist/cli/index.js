var __webpack_exports__ = {};

;// CONCATENATED MODULE: ./packages/cli/src/main.ts
async function main(argv) {
    console.log(argv);
    return 0;
}

;// CONCATENATED MODULE: ./packages/cli/src/index.ts

void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
});

