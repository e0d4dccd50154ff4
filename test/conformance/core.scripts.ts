// The core conversations: welcome, rejection support, tips, reflection, reminders, charts.
import { en } from "../helpers/bot.js";
import { START, type Script } from "./script.js";

export const SCRIPTS: Script[] = [
  {
    name: "welcome and consent",
    steps: [START, { press: "consent_yes", replies: 1, expect: ["consent.thanks_yes"] }],
  },
  {
    name: "rejection support",
    steps: [
      START,
      { press: "consent_no", replies: 1, expect: ["consent.thanks_no"] },
      { say: "they rejected me today", replies: 2, expect: ["support.first_response", "support.what_next"] },
    ],
  },
  {
    name: "a tip, and another",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      { say: "/tip", replies: 1, expect: ["tips.tip"] },
      { press: "another_tip", replies: 1, expect: ["tips.tip"] },
    ],
  },
  {
    name: "an unknown message",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      { say: "qwerty zxcvb", replies: 1, expect: ["core.not_understood"] },
    ],
  },
  {
    name: "a typed number answers a choice",
    steps: [START, { say: "2", replies: 1, expect: ["consent.thanks_no"] }],
  },
  {
    name: "commands as plain words",
    steps: [
      START,
      { say: "Help", replies: 1, expect: ["core.help"] },
      { say: "tip", replies: 1, expect: ["tips.tip"] },
      { say: "cancel", replies: 1, expect: ["core.nothing_to_cancel"] },
    ],
  },
  {
    name: "/cancel leaves the conversation",
    steps: [
      START,
      { say: "/cancel", replies: 1, expect: ["core.cancelled"] },
      { say: "/cancel", replies: 1, expect: ["core.nothing_to_cancel"] },
    ],
  },
  {
    name: "the reflection, through to a next step",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      { say: "/reflect", replies: 2, expect: ["reflect.intro", "reflect.ask_about"] },
      { say: "Acme, analyst", replies: 1, expect: ["reflect.ask_prepared"] },
      { press: "partly", replies: 1, expect: ["reflect.ask_skills"] },
      { press: "yes", replies: 1, expect: ["reflect.ask_connected"] },
      { press: "not_really", replies: 1, expect: ["reflect.ask_differently"] },
      { say: "ask about the team", replies: 1, expect: ["reflect.offer_writing"] },
      {
        press: "skip",
        replies: 2,
        expect: ["reflect.summary+reflect.summary_differently+reflect.perspective", "reflect.ask_next"],
      },
      { press: "step_research", replies: 1, expect: ["reflect.ask_remind"] },
    ],
  },
  {
    name: "subscribing to the daily boost, and stopping it",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      {
        say: "/daily",
        replies: 1,
        expect: ["daily.ask_time"],
        // Meta requires an explicit opt-in before a business sends unprompted messages.
        on: {
          whatsapp: [
            { say: "/daily", replies: 1, expect: ["whatsapp.optin"] },
            { press: "wa_optin_yes", replies: 2, expect: ["whatsapp.optin_yes", "daily.ask_time"] },
          ],
        },
      },
      { press: "daily_0730", replies: 1, expect: ["daily.subscribed"] },
      { say: "/daily", replies: 1, expect: ["daily.status"] },
      { press: "daily_stop", replies: 1, expect: ["daily.stopped"] },
    ],
  },
  {
    name: "a mood check-in, its trend as a chart",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      { say: "/checkin 4", replies: 1, expect: ["checkin.ask_word"] },
      { press: "skip", replies: 2, expect: ["checkin.thanks_high+checkin.care_high", "chart:charts.mood_caption"] },
      { press: "menu_tip", replies: 1, expect: ["tips.tip"] },
    ],
  },
  {
    name: "progress logged, and its counts as a chart",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      { say: "I applied to Shoprite", replies: 2, expect: ["progress.logged_applied", "progress.what_next"] },
      {
        say: "/progress",
        replies: 3,
        expect: ["chart:charts.pipeline_caption", "progress.network", "progress.ask_log"],
      },
    ],
  },
  {
    name: "a reminder set with /remind and cancelled from /reminders",
    steps: [
      START,
      { press: "consent_yes", replies: 1 },
      { say: "/remind tomorrow 9am call Acme", replies: 1, expect: ["remind.confirm"] },
      { press: "rem_save", replies: 1, expect: ["remind.saved"] },
      { say: "/reminders", replies: 1, expect: ["remind.list"] },
      { tap: `1. ${en.text("remind.kind_reminder")}`, replies: 1, expect: ["remind.item"] },
      { press: "rem_cancel", replies: 1, expect: ["remind.confirm_cancel"] },
      { press: "yes", replies: 2, expect: ["remind.cancelled", "remind.list_empty"] },
    ],
  },
];
