// `npm run bench`: benchmarks (never tests). Prints one table per section and, with --write,
// records them in bench/RESULTS.md with a description of the machine. Sections live in
// bench/sections/*.mjs and export { title, run(ctx) -> rows }.
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const write = args.includes('--write');

function table(rows) {
  if (!rows.length) return '(no rows)\n';
  const cols = Object.keys(rows[0]);
  const cell = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toPrecision(4)) : String(v));
  const body = rows.map((r) => cols.map((c) => cell(r[c])));
  return [`| ${cols.join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n';
}

const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}-${process.arch}`;
let md = `# Benchmarks\n\nMachine: ${machine}.\nDate: ${new Date().toISOString().slice(0, 10)}. Regenerate with \`npm run bench -- --write\`.\n`;
console.error(`machine: ${machine}`);
const files = readdirSync(join(here, 'sections')).filter((f) => f.endsWith('.mjs')).sort();
for (const f of files) {
  const mod = await import(join(here, 'sections', f));
  if (only.length && !only.some((o) => f.includes(o))) continue;
  console.error(`running ${f} ...`);
  const rows = await mod.run({ root: join(here, '..') });
  const section = `\n## ${mod.title}\n\n${mod.note ? mod.note + '\n\n' : ''}${table(rows)}`;
  process.stdout.write(section);
  md += section;
}
if (write) writeFileSync(join(here, 'RESULTS.md'), md);
