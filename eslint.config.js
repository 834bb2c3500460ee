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
    },
  },
)
