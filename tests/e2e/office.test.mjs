// The office's daily UI in Debian's headless Chromium, in Vietnamese and English, at 1400 px
// and 400 px wide: the dashboard, a product page with its bill-of-materials tree, an evidence
// table, a form that survives an expired session, a reporter's home, the account pages; and
// axe-core (WCAG 2.1 AA) on every page with no serious or critical violation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cncl, root, signIn } from './harness.mjs';

const axeScript = join(root, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js');
const widths = [1400, 400];
const languages = ['vi', 'en'];

/** Serious and critical WCAG 2.1 A/AA violations on the page shown, as readable lines. */
async function violations(page) {
  await page.addScriptTag({ path: axeScript });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/** Nothing wider than the window: tables scroll in their own box. */
async function fitsTheWindow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

const pages = ['/', '/scorecard', '/scorecard/uav/C2', '/scorecard/llm/C1a', '/products/llm', '/tasks', '/funding',
  '/governance', '/compliance', '/reports', '/records', '/records/tasks', '/records/budget-lines/new', '/audit',
  '/accounts', '/imports', '/criteria-sets', '/notifications', '/products/amr/localisation', '/no-such-page'];

/** A member of the Task Force signed in, in a context that lets axe-core's script in. */
async function taskForceForAxe() {
  const created = cncl('user', 'add', 'to-cong-tac', '--role', 'task_force', '--name', 'Tổ công tác');
  const password = created.match(/one-time password: (\S+)/)[1];
  return signIn('to-cong-tac', password, { bypassCSP: true });
}

test('axe-core finds no serious or critical violation on any page, in either language, at either width', async () => {
  const office = await taskForceForAxe();
  const found = [];
  for (const width of widths) {
    await office.setViewportSize({ width, height: 900 });
    for (const lang of languages) {
      for (const path of pages) {
        await office.goto(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        for (const line of await violations(office)) found.push(`${width}px ${lang} ${path}: ${line}`);
        if (!(await fitsTheWindow(office))) found.push(`${width}px ${lang} ${path}: wider than the window`);
      }
    }
  }
  await office.setViewportSize({ width: 1400, height: 900 });
  assert.deepEqual(found, []);
});
