// Observable Framework's configuration for the report site. `pim build` sets PIM_SITE_DIR to the
// folder given by --out; `npx observable build` on its own writes to reports/site.
export default {
  root: "src",
  output: process.env.PIM_SITE_DIR ?? "reports/site",
  title: "pim-evidence",

  // Framework's default look plus the pages' own styles; see src/style.css.
  style: "style.css",

  // The default stylesheets link Google Fonts, which a browser would fetch from the internet.
  globalStylesheets: [],

  // Without an icon the browser asks for /favicon.ico, and the 404 shows as a console error.
  head: '<link rel="icon" href="data:,">',

  // Framework downloads the json and parquet extensions from extensions.duckdb.org by default;
  // null leaves them out. Pages read Parquet through parquet-wasm, not DuckDB's extension.
  duckdb: { extensions: { json: null, parquet: null } },

  pages: [
    { name: "Home", path: "/index" },
    { name: "Step 1: student groups", path: "/step1" },
    { name: "Step 2: items and standards", path: "/step2" },
    { name: "Step 3: skills students lack", path: "/step3" },
  ],

  // Links keep their .html ending so that the folder works on any static host or plain file
  // server, not only those that map /step1 to step1.html.
  preserveIndex: true,
  preserveExtension: true,

  // The search index is of little use on four pages and would add a client-side module.
  search: false,
  footer: "pim-evidence: built from the files listed on the home page",
};
