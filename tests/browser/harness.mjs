// What the browser tests share: a server of their own on a free port with a fresh database
// (migrated, the demo loaded, an admin made), Debian's Chromium driven by puppeteer-core, and
// keyboard helpers. Environment: RENCONTRES_BIN (the server binary), SCREENSHOT_DIR (where
// screenshots go), CHROMIUM (default /usr/bin/chromium).
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import puppeteer from 'puppeteer-core';

const require = createRequire(import.meta.url);
export const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const shots = process.env.SCREENSHOT_DIR || tmpdir();
export const adminEmail = 'admin@example.org';
export const adminPassword = 'browser test password';
const binary = process.env.RENCONTRES_BIN;

// A port the kernel just handed out and took back: other tests' servers run at the same time, so
// a port picked at random may be taken. Should the server still lose the race, it exits instead of
// printing that it listens, and another port is tried.
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function listening(child, port) {
  return new Promise((resolve) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      if (output === null) return;  // the access log that follows is not kept
      output += chunk;
      if (output.includes(`listening on 127.0.0.1:${port}`)) { output = null; resolve(true); }
    });
    child.once('exit', () => resolve(false));
    setTimeout(() => resolve(false), 10000);
  });
}

export async function startServer(db) {
  for (let attempt = 0; attempt < 5; ++attempt) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(binary, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`],
                        // Every registration of a suite comes from this one address: the
                        // per-client limit (tested over HTTP) is off.
                        { env: { ...process.env, RENCONTRES_SERVER_PUBLIC_BASE_URL: base,
                                 RENCONTRES_REGISTRATIONS_MAX_PER_CLIENT: '0' },
                          stdio: ['ignore', 'pipe', 'inherit'] });
    if (await listening(child, port)) return { child, base };
    child.kill('SIGKILL');
  }
  throw new Error('the server never started listening');
}

// The server and the browser; `close()` stops both and removes the database. `accounts` are made
// as the operator makes them, on the command line: [{ email, password, role }].
export async function startSite({ accounts = [] } = {}) {
  mkdirSync(shots, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'rencontres-browser-'));
  const db = join(work, 'site.db');
  execFileSync(binary, ['migrate', '--db', db]);
  execFileSync(binary, ['demo', 'load', '--db', db]);
  execFileSync(binary, ['admin', 'create', '--db', db, '--email', adminEmail],
               { input: adminPassword + '\n' });
  for (const a of accounts)
    execFileSync(binary, ['account', 'create', '--db', db, '--email', a.email, '--role', a.role,
                          '--name', a.name || a.email], { input: a.password + '\n' });
  const { child, base } = await startServer(db);
  const login = await fetch(base + '/v1/auth/token', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: adminEmail, password: adminPassword }),
  });
  const token = (await login.json()).token;
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--lang=fr-FR', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--disable-dev-shm-usage'],
  });
  return {
    base, browser, token,
    // A call to the JSON API as the admin; the parsed body.
    async api(method, path, body, auth = true) {
      const headers = { 'Content-Type': 'application/json' };
      if (auth) headers.Authorization = `Bearer ${token}`;
      const r = await fetch(base + path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : null;
    },
    // `isolated`: a page with cookies of its own (another person signed in beside the others).
    async newPage({ javascript = true, width = 1280, height = 900, isolated = false } = {}) {
      const page = isolated ? await (await browser.createBrowserContext()).newPage()
                            : await browser.newPage();
      await page.setJavaScriptEnabled(javascript);
      await page.setViewport({ width, height });
      return page;
    },
    async close() {
      await browser.close();
      child.kill('SIGTERM');
      rmSync(work, { recursive: true, force: true });
    },
  };
}

// Keyboard only: focus moves with Tab until `selector` has it.
export async function tabTo(page, selector) {
  for (let i = 0; i < 120; ++i) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector).catch(() => false))
      return;
  }
  throw new Error(`focus never reached ${selector}`);
}

export async function focusAndType(page, selector, text) {
  await page.focus(selector);
  await page.keyboard.down('Control'); await page.keyboard.press('A'); await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  if (text) await page.keyboard.type(text);
}

// Presses a key and waits for the page it leads to; its response.
export async function pressAndWait(page, key = 'Enter') {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
                                        page.keyboard.press(key)]);
  return response;
}

export const text = (page) => page.$eval('main', (m) => m.innerText);

// axe-core's violations on the page, as "rule: targets" lines (none is the aim).
export async function axeViolations(page) {
  // Runtime.evaluate is not subject to the page's CSP, which forbids every script.
  await page.evaluate(axeSource);
  const results = await page.evaluate(() => axe.run(document));
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`);
}

export async function scrollsSideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}
