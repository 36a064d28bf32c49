#!/usr/bin/env node
// A vendor implementation of the Instruction on appeals (order No. 4 of 2012
// as amended by order No. 165 of 2015), written from docs/implementers-guide.md
// and the clause texts, speaking the kzappeals cmd protocol: JSON Lines on
// stdin and stdout. Node.js 20, no dependencies.
//
//   kzappeals certify --impl "cmd:node examples/node-vendor/vendor.js"
//
// It claims the literal profile (every clause applies as written) and the
// routing and signature levels. Under the literal reading every clause that
// applies gives an admissible answer, so the vendor answers with the first
// clause that applies, and null where no clause does.

"use strict";

const readline = require("node:readline");

const NAME = "node-vendor";
const VERSION = "0.1.0";

// --- the case: fields, values, coherence ---------------------------------

const ENUMS = {
  kind: ["proposal", "application", "complaint", "request", "response"],
  form: ["written", "oral", "electronic", "videoconference"],
  subject: ["general", "crime_report", "criminal_case_complaint", "pretrial_complaint", "court_act_criminal",
    "court_act_parole", "court_act_civil", "court_act_administrative", "appeals_procedure_explanation"],
  sender: ["person", "deputy", "parliament_official", "government", "security_council", "constitutional_council",
    "supreme_court", "other_central_body", "presidential_administration", "prosecutor_general_office"],
  channel: ["direct", "call_centre_conforming", "call_centre_nonconforming"],
  earlier_answer_by: ["none", "district_prosecutor", "regional_prosecutor", "deputy_head", "other"],
  cassation: ["none", "criminal", "civil"],
  competent: ["this_body", "lower_prosecutor", "other_body"],
  handled_at: ["gpo_department", "gpo_subdivision", "gpo_leadership", "agency", "institution", "regional", "district"],
  complaint_about: ["none", "subordinate_staff", "deputy_head", "head", "other"],
  outcome: ["granted", "refused", "explained"],
};
const FLAGS = ["collective", "anonymous", "security_threat", "administration_document", "deputy_inquiry", "report_required", "repeated",
  "earlier_answer_attached", "earlier_answer_in_eias", "cassation_defective", "cassation_term_expired",
  "public_resonance", "interests_at_risk", "pg_instruction"];
const UNKNOWN_PROVISIONS = ["p20.list", "p54.pp1", "p54.pp2"];

// Combinations that describe no real appeal: [field, broken when, clause].
const INCOHERENT = [
  ["deputy_inquiry", (c) => c.deputy_inquiry && c.sender !== "deputy", "p23.pp1.ch1"],
  ["administration_document", (c) => c.administration_document && c.sender !== "presidential_administration", "p6"],
  ["anonymous", (c) => c.anonymous && c.sender !== "person", "p15"],
  ["earlier_answer_attached", (c) => c.earlier_answer_attached && c.earlier_answer_by === "none", "p23.pp2.ch1"],
  ["earlier_answer_in_eias", (c) => c.earlier_answer_in_eias && c.earlier_answer_by === "none", "p23.pp2.ch3"],
  ["cassation", (c) => c.cassation === "criminal" && !["court_act_criminal", "court_act_parole"].includes(c.subject), "p23.pp3.ch1"],
  ["cassation", (c) => c.cassation === "civil" && c.subject !== "court_act_civil", "p23.pp3.ch1"],
  ["cassation_defective", (c) => c.cassation_defective && c.cassation === "none", "p23.pp3.ch1"],
  ["cassation_term_expired", (c) => c.cassation_term_expired && c.cassation === "none", "p23.pp3.ch3"],
  ["complaint_about", (c) => c.complaint_about !== "none" && c.kind !== "complaint", "p54.pp3.a2"],
  ["subject", (c) => ["criminal_case_complaint", "pretrial_complaint"].includes(c.subject) && c.kind !== "complaint", "p4"],
];

class Invalid extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

function validate(c) {
  if (c === null || typeof c !== "object" || Array.isArray(c)) throw new Invalid(null, "the case is not an object");
  const known = new Set(["received_on", "unknown_provisions", ...FLAGS, ...Object.keys(ENUMS)]);
  for (const key of Object.keys(c)) if (!known.has(key)) throw new Invalid(key, `unknown field ${key}`);
  if (typeof c.received_on !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(c.received_on)
      || Number.isNaN(Date.parse(c.received_on + "T00:00:00Z"))
      || new Date(c.received_on + "T00:00:00Z").toISOString().slice(0, 10) !== c.received_on) {
    throw new Invalid("received_on", "received_on must be an ISO date");
  }
  for (const [field, values] of Object.entries(ENUMS)) {
    if (!values.includes(c[field])) throw new Invalid(field, `${field} must be one of ${values.join(", ")}`);
  }
  for (const field of FLAGS) if (typeof c[field] !== "boolean") throw new Invalid(field, `${field} must be true or false`);
  const unknown = c.unknown_provisions === undefined ? [] : c.unknown_provisions;
  if (!Array.isArray(unknown) || !unknown.every((u) => UNKNOWN_PROVISIONS.includes(u))) {
    throw new Invalid("unknown_provisions", `unknown_provisions must list some of ${UNKNOWN_PROVISIONS.join(", ")}`);
  }
  for (const [field, broken, clause] of INCOHERENT) {
    if (broken(c)) throw new Invalid(field, `incoherent ${field} (clause ${clause})`);
  }
}

// --- the clauses --------------------------------------------------------------

// Order No. 165 applies from 22.02.2016 (its point 4, publication assumed on
// the registration day 11.02.2016) until order No. 72 repeals the Instruction
// on 29.06.2018.
function inForce(day) {
  if (day < "2016-02-22") return "before";
  if (day >= "2018-06-29") return "repealed";
  return "in_force";
}

const REGIONAL_LEVEL = ["regional", "agency", "institution"];
const GPO_UNITS = ["gpo_department", "gpo_subdivision"];
const CENTRAL_SENDERS = ["presidential_administration", "parliament_official", "government", "prosecutor_general_office",
  "other_central_body", "security_council", "constitutional_council", "supreme_court"];

// Each rule: [clause, condition, answer]. The first rule that applies answers.
function procedureRules(c) {
  const p4 = ["crime_report", "criminal_case_complaint", "pretrial_complaint"].includes(c.subject);
  const p5 = c.subject.startsWith("court_act_");
  // Point 6 read word for word (the literal profile): every appeal from the Administration, its own
  // documents and the appeals it sends on alike.
  const p6 = c.sender === "presidential_administration";
  const p15 = c.anonymous; // anonymous appeals: point 15 says what happens to them
  return [
    ["p1", !(p4 || p5 || p6 || p15), "instruction"],
    ["p4", p4, "criminal_procedure_code"],
    ["p5", p5, "court_act_codes"],
    ["p6", p6, "presidential_administration_rules"],
    ["p15", c.anonymous && !(c.subject === "crime_report" || c.security_threat), "not_considered"],
    ["p15", c.anonymous && (c.subject === "crime_report" || c.security_threat), "forward_to_state_bodies"],
  ];
}

// Point 23: what the Department of the Prosecutor General's Office considers and what is forwarded.
function point23(c) {
  const dep = c.handled_at === "gpo_department";
  const elsewhere = ["gpo_subdivision", "agency", "institution", "regional"].includes(c.handled_at);
  const primaryToForward = !c.repeated && !c.deputy_inquiry && !c.report_required
    && ["lower_prosecutor", "other_body"].includes(c.competent);
  const regionalAnswered = c.earlier_answer_by === "regional_prosecutor";
  const repeatedToForward = c.repeated && !(regionalAnswered && c.earlier_answer_attached);
  const cassationReturned = c.cassation !== "none" && (c.cassation_defective || c.cassation_term_expired);
  // Part 3's three groups: resonant violations of rights, risks to the interests of the state, groups or
  // citizens, instructions of the Prosecutor General; "первичные" governs all three.
  const resonant = !c.repeated && (c.public_resonance || c.interests_at_risk || c.pg_instruction);
  // Part 3 names no receiving unit: any unit of the Prosecutor General's Office.
  const gpo = c.handled_at.startsWith("gpo_");
  return {
    dep, gpo, elsewhere, primaryToForward, repeatedToForward, cassationReturned, resonant,
    // Part 3 of subpoint 2) is part 2's own proviso: an applicant who says the regional prosecutor
    // answered (answer not attached) is forwarded only after ЕИАС is checked, and kept if it is there.
    statesRegionalAnswer: c.repeated && regionalAnswered && !c.earlier_answer_attached,
    notFoundInEias: dep && c.repeated && regionalAnswered && !c.earlier_answer_attached && !c.earlier_answer_in_eias,
    foundInEias: dep && c.repeated && regionalAnswered && !c.earlier_answer_attached && c.earlier_answer_in_eias,
  };
}

function handlerRules(c) {
  const p = point23(c);
  return [
    ["p19.ch1", p.dep, "leadership_or_subdivision"],
    ["p20.list", p.dep && c.unknown_provisions.includes("p20.list"), "prosecutor_general"],
    ["p26-1", ["agency", "institution"].includes(c.handled_at), "leadership_or_subdivision"],
    ["p23.pp1.ch2", p.dep && p.primaryToForward, "appeals_department"],
    ["p23.pp2.ch1", p.dep && p.repeatedToForward, "appeals_department"],
    ["p23.pp3", p.dep && p.cassationReturned, "appeals_department"],
    ["p23.pp4", p.dep && c.subject === "appeals_procedure_explanation", "appeals_department"],
    ["p23.ch3", p.gpo && p.resonant, "structural_subdivision"],
    // Part 5 extends part 3 word for word (the literal profile): sent up to the Office's subdivisions.
    ["p23.ch5", REGIONAL_LEVEL.includes(c.handled_at) && p.resonant, "gpo_structural_subdivision"],
  ];
}

function dispositionRules(c) {
  const p = point23(c);
  return [
    ["p23.pp1.ch2", p.dep && p.primaryToForward, "forward_3wd_notice"],
    ["p23.pp2.ch2", p.dep && p.repeatedToForward && !p.statesRegionalAnswer, "forward_3wd_report"],
    ["p23.pp2.ch3", p.notFoundInEias, "forward_3wd_report"],
    ["p23.pp2.ch3", p.foundInEias, "considered_in_gpo"],
    ["p23.pp3", p.dep && p.cassationReturned, "returned_without_consideration"],
    ["p23.ch2", p.elsewhere && p.primaryToForward, "forward_3wd_notice"],
    ["p23.ch2", p.elsewhere && p.repeatedToForward, "forward_3wd_report"],
    ["p23.ch3", p.gpo && p.resonant, "no_downward_forwarding"],
    ["p23.ch5", REGIONAL_LEVEL.includes(c.handled_at) && p.resonant, "no_downward_forwarding"],
  ];
}

// Point 54 (and 53-1): who signs. Subpoints 1) and 2) are not in the sources;
// the case says when they apply (unknown_provisions).
function signatoryRules(c) {
  const pp1 = c.unknown_provisions.includes("p54.pp1");
  const pp2 = c.unknown_provisions.includes("p54.pp2");
  const gpo = GPO_UNITS.includes(c.handled_at);
  const regional = REGIONAL_LEVEL.includes(c.handled_at);
  const district = c.handled_at === "district";
  const pp3 = [
    ["p54.pp3.a2", gpo && c.complaint_about === "subordinate_staff" && c.outcome !== "refused", "head"],
    ["p54.pp3.a3", gpo && c.outcome === "explained", "head"],
    ["p54.pp3.a4", gpo && !(pp1 || pp2), "head"],
  ];
  const pp3Applies = pp3.some((r) => r[1]);
  const pp5 = [
    ["p54.pp5.a2", regional && (c.complaint_about === "deputy_head" || (c.kind === "complaint" && c.earlier_answer_by === "deputy_head")), "head"],
    ["p54.pp5.a3", regional && c.report_required && CENTRAL_SENDERS.includes(c.sender), "head"],
    ["p54.pp5.a4", regional && c.earlier_answer_by === "district_prosecutor", "head"],
    ["p54.pp5.a5", regional && c.outcome === "refused", "head"],
    ["p54.pp5.a6", regional && !(pp1 || pp2 || pp3Applies), "head"],
  ];
  const pp5Applies = pp5.some((r) => r[1]);
  const pp6 = [
    ["p54.pp6.a2", regional && c.complaint_about === "subordinate_staff" && c.outcome !== "refused", "deputy_head"],
    ["p54.pp6.a3", regional && c.outcome === "explained", "deputy_head"],
    ["p54.pp6.a4", regional && !(pp1 || pp2 || pp3Applies || pp5Applies), "deputy_head"],
  ];
  const pp6Applies = pp6.some((r) => r[1]);
  return [
    ["p53-1", c.subject === "pretrial_complaint", "per_criminal_procedure"],
    ["p54.pp1", pp1, "per_p54_pp1"],
    ["p54.pp2", pp2, "per_p54_pp2"],
    ...pp3, ...pp5, ...pp6,
    ["p54.pp7.a2", district && ["deputy_head", "subordinate_staff"].includes(c.complaint_about), "head"],
    ["p54.pp7.a3", district && c.outcome === "refused", "head"],
    ["p54.pp7.a4", district && c.outcome === "explained", "head"],
    ["p54.pp7.a5", district && !(pp1 || pp2 || pp3Applies || pp5Applies || pp6Applies), "head"],
    ["p54.pp8.a2", c.outcome === "granted", "resolving_official"],
  ];
}

// The rule tables, in one object so that a variant (examples/node-vendor-broken) can replace one.
const RULES = { procedure: procedureRules, handler: handlerRules, disposition: dispositionRules, signatory: signatoryRules };

function first(rules) {
  const hit = rules.find((r) => r[1]);
  return hit ? hit[2] : null;
}

function decide(c) {
  validate(c);
  c = { ...c, unknown_provisions: c.unknown_provisions || [] };
  const state = inForce(c.received_on);
  if (state !== "in_force") {
    return { in_force: state, procedure: null, intake: null, handler: null, disposition: null, signatory: null, forwarding_due: null };
  }
  const procedure = first(RULES.procedure(c));
  // p15: an anonymous appeal that is not considered has no one who considers, forwards or answers it.
  const considered = procedure !== "not_considered";
  const disposition = considered ? first(RULES.disposition(c)) : null;
  // p54 says who gives the answer: an appeal this body forwards (p23.pp1.ch2, p23.pp2.ch2) or
  // returns (p23.pp3) gets no answer from it, so nobody here signs.
  // One sent up to the Office's subdivisions (p23.ch5 with p23.ch3) is answered there.
  const handler = considered ? first(RULES.handler(c)) : null;
  const answered = considered && handler !== "gpo_structural_subdivision"
    && !["forward_3wd_notice", "forward_3wd_report", "returned_without_consideration"].includes(disposition);
  return {
    in_force: state,
    procedure,
    intake: c.channel === "call_centre_conforming" ? "appeals_staff" : null, // p18.ch2
    handler,
    disposition,
    signatory: answered ? first(RULES.signatory(c)) : null,
    forwarding_due: null, // deadlines are not claimed
  };
}

// --- the protocol ---------------------------------------------------------------

function reply(request, name) {
  switch (request.cmd) {
    case "start":
      return {
        protocol: 1,
        implementation: { name, version: VERSION, language: "javascript" },
        profiles: ["literal"],
        levels: ["routing", "signature"],
      };
    case "decide":
      return {
        batch: request.batch,
        results: request.cases.map(({ seq, case: c }) => {
          try {
            return { seq, answer: decide(c) };
          } catch (e) {
            if (!(e instanceof Invalid)) throw e;
            return e.field ? { seq, errored: { message: e.message, field: e.field } } : { seq, errored: { message: e.message } };
          }
        }),
      };
    case "stop":
      process.exit(0);
    default:
      throw new Error(`unknown command ${request.cmd}`);
  }
}

function serve(name) {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    process.stdout.write(JSON.stringify(reply(JSON.parse(line), name)) + "\n");
  });
  lines.on("close", () => process.exit(0));
}

module.exports = { RULES, serve };

if (require.main === module) serve(NAME);
