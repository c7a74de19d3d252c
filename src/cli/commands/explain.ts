// `mmoe-compile explain <spec>`: what the spec builds, in words, and which family it equals.
// Exit 0 explained, 1 the spec is invalid (diagnostics as in validate), 2 usage or I/O error.
import { extname } from 'node:path';
import type { Command } from 'commander';
import { explain, renderExplanationText, wrap } from '../../compiler/explain.js';
import { describeTraining } from '../../compiler/explain-training.js';
import { checkSpec } from '../../compiler/front.js';
import { renderSvg, toDot, toMermaid } from '../../compiler/graph.js';
import { renderSummaryText, summarize } from '../../compiler/summary.js';
import { stableStringify } from '../../util/stable-json.js';
import { UsageError } from '../../util/diagnostics.js';
import { mdFence } from '../../util/escape.js';
import { collect, parseFormat, readOptionsOf, withReadOptions } from '../options.js';
import { countLine, renderDiagnostics, type Io } from '../../util/output.js';
import { writeFileSafe } from '../../util/safe-output.js';

export interface ExplainOptions {
  format: 'text' | 'json';
  set?: string[];
  /** Also write the graph: .mmd/.md Mermaid, .dot/.gv DOT, .svg rendered. */
  graph?: string;
  /** Replace an existing --graph file. */
  force?: boolean;
  root?: string;
  allowRead?: string[];
  config?: string;
}

async function graphText(file: string, ir: Parameters<typeof toDot>[0]): Promise<string> {
  switch (extname(file).toLowerCase()) {
    case '.mmd':
    case '.mermaid':
      return toMermaid(ir);
    case '.md':
      return mdFence(toMermaid(ir), 'mermaid') + '\n';
    case '.dot':
    case '.gv':
      return toDot(ir);
    case '.svg':
      return renderSvg(toDot(ir));
    default:
      throw new UsageError(`--graph ${file}: use a .mmd, .md, .dot, .gv or .svg file name`);
  }
}

export async function runExplain(file: string, opts: ExplainOptions, io: Io): Promise<number> {
  const r = checkSpec(file, { sets: opts.set, read: readOptionsOf(opts) });
  const errors = r.diagnostics.some((d) => d.severity === 'error');
  if (errors || !r.ir || !r.cost) {
    if (opts.format === 'json')
      io.out(
        JSON.stringify({ valid: false, diagnostics: JSON.parse(renderDiagnostics(r.diagnostics, 'json')) }, null, 2),
      );
    else io.out(`${renderDiagnostics(r.diagnostics, 'text', r.loaded.sources)}\n${countLine(r.diagnostics)}`);
    return 1;
  }
  const training = r.spec ? describeTraining(r.spec.training) : undefined;
  const e = { ...explain(r.ir, r.cost), ...(training ? { training } : {}) };
  const s = summarize(r.ir, r.cost);
  if (opts.graph) {
    const text = await graphText(opts.graph, r.ir);
    writeFileSafe(opts.graph, text, { replace: opts.force }); // refusals and I/O errors exit 2 (cli/main.ts)
  }
  if (opts.format === 'json') {
    io.out(
      stableStringify(
        {
          file: r.loaded.file,
          valid: true,
          explanation: e,
          summary: s,
          diagnostics: JSON.parse(renderDiagnostics(r.diagnostics, 'json')),
        },
        2,
      ),
    );
    return 0;
  }
  if (r.diagnostics.length) io.err(renderDiagnostics(r.diagnostics, 'text', r.loaded.sources));
  io.out(`${renderExplanationText(e)}${training ? `\n\n${wrap(training)}` : ''}\n\n${renderSummaryText(s)}`);
  return 0;
}

export function register(program: Command, io: Io, setExit: (code: number) => void): void {
  withReadOptions(
    program
      .command('explain')
      .description(
        'say what a spec builds and which family it equals, with parameters and FLOPs per block; exit 0 ok, 1 invalid, 2 usage or I/O error',
      )
      .argument('<spec>', 'spec file')
      .option('-f, --format <format>', 'text or json', parseFormat(['text', 'json']), 'text')
      .option(
        '--set <path=value>',
        'override a spec value, e.g. model.levels[0].pools[0].count=8 (repeatable)',
        collect,
      )
      .option(
        '--graph <file>',
        'also write the model graph: .mmd (Mermaid), .md (Mermaid block), .dot/.gv (Graphviz) or .svg',
      )
      .option('--force', 'replace the --graph file if it exists'),
  ).action(async (file: string, opts: ExplainOptions) => setExit(await runExplain(file, opts, io)));
}
