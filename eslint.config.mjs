// ESLint 9 flat config: Next.js's own rules (core web vitals, React, hooks,
// a11y, import) plus typescript-eslint's recommended set, as eslint-config-next 16 exports them.
import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const config = [
  {
    ignores: [
      'node_modules/**',
      '.next/**',
      '.data/**',
      'server/generated/**',
      'test-results/**',
      'coverage/**',
      'bench/tmp/**',
      'dist/**',
      'next-env.d.ts',
    ],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      // Unused code is a defect here, not a style question; `_name` marks a deliberate one.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  // Dependencies point one way (README, Architecture): app/ and components/ -> contract/ <- server/.
  // The contract imports only zod and its own files; components never import server code,
  // not even types (what they need of it belongs in contract/).
  {
    files: ['contract/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|\\./)',
              message: 'contract/ imports nothing but zod and its own files (./).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(@/|(\\.\\./)+)(server|app|scripts)(/|$)',
              message:
                'components/ never import server, app or script code: move what they need into contract/.',
            },
          ],
        },
      ],
    },
  },
];

export default config;
