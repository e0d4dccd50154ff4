// Flows that let go (issue 12), the same on every channel: a reflection left for help and taken
// up again where it stopped; a rejection at the consent question getting support first; the
// concern tier's gentle "are you safe?".
import type { Script } from "./script.js";
import { START } from "./script.js";

export const SCRIPTS: Script[] = [
  {
    name: "let go mid-reflection, then go back",
    steps: [
      START,
      { press: "consent_yes", replies: 1, expect: ["consent.thanks_yes"] },
      { say: "/reflect", replies: 2, expect: ["reflect.intro", "reflect.ask_about"] },
      { say: "Acme, analyst", replies: 1, expect: ["reflect.ask_prepared"] },
      { say: "I need help", replies: 2, expect: ["core.help", "core.resume_offer"] },
      { press: "go_back", replies: 1, expect: ["reflect.ask_prepared"] },
      { press: "partly", replies: 1, expect: ["reflect.ask_skills"] },
    ],
  },
  {
    name: "a rejection at the consent question gets support first",
    steps: [
      START,
      {
        say: "I didn't get the job",
        replies: 3,
        expect: ["support.first_response", "support.what_next", "core.resume_offer"],
      },
      { press: "go_back", replies: 1, expect: ["consent.ask"] },
      { press: "consent_no", replies: 1, expect: ["consent.thanks_no"] },
    ],
  },
  {
    name: "the concern tier asks gently, and 'I'm safe' is heard",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      { say: "I can't do this anymore", replies: 1, expect: ["safety.concern_ask"] },
      { press: "concern_safe", replies: 1, expect: ["safety.concern_safe"] },
    ],
  },
];
