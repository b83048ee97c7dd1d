// Chart helpers shared by the pages. Every chart is a <figure class="chart"> with a title, a
// sentence that says what it shows (read aloud by screen readers and kept in print), and the
// Vega-Lite view drawn as SVG so that it stays sharp on a projector and on paper.
import embed from "npm:vega-embed";

/**
 * The two sets of achievement levels, lowest first: the next-generation MCAS (2017 on) and the
 * legacy MCAS (to 2016, and high school to 2019). Warm colours for the levels below the bar the
 * state counts as success, cool ones for the levels at or above it.
 */
export const LEVEL_SCHEMES = {
  next: {
    domain: ["NM", "PM", "M", "E"],
    range: ["#b2182b", "#f4a582", "#92c5de", "#2166ac"],
    names: { NM: "Not meeting", PM: "Partially meeting", M: "Meeting", E: "Exceeding" },
    success: "meeting or exceeding expectations",
    short: "% M+E",
  },
  legacy: {
    domain: ["W", "NI", "P", "A"],
    range: ["#b2182b", "#f4a582", "#92c5de", "#2166ac"],
    names: { W: "Warning/Failing", NI: "Needs improvement", P: "Proficient", A: "Advanced" },
    success: "proficient or advanced",
    short: "% P+A",
  },
};

/** The scheme of a set of level rows: legacy when they hold the legacy levels. */
export function levelScheme(levelRows) {
  return levelRows.some((d) => d.level in LEVEL_SCHEMES.legacy.names)
    ? LEVEL_SCHEMES.legacy
    : LEVEL_SCHEMES.next;
}

// Sizes for a projector at the back of a room: Vega's defaults (10 to 11 px) are for a screen.
const CONFIG = {
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  axis: { labelFontSize: 13, titleFontSize: 14, labelLimit: 260 },
  legend: { labelFontSize: 13, titleFontSize: 14, orient: "top" },
  header: { labelFontSize: 14, titleFontSize: 14 },
  text: { fontSize: 12 },
  view: { stroke: null },
};

/**
 * Draws a Vega-Lite spec inside a titled, described figure. Resolves to the figure element once
 * the chart has rendered, so that a page that awaits it never shows an empty frame.
 */
export async function chart(spec, { title, description, caption } = {}) {
  if (!title || !description) throw new Error("chart: every chart needs a title and a description");
  const figure = document.createElement("figure");
  figure.className = "chart";
  const heading = document.createElement("h3");
  heading.textContent = title;
  const text = document.createElement("p");
  text.className = "description";
  text.textContent = description;
  const view = document.createElement("div");
  figure.append(heading, text, view);
  if (caption) {
    const small = document.createElement("figcaption");
    small.textContent = caption;
    figure.append(small);
  }
  await embed(
    view,
    { description, config: CONFIG, ...spec },
    // mode: no $schema URL in the spec, so nothing in the page even names an outside host.
    { mode: "vega-lite", renderer: "svg", actions: false, tooltip: true },
  );
  return figure;
}

/** A figure that says why there is no chart (no data, or every group suppressed). */
export function emptyChart({ title, description, reason }) {
  const figure = document.createElement("figure");
  figure.className = "chart chart-empty";
  figure.innerHTML = "<h3></h3><p class='description'></p><p class='note'></p>";
  figure.querySelector("h3").textContent = title;
  figure.querySelector(".description").textContent = description;
  figure.querySelector(".note").textContent = reason;
  return figure;
}
