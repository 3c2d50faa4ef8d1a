// Vite serves and bundles web/; relative URLs so the build works from any folder.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: './',
  // A missing file is a 404, as on a static host, not the index page.
  appType: 'mpa',
  build: { outDir: '../dist', emptyOutDir: true },
  server: { host: '127.0.0.1' },
});
