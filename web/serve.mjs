#!/usr/bin/env node
// Serve the demo page for a compiled or trained output folder, on 127.0.0.1 only:
//   npm run build && node web/serve.mjs out/mmoe [--port 8080]
// then open the printed URL. The page loads model.json, weights.bin, pipeline.json, ir.json and
// summary.json from /model/ and scores the record typed into its form (tfjs cpu backend).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const portAt = args.indexOf('--port');
const port = portAt >= 0 ? Number(args.splice(portAt, 2)[1]) : 8080;
const [modelDir] = args;
if (!modelDir || !existsSync(join(modelDir, 'model.json'))) {
  console.error(
    'usage: node web/serve.mjs <compiled-or-trained-folder> [--port 8080]   (e.g. out/mmoe, after `mmoe-compile configs/mmoe.yaml`)',
  );
  process.exit(2);
}
let site;
try {
  site = await import('../dist/serve/site.js');
} catch {
  console.error('dist/serve/site.js not found: run `npm run build` first');
  process.exit(2);
}
const { url } = await site.startSite({ modelDir, port });
console.log(`serving ${modelDir} at ${url} (Ctrl-C stops)`);
