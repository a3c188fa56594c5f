// ESLint (flat config) for hebb: `npm run lint`. The rules keep what STYLE asks for checkable:
// imports in one order, no unused code (unused parameters are named `_x`), `import type` for
// type-only imports, no floating promises (type-aware), exhaustive switches over unions.
// Most are auto-fixable (`npx eslint . --fix`); formatting is Prettier's job (.prettierrc.json),
// and eslint-config-prettier turns off every rule that would fight it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**', 'node_modules/**', 'coverage/**', 'runs/**', 'build/**', '.tmp/**',
      // Generated (base64 wasm builds, the version module) and AssemblyScript (not TypeScript: @inline, usize).
      'src/backend/wasm/generated/**', 'src/backend/wasm/assembly/**', 'src/base/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly',
        performance: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly', atob: 'readonly', btoa: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: {
      // Imports: node builtins, packages, then parents, siblings; alphabetical within each group.
      'import-x/order': ['error', {
        groups: ['builtin', 'external', 'internal', 'parent', 'sibling', 'index'],
        alphabetize: { order: 'asc', caseInsensitive: true },
        'newlines-between': 'never',
      }],
      'import-x/no-duplicates': 'error',
      'import-x/first': 'error',
      // Unused code: variables, imports and parameters; a parameter kept for its position is `_name`.
      '@typescript-eslint/no-unused-vars': ['error', {
        args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none',
        destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true,
      }],
      'no-unused-private-class-members': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      'prefer-const': 'error',
      'no-var': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Tensor's methods are declared by an interface merged with the class (src/tensor/methods.ts) on purpose.
      '@typescript-eslint/no-unsafe-declaration-merging': 'off',
    },
  },
  {
    // Type-aware rules: the TypeScript sources tsconfig.json includes.
    files: ['{src,test,scripts,bench,examples,cli}/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    // Node scripts in plain JavaScript.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
