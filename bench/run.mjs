// `npm run bench`: benchmarks (never tests). Prints one table per section and, with --write,
// records them in bench/RESULTS.md with a description of the machine. Sections live in
// bench/sections/*.mjs and export { title, run(ctx) -> rows }.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const write = args.includes('--write');

function table(rows) {
  if (!rows.length) return '(no rows)\n';
  const cols = Object.keys(rows[0]);
  const cell = (v) =>
    typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toPrecision(4)) : String(v);
  const body = rows.map((r) => cols.map((c) => cell(r[c])));
  return (
    [
      `| ${cols.join(' | ')} |`,
      `| ${cols.map(() => '---').join(' | ')} |`,
      ...body.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n') + '\n'
  );
}

const version = (pkg) =>
  JSON.parse(readFileSync(join(here, '..', 'node_modules', pkg, 'package.json'), 'utf8')).version;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}-${process.arch}; @tensorflow/tfjs ${version('@tensorflow/tfjs')}, tfjs-backend-wasm ${version('@tensorflow/tfjs-backend-wasm')} (one thread; tfjs-node not installable here)`;
const startLoad = load();
let md =
  `# Benchmarks\n\nMachine: ${machine}.\nDate: ${new Date().toISOString().slice(0, 10)}. Regenerate with \`npm run bench -- --write\`; one section: \`node bench/run.mjs <part of its file name>\`.\n\n` +
  'The machine is shared (other jobs run on its 2 cores): comparisons are measured as interleaved rounds in one process and reported as medians; ratios are medians of per-round ratios. ' +
  'Absolute rates move with the load; the ratios are the numbers to read. Conventions and analysis: docs/performance.md.\n';
console.error(`machine: ${machine}`);
const files = readdirSync(join(here, 'sections'))
  .filter((f) => f.endsWith('.mjs'))
  .sort();
// Results later sections may reuse (e.g. the ceiling, training rates).
const shared = {};
for (const f of files) {
  const mod = await import(join(here, 'sections', f));
  if (only.length && !only.some((o) => f.includes(o))) continue;
  console.error(`running ${f} ...`);
  const rows = await mod.run({ root: join(here, '..'), shared });
  const section = `\n## ${mod.title}\n\n${mod.note ? mod.note + '\n\n' : ''}${table(rows)}`;
  process.stdout.write(section);
  md += section;
}
md += `\nLoad average (1 / 5 / 15 min) at start: ${startLoad}; at end: ${load()}.\n`;
if (write && only.length) {
  // Some sections only: replace those sections in RESULTS.md, keep the others as they were.
  const path = join(here, 'RESULTS.md');
  let old = readFileSync(path, 'utf8');
  for (const part of md.split('\n## ').slice(1)) {
    const title = part.split('\n')[0];
    const body = `\n## ${part.replace(/\nLoad average[^\n]*\n$/, '')}`;
    const start = old.indexOf(`\n## ${title}\n`);
    if (start < 0) old = old.replace(/\nLoad average/, `${body}\nLoad average`);
    else {
      const next = old.indexOf('\n## ', start + 4);
      const end = next < 0 ? old.indexOf('\nLoad average', start) : next;
      old = old.slice(0, start) + body + old.slice(end < 0 ? old.length : end);
    }
  }
  writeFileSync(
    path,
    old.replace(
      /\nLoad average[^\n]*\n?$/,
      `\nLoad average (1 / 5 / 15 min) at start: ${startLoad}; at end: ${load()} (sections ${only.join(', ')} rerun ${new Date().toISOString().slice(0, 10)}).\n`,
    ),
  );
} else if (write) writeFileSync(join(here, 'RESULTS.md'), md);
