import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts', server: 'src/server.ts', react: 'src/react.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // ESM gets a shared chunk so `cognito-kit` and `cognito-kit/node` share one module graph
  // (one refresh coordinator per realm) and the SRP code loads only when SRP is used.
  splitting: true,
  // ES2022 keeps class fields and #private members native: lowered to WeakMaps (es2020) they made
  // constructing a client about 4x slower (one client per server request) and the bundle larger.
  // Every browser since 2021 (Chrome 91, Firefox 90, Safari 15) and Node 16.11+ run it.
  target: 'es2022',
  platform: 'neutral',
  external: ['amazon-cognito-identity-js', 'react', /^#cognito-kit\//, /^node:/],
  sourcemap: false,
  treeshake: true,
  // Keep `node:` specifiers: they mark Node-only code for bundlers and for our own checks.
  removeNodeProtocol: false,
});
