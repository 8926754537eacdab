import type { BuildOptions } from 'esbuild';

/**
 * The esbuild settings every function bundle shares, in one place so that the CDK stack
 * (app-function.ts) and the bundle benchmark (bench/bundles.ts) build the same thing.
 */

// ESM bundles have no `require`; CJS dependencies that esbuild inlines still call it.
export const ESM_REQUIRE_BANNER =
  "import{createRequire as __rfCreateRequire}from'node:module';const require=__rfCreateRequire(import.meta.url);";

/**
 * Node built-ins that bundled code imports. An ESM bundle hoists every `import … from 'node:x'` to the top, so
 * all of them load at cold start, even those only a credential provider the function never uses needs
 * (child_process, http2); and ESM's import of a built-in reads all its exports, which makes `node:http` load
 * undici for its lazy `WebSocket` getter. Aliased to a CommonJS shim (functions/runtime/builtins/) that calls
 * `process.getBuiltinModule`, a built-in loads when the code that needs it first runs, and never through
 * ESM, so no function pays at cold start for built-ins it does not use (figures in docs/performance.md).
 */
export const LAZY_BUILTINS = [
  'async_hooks',
  'buffer',
  'child_process',
  'console',
  'crypto',
  'diagnostics_channel',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'os',
  'path',
  'process',
  'stream',
  'timers',
  'url',
  'util',
  'zlib',
] as const;

/** The shim of a built-in, relative to the repository root (esbuild resolves aliases from its working directory). */
export function builtinShim(name: (typeof LAZY_BUILTINS)[number]): string {
  return `./functions/runtime/builtins/${name.replace('/', '-')}.cjs`;
}

/**
 * esbuild `alias`: both spellings of each built-in (`http`, `node:http`) to its shim, and the SDK's default
 * credential chain to the environment-only provider Lambda needs (functions/runtime/lambda-credentials.ts).
 */
export function bundleAliases(): Record<string, string> {
  return {
    ...Object.fromEntries(
      LAZY_BUILTINS.flatMap((name) => [
        [name, builtinShim(name)],
        [`node:${name}`, builtinShim(name)],
      ]),
    ),
    '@aws-sdk/credential-provider-node': './functions/runtime/lambda-credentials.ts',
  };
}

/** Packages installed next to a function's bundle instead of inside it (ingest-pipeline.ts): native or data. */
export const OCR_MODULES = ['tesseract.js', '@tesseract.js-data/swe', '@napi-rs/canvas'];

/**
 * The esbuild options NodejsFunction derives from AppFunction's `bundling` (ESM, node22, minified, source map
 * without sources, the banner and the aliases above), for code that builds a function bundle itself: the
 * bundle benchmark and the test that runs a bundle. `root` is the repository root.
 */
export function functionBuildOptions(root: string, entry: string, outfile: string, external: string[] = []) {
  return {
    entryPoints: [entry],
    outfile,
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    banner: { js: ESM_REQUIRE_BANNER },
    alias: bundleAliases(),
    external,
    logLevel: 'error',
  } satisfies BuildOptions;
}
