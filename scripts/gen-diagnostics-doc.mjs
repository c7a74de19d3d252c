// `npm run docs:diagnostics`: write docs/diagnostics.md from the catalogue of diagnostics
// (src/util/catalogue.ts, built into dist/). test/schema/catalogue.test.ts checks it is current.
import { writeFileSync } from 'node:fs';
import { renderCatalogueMarkdown } from '../dist/schema/catalogue-render.js';

writeFileSync(new URL('../docs/diagnostics.md', import.meta.url), renderCatalogueMarkdown());
