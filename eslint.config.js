import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * The import boundaries of docs/ARCHITECTURE.md, one `no-restricted-imports` entry per folder
 * (a later entry for the same files would replace, not extend, an earlier one). Relative
 * imports are matched by folder name, so `react-dom/server` is not "the server".
 */
const folder = (names) => `^(\\.{1,2}/)+(.*/)?(${names})(/|$)`;

export const BOUNDARY_MESSAGES = Object.freeze({
  componentsToServer: 'components/ never imports server/: contracts live in lib/protocol/ (the read API: lib/protocol/analytics-api.ts).',
  libToApp: 'lib/ never imports components/ or server/: it is framework-free and shared by both sides.',
  serverToReact: 'The server never imports React.',
  serverToDom: 'The server never imports DOM code.',
  benchToTests: 'bench/ imports test code only through __tests__/support/.',
});

function boundaries() {
  const restrict = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });
  return [
    restrict(['components/**/*.{ts,tsx}'], [{ regex: folder('server'), message: BOUNDARY_MESSAGES.componentsToServer }]),
    restrict(['lib/**/*.{ts,tsx}'], [{ regex: folder('components|server'), message: BOUNDARY_MESSAGES.libToApp }]),
    restrict(['server/**/*.ts'], [
      { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: BOUNDARY_MESSAGES.serverToReact },
      { group: ['**/components/**', '**/lib/chat-widget/**', '**/lib/embed/**', '**/embed/**'], message: BOUNDARY_MESSAGES.serverToDom },
    ]),
    restrict(['bench/**/*.ts'], [{ regex: '(^|/)__tests__/(?!support/)', message: BOUNDARY_MESSAGES.benchToTests }]),
  ];
}


export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='postMessage'] > Literal[value='*']",
          message: 'Origins are explicit: never post with targetOrigin "*".',
        },
        { selector: 'TSEnumDeclaration[const=true]', message: 'No const enum (isolatedModules).' },
      ],
    },
  },
  {
    files: ['components/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  ...boundaries(),
);
