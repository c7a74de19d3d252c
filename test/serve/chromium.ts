// Which Chromium the browser tests drive, so that `npm test` runs on a fresh machine with
// nothing installed by hand:
//   1. CHROMIUM_PATH, when set (any Chromium or Chrome binary);
//   2. Debian's /usr/bin/chromium, when installed;
//   3. @sparticuz/chromium (a devDependency that ships a headless Chromium inside the npm
//      package; unpacked into the temp folder on first use).
// The flags keep Chromium from dialling hosts this machine cannot reach (ENGINE-NOTES.md).
import { existsSync } from 'node:fs';

export const BASE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export interface ChromiumChoice {
  executablePath: string;
  args: string[];
  /** Where it came from, for the test log. */
  source: string;
}

export async function chooseChromium(): Promise<ChromiumChoice> {
  const env = process.env.CHROMIUM_PATH;
  if (env) {
    if (!existsSync(env)) throw new Error(`CHROMIUM_PATH=${env} does not exist`);
    return { executablePath: env, args: BASE_FLAGS, source: `CHROMIUM_PATH (${env})` };
  }
  if (existsSync('/usr/bin/chromium'))
    return { executablePath: '/usr/bin/chromium', args: BASE_FLAGS, source: "Debian's chromium (/usr/bin/chromium)" };
  const { default: packaged } = await import('@sparticuz/chromium');
  const executablePath = await packaged.executablePath();
  // Its own flags (single-process, swiftshader, ...) plus ours; --headless='shell' replaces --headless.
  const args = [...packaged.args, ...BASE_FLAGS.filter((f) => f !== '--headless')];
  return { executablePath, args, source: `@sparticuz/chromium (${executablePath})` };
}
