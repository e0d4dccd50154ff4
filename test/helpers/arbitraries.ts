// fast-check arbitraries shared by the property tests of the parsers.
import fc from "fast-check";

/** What a reminder is about: one to six plain words chrono will not read as a date ("may", "sun" would be). */
export const reminderText = fc
  .array(
    fc.constantFrom(
      "call",
      "email",
      "Thandi",
      "recruiter",
      "follow",
      "up",
      "with",
      "Acme",
      "send",
      "CV",
      "portfolio",
      "update",
      "LinkedIn",
      "Sipho",
      "cover",
      "letter",
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((w) => w.join(" "));
