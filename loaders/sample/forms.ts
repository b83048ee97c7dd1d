import type { Subject } from "./district.ts";
import { STATE, SUBJECTS, YEARS } from "./district.ts";
import { CONTEXTS, ELA_STEMS, ESSAY_PROMPTS, TEXTS, mathStems } from "./item-text.ts";
import type { Random } from "./random.ts";
import {
  ESSAY_LANGUAGE_STANDARDS,
  ESSAY_WRITING_STANDARDS,
  LANGUAGE_STANDARDS,
  READING_STANDARDS,
  mathStandards,
} from "./standards.ts";

/**
 * Test forms: the items of one year's test of one subject and grade, shared by every school that
 * year, with the state's percent of possible points on each. The 2023 and 2024 forms of a grade
 * are different questions: no description is used on both.
 */
export interface Form {
  year: number;
  subject: Subject;
  grade: number;
  items: FormItem[];
}

export interface FormItem {
  /** The position on the form (13), or an essay trait's id (WR12.IDEA1). */
  id: number | string;
  role: "item" | "essay" | "trait";
  /** For an essay and its traits: the essay's position on the form. */
  essay?: number;
  type: "SR" | "SA" | "CR" | "ES";
  /** "-" for a whole essay, as the state writes it. */
  category: string;
  /** Space-separated standard codes, or "-" for a whole essay. */
  standard: string;
  description: string;
  points: number;
  /** The state's percent of possible points, 0 to 100; a whole essay's comes from its traits. */
  statePct: number;
}

/** Relative number of items per reporting category, close to the state's test designs. */
const MATH_WEIGHTS: Record<number, Record<string, number>> = {
  3: { OA: 11, NT: 5, NF: 6, MD: 10, GE: 4 },
  4: { OA: 6, NT: 9, NF: 11, MD: 8, GE: 4 },
  5: { OA: 4, NT: 10, NF: 12, MD: 7, GE: 5 },
  6: { RP: 8, NS: 10, EE: 11, GE: 5, SP: 5 },
  7: { RP: 9, NS: 10, EE: 9, GE: 6, SP: 6 },
  8: { NSEE: 13, FN: 10, GE: 11, SP: 4 },
};

const TWO_STANDARDS_CHANCE = 0.08;
const ESSAY_TRAITS = { idea: 5, conventions: 3 };

/** Every form of the sample; look one up with getForm. */
export function drawForms(random: Random): Map<string, Form> {
  const forms = new Map<string, Form>();
  for (const subject of SUBJECTS) {
    for (const grade of STATE.grades) {
      // Descriptions used by one year's form are kept out of the other year's.
      const used = new Set<string>();
      for (const year of YEARS) {
        const formRandom = random.fork(`form:${year}:${subject}:${grade}`);
        const items =
          subject === "MATH"
            ? drawMathItems(grade, formRandom, used)
            : drawElaItems(grade, formRandom, used);
        forms.set(formKey(year, subject, grade), { year, subject, grade, items });
      }
    }
  }
  return forms;
}

function formKey(year: number, subject: Subject, grade: number): string {
  return `${year}|${subject}|${grade}`;
}

export function getForm(
  forms: Map<string, Form>,
  year: number,
  subject: Subject,
  grade: number,
): Form {
  const form = forms.get(formKey(year, subject, grade));
  if (!form) throw new Error(`no form for ${subject} grade ${grade} in ${year}`);
  return form;
}

function drawMathItems(grade: number, random: Random, used: Set<string>): FormItem[] {
  const count = random.int(35, 40);
  const weights = MATH_WEIGHTS[grade];
  if (!weights) throw new Error(`no math test design for grade ${grade}`);
  const categories = allocate(weights, count, random);

  // Types and points: a few 4-point constructed responses and 2-point selected responses.
  const kinds: { type: FormItem["type"]; points: number }[] = [];
  for (let i = random.int(3, 4); i > 0; i--) kinds.push({ type: "CR", points: 4 });
  for (let i = random.int(2, 4); i > 0; i--) kinds.push({ type: "SR", points: 2 });
  for (let i = random.int(5, 8); i > 0; i--) kinds.push({ type: "SA", points: 1 });
  while (kinds.length < count) kinds.push({ type: "SR", points: 1 });
  const shuffledKinds = random.shuffle(kinds);
  const positions = random.shuffle(Array.from({ length: count }, (_, i) => i + 1));

  return categories.map((category, i) => {
    const { type, points } = at(shuffledKinds, i);
    const standards = mathStandards(grade, category);
    const first = random.pick(standards);
    const second = random.chance(TWO_STANDARDS_CHANCE) ? random.pick(standards) : first;
    const stem = drawDescription(mathStems(grade, category), CONTEXTS, "{c}", random, used);
    // Constructed and short answers are harder than selected responses, as on the real tests.
    const statePct =
      type === "CR" ? random.int(25, 55) : type === "SA" ? random.int(25, 70) : random.int(30, 85);
    return {
      id: at(positions, i),
      role: "item",
      type,
      category,
      standard: second === first ? first : [first, second].sort().join(" "),
      description: stem,
      points,
      statePct,
    };
  });
}

function drawElaItems(grade: number, random: Random, used: Set<string>): FormItem[] {
  const selected = random.int(25, 28);
  const total = selected + 2;
  const essayPositions = [random.int(10, 16), total];
  const items: FormItem[] = [];

  let position = 0;
  for (let i = 0; i < selected; i++) {
    position++;
    if (essayPositions.includes(position)) position++;
    const language = random.chance(0.25);
    const standard = weightedPick(language ? LANGUAGE_STANDARDS : READING_STANDARDS, random);
    items.push({
      id: position,
      role: "item",
      type: "SR",
      category: language ? "LA" : "RE",
      standard,
      description: drawDescription(ELA_STEMS[standard] ?? [], TEXTS, "{t}", random, used),
      points: random.chance(0.2) ? 2 : 1,
      statePct: random.int(45, 90),
    });
  }

  // Two essays, each a whole-essay row and its two trait rows, as the state's sheets show them.
  const prompts = random.shuffle(ESSAY_PROMPTS.filter((prompt) => !used.has(prompt.task)));
  essayPositions.forEach((essay, k) => {
    const prompt = prompts[k];
    if (!prompt) throw new Error(`out of essay prompts for grade ${grade}`);
    used.add(prompt.task);
    items.push({
      id: essay,
      role: "essay",
      essay,
      type: "ES",
      category: "-",
      standard: "-",
      description: `Write an essay ${prompt.task}; ${prompt.support}.`,
      points: ESSAY_TRAITS.idea + ESSAY_TRAITS.conventions,
      statePct: 0,
    });
    items.push({
      id: `WR${essay}.IDEA${k + 1}`,
      role: "trait",
      essay,
      type: "ES",
      category: "WR",
      standard: ESSAY_WRITING_STANDARDS[prompt.kind],
      description: `Essay ${essay} Writing ( idea development )`,
      points: ESSAY_TRAITS.idea,
      statePct: random.int(35, 55),
    });
    items.push({
      id: `LA${essay}.CONV${k + 1}`,
      role: "trait",
      essay,
      type: "ES",
      category: "LA",
      standard: ESSAY_LANGUAGE_STANDARDS,
      description: `Essay ${essay} Language ( conventions )`,
      points: ESSAY_TRAITS.conventions,
      statePct: random.int(50, 75),
    });
  });
  return items;
}

/** Splits `count` items over categories in proportion to their weights (largest remainder). */
function allocate(weights: Record<string, number>, count: number, random: Random): string[] {
  const total = Object.values(weights).reduce((sum, weight) => sum + weight, 0);
  const shares = Object.entries(weights).map(([category, weight]) => {
    const exact = (weight * count) / total;
    return { category, count: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let missing = count - shares.reduce((sum, share) => sum + share.count, 0);
  for (const share of [...shares].sort((a, b) => b.remainder - a.remainder)) {
    if (missing-- <= 0) break;
    share.count++;
  }
  return random.shuffle(shares.flatMap((share) => Array<string>(share.count).fill(share.category)));
}

/** A stem with its placeholder filled, not yet used by this grade's other form. */
function drawDescription(
  stems: readonly string[],
  fillers: readonly string[],
  placeholder: string,
  random: Random,
  used: Set<string>,
): string {
  const candidates = stems
    .flatMap((stem) =>
      stem.includes(placeholder) ? fillers.map((fill) => stem.replace(placeholder, fill)) : [stem],
    )
    .filter((text) => !used.has(text));
  if (candidates.length === 0) throw new Error(`out of item descriptions: ${stems.join(" | ")}`);
  const text = random.pick(candidates);
  used.add(text);
  return text;
}

function weightedPick(options: readonly (readonly [string, number])[], random: Random): string {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0);
  let remaining = random.uniform() * total;
  for (const [value, weight] of options) {
    remaining -= weight;
    if (remaining < 0) return value;
  }
  return at(options, options.length - 1)[0];
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`no item at ${index} of ${items.length}`);
  return item;
}
