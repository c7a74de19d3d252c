// Runs once before the test workers start. Without CHROMIUM_PATH or Debian's chromium, the browser
// tests use @sparticuz/chromium, which unpacks its binary into the temp folder on first use: do it
// here, once, so that two browser test files starting in parallel do not unpack it at the same time.
import { existsSync } from 'node:fs';

export default async function setup(): Promise<void> {
  if (process.env.CHROMIUM_PATH || existsSync('/usr/bin/chromium')) return;
  const { default: packaged } = await import('@sparticuz/chromium');
  await packaged.executablePath();
}
