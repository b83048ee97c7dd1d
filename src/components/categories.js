// Names of the reporting categories that item files give only as codes. The names are the
// domains of the Massachusetts curriculum frameworks; pages always show the code beside the name,
// so a code missing here still reads, as itself.
const NAMES = {
  ELA: { RE: "Reading", LA: "Language", WR: "Writing" },
  MATH: {
    OA: "Operations and Algebraic Thinking",
    NT: "Number and Operations in Base Ten",
    NF: "Number and Operations: Fractions",
    MD: "Measurement and Data",
    GE: "Geometry",
    RP: "Ratios and Proportional Relationships",
    NS: "The Number System",
    EE: "Expressions and Equations",
    NSEE: "The Number System; Expressions and Equations",
    SP: "Statistics and Probability",
    FN: "Functions",
    AF: "Algebra and Functions",
    NQ: "Number and Quantity",
  },
  SCI: {
    ES: "Earth and Space Sciences",
    LS: "Life Science",
    PS: "Physical Sciences",
    TE: "Technology/Engineering",
    MF: "Motion and Forces",
    EN: "Energy",
    WA: "Waves",
    MO: "From Molecules to Organisms",
    EC: "Ecosystems",
    HE: "Heredity",
    EV: "Evolution",
  },
};

/** "NF: Number and Operations: Fractions", or the code alone when its name is not known. */
export function categoryLabel(subject, code) {
  const name = NAMES[subject]?.[code];
  return name ? `${code}: ${name}` : code;
}

/**
 * The label of a standard's reporting categories as the skills table gives them, "; " apart: each
 * code named ("LA; WR" reads "LA: Language; WR: Writing"), and a category written out in words
 * (the 2023 template's "The Number System and Expressions and Equations") shown as it is.
 */
export function categoriesLabel(subject, text) {
  return text
    .split("; ")
    .map((category) => categoryLabel(subject, category.trim()))
    .join("; ");
}
