// What every browser journey file runs on: the real `cncl` binary serving a fresh SQLite file
// with the demo data, Debian's headless Chromium, and the office signed in.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

// Node.js 18 (Debian 12's) has no import.meta.dirname.
export const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const binary = process.env.CNCL_BIN ?? join(root, 'target', 'debug', 'cncl');
const chromiumPath = process.env.CNCL_CHROMIUM ?? '/usr/bin/chromium';
export const newPassword = 'a long office password';

let server;
export let base;
let oneTimePassword;
let browser;
export let dir;

/** Start `cncl serve --demo` on a free loopback port; resolve once it prints its address. */
function startServer() {
  dir = mkdtempSync(join(tmpdir(), 'cncl-e2e-'));
  const env = { ...process.env, CNCL_LOG: 'warn' };
  delete env.CNCL_ADMIN_PASSWORD;
  delete env.CNCL_DATABASE;
  server = spawn(binary, ['serve', '--demo', '--listen', '127.0.0.1:0', '--database', join(dir, 'office.db')], { env });
  return new Promise((ready, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`cncl did not start: ${out}`)), 60_000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const password = out.match(/one-time password (\w+)/);
      const address = out.match(/serving (http:\/\/127\.0\.0\.1:\d+)\//);
      if (password && address) {
        clearTimeout(timer);
        oneTimePassword = password[1];
        base = address[1];
        ready();
      }
    });
    server.on('exit', (code) => fail(new Error(`cncl exited with ${code}: ${out}`)));
  });
}

/** RFC 6238 code for a base32 secret, as an authenticator app computes it. */
export function totp(secret, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

before(async () => {
  await startServer();
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A page in a fresh browser context, failing the test on any script error. */
export async function freshPage(options = {}) {
  const context = await browser.newContext({ baseURL: base, locale: 'vi-VN', ...options });
  const page = await context.newPage();
  page.on('pageerror', (error) => assert.fail(`script error: ${error}`));
  return page;
}

/** The office signs in the first time: the printed password, a new one, then TOTP. */
let office;
/** The office's TOTP secret, for signing in again. */
export let officeSecret;
export async function signedInOffice() {
  if (office) return office;
  const page = await freshPage();
  await page.goto('/login');
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', oneTimePassword);
  await page.click('form.sign-in button[type=submit]');
  await page.waitForURL('**/password');
  await page.fill('input[name=current]', oneTimePassword);
  await page.fill('input[name=new]', newPassword);
  await page.fill('input[name=repeat]', newPassword);
  await page.click('form.sign-in button[type=submit]');
  await page.waitForURL('**/totp');
  const secret = await page.textContent('code.secret');
  officeSecret = secret;
  await page.fill('input[name=code]', totp(secret));
  await page.click('form.sign-in button[type=submit]');
  await page.waitForURL((url) => !url.pathname.startsWith('/totp'));
  assert.match(await page.textContent('header.site'), /Văn phòng|admin/);
  office = page;
  return page;
}


/** `cncl` on the server's database, as the office runs it beside the server. */
export function cncl(...args) {
  const run = spawnSync(binary, [...args, '--database', join(dir, 'office.db')], {
    env: { ...process.env, CNCL_LOG: 'warn' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `cncl ${args.join(' ')}: ${run.stdout}${run.stderr}`);
  return run.stdout;
}

/** A first sign-in: the one-time password, a new one, then TOTP where the role needs it. */
export async function signIn(username, password, options = {}) {
  const page = await freshPage(options);
  await page.goto('/login');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('form.sign-in button[type=submit]');
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  if (new URL(page.url()).pathname.startsWith('/password')) {
    await page.fill('input[name=current]', password);
    await page.fill('input[name=new]', newPassword);
    await page.fill('input[name=repeat]', newPassword);
    await page.click('form.sign-in button[type=submit]');
    await page.waitForURL((url) => !url.pathname.startsWith('/password'));
  }
  if (new URL(page.url()).pathname.startsWith('/totp')) {
    const secret = await page.textContent('code.secret');
    await page.fill('input[name=code]', totp(secret));
    await page.click('form.sign-in button[type=submit]');
    await page.waitForURL((url) => !url.pathname.startsWith('/totp'));
  }
  return page;
}
