// The demo page as a local static site (Node only; used by test/serve/browser.test.ts and by
// web/serve.mjs): web/index.html, app.js (src/serve/page.ts bundled with @tensorflow/tfjs and
// onnxruntime-web by esbuild, a devDependency loaded on demand), ONNX Runtime Web's .wasm files
// under /ort/, and a model folder under /model/.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is src/serve/site.ts or dist/serve/site.js). */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const PAGE_HTML = join(ROOT, 'web', 'index.html');
export const PAGE_ENTRY = join(ROOT, 'src', 'serve', 'page.ts');
/** ONNX Runtime Web's WebAssembly files (the page sets ort.env.wasm.wasmPaths to /ort/). */
export const ORT_WASM_DIR = join(ROOT, 'node_modules', 'onnxruntime-web', 'dist');

/** app.js: the page script and tfjs in one browser ES module. */
export async function bundlePage(options: { minify?: boolean } = {}): Promise<string> {
  const esbuild = await import('esbuild');
  const r = await esbuild.build({
    entryPoints: [PAGE_ENTRY],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? true,
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  if (r.errors.length > 0 || r.outputFiles.length !== 1)
    throw new Error(`bundling ${PAGE_ENTRY} failed: ${r.errors.map((e) => e.text).join('; ')}`);
  return r.outputFiles[0].text;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

export interface Site {
  /** e.g. http://127.0.0.1:43121/ */
  url: string;
  close(): Promise<void>;
}

export interface SiteOptions {
  /** The compiled or trained output folder served under /model/. */
  modelDir: string;
  /** app.js text (default: bundlePage()). */
  bundle?: string;
  host?: string;
  /** 0 (default): any free port. */
  port?: number;
}

/** Serve the page and a model folder; only plain file names are served from the folder. */
export async function startSite(options: SiteOptions): Promise<Site> {
  const [html, bundle] = await Promise.all([readFile(PAGE_HTML, 'utf8'), options.bundle ?? bundlePage()]);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const send = (status: number, type: string, body: string | Uint8Array) => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
        res.end(body);
      };
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, TYPES['.txt'], 'method not allowed\n');
      if (path === '/' || path === '/index.html') return send(200, TYPES['.html'], html);
      if (path === '/app.js') return send(200, TYPES['.js'], bundle);
      const ort = /^\/ort\/(ort-wasm[A-Za-z0-9._-]*\.(?:wasm|mjs))$/.exec(path)?.[1];
      if (ort) {
        try {
          return send(200, TYPES[extname(ort)], await readFile(join(ORT_WASM_DIR, ort)));
        } catch {
          return send(404, TYPES['.txt'], 'not found\n');
        }
      }
      const file = /^\/model\/([A-Za-z0-9._-]+)$/.exec(path)?.[1];
      if (!file || file.startsWith('.')) return send(404, TYPES['.txt'], 'not found\n');
      try {
        send(200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(join(options.modelDir, file)));
      } catch {
        send(404, TYPES['.txt'], 'not found\n');
      }
    })();
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the page server has no TCP address');
  return {
    url: `http://${host}:${address.port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
