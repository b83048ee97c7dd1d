/**
 * One name for each test, whatever file reports it: an Edwin sheet "MG5", a template sheet
 * "Grade 5" and a student file's grade-5 math items are all MATH-05. High school science tests
 * are named by course (SCI-PHYSICS), since their grade varies from student to student.
 */
const COURSES: Record<string, string> = {
  bio: "BIOLOGY",
  biology: "BIOLOGY",
  physics: "PHYSICS",
  chem: "CHEMISTRY",
  chemistry: "CHEMISTRY",
  te: "TECHENG",
  techeng: "TECHENG",
  "technology/engineering": "TECHENG",
};

/** The test of a subject and grade, or of a high school science course. */
export function testId(subject: string, grade: string, course?: string): string {
  const named = course ? COURSES[course.trim().toLowerCase()] : undefined;
  if (named) return `${subject}-${named}`;
  return `${subject}-${grade}`;
}

/** The course a sheet name suffix or a subject title names ("SG9Physics" has "Physics"). */
export function courseOf(text: string): string | undefined {
  const key = text.trim().toLowerCase();
  return COURSES[key] ? key : undefined;
}
