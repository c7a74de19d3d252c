// The compiler's front end, shared by validate, explain, diff, check and build: a validated spec
// lowered to IR, its cost estimated, and resource limits enforced, all without tfjs.
import { basename, extname } from 'node:path';
import { sortDiagnostics, type Diagnostic } from '../util/diagnostics.js';
import type { LocIndex } from '../schema/source.js';
import type { ReadOptions } from '../schema/paths.js';
import { locate } from '../schema/source.js';
import { validateSpec, type ValidatedSpec } from '../schema/validate.js';
import type { Spec } from '../schema/spec-schema.js';
import { costOf, type CostSummary } from './cost.js';
import type { ModelIR } from './ir.js';
import { lowerSpec, type VocabSizes } from './lower.js';
import { unusedBlocks } from './reachability.js';

export interface FrontOptions {
  sets?: readonly string[];
  /** Overrides spec.limits.maxParameters (CLI --max-params). */
  maxParameters?: number;
  /** --root and --allow-read: which files the spec may name. */
  read?: ReadOptions;
}

export interface CheckedSpec extends ValidatedSpec {
  name: string;
  ir?: ModelIR;
  cost?: CostSummary;
}

export function specName(spec: Spec | undefined, file: string): string {
  return spec?.name ?? basename(file, extname(file)).replace(/[^A-Za-z0-9_]/g, '_');
}

export function lowerChecked(spec: Spec, name: string, vocab: VocabSizes = {}): { ir: ModelIR; cost: CostSummary } {
  const ir = lowerSpec(spec, name, vocab);
  return { ir, cost: costOf(ir) };
}

/** The spec path of a cost block ("level0/pool/experts", "embedding/emb_user_id", ...). */
function blockPath(ir: ModelIR, block: string): string {
  const [kind, a, b] = block.split('/');
  if (kind === 'embedding') {
    const table = ir.embeddings.find((t) => t.name === a);
    return ir.features.find((f) => f.name === table?.features[0])?.path ?? '/features';
  }
  if (kind.startsWith('level')) {
    const level = ir.levels[Number(kind.slice(5))];
    const node = a === 'pool' ? level?.pools.find((p) => p.name === b) : level?.gates.find((g) => g.name === b);
    return node?.path ?? '/model';
  }
  if (kind === 'attention') return ir.features.find((f) => f.name === a)?.path ?? '/features';
  if (kind === 'tower') return ir.towers.find((t) => t.name === a)?.path ?? '/model';
  if (kind === 'head') return ir.tasks.find((t) => t.name === a)?.path ?? '/tasks';
  return '/model';
}

/**
 * Warnings for the blocks the model will not contain (they reach no task output), where the
 * `unused` rule has not already warned at the same place: it sees only direct readers, so a gate
 * read by an unused tower, or the pools and groups behind it, are found here.
 */
function unusedWarnings(ir: ModelIR, locs: LocIndex, file: string, already: readonly Diagnostic[]): Diagnostic[] {
  const warned = new Set(already.filter((d) => d.code === 'unused').map((d) => d.path));
  return unusedBlocks(ir)
    .filter((u) => !warned.has(u.path))
    .map((u) => ({
      ...(locate(locs, u.path, u.atKey)?.value ?? { file, line: 1, column: 1 }),
      severity: 'warning' as const,
      code: 'unused',
      path: u.path,
      message:
        u.kind === 'feature'
          ? `feature "${u.name}" is read by nothing in the built model: no group it is in feeds a block that reaches a task output.`
          : `${u.kind} "${u.name}" is left out of the built model and its parameter count: nothing it feeds reaches a task output.`,
    }));
}

/** Validate, lower and size-check a spec file. Throws SpecIoError for an unreadable root file. */
export function checkSpec(path: string, opts: FrontOptions = {}): CheckedSpec {
  const v = validateSpec(path, opts.sets, opts.read);
  const name = specName(v.spec, v.loaded.file);
  if (!v.spec) return { ...v, name };
  const { ir, cost } = lowerChecked(v.spec, name);
  const limit = opts.maxParameters ?? v.spec.limits?.maxParameters ?? 200_000_000;
  const unused = unusedWarnings(ir, v.loaded.locs, v.loaded.file, v.diagnostics);
  const diagnostics: Diagnostic[] = unused.length ? sortDiagnostics([...v.diagnostics, ...unused]) : [...v.diagnostics];
  if (cost.params > limit) {
    const big = [...cost.blocks].sort((a, b) => b.params - a.params)[0];
    const path = blockPath(ir, big.block);
    const at = locate(v.loaded.locs, path)?.value ?? { file: v.loaded.file, line: 1, column: 1 };
    diagnostics.push({
      ...at,
      severity: 'error',
      code: 'resource-limit',
      path,
      message: `the model would have about ${cost.params.toExponential(2)} parameters (largest block ${big.block}: ${big.params.toExponential(2)}), over the limit of ${limit.toExponential(2)}; raise it with limits.maxParameters or --max-params if this is intended`,
    });
    return { ...v, diagnostics, name, spec: undefined };
  }
  return { ...v, diagnostics, name, ir, cost };
}
