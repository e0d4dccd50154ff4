// Entry points (issue 13, part 8): a link in a channel post opens the bot at a flow. Telegram
// gets `/start <entry>` from a deep link; WhatsApp gets the click-to-chat link's prefilled text
// (a signed webhook); the console cannot follow a link, so it types `/start <entry>` after the
// `/start` it opens with. Every channel then ends in the same place, message for message. (The
// daily boost's entry ends in WhatsApp's opt-in there, so it is in test/entry.channels.test.ts.)
import { entryPoints } from "../../src/core/entry.js";
import { en } from "../helpers/bot.js";
import type { Script, Step } from "./script.js";

const prefilled = (id: string) => entryPoints(en).find((e) => e.id === id)!.whatsapp;

/** The arrival: welcome and consent, the entry remembered for after the consent. */
function arrive(id: string): Step {
  return {
    say: `/start ${id}`,
    replies: 2,
    expect: ["core.welcome", "consent.ask"],
    on: {
      whatsapp: [{ say: prefilled(id), replies: 2, expect: ["core.welcome", "consent.ask"] }],
      console: [
        { say: "/start", replies: 2, expect: ["core.welcome", "consent.ask"] },
        { say: `/start ${id}`, replies: 2, expect: ["core.welcome", "consent.ask"] },
      ],
    },
  };
}

export const SCRIPTS: Script[] = [
  {
    name: "entry point: rejection support",
    steps: [
      arrive("rejected"),
      {
        press: "consent_yes",
        replies: 3,
        expect: ["consent.thanks_yes", "support.first_response", "support.what_next"],
      },
    ],
  },
  {
    name: "entry point: reflection",
    steps: [
      arrive("reflect"),
      { press: "consent_no", replies: 3, expect: ["consent.thanks_no", "reflect.intro", "reflect.ask_about"] },
    ],
  },
  {
    name: "entry point: feedback help",
    steps: [
      arrive("feedback"),
      { press: "consent_yes", replies: 3, expect: ["consent.thanks_yes", "feedback.intro", "feedback.ask_kind"] },
    ],
  },
];
