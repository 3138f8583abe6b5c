// Bundles the browser code into ../shopassist/console/static/build/.
// Usage: npm ci && npm run build   (see README.md)
import { build } from 'esbuild';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, '..', 'shopassist', 'console', 'static', 'build');
mkdirSync(outdir, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
  legalComments: 'eof', // keep the licence notices of bundled packages
  sourcemap: false,
  logLevel: 'info',
  define: { 'process.env.NODE_ENV': '"production"' },
};

const bundles = [
  { entryPoints: [join(here, 'src', 'main.js')], outfile: join(outdir, 'chat.js') },
  { entryPoints: [join(here, 'src', 'charts.js')], outfile: join(outdir, 'charts.js') },
];

for (const b of bundles) {
  await build({ ...common, ...b });
  const size = statSync(b.outfile).size;
  console.log(`${relative(join(here, '..'), b.outfile)}: ${(size / 1024).toFixed(1)} KiB`);
}
