// Static checks of the two review workflows (.github/workflows/spec-review*.yml): the structure
// that keeps untrusted pull-request code away from a write token.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '../../.github/workflows');
type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { permissions?: Record<string, string>; steps: Step[]; if?: string };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> };
const load = (name: string) => ({
  text: readFileSync(join(DIR, name), 'utf8'),
  wf: parse(readFileSync(join(DIR, name), 'utf8')) as Workflow,
});
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((j) => j.steps);

describe('review workflows', () => {
  const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
  const unprivileged = load('spec-review.yml');
  const privileged = load('spec-review-comment.yml');

  it('no workflow uses pull_request_target', () => {
    for (const f of files) {
      const { wf, text } = load(f);
      expect(Object.keys(wf.on), f).not.toContain('pull_request_target');
      expect(text, f).not.toMatch(/pull_request_target/);
    }
  });

  it('no shell command holds a ${{ }} expression (event text would be code)', () => {
    for (const f of files) for (const s of steps(load(f).wf)) if (s.run) expect(s.run, f).not.toMatch(/\$\{\{/);
  });

  it('every action is pinned to a full commit SHA', () => {
    for (const f of files)
      for (const s of steps(load(f).wf)) if (s.uses) expect(s.uses, f).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
  });

  it('the pull_request job has a read-only token, persists no credentials, runs Node 24', () => {
    const { wf } = unprivileged;
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(wf.jobs)) {
      expect(job.permissions).toEqual({ contents: 'read' });
      const checkout = job.steps.filter((s) => s.uses?.startsWith('actions/checkout@'));
      expect(checkout).toHaveLength(1);
      expect(checkout[0].with?.['persist-credentials']).toBe(false);
      for (const s of job.steps) expect(JSON.stringify(s.env ?? {})).not.toMatch(/token|secrets\./i);
      expect(job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe(24);
      expect(job.steps.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
    }
  });

  it('it runs on spec, compiler and schema changes', () => {
    const paths = (unprivileged.wf.on.pull_request as { paths: string[] }).paths;
    for (const p of ['configs/**', 'src/**', 'schema/**']) expect(paths).toContain(p);
  });

  it('the workflow_run job never checks out or runs pull-request code', () => {
    const { wf } = privileged;
    expect(Object.keys(wf.on)).toEqual(['workflow_run']);
    expect(wf.permissions).toEqual({});
    for (const job of Object.values(wf.jobs)) {
      expect(job.permissions).toEqual({ actions: 'read', contents: 'read', 'pull-requests': 'write' });
      for (const s of job.steps) {
        if (s.uses?.startsWith('actions/checkout@')) {
          // the default branch (github.sha of a workflow_run), only the review scripts
          expect(s.with?.ref).toBeUndefined();
          expect(s.with?.repository).toBeUndefined();
          expect(s.with?.['sparse-checkout']).toBe('scripts/review');
          expect(s.with?.['persist-credentials']).toBe(false);
        }
        // no npm install (it would run package scripts), no event text in a shell command
        if (s.run) {
          expect(s.run).not.toMatch(/\bnpm\b|\bnpx\b|\byarn\b|\bpnpm\b/);
          expect(s.run).not.toMatch(/\$\{\{/);
        }
      }
    }
  });
});
