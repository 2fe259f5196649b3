// The contract's machine form, as the server serves it at GET /openapi.json, is lint-clean for
// Redocly CLI's recommended rules (tests/contract/redocly.yaml): no error and no warning.
// Environment: RENCONTRES_BIN (the server binary).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../browser/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));

test('the served OpenAPI document has no Redocly error or warning', async () => {
  const work = mkdtempSync(join(tmpdir(), 'rencontres-lint-'));
  const db = join(work, 'lint.db');
  execFileSync(process.env.RENCONTRES_BIN, ['migrate', '--db', db]);
  const { child, base } = await startServer(db);
  try {
    const served = await fetch(base + '/openapi.json');
    assert.equal(served.status, 200);
    const file = join(work, 'openapi.json');
    writeFileSync(file, await served.text());
    let output;
    try {
      output = execFileSync(join(here, 'node_modules/.bin/redocly'),
                            ['lint', file, '--format=json', '--config', join(here, 'redocly.yaml')],
                            { cwd: here, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (failed) {
      output = failed.stdout;  // errors make redocly exit with 1; its report is still on stdout
    }
    const report = JSON.parse(output.toString());
    const problems = report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    assert.deepEqual(problems, []);
    assert.deepEqual([report.totals.errors, report.totals.warnings], [0, 0]);
  } finally {
    child.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
});
