// ESLint flat config: typescript-eslint's strict and stylistic type-checked sets over every TypeScript file
// tsconfig.json includes (actions, packages, tests, scripts and the bench), the recommended JS rules over the
// build/test scripts (.mjs/.js, not type-checked: they have no types to check against). Formatting is
// prettier's (npm run format); no rule here overlaps it. Every rule turned off or changed says why.
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', '.tools/', '.tmp/', 'examples/', '__tests__/fixtures/'] },
  js.configs.recommended,
  { languageOptions: { globals: globals.node } },
  {
    // `{ field: _, ...rest }` drops a field and `_name` marks a parameter a callback signature forces on us.
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Numbers print the same everywhere; String(n) around every count in a message adds noise, not safety.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // noUncheckedIndexedAccess types every index read as T | undefined; `!` after a read the code has just
      // bounded (a loop index, a regex group that matched) is the honest idiom, a runtime check there cannot fail.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `(x) => void f(x)` or `() => resolve()` callbacks are clear; the rule still flags void in other places.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `input || 'default'` deliberately treats an empty string (an input left blank) as unset, and
      // `count || undefined` a zero count as none; `??` stays required for objects.
      '@typescript-eslint/prefer-nullish-coalescing': [
        'error',
        { ignorePrimitives: { string: true, number: true, boolean: true } },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // An object of no-op methods (a silent logger) is deliberate; empty functions elsewhere are still flagged.
      '@typescript-eslint/no-empty-function': ['error', { allow: ['methods'] }],
    },
  },
  {
    // Hot loops over every value of a large plan (npm run bench measures them): kept as index loops.
    files: [
      'packages/terraform/src/fingerprint.ts',
      'packages/terraform/src/redact.ts',
      'packages/terraform/src/scrub.ts',
    ],
    rules: { '@typescript-eslint/prefer-for-of': 'off' },
  },
  {
    files: ['__tests__/**/*.ts'],
    rules: {
      // Tests assert on JSON that the local servers recorded or a bundle printed (typed any by JSON.parse):
      // the expect() on each value is the check, a schema type for every fake reply would only restate it.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Fakes implement async interfaces (sleep, http, run) with nothing to await.
      '@typescript-eslint/require-await': 'off',
      // `let server: Server` set in beforeAll is still undefined in afterAll when beforeAll failed: the
      // `server?.close()` there is needed although the declared type says otherwise.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // `delete process.env[key]` is the only way to unset a variable for the code under test.
      '@typescript-eslint/no-dynamic-delete': 'off',
    },
  },
)
