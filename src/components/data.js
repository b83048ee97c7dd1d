// Helpers for the tables the pages read: Arrow tables from Parquet become plain row objects, and
// any table can be downloaded as CSV.
import { csvFormat } from "npm:d3-dsv";

/** Plain objects from an Arrow table, so that pages can filter and sort them as arrays. */
export function rowsOf(table) {
  return table.toArray().map((row) => row.toJSON());
}

/** A link that downloads `rows` as a CSV file; `columns` picks and orders the columns. */
export function downloadLink(rows, filename, { columns, label = "Download CSV" } = {}) {
  const link = document.createElement("a");
  link.className = "download";
  link.textContent = `${label} (${rows.length} ${rows.length === 1 ? "row" : "rows"})`;
  link.download = filename;
  link.href = "#";
  link.addEventListener("click", () => {
    const text = columns ? csvFormat(rows, columns) : csvFormat(rows);
    // The byte-order mark makes Excel read the file as UTF-8 (names with accents stay intact).
    const blob = new Blob(["\ufeff", text], { type: "text/csv;charset=utf-8" });
    link.href = URL.createObjectURL(blob);
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  });
  return link;
}

/** Reads a query parameter of the page's address (?school=04830305). */
export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

/** Writes query parameters into the address without reloading, so a view can be shared. */
export function setParams(values) {
  const params = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined || value === "") params.delete(key);
    else params.set(key, value);
  }
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

/** A number for display: one decimal, a sign when asked, and an en dash for "no value". */
export function formatNumber(value, { sign = false, digits = 0 } = {}) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  const text = value.toFixed(digits);
  // A value that rounds to zero reads 0, neither -0 nor +0.
  if (Number(text) === 0) return (0).toFixed(digits);
  return sign && value > 0 ? `+${text}` : text;
}

/** "03-08" reads "Grades 3–8", "05" reads "Grade 5". */
export function gradeLabel(grade) {
  if (grade === "all") return "All grades";
  if (grade === "HS") return "High school";
  const [first, last] = grade.split("-").map(Number);
  return last ? `Grades ${first}–${last}` : `Grade ${first}`;
}

/** Subject codes as a team says them. */
export function subjectLabel(subject) {
  return { ELA: "ELA", MATH: "Math", SCI: "Science", CIVICS: "Civics" }[subject] ?? subject;
}

/** A test as a team names it: "2023 · Math · Grade 5". */
export function testLabel(test) {
  return `${test.year} · ${subjectLabel(test.subject)} · ${gradeLabel(test.grade)}`;
}

/**
 * The test the address asks for (?year=2023&subject=MATH&grade=05), among `tests` sorted newest
 * first: a part the address leaves out matches any, and grade 5 reads as 05. Without any of the
 * three, none is asked for (undefined); asked for but not there, null.
 */
function requestedTest(tests) {
  const year = param("year");
  const subject = param("subject");
  const grade = param("grade")?.replace(/^\d$/, (digit) => `0${digit}`);
  if (!year && !subject && !grade) return undefined;
  return (
    tests.find(
      (d) =>
        (!year || d.year === Number(year)) &&
        (!subject || d.subject === subject.toUpperCase()) &&
        (!grade || d.grade === grade),
    ) ?? null
  );
}

/**
 * The test a page opens on: the one the address asks for, else the newest ELA or math test of
 * `fallbacks` (default: all), else any. `note` says so when the address asked for a test that is
 * not there, so that a shared link never misleads; null otherwise.
 */
export function openingTest(tests, fallbacks = tests) {
  const asked = requestedTest(tests);
  const test =
    asked ?? fallbacks.find((d) => d.subject === "ELA" || d.subject === "MATH") ?? fallbacks[0];
  const wanted = [param("year"), param("subject"), param("grade")].filter(Boolean).join(" ");
  const note =
    asked === null && test
      ? addressNote(`No test "${wanted}" is loaded for this school; showing ${testLabel(test)}.`)
      : null;
  return { test, note };
}

/**
 * The organisations with item results, named as the achievement files name them, for the school
 * picker of steps 2 and 3; and the one to open on: the address's school, else the one the home
 * page features, else the first, with a note when the address named one that is not there.
 */
export function itemOrganisations(items, achievement, exampleSchool) {
  const names = new Map(achievement.map((d) => [d.org_code, d.org_name]));
  const byCode = new Map();
  for (const d of items) if (!byCode.has(d.org_code)) byCode.set(d.org_code, d);
  const orgs = [...byCode.values()]
    .map((d) => {
      const name = names.get(d.org_code) ?? d.reported_org_name ?? d.org_code;
      // A district's code ends in 0000; the picker says which entries are districts.
      const kind = d.org_code.endsWith("0000") ? "district " : "";
      return { code: d.org_code, name, label: `${name} (${kind}${d.org_code})` };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const wanted = param("school");
  const opening =
    orgs.find((d) => d.code === wanted) ?? orgs.find((d) => d.code === exampleSchool) ?? orgs[0];
  const note =
    wanted && opening && opening.code !== wanted
      ? addressNote(
          `No item results are loaded for ${wanted}; showing ${opening.name} (${opening.code}).`,
        )
      : null;
  return { orgs, opening, note };
}

/** What the address asked for and what is shown instead, so a shared link never misleads. */
export function addressNote(text) {
  const note = document.createElement("p");
  note.className = "note address-note";
  note.textContent = text;
  return note;
}
