import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The web app, built into dist/clients/web where the gateway serves it (WEB_APP_DIR). Everything
 * it loads is a file under /assets/ with a content hash: the gateway's content policy allows no
 * inline script or style. `npx nx serve web` runs Vite's dev server with the API proxied to
 * `npm start`'s gateway (VITE_API_URL moves it).
 */
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  // the shared API client, from its sources (as tsconfig.base.json's path maps it)
  resolve: { alias: { '@study-buddy/api-client': path.resolve(here, '../../libs/api-client/src/index.ts') } },
  publicDir: false,
  build: {
    outDir: path.resolve(here, '../../dist/clients/web'),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // the preload helper would otherwise be the one inline script
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    proxy: Object.fromEntries(
      [
        'auth',
        'user',
        'videos',
        'playlists',
        'notes',
        'subjects',
        'graph',
        'credits',
        'usage',
        'exports',
        'events',
        'openapi.json',
      ].map((p) => [`/${p}`, { target: process.env.VITE_API_URL ?? 'http://127.0.0.1:8080', changeOrigin: false }]),
    ),
  },
});
