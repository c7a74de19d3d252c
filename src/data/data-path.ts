// Where the files a spec names (data.train, data.test, vocabulary files) are: relative to the
// spec file, and only where the read policy allows (src/schema/paths.ts: inside the project
// root, or under a folder the user allowed). The one place that turns a spec's data path into a
// file path, for train and for validate's sample.
import { dirname, resolve } from 'node:path';
import type { ReadPolicy } from '../schema/paths.js';
import { dataFilePath as checkedDataPath } from './vocabulary-file.js';

/** Throws DataError when the policy refuses the path (validation reports it located first). */
export function dataFilePath(specFile: string, name: string, policy?: ReadPolicy): string {
  return checkedDataPath(name, dirname(resolve(specFile)), policy);
}
