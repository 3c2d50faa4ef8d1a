// Vite serves and bundles web/; relative URLs so the build works from any folder.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: './',
  build: { outDir: '../dist', emptyOutDir: true },
  server: { host: '127.0.0.1' },
});
