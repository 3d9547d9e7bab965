import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts', server: 'src/server.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // ESM gets a shared chunk so `cognito-kit` and `cognito-kit/node` share one module graph
  // (one refresh coordinator per realm) and the SRP code loads only when SRP is used.
  splitting: true,
  target: 'es2020',
  platform: 'neutral',
  external: ['amazon-cognito-identity-js', /^#cognito-kit\//, /^node:/],
  sourcemap: false,
  treeshake: true,
  // Keep `node:` specifiers: they mark Node-only code for bundlers and for our own checks.
  removeNodeProtocol: false,
});
