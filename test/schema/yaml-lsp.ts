// A minimal Language Server Protocol client for yaml-language-server over stdio (JSON-RPC with
// Content-Length framing), to check the published JSON Schema the way an editor uses it.
// One server process serves every document of a test file.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
  severity?: number;
  source?: string;
}

export interface CompletionItem {
  label: string;
  kind?: number;
}

function withTimeout<T>(p: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message())), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class YamlLsp {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly diagnostics = new Map<string, LspDiagnostic[]>();
  private readonly diagnosticWaiters = new Map<string, ((d: LspDiagnostic[]) => void)[]>();
  private stderr = '';
  private settings: Record<string, unknown> = {};
  private onConfigured?: () => void;

  constructor() {
    const bin = createRequire(import.meta.url).resolve('yaml-language-server/bin/yaml-language-server');
    this.proc = spawn(process.execPath, [bin, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.proc.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.proc.on('exit', (code) => {
      for (const p of this.pending.values())
        p.reject(new Error(`yaml-language-server exited (${code}): ${this.stderr.slice(-2000)}`));
      this.pending.clear();
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.onMessage(
        JSON.parse(body) as {
          id?: number;
          method?: string;
          params?: unknown;
          result?: unknown;
          error?: { message: string };
        },
      );
    }
  }

  private onMessage(m: {
    id?: number;
    method?: string;
    params?: unknown;
    result?: unknown;
    error?: { message: string };
  }): void {
    if (m.method === 'textDocument/publishDiagnostics') {
      const { uri, diagnostics } = m.params as { uri: string; diagnostics: LspDiagnostic[] };
      this.diagnostics.set(uri, diagnostics);
      const waiters = this.diagnosticWaiters.get(uri) ?? [];
      this.diagnosticWaiters.delete(uri);
      for (const w of waiters) w(diagnostics);
      return;
    }
    if (m.method !== undefined && m.id !== undefined) {
      // a request from the server: the server pulls its settings (yaml, http, [yaml], editor)
      if (m.method === 'workspace/configuration') {
        const items = (m.params as { items: { section?: string }[] }).items;
        this.send({ jsonrpc: '2.0', id: m.id, result: items.map((i) => this.settings[i.section ?? ''] ?? null) });
        if (items.some((i) => i.section === 'yaml')) this.onConfigured?.();
      } else this.send({ jsonrpc: '2.0', id: m.id, result: null });
      return;
    }
    if (m.id !== undefined && this.pending.has(m.id)) {
      const p = this.pending.get(m.id)!;
      this.pending.delete(m.id);
      if (m.error) p.reject(new Error(m.error.message));
      else p.resolve(m.result);
    }
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** initialize + initialized + settings. `schemas` maps a schema URL to globs of files it applies to. */
  async start(rootDir: string, schemas: Record<string, string[]> = {}): Promise<void> {
    await this.request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(rootDir).href,
      capabilities: {
        textDocument: { completion: { completionItem: { snippetSupport: false } }, publishDiagnostics: {} },
      },
      workspaceFolders: null,
    });
    this.notify('initialized', {});
    this.settings = {
      yaml: { validate: true, completion: true, hover: false, schemaStore: { enable: false }, schemas },
    };
    // the notification makes the server pull the settings; wait until it has them
    const pulled = new Promise<void>((resolve) => (this.onConfigured = resolve));
    this.notify('workspace/didChangeConfiguration', { settings: {} });
    await withTimeout(
      pulled,
      20_000,
      () => `yaml-language-server did not ask for its settings: ${this.stderr.slice(-2000)}`,
    );
    // one round trip: the server has applied the settings before it reads the next message
    await this.request('textDocument/documentSymbol', { textDocument: { uri: 'file:///nonexistent.yaml' } }).catch(
      () => undefined,
    );
  }

  /** Open a document and wait for its diagnostics (the server validates on open). */
  open(uri: string, text: string): Promise<LspDiagnostic[]> {
    const got = new Promise<LspDiagnostic[]>((resolve) => {
      const list = this.diagnosticWaiters.get(uri) ?? [];
      list.push(resolve);
      this.diagnosticWaiters.set(uri, list);
    });
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return got;
  }

  async completion(uri: string, line: number, character: number): Promise<CompletionItem[]> {
    const r = await this.request<{ items: CompletionItem[] } | CompletionItem[] | null>('textDocument/completion', {
      textDocument: { uri },
      position: { line, character },
    });
    return Array.isArray(r) ? r : (r?.items ?? []);
  }

  /** shutdown + exit; the process is killed if it has not exited within two seconds. */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    await withTimeout(this.request('shutdown', null), 2000, () => 'shutdown').catch(() => undefined);
    this.notify('exit', null);
    this.proc.stdin.end();
    await withTimeout(exited, 2000, () => 'exit').catch(() => this.proc.kill());
  }
}
