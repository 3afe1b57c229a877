// report.html, part 8 of 8: reads the page data and draws the page. It sets
// `data-ready` on <body>: "summary" once the sections and charts are drawn, "rows" once the
// table is (or "error" when the rows could not be opened), with a performance mark of the same
// name (`stepbench:summary`, `stepbench:rows`) that bench/html-report.mjs reads.
const ui = globalThis.stepbenchPage;
const { h } = ui;

const data = JSON.parse(document.getElementById('page-data').textContent);
const app = document.getElementById('app');

function rowsSection() {
  const info = data.rows;
  const notes = [];
  if (info.missing) notes.push('There was no results.jsonl beside this report: the table is empty.');
  if (info.shown < info.total)
    notes.push(
      `The table holds the first ${ui.int(info.shown)} of ${ui.int(info.total)} results (the page's limit is ${ui.int(info.maxRows)}); results.jsonl has them all.`,
    );
  if (info.cut > 0)
    notes.push(
      `${ui.int(info.cut)} answers, reasonings or variables were cut to ${ui.int(info.textCap)} characters on this page.`,
    );
  if (info.cutSmall > 0)
    notes.push(
      `Once the page held its budget of text, ${ui.int(info.cutSmall)} more were cut to ${ui.int(info.smallTextCap)} characters.`,
    );
  if (info.tornTail)
    notes.push(
      'The last line of results.jsonl was cut off (the run was killed while writing it) and is left out.',
    );
  const table = h('div', { id: 'rows-table' }, ui.note('Opening the rows…'));
  const detail = h('div', { class: 'detail', id: 'row-detail', hidden: true });
  const el = h(
    'div',
    null,
    ui.note(
      'One line per result (row × target × repeat). Click a line, or press Enter on it, to see every target’s answer to that row side by side.',
    ),
    notes.map((n) => h('div', { class: 'notice', text: n })),
    table,
    detail,
  );
  return { id: 'rows', title: 'Rows', el, table, detail };
}

function draw() {
  app.append(ui.sections.header(data));
  const rows = rowsSection();
  const built = [];
  for (const name of [
    'summary',
    'comparison',
    'latency',
    'histograms',
    'timeline',
    'capacity',
    'tokens',
    'errors',
    'baseline',
  ]) {
    try {
      const s = ui.sections[name](data);
      if (s) built.push(s);
    } catch (err) {
      console.error(`report.html: the ${name} section could not be drawn`, err);
    }
  }
  built.push(rows);
  built.push(ui.sections.config(data));
  app.append(
    h(
      'nav',
      null,
      built.map((s) => h('a', { href: `#${s.id}`, text: s.title })),
    ),
  );
  for (const s of built) app.append(h('section', { id: s.id }, h('h2', { text: s.title }), s.el));
  for (const s of built) {
    try {
      s.draw?.();
    } catch (err) {
      console.error(`report.html: the ${s.id} charts could not be drawn`, err);
    }
  }
  document.body.dataset.ready = 'summary';
  performance.mark('stepbench:summary');
  return rows;
}

async function drawRows(rows) {
  let payload;
  try {
    payload = await ui.loadRows();
  } catch (err) {
    rows.table.replaceChildren(
      ui.note(`The rows could not be opened in this browser (${err.message}); results.jsonl has them.`),
    );
    document.body.dataset.ready = 'error';
    return;
  }
  rows.table.replaceChildren();
  ui.rowsTable(rows.table, payload, data, (index) => ui.rowDetail(rows.detail, index, payload, data));
  document.body.dataset.ready = 'rows';
  performance.mark('stepbench:rows');
}

drawRows(draw());
