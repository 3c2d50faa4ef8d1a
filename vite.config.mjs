// Vite serves and bundles web/; relative URLs so the build works from any folder.
import { defineConfig } from 'vite';

export default defineConfig(({ command }) => {
  // A build is a production build whatever the caller's environment says: Vite takes
  // NODE_ENV from the process, and a process that started a dev server (the benchmark,
  // the tests) has it set to 'development'.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return {
    root: 'web',
    base: './',
    // A missing file is a 404, as on a static host, not the index page.
    appType: 'mpa',
    define: {
      // Whether web/ is served from source (the dev server) rather than from the built
      // folder: decided by the command, never by the mode or NODE_ENV.
      __DL_FROM_SOURCE__: JSON.stringify(command === 'serve'),
    },
    build: {
      outDir: '../dist',
      emptyOutDir: true,
      rollupOptions: {
        // dl.js is imported by other pages: its exports stay (an app build drops them).
        preserveEntrySignatures: 'exports-only',
        input: {
          index: 'web/index.html',
          embed: 'web/embed.html',
          tutorial: 'web/tutorial.html',
          bench: 'web/bench.html',
          // The custom element's script, under a name that tutorial authors can write.
          'dl-playground': 'web/src/embed/dl-playground.js',
          // The JavaScript API, for pages that import it as they would @tensorflow/tfjs.
          dl: 'web/src/embed/dl.js',
        },
        output: {
          entryFileNames: (chunk) =>
            ['dl-playground', 'dl'].includes(chunk.name) ? `${chunk.name}.js` : 'assets/[name]-[hash].js',
        },
      },
    },
    server: { host: '127.0.0.1' },
  };
});
