// The console's build: React (TSX through Vite 8's built-in oxc transform, no
// plugin), one chunk per route, everything bundled (no CDN, no remote fonts).
import { defineConfig } from 'vite';

export default defineConfig({
  root: __dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  // The service replaces this with each response's style nonce (src/ops/console.setup.ts).
  html: { cspNonce: '__CSP_NONCE__' },
  define: {
    // Shown times follow the service's APP_TIMEZONE; the API does not publish it, so it is fixed at build time.
    __APP_TIMEZONE__: JSON.stringify(process.env.APP_TIMEZONE ?? 'Asia/Shanghai'),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000, // mermaid is large, and loaded only on the referral page
    reportCompressedSize: true,
    manifest: true, // scripts/console-size.ts follows it to measure the first page
    rolldownOptions: {
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return; // antd's "use client" markers mean nothing here
        warn(warning);
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
