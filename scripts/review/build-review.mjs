#!/usr/bin/env node
// The unprivileged half of the spec review (.github/workflows/spec-review.yml, `pull_request`,
// read-only token, no persisted credentials): find the specs to review, check them (annotations
// and the job summary), diff each against the base branch, and write the report that the
// privileged workflow posts as the pull request comment:
//
//   node scripts/review/build-review.mjs --base <base ref> --pr <number> --head-sha <sha> --out <dir>
//
// <dir>/comment.md (at most 60,000 characters, cut between specs) and <dir>/meta.json
// ({pr, head_sha}) are all it writes there. The base branch is checked out as a git worktree in
// .review-base/, so that a spec's `extends:` resolves against the base revision of its fragments;
// the comment shows repository paths (configs/x.yaml), never .review-base/.
//
// Which specs: the changed YAML files under configs/; every spec when an `extends` fragment (a
// `base/` folder) changed; every spec, checked AND compiled, when the compiler itself changed
// (src/, schema/, package.json, package-lock.json). Exit: the check's exit code (1 when a spec
// is invalid), 2 on a usage or git error.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
// The one escape module (src/util/escape.ts) and the validator, built by `npm ci` (prepare).
import { validateSpec } from '../../dist/schema/validate.js';
import { mdCode, mdFence } from '../../dist/util/escape.js';

export const BASE_DIR = '.review-base';
export const MAX_COMMENT = 60_000;
const COMPILER_PATHS = /^(src|schema)\/|^package(-lock)?\.json$/;
const SPEC_FILE = /^configs\/.*\.ya?ml$/;
const FRAGMENT = /(^|\/)base\//;

/** Pure: what to review, from the changed paths and the spec files on both sides. */
export function planReview(changed, headSpecs, baseSpecs) {
  const compilerChanged = changed.some((p) => COMPILER_PATHS.test(p));
  const changedSpecs = changed.filter((p) => SPEC_FILE.test(p));
  const all = compilerChanged || changedSpecs.some((p) => FRAGMENT.test(p));
  const review = all ? [...new Set([...headSpecs, ...baseSpecs])] : changedSpecs.filter((p) => !FRAGMENT.test(p));
  const sorted = [...new Set(review)].filter((p) => !FRAGMENT.test(p)).sort();
  const head = new Set(headSpecs);
  return {
    review: sorted,
    present: sorted.filter((p) => head.has(p)),
    compile: compilerChanged,
    reason: compilerChanged
      ? 'the compiler changed (src/, schema/ or packages): every spec is checked and compiled'
      : all
        ? 'an extends fragment changed: every spec is reviewed'
        : 'the changed specs',
  };
}

/** Sections joined until the budget is spent; the rest is named, not cut in the middle. */
export function assemble(header, sections, budget = MAX_COMMENT) {
  let out = header;
  let i = 0;
  for (; i < sections.length; i++) {
    const next = `\n\n${sections[i].text}`;
    if (out.length + next.length > budget - 200) break;
    out += next;
  }
  if (i < sections.length)
    out += `\n\n(${sections.length - i} more ${sections.length - i === 1 ? 'spec' : 'specs'} not shown here: ${sections
      .slice(i)
      .map((s) => mdCode(s.file))
      .join(', ')}. The job summary has the full review.)`;
  return out + '\n';
}

/**
 * Specs that cannot be built here, with the reason: their CSV data is not a file inside the
 * repository (the census specs read ../../shared/, which CI does not have). They are checked,
 * not compiled, and the comment says so; a spec that does not validate is left to `check`.
 */
export function unbuildable(files, root = '.') {
  const out = new Map();
  for (const f of files) {
    const checked = validateSpec(f);
    const data = checked.spec?.data;
    if (!data && checked.diagnostics.some((d) => d.code.startsWith('path-'))) {
      // refused by the read rules (a data file outside the project): not buildable here
      out.set(f, 'it names a file outside the repository');
      continue;
    }
    if (data?.source !== 'csv') continue;
    for (const p of [data.train, data.test].filter(Boolean)) {
      const abs = resolve(dirname(f), p);
      const rel = relative(resolve(root), abs);
      if (rel.startsWith('..') || isAbsolute(rel) || !existsSync(abs)) {
        out.set(f, `its data ${mdCode(p)} is not a file in the repository`);
        break;
      }
    }
  }
  return out;
}

function listSpecs(root) {
  const out = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory() && !e.name.startsWith('.')) walk(p);
      else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(relative(root, p).split('\\').join('/'));
    }
  };
  walk(join(root, 'configs'));
  return out.filter((p) => !FRAGMENT.test(p));
}

function parseArgs(argv) {
  const a = {};
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i];
    if (!['--base', '--pr', '--head-sha', '--out', '--cli'].includes(k) || argv[i + 1] === undefined)
      throw new Error(`unknown or incomplete option ${k}`);
    a[k.slice(2)] = argv[i + 1];
  }
  if (!a.base || !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(a.base) || a.base.includes('..'))
    throw new Error('--base must be a branch name');
  if (!a.pr || !/^[1-9][0-9]{0,9}$/.test(a.pr)) throw new Error('--pr must be a pull request number');
  if (!a['head-sha'] || !/^[0-9a-f]{40}$/.test(a['head-sha'])) throw new Error('--head-sha must be 40 hex digits');
  if (!a.out) throw new Error('--out is required');
  return a;
}

export function main(argv = process.argv.slice(2), env = process.env) {
  let a;
  try {
    a = parseArgs(argv);
  } catch (e) {
    console.error(`build-review: ${e.message}`);
    return 2;
  }
  const cli = a.cli ?? 'bin/mmoe-compile.js';
  const run = (args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const git = (...args) => execFileSync('git', args, { encoding: 'utf8' });
  const baseRef = `origin/${a.base}`;
  try {
    if (!existsSync(BASE_DIR)) git('worktree', 'add', '--quiet', '--detach', BASE_DIR, baseRef);
  } catch (e) {
    console.error(`build-review: cannot check out ${baseRef}: ${e.message}`);
    return 2;
  }
  const changed = git('diff', '--name-only', '-z', `${baseRef}...HEAD`).split('\0').filter(Boolean);
  const plan = planReview(changed, listSpecs('.'), listSpecs(BASE_DIR));
  console.log(`Specs to review (${plan.reason}):\n${plan.review.join('\n') || '(none)'}`);

  let status = 0;
  mkdirSync(a.out, { recursive: true });
  const checkLines = [];
  const notBuilt = plan.compile ? unbuildable(plan.present) : new Map();
  const groups = [
    { specs: plan.present.filter((f) => !notBuilt.has(f)), compile: plan.compile },
    { specs: plan.present.filter((f) => notBuilt.has(f)), compile: false },
  ];
  for (const g of groups.filter((x) => x.specs.length)) {
    // with GITHUB_STEP_SUMMARY set, check appends its report (tables, Mermaid graphs) there
    const r = run(['check', ...g.specs, '--format', 'github', ...(g.compile ? ['--compile'] : [])]);
    process.stdout.write(r.stdout); // annotations
    process.stderr.write(r.stderr);
    const s = r.status ?? 2;
    status = Math.max(status, s);
    const n = `${g.specs.length} ${g.specs.length === 1 ? 'spec' : 'specs'}`;
    checkLines.push(
      `- \`mmoe-compile check${g.compile ? ' --compile' : ''}\`: ${s === 0 ? `${n} valid${g.compile ? ' and built' : ''}` : s === 1 ? `**some of ${n} are invalid${g.compile ? ' or do not build' : ''}**` : `**failed** (exit ${s})`}.`,
    );
  }
  for (const [f, why] of notBuilt) checkLines.push(`- ${mdCode(f)} checked, not built: ${why}.`);
  const checkLine = checkLines.length
    ? [...checkLines, '', 'The annotations and the full report are in the job summary.'].join('\n')
    : 'No spec to check.';

  const sections = plan.review.map((f) => {
    const h = mdCode(f);
    if (!existsSync(f)) return { file: f, text: `### ${h}: removed in this pull request` };
    if (!existsSync(join(BASE_DIR, f))) {
      const r = run(['explain', f]);
      return { file: f, text: `### ${h}: new spec\n\n${mdFence((r.stdout + r.stderr).trimEnd(), 'text')}` };
    }
    const r = run(['diff', '--format', 'markdown', join(BASE_DIR, f), f]);
    // diff names files as given: show the base side by its repository path
    const text = (r.stdout + r.stderr).split(`${BASE_DIR}/`).join('').trimEnd();
    // 0 same model, 1 different model: both are results; 2 means it could not compare (the
    // Markdown then holds the diagnostics)
    return {
      file: f,
      text:
        (r.status ?? 2) <= 1 || text.startsWith('### ')
          ? text
          : `### ${h}: could not compare (diff exited with ${r.status})\n\n${mdFence(text, 'text')}`,
    };
  });
  const header = [
    '## Spec review: models built by the changed specs',
    '',
    `Compared with \`${a.base}\` by \`mmoe-compile diff\` (the models, not the YAML text); ${plan.reason}.`,
    '',
    checkLine,
  ].join('\n');
  const comment = assemble(header, sections);
  writeFileSync(join(a.out, 'comment.md'), comment);
  writeFileSync(join(a.out, 'meta.json'), JSON.stringify({ pr: Number(a.pr), head_sha: a['head-sha'] }) + '\n');
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, '\n' + assemble(header, sections, Infinity));
  return status;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main();
