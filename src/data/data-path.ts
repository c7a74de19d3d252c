// Where the files a spec names (data.train, data.test) are: relative to the spec file. The one
// place that turns a spec's data path into a file path, for train and for validate's sample.
import { dirname, resolve } from 'node:path';

export function dataFilePath(specFile: string, name: string): string {
  return resolve(dirname(resolve(specFile)), name);
}
