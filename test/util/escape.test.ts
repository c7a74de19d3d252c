// The escapers, against hand-written expected strings (src/util/escape.ts).
import { describe, expect, it } from 'vitest';
import {
  dotString,
  githubData,
  githubProperty,
  mdCode,
  mdFence,
  mdText,
  mermaidText,
  quote,
  visible,
  xmlText,
} from '../../src/util/escape.js';

describe('visible', () => {
  it('shows line breaks, controls, separators and bidi overrides as escapes', () => {
    expect(visible('a\nb\r\tc')).toBe('a\\nb\\r\\tc');
    expect(visible('x\u2028y\u2029z')).toBe('x\\u2028y\\u2029z');
    expect(visible('\u0000\u001b[31m\u007f\u0085')).toBe('\\u0000\\u001b[31m\\u007f\\u0085');
    expect(visible('evil\u202Etxt.exe\u2066')).toBe('evil\\u202etxt.exe\\u2066');
    expect(visible('\ufeffbom')).toBe('\\ufeffbom');
  });
  it('keeps printable text, including non-Latin letters and paired surrogates', () => {
    expect(visible('Müller ≥50K 日本 😀 `|<>')).toBe('Müller ≥50K 日本 😀 `|<>');
  });
  it('shows unpaired surrogates', () => {
    expect(visible('a\ud800b')).toBe('a\\ud800b');
    expect(visible('a\udc00')).toBe('a\\udc00');
  });
  it('quote wraps in double quotes with \\ and " escaped', () => {
    expect(quote('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
  });
});

describe('Markdown', () => {
  it('mdText escapes structure and markup characters', () => {
    expect(mdText('a|b')).toBe('a\\|b');
    expect(mdText('<script>alert(1)</script>')).toBe('\\<script\\>alert(1)\\</script\\>');
    expect(mdText('[LGTM](http://x)')).toBe('\\[LGTM\\](http://x)');
    expect(mdText('``` **b** ~~s~~ # h')).toBe('\\`\\`\\` \\*\\*b\\*\\* \\~\\~s\\~\\~ \\# h');
    expect(mdText('a\\b &amp; &#10;')).toBe('a\\\\b &amp;amp; &amp;\\#10;');
    expect(mdText('line\n## LGTM')).toBe('line\\\\n\\#\\# LGTM');
  });
  it('mdText leaves intraword underscores alone and escapes the others', () => {
    expect(mdText('ctr_gate')).toBe('ctr_gate');
    expect(mdText('_x_ and y_')).toBe('\\_x\\_ and y\\_');
    expect(mdText('__init__ a__b')).toBe('\\_\\_init\\_\\_ a\\_\\_b');
  });
  it('mdCode uses a backtick run longer than any inside, pads edge backticks, escapes pipes', () => {
    expect(mdCode('configs/a.yaml')).toBe('`configs/a.yaml`');
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('x```y')).toBe('````x```y````');
    expect(mdCode('`a')).toBe('`` `a ``');
    expect(mdCode('a|b\nc')).toBe('`a\\|b\\nc`');
    expect(mdCode('<script>')).toBe('`<script>`');
  });
  it('mdFence opens and closes with a fence longer than any backtick run in the content', () => {
    expect(mdFence('plain', 'text')).toBe('```text\nplain\n```');
    expect(mdFence('a\n```\nLGTM\n', 'text')).toBe('````text\na\n```\nLGTM\n````');
    expect(mdFence('`````')).toBe('``````\n`````\n``````');
  });
});

describe('Mermaid, DOT, XML', () => {
  it('mermaidText uses entity codes for label-ending and markup characters', () => {
    expect(mermaidText('a"]] --> b')).toBe('a#quot;]] --#gt; b');
    expect(mermaidText('#amp; & <b> `md` |x|')).toBe('#35;amp; #amp; #lt;b#gt; #96;md#96; #124;x#124;');
    expect(mermaidText('x\ny')).toBe('x\\ny');
  });
  it('dotString escapes quotes, backslashes and entities, joins lines with DOT line breaks', () => {
    expect(dotString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(dotString('one', 'two & <three>')).toBe('"one\\ntwo &amp; <three>"');
    expect(dotString('x\ny')).toBe('"x\\\\ny"');
  });
  it('xmlText escapes markup characters and shows invisible ones', () => {
    expect(xmlText(`<a href="x" b='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; b=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(xmlText('a\u0001b\u2028')).toBe('a\\u0001b\\u2028');
  });
});

describe('GitHub workflow commands', () => {
  it('escapes %, CR and LF in data; also : and , in properties', () => {
    expect(githubData('50%\r\n::error::x')).toBe('50%25%0D%0A::error::x');
    expect(githubData('%0A')).toBe('%250A');
    expect(githubData('a\u2028b\u2029')).toBe('a\\u2028b\\u2029');
    expect(githubProperty('a:b,c%d\ne')).toBe('a%3Ab%2Cc%25d%0Ae');
  });
});
