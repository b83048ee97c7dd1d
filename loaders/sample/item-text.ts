/**
 * The wording of the sample's fictional test items: short descriptions in the style of the state's
 * item analysis, written for the sample (none is taken from a real test). A stem's {c} is filled
 * with a context and {t} with a kind of text, so that each form can draw descriptions not used by
 * the other year's form.
 */

export const CONTEXTS = [
  "a school garden",
  "a bake sale",
  "a library book drive",
  "a bicycle trip",
  "a class field trip",
  "a community mural",
  "a recycling project",
  "a soccer league",
  "a farmers market",
  "a science fair",
  "a summer camp",
  "a theater production",
  "an aquarium visit",
  "a canoe race",
  "a town parade",
  "an apple orchard",
] as const;

export const TEXTS = [
  "a story",
  "a poem",
  "an article",
  "a play",
  "a speech",
  "a biography",
  "a folktale",
  "a memoir",
  "a science article",
  "a historical account",
] as const;

const MATH_STEMS: Record<string, readonly string[]> = {
  OA: [
    "Solve a two-step word problem about {c} using addition and multiplication.",
    "Find the unknown number that makes a multiplication equation true in a problem about {c}.",
    "Identify the expression that represents equal groups in a problem about {c}.",
    "Use a pattern in a table about {c} to find the next two terms.",
    "Interpret the remainder in a division problem about {c}.",
    "Write an equation with a letter for the unknown to represent a problem about {c}.",
    "Evaluate an expression with parentheses and two operations in a problem about {c}.",
    "Identify the factor pairs of a whole number in a problem about {c}.",
  ],
  NT: [
    "Round whole numbers to estimate a total in a problem about {c}.",
    "Compare two multi-digit numbers written in different forms in a problem about {c}.",
    "Add two multi-digit whole numbers in a problem about {c}.",
    "Subtract across zeros in a problem about {c}.",
    "Multiply using place value strategies in a problem about {c}.",
    "Identify the value of a digit in a multi-digit number from a problem about {c}.",
    "Divide a three-digit number by a one-digit number in a problem about {c}.",
    "Compare decimals to the thousandths place in a problem about {c}.",
  ],
  NF: [
    "Locate a fraction on a number line in a problem about {c}.",
    "Identify a fraction equivalent to a given fraction in a problem about {c}.",
    "Compare two fractions with different denominators in a problem about {c}.",
    "Add fractions with like denominators in a problem about {c}.",
    "Subtract mixed numbers in a problem about {c}.",
    "Multiply a fraction by a whole number in a problem about {c}.",
    "Write a decimal in hundredths as a fraction in a problem about {c}.",
    "Decompose a fraction into a sum of unit fractions in a problem about {c}.",
    "Divide a unit fraction by a whole number in a problem about {c}.",
  ],
  MD: [
    "Find the area of a rectangle by multiplying its side lengths in a problem about {c}.",
    "Determine the perimeter of a figure with one unknown side in a problem about {c}.",
    "Find the elapsed time between two clock times in a problem about {c}.",
    "Use a bar graph about {c} to answer a how-many-more question.",
    "Convert a measurement from a larger unit to a smaller unit in a problem about {c}.",
    "Find the volume of a rectangular prism packed with unit cubes in a problem about {c}.",
    "Use a line plot of fractional measurements to solve a problem about {c}.",
    "Find an unknown angle measure when an angle is split into two parts in a problem about {c}.",
  ],
  "GE:3-5": [
    "Classify a quadrilateral by its sides and angles in a problem about {c}.",
    "Partition a shape into parts with equal areas in a problem about {c}.",
    "Identify the lines of symmetry of a figure in a problem about {c}.",
    "Plot an ordered pair on a coordinate grid in a problem about {c}.",
    "Identify parallel and perpendicular segments in a drawing of {c}.",
    "Classify triangles by their angles in a problem about {c}.",
    "Interpret the coordinates of points on a graph about {c}.",
  ],
  RP: [
    "Write a ratio that compares two quantities in a problem about {c}.",
    "Find a unit rate in a problem about {c}.",
    "Complete a table of equivalent ratios in a problem about {c}.",
    "Find a percent of a quantity in a problem about {c}.",
    "Determine whether two quantities are proportional in a problem about {c}.",
    "Identify the constant of proportionality from a graph about {c}.",
    "Use a scale drawing to find an actual length in a problem about {c}.",
    "Find a percent increase in a problem about {c}.",
  ],
  NS: [
    "Divide a fraction by a fraction in a problem about {c}.",
    "Find the greatest common factor of two whole numbers in a problem about {c}.",
    "Place opposite integers on a number line in a problem about {c}.",
    "Find the distance between two points with the same first coordinate in a problem about {c}.",
    "Order rational numbers written in different forms in a problem about {c}.",
    "Add and subtract positive and negative numbers in a problem about {c}.",
    "Multiply multi-digit decimals in a problem about {c}.",
    "Interpret the absolute value of an amount owed in a problem about {c}.",
  ],
  EE: [
    "Write an expression with a variable to represent a situation about {c}.",
    "Evaluate an expression with whole-number exponents in a problem about {c}.",
    "Identify equivalent expressions using the distributive property in a problem about {c}.",
    "Solve a one-step equation in a problem about {c}.",
    "Write an inequality to represent a condition in a problem about {c}.",
    "Identify the dependent and independent variables in a problem about {c}.",
    "Solve a two-step equation with rational coefficients in a problem about {c}.",
    "Rewrite an expression to show how quantities are related in a problem about {c}.",
  ],
  "GE:6-7": [
    "Find the area of a triangle by composing it into a rectangle in a problem about {c}.",
    "Find the volume of a prism with fractional edge lengths in a problem about {c}.",
    "Use a net to find the surface area of a prism in a problem about {c}.",
    "Draw a polygon on the coordinate plane from its vertices in a problem about {c}.",
    "Find the circumference of a circle in a problem about {c}.",
    "Write and solve an equation for an unknown angle in a problem about {c}.",
    "Describe the cross section of a solid sliced by a plane in a problem about {c}.",
    "Find the area of a composite figure in a problem about {c}.",
  ],
  "GE:8": [
    "Describe a sequence of transformations that maps one figure onto another.",
    "Use the Pythagorean theorem to find a missing length in a problem about {c}.",
    "Find the volume of a cylinder in a problem about {c}.",
    "Determine the image of a point after a reflection across an axis.",
    "Find the distance between two points on the coordinate plane in a problem about {c}.",
    "Use angles formed by parallel lines and a transversal to find an unknown angle.",
    "Determine whether two figures are similar after a dilation.",
    "Find the volume of a sphere in a problem about {c}.",
  ],
  "SP:6-7": [
    "Identify a statistical question about {c}.",
    "Find the mean of a data set about {c}.",
    "Use a box plot to find the interquartile range of data about {c}.",
    "Describe the shape of a distribution in a dot plot about {c}.",
    "Compare two data sets about {c} using their medians and ranges.",
    "Determine the probability of an event in a simple experiment about {c}.",
    "Use a random sample to make an inference about {c}.",
    "Find the probability of a compound event in a problem about {c}.",
  ],
  "SP:8": [
    "Describe the association shown in a scatter plot about {c}.",
    "Use the equation of a line of best fit to make a prediction about {c}.",
    "Interpret the slope of a trend line in a problem about {c}.",
    "Complete a two-way table and interpret relative frequencies about {c}.",
    "Identify outliers and clusters in a scatter plot about {c}.",
  ],
  NSEE: [
    "Identify a number as rational or irrational.",
    "Estimate the value of a square root between two whole numbers.",
    "Simplify an expression using the properties of integer exponents.",
    "Write a large quantity in scientific notation in a problem about {c}.",
    "Compare two proportional relationships shown in different ways in a problem about {c}.",
    "Solve a linear equation with variables on both sides in a problem about {c}.",
    "Solve a system of two linear equations in a problem about {c}.",
    "Find the slope of a line through two points in a problem about {c}.",
    "Determine how many solutions a linear equation has.",
  ],
  FN: [
    "Determine whether a relation shown in a table is a function.",
    "Compare the rates of change of two functions shown in different ways.",
    "Identify whether a function shown in a graph is linear.",
    "Write a linear function to model a situation about {c}.",
    "Interpret the initial value of a linear function about {c}.",
    "Describe where a function is increasing or decreasing in a graph about {c}.",
    "Choose the graph that matches a description of {c} over time.",
    "Find the rate of change from a table of values about {c}.",
  ],
};

/** Description stems for a math item of this grade and reporting category. */
export function mathStems(grade: number, category: string): readonly string[] {
  const band = grade <= 5 ? "3-5" : grade <= 7 ? "6-7" : "8";
  const stems = MATH_STEMS[`${category}:${band}`] ?? MATH_STEMS[category];
  if (!stems) throw new Error(`no item stems for grade ${grade} category ${category}`);
  return stems;
}

/** Description stems for ELA selected-response items, by the standard they address. */
export const ELA_STEMS: Record<string, readonly string[]> = {
  "R.PK-12.1": [
    "Identify the evidence that best supports an inference about {t}.",
    "Choose the quotation from {t} that supports a given claim.",
    "Make an inference about the author's purpose in {t}.",
  ],
  "R.PK-12.2": [
    "Determine the central idea of {t}.",
    "Identify the theme of {t} and a detail that conveys it.",
    "Choose the best summary of {t}.",
  ],
  "R.PK-12.3": [
    "Explain how a key event in {t} affects what happens next.",
    "Describe how the central figure changes over the course of {t}.",
    "Analyze how an individual is introduced and developed in {t}.",
  ],
  "R.PK-12.4": [
    "Determine the meaning of a phrase as it is used in {t}.",
    "Analyze how word choice shapes the tone of {t}.",
    "Determine the meaning of figurative language in {t}.",
  ],
  "R.PK-12.5": [
    "Explain how a paragraph fits into the overall structure of {t}.",
    "Determine how a section of {t} contributes to its development.",
    "Identify how the ending of {t} connects to its beginning.",
  ],
  "R.PK-12.6": [
    "Determine the point of view from which {t} is told.",
    "Explain how the author distinguishes two points of view in {t}.",
    "Identify the author's attitude toward the subject of {t}.",
  ],
  "R.PK-12.7": [
    "Explain how an illustration adds to the meaning of {t}.",
    "Use information from a diagram and {t} to answer a question.",
  ],
  "R.PK-12.8": [
    "Identify the reasons an author gives to support a claim in {t}.",
    "Evaluate whether the evidence in {t} is enough to support its claim.",
  ],
  "R.PK-12.9": [
    "Compare how {t} and a second text present the same topic.",
    "Contrast how {t} and a second text treat a similar theme.",
  ],
  "L.PK-12.1": [
    "Choose the correct verb tense to complete a sentence from {t}.",
    "Identify the sentence from {t} that uses a pronoun correctly.",
    "Combine two sentences from {t} into one complex sentence.",
  ],
  "L.PK-12.2": [
    "Choose the correct punctuation for a quotation in {t}.",
    "Correct the spelling of a word in a sentence from {t}.",
    "Use a comma to set off an introductory element in a sentence from {t}.",
  ],
  "L.PK-12.3": [
    "Choose the word that best keeps a formal style in {t}.",
    "Revise a sentence from {t} to make it more precise.",
  ],
  "L.PK-12.4": [
    "Use context to determine the meaning of an unfamiliar word in {t}.",
    "Use a Greek or Latin root to determine the meaning of a word in {t}.",
  ],
  "L.PK-12.5": [
    "Interpret a simile in {t}.",
    "Distinguish the connotations of two similar words in {t}.",
    "Identify the relationship between a pair of words in {t}.",
  ],
  "L.PK-12.6": [
    "Determine the meaning of an academic word as it is used in {t}.",
    "Choose the transition that best signals a contrast in {t}.",
  ],
};

/** Whole-essay prompts: "Write an essay <task>; <support>." The kind sets the writing standards. */
export const ESSAY_PROMPTS: readonly {
  kind: "argument" | "explanatory";
  task: string;
  support: string;
}[] = [
  {
    kind: "explanatory",
    task: "explaining how the main characters in two stories respond to a challenge",
    support: "use details from both stories to develop the essay",
  },
  {
    kind: "explanatory",
    task: "explaining what the narrator learns in the story",
    support: "use details from the story to develop the essay",
  },
  {
    kind: "explanatory",
    task: "explaining how the author of the article shows that teamwork matters",
    support: "use information from the article to develop the essay",
  },
  {
    kind: "argument",
    task: "arguing whether towns should build more public gardens",
    support: "use information from the two articles to support the argument",
  },
  {
    kind: "argument",
    task: "arguing whether students should learn to play an instrument",
    support: "use evidence from the passages to support the argument",
  },
  {
    kind: "explanatory",
    task: "comparing how two poems describe the ocean",
    support: "use details from both poems to develop the essay",
  },
  {
    kind: "explanatory",
    task: "explaining how a character's decision changes the outcome of the play",
    support: "use details from the play to develop the essay",
  },
  {
    kind: "argument",
    task: "arguing whether libraries should lend tools as well as books",
    support: "use information from the passages to support the argument",
  },
  {
    kind: "explanatory",
    task: "explaining how the inventor in the biography overcame setbacks",
    support: "use information from the biography to develop the essay",
  },
  {
    kind: "argument",
    task: "arguing whether schools should start later in the morning",
    support: "use evidence from the articles to support the argument",
  },
  {
    kind: "explanatory",
    task: "explaining the lesson the folktale teaches",
    support: "use details from the folktale to develop the essay",
  },
  {
    kind: "explanatory",
    task: "explaining how the setting shapes the events of the story",
    support: "use details from the story to develop the essay",
  },
];
