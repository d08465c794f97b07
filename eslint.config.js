// ESLint over the whole tree, type-aware: `npm run lint` (also part of `npm test`).
// Prettier owns formatting; no rule here is about layout.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    // Generated or built output, never edited by hand (as in .gitignore, zapier/.gitignore and .prettierignore).
    ignores: ['.wrangler/', 'dist/', 'apps-script/dist/', 'zapier/dist/', 'zapier/build/', 'worker-configuration.d.ts', 'bench/results/'],
  },
  {
    // An eslint-disable comment that no longer suppresses anything fails too, so none outlives its reason.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // tsconfig.json covers every TypeScript file (tsconfig.worker.json is a stricter subset for `npm run typecheck`).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Its reports here are casts that drive inference: Response#json<T>() in the Workers types
      // takes T from `(await res.json()) as X`, so the "unnecessary" cast is load-bearing and the
      // autofix breaks the type check (typescript-eslint#3502, wontfix upstream).
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // `async` without `await` is deliberate: fakes of D1, Queues and the Cache API and Zapier
      // hooks implement Promise-returning interfaces, and `async` turns a throw into a rejection.
      // Dropping it would change behaviour, which is all this rule could ask for.
      '@typescript-eslint/require-await': 'off',
      // A leading `_` marks a deliberately unused binding; rest siblings omit keys from a copy.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `unknown` narrowed past null is `{}`: the sheet cells, D1 values and Zapier inputs turned into
      // text with String() are scalars at run time. The rule already leaves plain `unknown` alone
      // (checkUnknown: false); this leaves its narrowed form alone too. Typed objects are still caught.
      '@typescript-eslint/no-base-to-string': ['error', { ignoredTypeNames: ['Error', 'RegExp', 'URL', 'URLSearchParams', '{}'] }],
      // The defaults allow Error, URL and URLSearchParams from TypeScript's DOM lib, but this
      // project's web globals come from the Workers runtime types (worker-configuration.d.ts), so
      // the same names are allowed from there: `${params}` is how a query string is built.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allow: [
            { from: 'lib', name: ['Error', 'URL', 'URLSearchParams'] },
            { from: 'file', name: ['URL', 'URLSearchParams'], path: 'worker-configuration.d.ts' },
          ],
        },
      ],
    },
  },
  {
    // Tests read untyped wire JSON (and the OpenAPI document) and vitest's asymmetric matchers
    // (expect.any(), expect.stringMatching()) are typed `any`; a wrong shape fails the assertion
    // itself, so tracking `any` through test code only flags the assertion idiom.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript is outside tsconfig.json, so it gets the syntax rules only.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    // Zapier's wrapper loads zapier/index.js with require(); zapier/package.json makes it CommonJS.
    files: ['zapier/index.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
