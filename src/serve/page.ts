// The demo page's script (web/index.html; bundled with @tensorflow/tfjs by site.ts). Browser
// only. It loads a model folder with the serving API, shows the folder's summary.json, and
// scores the record typed into a form. Query parameters: ?model=<folder URL> (default
// "model/"), ?backend=cpu|webgl (default cpu: exact and available everywhere),
// ?engine=tfjs|onnxruntime-web (default tfjs; onnxruntime-web loads its .wasm from "ort/").
//
// For tests and the console it also sets window.mmoe = { ready, score(records) }.
import * as tf from '@tensorflow/tfjs';
import type { ModelSummary } from '../compiler/summary.js';
import { loadServable, type FieldInfo, type ScoreResult, type Servable } from './index.js';

declare global {
  interface Window {
    mmoe: { ready: Promise<Servable>; score(records: unknown[]): Promise<ScoreResult> };
  }
}

const params = new URLSearchParams(location.search);
const modelUrl = new URL(params.get('model') ?? 'model/', location.href).href;
const backend = params.get('backend') ?? 'cpu';
const engine = params.get('engine') ?? 'tfjs';

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

function byId<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`web/index.html has no #${id}`);
  return e as T;
}

const count = (n: number) => n.toLocaleString('en-US');

function table(head: string[], rows: (string | number)[][], id?: string): HTMLTableElement {
  return el(
    'table',
    id ? { id } : {},
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, String(c)))))),
  );
}

function showSummary(s: ModelSummary | null, servable: Servable): void {
  const box = byId('summary');
  box.replaceChildren();
  byId('model-name').textContent = s?.name ?? servable.name;
  if (!s) {
    // A trained folder has no summary.json: show what the serving API knows.
    box.append(
      el(
        'p',
        { id: 'family' },
        'No summary.json in the model folder (a trained folder has none; the compiled one does).',
      ),
      el('h3', {}, 'Tasks'),
      table(
        ['task', 'type'],
        servable.tasks.map((t) => [t.name, t.type]),
        'tasks',
      ),
      el('h3', {}, 'Inputs'),
      table(
        ['field', 'kind', 'features'],
        servable.fields.map((f) => [f.name, f.type, f.features.join(', ')]),
        'inputs',
      ),
    );
    return;
  }
  box.append(
    el(
      'p',
      { id: 'family' },
      `${s.family.label}: ${count(s.params)} parameters, ${count(s.flops)} FLOPs per example, ${s.levels} expert level${s.levels === 1 ? '' : 's'}.`,
    ),
    el('h3', {}, 'Tasks'),
    table(
      ['task', 'type', 'head', 'label', 'loss counts'],
      s.tasks.map((t) => [t.name, t.type, t.head, t.label ?? '-', t.sampleSpace ?? 'every row']),
      'tasks',
    ),
    el('h3', {}, 'Inputs'),
    table(
      ['field', 'kind', 'width', 'embedding'],
      s.inputs.features.map((f) => [f.column, f.kind, f.width, f.embedding ?? '-']),
      'inputs',
    ),
  );
  if (servable.scenario)
    box.append(
      el(
        'p',
        {},
        `Scenario field "${servable.scenario.field}": ${servable.scenario.values.join(', ')} (a missing or other value is the unknown scenario).`,
      ),
    );
}

function fieldInput(f: FieldInfo): HTMLElement {
  const id = `field-${f.name}`;
  const hint =
    f.type === 'number'
      ? 'number'
      : f.type === 'sequence'
        ? `values separated by "${f.separator}"`
        : f.vocabulary
          ? `one of ${f.vocabulary.join(', ')} (others: OOV)`
          : 'category';
  const input = el('input', { id, name: f.name, type: 'text', placeholder: hint, autocomplete: 'off' });
  const row = el('div', { class: 'field' }, el('label', { for: id }, f.name), input);
  if (f.vocabulary) {
    const list = el('datalist', { id: `${id}-values` }, ...f.vocabulary.map((v) => el('option', { value: v })));
    input.setAttribute('list', list.id);
    input.value = f.vocabulary[0] ?? '';
    row.append(list);
  }
  return row;
}

/** The form as a record: every field present; an empty box is "" (a missing value). */
function formRecord(form: HTMLFormElement, fields: readonly FieldInfo[]): Record<string, string> {
  const data = new FormData(form);
  return Object.fromEntries(fields.map((f) => [f.name, String(data.get(f.name) ?? '')]));
}

/** A task's rows of the score table: one for a binary or regression task; for a multi-class task
 * the most probable class, then each class's probability. */
function scoreRows(t: Servable['tasks'][number], s: NonNullable<ScoreResult['scores'][number]>): string[][] {
  if (t.classes === undefined) return [[t.name, s[t.name].toFixed(6)]];
  const p = t.classes.map((c) => s[`${t.name}:${c}`]);
  const best = p.indexOf(Math.max(...p));
  return [[t.name, t.classes[best]], ...t.classes.map((c, j) => [`${t.name}:${c}`, p[j].toFixed(6)])];
}

function showResult(result: ScoreResult, servable: Servable): void {
  const box = byId('result');
  const s = result.scores[0];
  box.replaceChildren(
    s
      ? table(
          ['task', 'score'],
          servable.tasks.flatMap((t) => scoreRows(t, s)),
          'scores',
        )
      : el('ul', { id: 'errors' }, ...result.errors.map((e) => el('li', {}, e.message))),
  );
}

/** The engine selector: switching reloads the page with ?engine=. */
function engineSelector(): void {
  const select = byId<HTMLSelectElement>('engine');
  select.value = engine;
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('engine', select.value);
    location.assign(url.href);
  });
}

/** The servable on the chosen engine. */
async function load(): Promise<{ servable: Servable; runsOn: string }> {
  if (engine === 'onnxruntime-web') {
    const ort = await import('onnxruntime-web/wasm');
    ort.env.wasm.wasmPaths = new URL('ort/', location.href).href;
    ort.env.wasm.numThreads = 1;
    return {
      servable: await loadServable(modelUrl, { engine, ort }),
      runsOn: `ONNX Runtime Web ${ort.env.versions.web ?? ''} (wasm)`,
    };
  }
  if (engine !== 'tfjs') throw new Error(`unknown engine "${engine}" (tfjs or onnxruntime-web)`);
  if (!(await tf.setBackend(backend)))
    throw new Error(`the tfjs backend "${backend}" is not available in this browser`);
  await tf.ready();
  return { servable: await loadServable(modelUrl, { tf }), runsOn: `tfjs ${tf.version.tfjs} on ${tf.getBackend()}` };
}

async function start(): Promise<Servable> {
  const status = byId('status');
  engineSelector();
  const [{ servable, runsOn }, summary] = await Promise.all([
    load(),
    fetch(new URL('summary.json', modelUrl)).then((r) => (r.ok ? (r.json() as Promise<ModelSummary>) : null)),
  ]);
  showSummary(summary, servable);
  const form = byId<HTMLFormElement>('score-form');
  byId('fields').replaceChildren(...servable.fields.map(fieldInput));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void servable.score([formRecord(form, servable.fields)]).then(
      (r) => showResult(r, servable),
      (err: unknown) => showError(err),
    );
  });
  byId<HTMLButtonElement>('score-button').disabled = false;
  status.textContent = `ready: ${servable.name}, ${runsOn}, model from ${modelUrl}`;
  status.dataset.state = 'ready';
  return servable;
}

function showError(err: unknown): void {
  const status = byId('status');
  status.textContent = `error: ${err instanceof Error ? err.message : String(err)}`;
  status.dataset.state = 'error';
}

const ready = start();
ready.catch(showError);
window.mmoe = { ready, score: async (records) => (await ready).score(records) };
