// The three `missing.policy` values, shared by every feature kind:
//   fill  - replace the missing cell (numeric: `fill` in raw units, normalised like any value,
//           default the training mean of the normalised values, i.e. 0 after standardisation;
//           bucketised: the bucket of `fill`, default a dedicated missing bucket; categorical:
//           the id of `fill`, default the id space's missing id; sequence: the tokens of
//           `fill`, default an empty sequence, all padding)
//   error - stop, naming the row (`file:line` when the table knows its origin)
//   skip  - the pipeline drops the row from every output and counts it
import { DataError } from './errors.js';
import { rowLocation, type Table } from './table.js';

export type MissingPolicy = 'fill' | 'error' | 'skip';

export interface FeatureManifestBase {
  name: string;
  column: string;
  missing: MissingPolicy;
}

export function missingError(table: Table, i: number, f: FeatureManifestBase): DataError {
  return new DataError(
    `${rowLocation(table, i)}: feature "${f.name}" (column "${f.column}") is missing and its missing.policy is ${f.missing}`,
  );
}
