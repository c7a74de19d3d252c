// Versioned upgrades (Ludwig's habit): a spec written for an older specVersion is rewritten step
// by step to the current one before validation. Version 1 is the first, so the table is empty;
// a future v2 adds `1: (spec) => { ...rename or move keys...; spec.specVersion = 2; }`.
import type { Diagnostic } from '../util/diagnostics.js';
import { SPEC_VERSION } from './version.js';

type Upgrade = (spec: Record<string, unknown>) => void;

const UPGRADES: Readonly<Record<number, Upgrade>> = {};

/** Upgrade in place. Unknown or future versions are left for the schema to report. */
export function upgradeSpec(spec: Record<string, unknown>, notes: Diagnostic[] = []): void {
  let v = spec.specVersion;
  while (typeof v === 'number' && v < SPEC_VERSION && UPGRADES[v]) {
    UPGRADES[v](spec);
    v = spec.specVersion;
  }
  void notes;
}
