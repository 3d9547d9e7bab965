// JSX without @vitejs/plugin-react: Vite's own transform (Oxc in Vite 8) with React's automatic
// runtime. No define, no polyfill: cognito-kit needs neither.
import { defineConfig } from 'vite';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
});
