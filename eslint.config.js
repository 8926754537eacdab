// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'cdk.out',
      '.data',
      'dist',
      'bench/results',
      '.scratch',
      'eslint.config.js',
      '*.config.ts',
      // One-line CommonJS shims that esbuild aliases the Node built-ins to (infra/constructs/bundle-settings.ts).
      'functions/runtime/builtins/*.cjs',
    ],
  },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@aws-sdk/*', '@middy/*', 'aws-cdk-lib', 'aws-cdk-lib/*'] },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env' }],
    },
  },
  {
    // Bundled code: `import { z }` pulls every zod export (and all its locales) into each Lambda, ~340 KB.
    files: ['functions/**/*.ts', 'domain/**/*.ts', 'events/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier",
          message: "Import zod as a namespace (import * as z from 'zod') so the bundler drops the rest.",
        },
      ],
    },
  },
);
