#!/usr/bin/env node
// The privileged half of the spec review (.github/workflows/spec-review-comment.yml, triggered by
// `workflow_run`): reads the report that the unprivileged `pull_request` job uploaded, treats it
// as untrusted data, and creates or updates ONE comment on the pull request. It never runs code
// from the pull request: it is plain Node (no dependencies) from the default branch, and talks to
// GitHub only through `gh api`.
//
//   node scripts/review/post-comment.mjs <artifact dir>
//
// Environment: GITHUB_EVENT_PATH (the workflow_run event), GITHUB_REPOSITORY (owner/name),
// GH_TOKEN (for gh). Exit 0 when the comment was written or deliberately skipped (the pull
// request moved on, or is closed), 1 when the artifact or the event is refused.
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The hidden marker that identifies this workflow's own comment. */
export const MARKER = '<!-- mmoe-compile spec review -->';
/** The only files the artifact may hold, and their size caps (a comment holds at most 65,536 characters). */
export const FILES = { 'comment.md': 60_000, 'meta.json': 1_000 };
const BOT = 'github-actions[bot]';

export class Refused extends Error {}

/** Read and check the artifact folder: exactly the expected regular files, within their caps, meta.json well-formed. */
export function readArtifact(dir) {
  let names;
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new Refused(`cannot read the artifact folder ${dir}: ${e.code ?? e.message}`);
  }
  const expected = Object.keys(FILES).sort();
  if (names.join('\n') !== expected.join('\n'))
    throw new Refused(
      `the artifact must hold exactly ${expected.join(' and ')}; it holds ${names.length ? names.map((n) => JSON.stringify(n)).join(', ') : 'nothing'}`,
    );
  const text = {};
  for (const name of expected) {
    const st = lstatSync(join(dir, name));
    if (!st.isFile()) throw new Refused(`${name} in the artifact is not a regular file`);
    if (st.size > FILES[name])
      throw new Refused(`${name} in the artifact has ${st.size} bytes, over the cap of ${FILES[name]}`);
    text[name] = readFileSync(join(dir, name), 'utf8');
  }
  let meta;
  try {
    meta = JSON.parse(text['meta.json']);
  } catch {
    throw new Refused('meta.json in the artifact is not JSON');
  }
  if (
    typeof meta !== 'object' ||
    meta === null ||
    Array.isArray(meta) ||
    Object.keys(meta).sort().join(',') !== 'head_sha,pr'
  )
    throw new Refused('meta.json must be {"pr": <number>, "head_sha": "<40 hex>"} and nothing else');
  if (!Number.isSafeInteger(meta.pr) || meta.pr < 1)
    throw new Refused(`meta.json: pr must be a whole number >= 1, not ${JSON.stringify(meta.pr)}`);
  if (typeof meta.head_sha !== 'string' || !/^[0-9a-f]{40}$/.test(meta.head_sha))
    throw new Refused('meta.json: head_sha must be 40 lowercase hex digits');
  return { pr: meta.pr, headSha: meta.head_sha, comment: text['comment.md'] };
}

/** The trusted facts of the workflow_run event. */
export function readEvent(path) {
  const ev = JSON.parse(readFileSync(path, 'utf8'));
  const run = ev.workflow_run;
  if (!run || run.event !== 'pull_request') throw new Refused('not a workflow_run of a pull_request workflow');
  return {
    runId: run.id,
    runUrl: run.html_url,
    headSha: run.head_sha,
    headRepo: run.head_repository?.full_name,
    // empty for pull requests from forks: then the pull request itself is checked below
    prs: (run.pull_requests ?? []).map((p) => p.number),
  };
}

/** The comment body: our marker, the report with anything that could impersonate or notify neutralised, a fixed footer. */
export function commentBody(report, event) {
  const text = report
    .replaceAll(MARKER, '')
    .replace(/\r\n?/g, '\n')
    // an HTML comment (the report never needs one) could hide the footer: shown as text
    .replaceAll('<!--', '&lt;!--')
    // no @mentions or team notifications from the bot: a word joiner after @
    .replace(/@(?=[A-Za-z0-9_-])/g, '@\u2060');
  // The footer must stay visible: an unclosed fence is closed.
  let fence = '';
  for (const line of text.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (!m) continue;
    if (!fence) fence = m[1];
    else if (m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1]) fence = '';
  }
  // nor may an unclosed fence or <details> swallow it: close them
  const opened = (text.match(/<details\b/gi) ?? []).length - (text.match(/<\/details>/gi) ?? []).length;
  const closers = [...(fence ? [fence] : []), ...Array(Math.max(0, opened)).fill('</details>')];
  const footer = `---\n<sub>Posted by the spec review workflow for ${event.headSha.slice(0, 7)} ([run](${event.runUrl})). The text above was produced by the pull request's own code; it is shown, not vouched for.</sub>`;
  return [MARKER, text.trim(), ...closers, footer].join('\n\n') + '\n';
}

function gh(args, input) {
  return execFileSync('gh', args, {
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

function ghJson(args) {
  return JSON.parse(gh(['api', ...args]));
}

/** This workflow's previous comment on the pull request, by marker and author. */
export function findOwnComment(repo, pr) {
  for (let page = 1; page <= 50; page++) {
    const comments = ghJson([`repos/${repo}/issues/${pr}/comments?per_page=100&page=${page}`]);
    const own = comments.find((c) => c.user?.login === BOT && typeof c.body === 'string' && c.body.startsWith(MARKER));
    if (own) return own.id;
    if (comments.length < 100) return undefined;
  }
  return undefined;
}

export function main(argv = process.argv.slice(2), env = process.env, log = console.log) {
  const [dir] = argv;
  const repo = env.GITHUB_REPOSITORY ?? '';
  if (!dir || !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo) || !env.GITHUB_EVENT_PATH) {
    log('usage: GITHUB_REPOSITORY=owner/name GITHUB_EVENT_PATH=event.json post-comment.mjs <artifact dir>');
    return 2;
  }
  try {
    const event = readEvent(env.GITHUB_EVENT_PATH);
    const art = readArtifact(dir);
    if (art.headSha !== event.headSha)
      throw new Refused(`the artifact is for commit ${art.headSha}, the run for ${event.headSha}`);
    if (event.prs.length && !event.prs.includes(art.pr))
      throw new Refused(
        `the artifact names pull request #${art.pr}; the run belongs to ${event.prs.map((n) => `#${n}`).join(', ')}`,
      );
    // Fork pull requests have an empty pull_requests list: ask GitHub which commit the named pull request is at.
    const pull = ghJson([`repos/${repo}/pulls/${art.pr}`]);
    if (pull.head?.sha !== event.headSha || (event.headRepo && pull.head?.repo?.full_name !== event.headRepo)) {
      log(
        `skipped: pull request #${art.pr} is now at ${pull.head?.sha ?? '?'}, this run reviewed ${event.headSha} (a newer run will comment)`,
      );
      return 0;
    }
    if (pull.state !== 'open') {
      log(`skipped: pull request #${art.pr} is ${pull.state}`);
      return 0;
    }
    const tmp = mkdtempSync(join(tmpdir(), 'spec-review-'));
    try {
      const input = join(tmp, 'body.json');
      writeFileSync(input, JSON.stringify({ body: commentBody(art.comment, event) }));
      const id = findOwnComment(repo, art.pr);
      if (id !== undefined) {
        gh(['api', '-X', 'PATCH', `repos/${repo}/issues/comments/${id}`, '--input', input]);
        log(`updated comment ${id} on #${art.pr}`);
      } else {
        gh(['api', '-X', 'POST', `repos/${repo}/issues/${art.pr}/comments`, '--input', input]);
        log(`created a comment on #${art.pr}`);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    return 0;
  } catch (e) {
    if (!(e instanceof Refused) && !(e instanceof SyntaxError)) throw e;
    log(`refused: ${e.message}`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main();
