import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import type { UserConfig } from 'vite';

const root = import.meta.dirname;
/** Properties of the embed script's own objects, shortened by terser (see the embed build). */
const EMBED_INTERNAL_PROPERTIES =
  /^(read|write|adopt|beat|dropped|persistent|enqueue|refused|decide|count|batch|done|health|reports|iframe|attach|isOpen|storageKey|maxEvents|maxBytes|maxKeyLength|maxValueLength|maxTotalLength|usage|flush|connections|limits|storage|required|rule|config|identify|consent|destroy|log|api|widgetOrigin|enabled)$/;

const at = (path: string): string => resolve(root, path);

/**
 * Four builds, picked by `--mode`:
 * - `widget`: the React app served in the iframe -> dist/widget/
 * - `dashboard`: the analytics dashboard the collector serves at /dashboard/ -> dist/dashboard/
 * - `embed`:  the host page's script, one IIFE -> dist/embed.js
 * - `lib`:    the package's ESM entry points -> dist/lib/ (types by tsc -> dist/types/)
 */
const builds: Record<string, UserConfig> = {
  widget: {
    root: at('components/app'),
    base: './',
    build: {
      outDir: at('dist/widget'),
      emptyOutDir: true,
      target: 'es2022',
      rolldownOptions: { input: at('components/app/widget.html') },
    },
  },
  dashboard: {
    root: at('components/dashboard-app'),
    // Relative asset URLs: the collector serves the folder under /dashboard/.
    base: './',
    build: {
      outDir: at('dist/dashboard'),
      emptyOutDir: true,
      target: 'es2022',
      // No inline assets: the page's CSP allows scripts and images from 'self' only.
      assetsInlineLimit: 0,
      rolldownOptions: { input: at('components/dashboard-app/dashboard.html') },
    },
  },
  embed: {
    build: {
      outDir: at('dist'),
      emptyOutDir: false,
      target: 'es2020',
      copyPublicDir: false,
      // The embed script runs on every customer page: terser's extra passes buy a few
      // hundred bytes over the default minifier. `unsafe_arrows` turns function expressions
      // into arrows: safe here, as the embed never calls `new` on one or reads its prototype.
      minify: 'terser',
      terserOptions: {
        ecma: 2020,
        toplevel: true,
        compress: { passes: 3, unsafe_arrows: true },
        format: { wrap_func_args: false },
        // Property names that never leave the script are shortened too (about 90 bytes gzip).
        // Only names listed here: never one the page, the widget, the collector or the
        // platform reads (config options, RPC methods and their answers, JSON fields, stored
        // keys, `size`, `close`, `locks`, `fetch`...), and never one looked up by a string
        // (the consent gate's `clicks`/`analytics`). A name added here by mistake breaks
        // the script in every browser test.
        mangle: { properties: { regex: EMBED_INTERNAL_PROPERTIES } },
      },
      lib: {
        entry: at('embed/main.ts'),
        formats: ['iife'],
        name: 'framewireEmbed',
        fileName: () => 'embed.js',
      },
    },
  },
  lib: {
    build: {
      outDir: at('dist/lib'),
      emptyOutDir: true,
      target: 'es2022',
      copyPublicDir: false,
      lib: {
        entry: {
          framewire: at('lib/index.ts'),
          react: at('components/index.ts'),
          embed: at('lib/embed/index.ts'),
        },
        formats: ['es'],
      },
      rolldownOptions: {
        external: [/^react($|\/)/, /^react-dom($|\/)/, /^zod($|\/)/, 'comlink'],
      },
    },
  },
};

export default defineConfig(({ mode }) => {
  const config = builds[mode];
  if (!config) throw new Error(`Unknown build mode "${mode}": use one of ${Object.keys(builds).join(', ')}.`);
  return { ...config, define: { 'process.env.NODE_ENV': JSON.stringify('production') } };
});
