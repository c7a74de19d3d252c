// A vector feature names its columns in one of two forms (a list, or prefix + count), and each
// column becomes a numeric feature named like it, so each must be a valid, unused feature name.
// Runs on the spec as written, before the vectors are expanded (src/schema/vector-features.ts);
// validateSpec expands only when this rule reports nothing.
import { NAME_PATTERN } from '../patterns.js';
import { pointer } from '../source.js';
import type { VectorFeatureSpec, WrittenSpec } from '../spec-schema.js';
import { vectorColumns } from '../vector-features.js';
import type { RuleContext } from './context.js';

const code = 'vector-columns';
const NAME = new RegExp(NAME_PATTERN);

export function vectorColumnsRule(ctx: RuleContext): void {
  const features = (ctx.spec as unknown as WrittenSpec).features;
  // every name a feature takes: plain features by name, components by column
  const taken = new Map<string, string>();
  features.forEach((f) => {
    if (f.type !== 'vector') taken.set(f.name, `feature "${f.name}"`);
  });
  features.forEach((f, i) => {
    if (f.type !== 'vector') return;
    const at = (k: string) => pointer(pointer('/features', i), k);
    const v = f as VectorFeatureSpec;
    const hasPrefix = v.prefix !== undefined;
    const hasCount = v.count !== undefined;
    if (v.columns && (hasPrefix || hasCount)) {
      ctx.report({
        code,
        path: at(hasPrefix ? 'prefix' : 'count'),
        atKey: true,
        message: `vector feature "${v.name}" gives both columns and ${hasPrefix ? 'prefix' : 'count'}; use one form: a column list, or prefix and count.`,
      });
      return;
    }
    if (!v.columns && hasPrefix !== hasCount) {
      ctx.report({
        code,
        path: at(hasPrefix ? 'prefix' : 'count'),
        atKey: true,
        message: `vector feature "${v.name}" gives ${hasPrefix ? 'prefix' : 'count'} without ${hasPrefix ? 'count' : 'prefix'}; the prefix form needs both (columns prefix0, prefix1, ...).`,
      });
      return;
    }
    if (!v.columns && !hasPrefix) {
      ctx.report({
        code,
        path: at('name'),
        message: `vector feature "${v.name}" names no columns: give columns: [...], or prefix and count.`,
      });
      return;
    }
    vectorColumns(v).forEach((col, k) => {
      const where = v.columns ? pointer(at('columns'), k) : at('prefix');
      if (!NAME.test(col)) {
        ctx.report({
          code,
          path: where,
          message: `vector feature "${v.name}": column "${col}" cannot name a feature (each component is named like its column: letters, digits and _, starting with a letter); rename the column or list other columns.`,
        });
        return;
      }
      const other = taken.get(col);
      if (other !== undefined) {
        ctx.report({
          code,
          path: where,
          message: `vector feature "${v.name}": its component "${col}" has the name of ${other}; feature names must be unique.`,
        });
        return;
      }
      taken.set(col, `a component of vector "${v.name}"`);
    });
  });
}
