// The journeys of PRODUCT.md in Debian's headless Chromium, against the real `cncl` binary
// on a fresh SQLite file with the demo data. Run by scripts/test (`npm test` here);
// CNCL_BIN names the binary (default: target/debug/cncl).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { cncl, dir, freshPage, signIn, signedInOffice } from './harness.mjs';

test('journey 1: the programme in Vietnamese, English on a switch', async () => {
  const page = await freshPage();
  await page.goto('/');
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  assert.match(await page.textContent('main'), /Quyết định/);
  await page.click('a.lang');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.goto('/scorecard');
  assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the choice is remembered');
});

test('journey 3: the scorecard opens the records behind a figure', async () => {
  const page = await freshPage();
  await page.goto('/scorecard');
  const cells = page.locator('td.cell a');
  assert.ok((await cells.count()) > 6, 'a cell per product and criterion');
  await cells.first().click();
  await page.waitForURL('**/scorecard/**');
  assert.match(await page.textContent('main'), /bản ghi|records/);
});

test('journey 2: the office records a budget line by form, and a bad amount is named', async () => {
  const page = await signedInOffice();
  await page.goto('/tasks');
  await page.click('text=LLM-05');
  const taskUrl = page.url();
  await page.click('a.add:has-text("Dòng kinh phí")');
  await page.waitForURL('**/records/budget-lines/new**');
  assert.match(await page.locator('select[name=task_id] option:checked').textContent(), /LLM-05/);
  await page.fill('input[name=year]', '2029');
  await page.selectOption('select[name=source]', 'private');
  await page.fill('input[name=amount_vnd]', 'nhiều');
  await page.click('form.record button[type=submit]');
  assert.match(await page.textContent('[role=alert]'), /Số tiền \(đồng\)/);
  assert.equal(await page.inputValue('input[name=year]'), '2029', 'what was typed is kept');
  await page.fill('input[name=amount_vnd]', '2.345.000.000');
  await page.click('form.record button[type=submit]');
  await page.waitForURL(`${taskUrl}#saved`);
  assert.ok(await page.locator('#saved').isVisible(), 'the page says the record was saved');
  assert.match(await page.textContent('main'), /2\.345\.000\.000/);
});

test('search: the office finds a task by its name typed without accents', async () => {
  const page = await signedInOffice();
  await page.goto('/records');
  await page.click('a[href="/records/tasks"]');
  await page.fill('input[name=q]', 'tro ly sen vang nhiem vu 5');
  await page.click('form.as-of button[type=submit]');
  await page.waitForURL('**/records/tasks?**');
  const names = await page.locator('table.records tbody a').allTextContents();
  assert.deepEqual(names, ['LLM-05']);
  await page.click('text=LLM-05');
  await page.click('a:has-text("Trang nhiệm vụ")');
  assert.match(await page.textContent('h1'), /LLM-05/);
});

test('issue 4: the office returns a progress report from the task page', async () => {
  const page = await signedInOffice();
  await page.goto('/tasks');
  await page.click('text=LLM-05');
  const form = page.locator('form.command', { hasText: 'Trả lại — 2026 Q2' });
  await form.locator('textarea[name=reason]').fill('Thiếu chứng từ chi');
  await form.locator('button[type=submit]').click();
  await page.waitForLoadState();
  assert.match(await page.textContent('main'), /Thiếu chứng từ chi/);
  assert.equal(await page.locator('form.command', { hasText: 'Nộp — 2026 Q2' }).count(), 1, 'it can be submitted again');
});

test('journey 6: the audit log shows who changed what, and the chain verifies', async () => {
  const page = await signedInOffice();
  await page.goto('/audit?entity=progress_reports');
  assert.match(await page.textContent('main'), /admin/);
  await page.click('button[name=verify]');
  assert.match(await page.textContent('main'), /Chuỗi băm toàn vẹn/);
});

/** The figure a scorecard cell shows for a criterion and product. */
async function figure(page, criterion, product) {
  await page.goto('/scorecard');
  const products = await page.locator('thead th[data-product]').evaluateAll((ths) => ths.map((th) => th.dataset.product));
  const index = products.indexOf(product);
  assert.ok(index >= 0, `${product} in ${products}`);
  return page.locator(`#criterion-${criterion} td.cell`).nth(index).locator('.value').textContent();
}

/** Fill a sheet of the reporting workbook from row 3, each value under its field key (row 2). */
function fillSheet(book, name, rows) {
  const sheet = book.getWorksheet(name);
  assert.ok(sheet, `a sheet ${name}`);
  const columns = new Map();
  sheet.getRow(2).eachCell((cell, column) => columns.set(String(cell.value), column));
  rows.forEach((values, i) => {
    const row = sheet.getRow(3 + i);
    for (const [key, value] of Object.entries(values)) {
      assert.ok(columns.has(key), `${name} has a column ${key}`);
      row.getCell(columns.get(key)).value = value;
    }
    row.commit();
  });
  return columns;
}

test('journey 2: a reporter fills its reporting workbook, a bad row is named, the fixed file is written', async () => {
  const organisations = cncl('record', 'list', 'organisations').split('\n').filter((l) => l.startsWith('{'));
  const organisation = JSON.parse(organisations[0]);
  const added = cncl('user', 'add', 'sen-vang', '--role', 'reporter', '--organisation', organisation.id);
  const password = added.match(/one-time password:? (\S+)/)?.[1] ?? added.trim().split(/\s+/).pop();
  const page = await signIn('sen-vang', password);
  const before = await figure(page, 'C1a', 'llm');

  // 1. The reporter downloads its reporting workbook from the import page.
  await page.goto('/imports');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('a[href^="/api/v1/reporting-workbook"]:not([href*=prefilled])'),
  ]);
  const template = join(dir, 'so-bao-cao.xlsx');
  await download.saveAs(template);

  // 2. Filled in with a workbook library: a model, its two-level bill, cost lines, sales;
  //    one amount written in words.
  const fill = async (amount) => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(template);
    assert.equal(book.worksheets[0].name, 'Hướng dẫn');
    fillSheet(book, 'product-models', [{
      product_code: 'llm', maker_id: organisation.tax_code, name: 'Trợ lý Sen Vàng Mini',
      selling_price_vnd: 50_000_000, launched_on: new Date(Date.UTC(2026, 0, 15)),
    }]);
    fillSheet(book, 'bom-lines', [
      { model_id: 'Trợ lý Sen Vàng Mini', component: 'Máy chủ suy luận', quantity: 1, unit_cost_vnd: 30_000_000, origin: 'Trong nước' },
      { model_id: 'Trợ lý Sen Vàng Mini', parent_line_id: 'Máy chủ suy luận', component: 'GPU', quantity: 2, unit_cost_vnd: 8_000_000, origin: 'Nhập khẩu' },
    ]);
    const costs = fillSheet(book, 'cost-lines', [
      { model_id: 'Trợ lý Sen Vàng Mini', category: 'Nguyên vật liệu', origin: 'Trong nước', amount_vnd: 30_000_000 },
      { model_id: 'Trợ lý Sen Vàng Mini', category: 'Nhân công', origin: 'Trong nước', amount_vnd: amount },
    ]);
    fillSheet(book, 'model-sales', [{ model_id: 'Trợ lý Sen Vàng Mini', year: 2026, domestic_units: 40, export_units: 0 }]);
    const filled = join(dir, 'so-bao-cao-da-dien.xlsx');
    await book.xlsx.writeFile(filled);
    return { filled, amountColumn: costs.get('amount_vnd') };
  };
  const { filled: bad, amountColumn } = await fill('mười triệu');
  const letter = String.fromCharCode(64 + amountColumn);

  // 3. Uploaded: the bad row is named by sheet, cell and header, and nothing is offered to write.
  await page.goto('/imports');
  await page.setInputFiles('input[type=file][name=file]', bad);
  await page.click('form.upload button[type=submit]');
  const main = await page.textContent('main');
  assert.match(main, new RegExp(`${letter}4 \\(Số tiền \\(đồng\\)\\)`));
  assert.match(main, /Có dòng lỗi: không ghi gì/);
  assert.equal(await page.locator('button.commit').count(), 0);
  assert.equal(await figure(page, 'C1a', 'llm'), before, 'nothing written');

  // 4. Fixed, previewed again, committed.
  const { filled: good } = await fill(10_000_000);
  await page.goto('/imports');
  await page.setInputFiles('input[type=file][name=file]', good);
  await page.click('form.upload button[type=submit]');
  assert.match(await page.textContent('p.summary'), /Mới: 6/);
  await page.click('button.commit');
  await page.waitForLoadState();
  assert.match(await page.textContent('main'), /Đã ghi toàn bộ tệp/);

  // 5. The scorecard figure moves.
  assert.notEqual(await figure(page, 'C1a', 'llm'), before);
});

test('journey 5: the office publishes the quarter\'s report and downloads it; a visitor verifies it', async () => {
  const page = await signedInOffice();
  await page.goto('/reports');
  await page.selectOption('select[name=quarter]', '2026Q3');
  await page.click('form.upload button[type=submit]');
  await page.waitForURL(/\/reports\/[0-9a-f-]{36}$/);
  assert.match(await page.textContent('h1'), /Quý III năm 2026/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href$="/pdf"]')]);
  const pdf = join(dir, 'bao-cao-quy.pdf');
  await download.saveAs(pdf);
  assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');

  // A visitor, not signed in, checks the copy; then a copy with one byte changed.
  const visitor = await freshPage();
  await visitor.goto('/reports/verify');
  await visitor.setInputFiles('input[type=file][name=file]', pdf);
  await visitor.click('form.upload button[type=submit]');
  assert.equal(await visitor.textContent('strong.verdict'), 'Trùng khớp');
  const tampered = readFileSync(pdf);
  const at = tampered.indexOf('/Count ') + 7;
  tampered[at] = tampered[at] === 0x35 ? 0x36 : 0x35;
  const copy = join(dir, 'ban-sao.pdf');
  writeFileSync(copy, tampered);
  await visitor.goto('/reports/verify');
  await visitor.setInputFiles('input[type=file][name=file]', copy);
  await visitor.click('form.upload button[type=submit]');
  assert.notEqual(await visitor.textContent('strong.verdict'), 'Trùng khớp');
});
