// Whether a typed answer is a question instead ("Can you help?", "what now", "is it too late to
// ask"): a question mark at the end, or a sentence that opens like one. A flow that asked for a
// name must not file a question as one.

const WH = new Set(["how", "what", "whats", "why", "when", "where", "which", "who", "whom", "whose"]);
const AUX = new Set([
  "can",
  "could",
  "should",
  "would",
  "do",
  "does",
  "did",
  "is",
  "are",
  "was",
  "will",
  "shall",
  "may",
  "am",
  "have",
  "has",
]);
const SUBJECTS = new Set([
  "i",
  "you",
  "u",
  "we",
  "it",
  "they",
  "he",
  "she",
  "this",
  "that",
  "there",
  "my",
  "your",
  "me",
]);

/** "Can you help?", "what now", "is it too late to ask": a question, not an answer. */
export function isQuestion(text: string, words: readonly string[]): boolean {
  if (/[?？؟]\s*[\p{Extended_Pictographic}\s]*$/u.test(text.slice(-40))) return true;
  const [first, second] = words;
  if (first === undefined) return false;
  if (WH.has(first) && words.length >= 2) return true;
  return AUX.has(first) && words.length >= 3 && second !== undefined && SUBJECTS.has(second);
}
