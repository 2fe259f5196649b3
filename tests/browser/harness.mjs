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
import { HtmlValidate } from 'html-validate';

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

export async function startServer(db, env = {}) {
  for (let attempt = 0; attempt < 5; ++attempt) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(binary, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`],
                        // Every registration of a suite comes from this one address: the
                        // per-client limit (tested over HTTP) is off.
                        { env: { ...process.env, RENCONTRES_SERVER_PUBLIC_BASE_URL: base,
                                 RENCONTRES_REGISTRATIONS_MAX_PER_CLIENT: '0', ...env },
                          stdio: ['ignore', 'pipe', 'inherit'] });
    if (await listening(child, port)) return { child, base };
    child.kill('SIGKILL');
  }
  throw new Error('the server never started listening');
}

const tools = new URL('../tools/', import.meta.url).pathname;

// A real SMTP server (tests/tools/smtp_server.py, with Debian's python3-aiosmtpd) saving what it receives in `maildir`; its port.
function startSmtp(maildir) {
  const child = spawn('/usr/bin/python3', [join(tools, 'smtp_server.py'), maildir],
                      { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      const m = /smtp listening on 127\.0\.0\.1:(\d+)/.exec(String(chunk));
      if (m) resolve({ child, port: m[1] });
    });
    child.once('exit', () => reject(new Error('the SMTP server did not start')));
  });
}

// The server and the browser; `close()` stops both and removes the database. `accounts` are made
// as the operator makes them, on the command line: [{ email, password, role }]. With `smtp`, the
// server sends its email to a test SMTP server, read with `mailTo`.
export async function startSite({ accounts = [], smtp = false } = {}) {
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
  const maildir = join(work, 'mail');
  const mail = smtp ? await startSmtp(maildir) : null;
  const { child, base } = await startServer(db, mail ? {
    RENCONTRES_SMTP_URL: `smtp://127.0.0.1:${mail.port}`, RENCONTRES_SMTP_TLS: 'none',
    RENCONTRES_SMTP_FROM: 'Rencontres <rencontres@example.org>',
    RENCONTRES_OUTBOX_POLL_INTERVAL_MS: '50',
  } : {});
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
    // The newest message to `to` whose subject matches, as a mail reader decodes it
    // (tests/tools/read_mail.py): { subject, text, ... }. Waits for it up to 10 s.
    async mailTo(to, subject) {
      for (let i = 0; i < 200; ++i) {
        const all = JSON.parse(execFileSync('/usr/bin/python3', [join(tools, 'read_mail.py'), maildir],
                                            { encoding: 'utf8' }));
        const found = all.filter((m) => m.to.includes(to) && subject.test(m.subject)).pop();
        if (found) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no message to ${to} matching ${subject}`);
    },
    async close() {
      await browser.close();
      child.kill('SIGTERM');
      if (mail) mail.child.kill('SIGTERM');
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

const validator = new HtmlValidate({ extends: ['html-validate:standard'] });

// No axe-core violation, and valid HTML (the page as the browser holds it).
export async function accessibleAndValid(page, name) {
  assert.deepEqual(await axeViolations(page), [], `axe on ${name}`);
  const report = await validator.validateString(await page.content());
  assert.ok(report.valid, `${name}: ${JSON.stringify(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} ${m.message} l.${m.line}`)))}`);
}

// The same, and nothing that scrolls sideways on a 320 px phone.
export async function clean(page, name) {
  const viewport = page.viewport();
  await page.setViewport({ width: 320, height: 640 });
  if (await scrollsSideways(page)) {
    const wide = await page.evaluate(() => [...document.querySelectorAll('main *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .slice(0, 5).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`));
    assert.fail(`${name} scrolls sideways at 320 px: ${wide.join(', ')}`);
  }
  await page.setViewport(viewport);
  await accessibleAndValid(page, name);
}

// Submits the form of `button` from the keyboard (focus, Enter); the response.
export async function submitWith(page, button) {
  await page.focus(button);
  return pressAndWait(page);
}
