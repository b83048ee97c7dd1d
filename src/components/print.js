// Observable's tables draw their first rows and add more as they are scrolled. Paper does not
// scroll: before the page prints, every table is scrolled to its end until all of its rows are
// drawn, so that a printed worksheet holds every row the screen would show.

/** Draws every row of every table of the page; returns how many rows were added. */
export function drawEveryRow() {
  let added = 0;
  for (const table of document.querySelectorAll('form[class$="-table"]')) {
    const body = table.querySelector("tbody");
    if (!body) continue;
    const start = body.rows.length;
    let before = -1;
    while (body.rows.length !== before) {
      before = body.rows.length;
      table.scrollTop = table.scrollHeight;
      table.dispatchEvent(new Event("scroll"));
    }
    table.scrollTop = 0;
    added += body.rows.length - start;
  }
  return added;
}

// Once per page, whichever of the page's cells imports this first.
if (!window.pimDrawsRowsForPrint) {
  window.pimDrawsRowsForPrint = true;
  window.addEventListener("beforeprint", drawEveryRow);
  window.matchMedia("print").addEventListener("change", (query) => {
    if (query.matches) drawEveryRow();
  });
}
