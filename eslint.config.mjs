// ESLint for sellerops. `npm run lint` runs dependency-cruiser's import boundaries (`npm run lint:deps`, .dependency-cruiser.cjs)
// first, then this.
// typescript-eslint's strictest type-aware preset. Every deviation from it below says why, next to the rule.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Packages that live behind ports, in shared/adapters: domain code never imports them (see .dependency-cruiser.cjs). */
const AWS_RUNTIME_PACKAGES = ['@aws-sdk/*', '@aws-lambda-powertools/*', '@middy/*', '@types/aws-lambda', 'aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'];

export default defineConfig(
  { ignores: ['node_modules/', 'cdk.out/', 'coverage/', '.cache/', '.local-data/', 'bench/out/', '.prof/', 'web/dist/'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Numbers in messages, ids and keys are the common case (`${sku}#${index}`); anything else (objects,
      // undefined, unions with null) still has to be made a string on purpose.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `noUncheckedIndexedAccess` types every index as `T | undefined`; the parsing and repricing loops index
      // typed arrays and rows within bounds they have just checked, and a runtime check per element there would
      // cost in the hot paths (shared/lost-and-found/tsv.ts, audit.ts, shared/repricer/engine.ts). `!` states that
      // bound; the compiler still checks everything else.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `return this.skip(report, line, why)` in a row handler that returns void is the parsers' early exit: it
      // states that nothing follows. A void call returned where a value is expected is still reported.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreVoidReturningFunctions: true }],
      // Port implementations that need no I/O (in-memory fakes, the simulated marketplace, local routes) are
      // `async` without awaiting: `async` is what turns their throws (a validation error, a version conflict) into
      // rejected promises, as the real adapters behave. Dropping it would make those throws synchronous.
      '@typescript-eslint/require-await': 'off',
      // An argument a signature requires but the implementation does not use is named `_name`.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'all', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // The domain is pure TypeScript: the editor flags an AWS import right where it is typed. dependency-cruiser's
    // `domain-not-importing-aws` enforces the same boundary over the whole import graph.
    files: ['shared/{kernel,contracts,repricer,lost-and-found,csm,customers,onboarding,service,marketplace-sim,amazon-access,operations}/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: AWS_RUNTIME_PACKAGES,
              message: 'domain-not-importing-aws: domain code is pure TypeScript; AWS, Powertools, middy and CDK live behind ports, in shared/adapters.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests and benchmarks read JSON response bodies (typed `any`, as `ResponseBody` in test/support/local-stack.ts
    // and bench/local-http.ts) and poke at them: a body of the wrong shape fails the assertion that reads it, which
    // is the check. `no-explicit-any` stays on, so `any` enters only at those two places.
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    files: ['bin/**'],
    languageOptions: { globals: { process: 'readonly' } },
  },
);
