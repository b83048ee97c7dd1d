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
  return { ELA: "ELA", MATH: "Math", SCI: "Science" }[subject] ?? subject;
}
