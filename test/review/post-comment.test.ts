// scripts/review/post-comment.mjs (the privileged workflow_run half) run as a process with a
// fake `gh` first on PATH: it records every call and keeps the pull request's comments in a
// state file, so the test sees one comment created and then updated, and nothing posted when
// the artifact or the event is refused.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '../../scripts/review/post-comment.mjs');
const REPO = 'octo/mmoe';
const SHA = 'a'.repeat(40);
const MARKER = '<!-- mmoe-compile spec review -->';

// The fake gh: `gh api [-X METHOD] <path> [--input file]`, against a JSON state file.
const FAKE_GH = `#!/usr/bin/env node
const fs = require('node:fs');
const file = process.env.FAKE_GH_STATE;
const st = JSON.parse(fs.readFileSync(file, 'utf8'));
const args = process.argv.slice(2);
st.calls.push(args);
const save = () => fs.writeFileSync(file, JSON.stringify(st));
const method = args.includes('-X') ? args[args.indexOf('-X') + 1] : 'GET';
const path = args.find((a) => a.startsWith('repos/'));
const input = args.includes('--input') ? JSON.parse(fs.readFileSync(args[args.indexOf('--input') + 1], 'utf8')) : undefined;
let m;
if (args[0] !== 'api') { save(); process.exit(1); }
if (method === 'GET' && (m = /^repos\\/[^/]+\\/[^/]+\\/pulls\\/(\\d+)$/.exec(path))) { save(); console.log(JSON.stringify(st.pull)); }
else if (method === 'GET' && (m = /\\/issues\\/(\\d+)\\/comments\\?per_page=(\\d+)&page=(\\d+)$/.exec(path))) {
  const per = +m[2], page = +m[3];
  save(); console.log(JSON.stringify(st.comments.slice((page - 1) * per, page * per)));
} else if (method === 'POST' && /\\/issues\\/\\d+\\/comments$/.test(path)) {
  const c = { id: 1000 + st.comments.length, user: { login: 'github-actions[bot]' }, body: input.body };
  st.comments.push(c); save(); console.log(JSON.stringify(c));
} else if (method === 'PATCH' && (m = /\\/issues\\/comments\\/(\\d+)$/.exec(path))) {
  const c = st.comments.find((x) => x.id === +m[1]);
  c.body = input.body; save(); console.log(JSON.stringify(c));
} else { save(); console.error('fake gh: unexpected call ' + args.join(' ')); process.exit(1); }
`;

interface State {
  calls: string[][];
  comments: { id: number; user: { login: string }; body: string }[];
  pull: unknown;
}

function setup(opts: { comments?: State['comments']; pull?: unknown; event?: unknown } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'post-comment-'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'gh'), FAKE_GH);
  chmodSync(join(dir, 'bin', 'gh'), 0o755);
  const state: State = {
    calls: [],
    comments: opts.comments ?? [],
    pull: opts.pull ?? { state: 'open', head: { sha: SHA, repo: { full_name: 'fork/mmoe' } } },
  };
  writeFileSync(join(dir, 'state.json'), JSON.stringify(state));
  // a fork pull request: workflow_run.pull_requests is empty
  const event = opts.event ?? {
    workflow_run: {
      id: 77,
      event: 'pull_request',
      html_url: 'https://github.com/octo/mmoe/actions/runs/77',
      head_sha: SHA,
      head_repository: { full_name: 'fork/mmoe' },
      pull_requests: [],
    },
  };
  writeFileSync(join(dir, 'event.json'), JSON.stringify(event));
  const art = join(dir, 'artifact');
  mkdirSync(art);
  return { dir, art };
}

function writeArtifact(art: string, comment: string, meta: unknown = { pr: 12, head_sha: SHA }) {
  writeFileSync(join(art, 'comment.md'), comment);
  writeFileSync(join(art, 'meta.json'), typeof meta === 'string' ? meta : JSON.stringify(meta));
}

function post(dir: string, art: string) {
  const r = spawnSync(process.execPath, [SCRIPT, art], {
    encoding: 'utf8',
    env: {
      PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
      FAKE_GH_STATE: join(dir, 'state.json'),
      GITHUB_REPOSITORY: REPO,
      GITHUB_EVENT_PATH: join(dir, 'event.json'),
    },
  });
  const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as State;
  return { status: r.status, out: r.stdout + r.stderr, state };
}

describe('post-comment.mjs', () => {
  it('creates one comment, then updates that same comment (a fork pull request)', () => {
    const other = { id: 5, user: { login: 'alice' }, body: `${MARKER}\nquoted by a human` };
    const { dir, art } = setup({ comments: [other] });
    writeArtifact(art, '## Spec review\n\nfirst push\n');
    const first = post(dir, art);
    expect(first.out).toContain('created a comment on #12');
    expect(first.status).toBe(0);
    expect(first.state.comments).toHaveLength(2);
    const mine = first.state.comments[1];
    expect(mine.body.startsWith(`${MARKER}\n\n## Spec review\n\nfirst push\n\n---\n<sub>`)).toBe(true);
    expect(first.state.calls.map((c) => c.slice(0, 3).join(' '))).toEqual([
      `api repos/${REPO}/pulls/12`,
      `api repos/${REPO}/issues/12/comments?per_page=100&page=1`,
      `api -X POST`,
    ]);

    writeArtifact(art, '## Spec review\n\nsecond push\n');
    const second = post(dir, art);
    expect(second.out).toContain(`updated comment ${mine.id} on #12`);
    expect(second.state.comments).toHaveLength(2);
    expect(second.state.comments[0]).toEqual(other); // a human's comment with the marker is not ours
    expect(second.state.comments[1].id).toBe(mine.id);
    expect(second.state.comments[1].body).toContain('second push');
    expect(second.state.comments[1].body).not.toContain('first push');
    expect(second.state.calls.at(-1)!.slice(0, 4)).toEqual([
      'api',
      '-X',
      'PATCH',
      `repos/${REPO}/issues/comments/${mine.id}`,
    ]);
  });

  it('finds its comment on a later page', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, user: { login: 'bob' }, body: `comment ${i}` }));
    many[120] = { id: 121, user: { login: 'github-actions[bot]' }, body: `${MARKER}\nold` };
    const { dir, art } = setup({ comments: many });
    writeArtifact(art, 'new\n');
    const r = post(dir, art);
    expect(r.out).toContain('updated comment 121 on #12');
    expect(r.state.comments).toHaveLength(150);
  });

  it('neutralises mentions, removes a forged marker and closes an unclosed fence before its footer', () => {
    const { dir, art } = setup();
    writeArtifact(art, `hi @maintainer\n${MARKER}\n\`\`\`\`text\nopen fence\n`);
    const body = post(dir, art).state.comments[0].body;
    expect(body.split(MARKER)).toHaveLength(2);
    expect(body).toContain('hi @\u2060maintainer');
    expect(body).toMatch(/open fence\n\n````\n\n---\n<sub>Posted by the spec review workflow for aaaaaaa /);
  });

  it('shows an HTML comment as text and closes an open <details>, so the footer stays visible', () => {
    const { dir, art } = setup();
    writeArtifact(art, '<details><summary>s</summary>\n\nhidden? <!-- the rest\n');
    const body = post(dir, art).state.comments[0].body;
    expect(body.indexOf('<!--')).toBe(0); // our marker only
    expect(body).toContain('hidden? &lt;!-- the rest\n\n</details>\n\n---\n<sub>Posted');
  });

  const refusals: [string, (art: string) => void, RegExp][] = [
    [
      'a PR number that is not an integer',
      (art) => writeArtifact(art, 'x', { pr: '12; rm -rf /', head_sha: SHA }),
      /pr must be a whole number/,
    ],
    [
      'a fractional PR number',
      (art) => writeArtifact(art, 'x', { pr: 12.5, head_sha: SHA }),
      /pr must be a whole number/,
    ],
    [
      'extra keys in meta.json',
      (art) => writeArtifact(art, 'x', { pr: 12, head_sha: SHA, token: 'x' }),
      /nothing else/,
    ],
    ['meta.json that is not JSON', (art) => writeArtifact(art, 'x', '{pr: 12'), /not JSON/],
    [
      "a commit other than the run's",
      (art) => writeArtifact(art, 'x', { pr: 12, head_sha: 'b'.repeat(40) }),
      /is for commit b{40}, the run for a{40}/,
    ],
    [
      'an unexpected file',
      (art) => (writeArtifact(art, 'x'), writeFileSync(join(art, 'evil.sh'), 'x')),
      /exactly comment\.md and meta\.json/,
    ],
    ['a missing file', (art) => writeFileSync(join(art, 'comment.md'), 'x'), /exactly comment\.md and meta\.json/],
    [
      'an oversized comment',
      (art) => writeArtifact(art, 'x'.repeat(60_001)),
      /comment\.md in the artifact has 60001 bytes, over the cap of 60000/,
    ],
    [
      'a symlink instead of a file',
      (art) => (
        writeFileSync(join(art, 'meta.json'), JSON.stringify({ pr: 12, head_sha: SHA })),
        symlinkSync('/etc/hostname', join(art, 'comment.md'))
      ),
      /comment\.md in the artifact is not a regular file/,
    ],
  ];
  for (const [what, make, message] of refusals) {
    it(`refuses ${what}, posting nothing`, () => {
      const { dir, art } = setup();
      make(art);
      const r = post(dir, art);
      expect(r.status).toBe(1);
      expect(r.out).toMatch(message);
      expect(r.state.calls.filter((c) => c.includes('-X'))).toEqual([]);
      expect(r.state.comments).toEqual([]);
    });
  }

  it('refuses a PR number that the run does not belong to (same-repository pull request)', () => {
    const event = {
      workflow_run: {
        id: 1,
        event: 'pull_request',
        html_url: 'u',
        head_sha: SHA,
        head_repository: { full_name: REPO },
        pull_requests: [{ number: 7 }],
      },
    };
    const { dir, art } = setup({ event });
    writeArtifact(art, 'x');
    const r = post(dir, art);
    expect(r.status).toBe(1);
    expect(r.out).toContain('the artifact names pull request #12; the run belongs to #7');
    expect(r.state.calls).toEqual([]);
  });

  it('skips, posting nothing, when the named pull request is at another commit (fork: pull_requests empty)', () => {
    const { dir, art } = setup({
      pull: { state: 'open', head: { sha: 'c'.repeat(40), repo: { full_name: 'fork/mmoe' } } },
    });
    writeArtifact(art, 'x');
    const r = post(dir, art);
    expect(r.status).toBe(0);
    expect(r.out).toContain(`skipped: pull request #12 is now at ${'c'.repeat(40)}`);
    expect(r.state.calls).toHaveLength(1);
  });

  it('refuses an event that is not a pull_request run', () => {
    const { dir, art } = setup({ event: { workflow_run: { event: 'push', head_sha: SHA } } });
    writeArtifact(art, 'x');
    const r = post(dir, art);
    expect(r.status).toBe(1);
    expect(r.out).toContain('not a workflow_run of a pull_request workflow');
    expect(r.state.calls).toEqual([]);
  });
});
