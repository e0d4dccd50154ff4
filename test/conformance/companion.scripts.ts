// The companion through the search (issue 13): everything scheduled in one list, each item moved
// or cancelled after a confirmation, everything stopped after one yes; applications as records,
// moved by plain words and by buttons.
import { en } from "../helpers/bot.js";
import { START, type Script } from "./script.js";

const item = (n: number, kind: string) => `${n}. ${en.text(`remind.kind_${kind}`)}`;

export const SCRIPTS: Script[] = [
  {
    name: "everything scheduled: listed, moved, cancelled, and all stopped",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      { say: "/remind tomorrow 9am call Acme", replies: 1, expect: ["remind.confirm"] },
      { press: "rem_save", replies: 1, expect: ["remind.saved"] },
      { say: "/checkin tomorrow", replies: 1, expect: ["checkin.tomorrow_set"] },
      { say: "/reminders", replies: 1, expect: ["remind.list"] },
      { tap: item(1, "reminder"), replies: 1, expect: ["remind.item"] },
      { press: "rem_week_later", replies: 1, expect: ["remind.confirm_move"] },
      { press: "yes", replies: 1, expect: ["remind.moved"] },
      { say: "/reminders", replies: 1, expect: ["remind.list"] },
      { tap: item(1, "checkin_after"), replies: 1, expect: ["remind.item"] },
      { press: "rem_cancel", replies: 1, expect: ["remind.confirm_cancel"] },
      { press: "yes", replies: 2, expect: ["remind.cancelled", "remind.list"] },
      { press: "done", replies: 1, expect: ["remind.list_closed"] },
      { say: "stop", replies: 1, expect: ["remind.stop_ask_items"] },
      { press: "stop_yes", replies: 1, expect: ["remind.stop_done"] },
      { say: "/reminders", replies: 1, expect: ["remind.list_empty"] },
    ],
  },
  {
    name: "applications as records: created, moved, listed, edited",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      {
        say: "I applied to Shoprite for cashier",
        replies: 2,
        expect: ["progress.logged_applied", "progress.what_next"],
      },
      {
        say: "I got an interview at Shoprite",
        replies: 2,
        expect: ["progress.logged_interview", "progress.what_next"],
      },
      { say: "/applications", replies: 1, expect: ["applications.list"] },
      { tap: "1. Shoprite", replies: 1, expect: ["applications.record"] },
      { press: "apps_notes", replies: 1, expect: ["applications.ask_notes"] },
      { say: "They liked my till experience", replies: 1, expect: ["applications.saved+applications.record"] },
      { press: "apps_stage", replies: 1, expect: ["applications.ask_stage"] },
      { press: "apps_stage_rejected", replies: 1, expect: ["applications.saved+applications.record"] },
      { press: "rem_back", replies: 1, expect: ["applications.list"] },
      { press: "done", replies: 1, expect: ["applications.closed"] },
      {
        say: "/progress",
        replies: 3,
        expect: ["chart:charts.pipeline_caption", "progress.network", "progress.ask_log"],
      },
    ],
  },
];
