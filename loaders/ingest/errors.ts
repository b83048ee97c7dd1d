/** Where in a file a problem is: every field optional, as not every format has rows or sheets. */
export interface Location {
  sheet?: string;
  row?: number;
  column?: string;
  value?: unknown;
}

/**
 * A problem with an input file that its user must fix. The message is one line naming the file,
 * the place, the value found and what was expected, so that a data coach can open the file at
 * that cell.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly location: Location = {},
  ) {
    super(formatProblem(file, problem, location));
    this.name = "InputError";
  }
}

/** Several problems found in one file: a run reports them all, not only the first. */
export class InputErrors extends Error {
  constructor(
    readonly file: string,
    readonly errors: readonly InputError[],
  ) {
    super(errors.map((error) => error.message).join("\n"));
    this.name = "InputErrors";
  }
}

export function formatProblem(file: string, problem: string, location: Location): string {
  const place = [
    location.sheet !== undefined ? `sheet ${location.sheet}` : "",
    location.row !== undefined ? `row ${location.row}` : "",
    location.column !== undefined ? `column "${location.column}"` : "",
  ].filter(Boolean);
  const value = "value" in location ? `: found ${describeValue(location.value)}` : "";
  return `${file}${place.length ? `, ${place.join(", ")}` : ""}${value}; ${problem}`;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "an empty cell";
  return JSON.stringify(typeof value === "string" ? value : String(value));
}

/**
 * Collects the problems of one file. Parsing goes on after a bad cell so that the coach sees every
 * problem at once, up to a limit that keeps a wholly wrong file from printing thousands of lines.
 */
export class ProblemList {
  readonly errors: InputError[] = [];
  omitted = 0;

  constructor(
    readonly file: string,
    readonly limit = 20,
  ) {}

  add(problem: string, location: Location = {}): void {
    if (this.errors.length < this.limit)
      this.errors.push(new InputError(this.file, problem, location));
    else this.omitted += 1;
  }

  /** Throws every collected problem as one InputErrors, if there were any. */
  throwIfAny(): void {
    if (this.errors.length === 0) return;
    const errors = [...this.errors];
    if (this.omitted > 0) {
      errors.push(new InputError(this.file, `and ${this.omitted} more problems of the same kinds`));
    }
    throw new InputErrors(this.file, errors);
  }
}
