// Vite serves and bundles web/; relative URLs so the build works from any folder.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: './',
  // A missing file is a 404, as on a static host, not the index page.
  appType: 'mpa',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: 'web/index.html',
        embed: 'web/embed.html',
        tutorial: 'web/tutorial.html',
        bench: 'web/bench.html',
        // The custom element's script, under a name that tutorial authors can write.
        'dl-playground': 'web/src/embed/dl-playground.js',
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'dl-playground' ? 'dl-playground.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: { host: '127.0.0.1' },
});
