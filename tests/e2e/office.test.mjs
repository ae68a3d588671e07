// The office's daily UI in Debian's headless Chromium, in Vietnamese and English, at 1400 px
// and 400 px wide: the dashboard, a product page with its bill-of-materials tree, an evidence
// table, a form that survives an expired session, a reporter's home, the account pages; and
// axe-core (WCAG 2.1 AA) on every page with no serious or critical violation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cncl, dir, newPassword, officeSecret, root, signIn, signedInOffice, totp } from './harness.mjs';

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

const pages = ['/', '/records/product-models', '/scorecard', '/scorecard/uav/C2', '/scorecard/llm/C1a', '/products/llm', '/tasks', '/funding',
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

/** Each language at each width: the same journey, walked four times. */
async function everyWay(page, walk) {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    for (const lang of languages) {
      await page.goto(`/?lang=${lang}`);
      await walk(lang, width);
      assert.ok(await fitsTheWindow(page), `${lang} at ${width}px: nothing wider than the window`);
    }
  }
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/?lang=vi');
}

const words = {
  vi: { dashboard: 'Tổng quan', map: 'theo tỉnh, thành phố', bill: 'Định mức nguyên vật liệu', weight: 'trọng số', due: 'Báo cáo đến hạn trong tháng' },
  en: { dashboard: 'At a glance', map: 'by province', bill: 'Bill of materials', weight: 'weight', due: 'Reports due this month' },
};

test('the dashboard, a product page with its bill of materials, and an evidence table', async () => {
  const page = await signIn('to-cong-tac-2', oneTimeFor('to-cong-tac-2', 'task_force'));
  await everyWay(page, async (lang) => {
    const w = words[lang];
    await page.goto('/');
    assert.match(await page.textContent('#dashboard-heading'), new RegExp(w.dashboard));
    assert.equal(await page.locator('article.tile').count(), 6, 'six headline figures');
    assert.equal(await page.locator('svg.map path').count(), 34, 'the 34 provinces');
    assert.match(await page.textContent('#map-heading'), new RegExp(w.map));
    await page.click('article#tile-C1a tbody tr:first-child a');
    await page.waitForURL('**/scorecard/llm/C1a**');
    await page.goto('/products/llm');
    assert.match(await page.textContent('#bill'), new RegExp(w.bill));
    assert.ok(await page.locator('table.bill tr.depth-1').count() > 0, 'a tree of assemblies');
    assert.ok(await page.locator('svg.waterfall rect').count() >= 3, 'price, imports, value added');
    const second = page.locator('table.models a').nth(1);
    if (await second.count()) {
      await second.click();
      await page.waitForURL('**/products/llm?**model=**');
    }
    await page.goto('/scorecard/uav/C2');
    const rows = page.locator('table.evidence-table.denominator tbody tr');
    assert.equal(await rows.count(), 6, 'the six leaf technologies, named');
    assert.match(await rows.first().textContent(), new RegExp(w.weight));
  });
});

/** An account made on the command line, and its one-time password. */
const made = new Map();
function oneTimeFor(username, role, ...more) {
  if (!made.has(username)) {
    const out = cncl('user', 'add', username, '--role', role, ...more);
    made.set(username, out.match(/one-time password: (\S+)/)[1]);
  }
  return made.get(username);
}

/** The second factor again, in the next 30-second window if this one's code was used. */
async function secondFactor(page) {
  for (let attempt = 0; attempt < 2 && new URL(page.url()).pathname.startsWith('/totp'); attempt += 1) {
    if (attempt > 0) await page.waitForTimeout(30_000 - (Date.now() % 30_000) + 500);
    await page.fill('input[name=code]', totp(officeSecret));
    await page.click('form.sign-in button[type=submit]');
    await page.waitForLoadState();
  }
}

test('a form typed when the session expired comes back filled in after signing in again', async () => {
  const page = await signedInOffice();
  await everyWay(page, async (lang) => {
    await page.goto('/tasks');
    await page.click('text=LLM-05');
    await page.click('a.add[href*="budget-lines"]');
    await page.waitForURL('**/records/budget-lines/new**');
    await page.fill('input[name=year]', '2029');
    await page.selectOption('select[name=source]', 'private');
    await page.fill('input[name=amount_vnd]', '1.250.000');
    await page.context().clearCookies({ name: 'cncl_session' });
    await page.click('form.record button[type=submit]');
    // Answered in place (401) with the sign-in form, carrying what was typed.
    await page.waitForSelector('form.sign-in input[name=resume]', { state: 'attached' });
    assert.match(await page.textContent('[role=alert]'), lang === 'vi' ? /đăng nhập lại/ : /Sign in again/);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', newPassword);
    await page.click('form.sign-in button[type=submit]');
    await page.waitForURL('**/totp');
    await secondFactor(page);
    await page.waitForURL('**/records/budget-lines/new?**');
    assert.equal(await page.inputValue('input[name=year]'), '2029', 'what was typed');
    assert.equal(await page.inputValue('input[name=amount_vnd]'), '1.250.000');
  });
});

test('a reporter home: its tasks, the reports it owes with their due dates; the office pages not offered', async () => {
  const organisation = cncl('export', 'organisations', '--format', 'csv').split('\n')[2].split(/[,;]/).find((v) => /^\d{10}$/.test(v.replace(/"/g, '')));
  const page = await signIn('bao-cao-e2e', oneTimeFor('bao-cao-e2e', 'reporter', '--organisation', organisation.replace(/"/g, '')));
  await everyWay(page, async (lang) => {
    await page.goto('/');
    assert.ok(await page.locator('ul.own-tasks li').count() > 0, 'its tasks');
    assert.ok(await page.locator('section.owed tbody tr').count() > 0, 'the reports it owes');
    assert.equal(await page.locator('header.site a[href="/funding"]').count(), 0, 'no link it cannot open');
    const response = await page.goto('/funding');
    assert.equal(response.status(), 403);
    assert.match(await page.textContent('h1'), lang === 'vi' ? /Không có quyền truy cập/ : /Not allowed/);
  });
});

test('the account pages: add an account, its one-time password shown once; disable it after confirming', async () => {
  const page = await signedInOffice();
  let n = 0;
  await everyWay(page, async () => {
    n += 1;
    await page.goto('/accounts');
    await page.fill('form.account input[name=username]', `xem-${n}`);
    await page.fill('form.account input[name=display_name]', `Người xem ${n}`);
    await page.selectOption('form.account select[name=role]', 'viewer');
    await page.click('form.account button[type=submit]');
    assert.ok((await page.textContent('code.one-time')).length >= 12, 'the one-time password');
    const row = page.locator(`#account-xem-${n}`);
    await row.locator('details.confirm summary').first().click();
    await row.locator('details.confirm button.danger').first().click();
    await page.waitForURL('**/accounts#saved');
    assert.ok(await page.locator('#saved').isVisible(), 'saved, and it says so');
    assert.equal(await page.locator(`#account-xem-${n} .badge.not-met`).count(), 1, 'disabled');
  });
});

test('the scorecard and a task page print as documents: no navigation or forms, nothing cut off', async () => {
  const page = await signedInOffice();
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.emulateMedia({ media: 'print' });
  for (const path of ['/scorecard', '/tasks']) {
    await page.goto(path);
    if (path === '/tasks') {
      await page.click('text=LLM-05');
      await page.waitForURL('**/tasks/**');
    }
    assert.equal(await page.locator('header.site nav').isVisible(), false, `${path}: no navigation`);
    assert.equal(await page.locator('main form:visible').count(), 0, `${path}: no forms`);
    assert.ok(await fitsTheWindow(page), `${path}: nothing wider than an A4 page`);
  }
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: 1400, height: 900 });
});

test('a document is uploaded to a record and downloaded as an attachment', async () => {
  const page = await signedInOffice();
  const file = join(dir, 'bien-ban-thu-nghiem.pdf');
  writeFileSync(file, '%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
  await page.goto('/records/product-models');
  const record = await page.locator('table.records a').first().getAttribute('href');
  let n = 0;
  await everyWay(page, async (lang) => {
    n += 1;
    await page.goto(record.split('?')[0]);
    await page.setInputFiles('form.upload input[type=file]', file);
    await page.click('form.upload button[type=submit]');
    await page.waitForURL('**#saved');
    assert.match(await page.textContent('#documents-heading'), lang === 'vi' ? /Tài liệu kèm theo/ : /Documents/);
    assert.equal(await page.locator('table.documents tbody tr').count(), n, 'each upload listed');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('table.documents tbody a').first().click(),
    ]);
    assert.equal(download.suggestedFilename(), 'bien-ban-thu-nghiem.pdf');
  });
});
