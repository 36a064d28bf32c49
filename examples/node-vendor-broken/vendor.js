#!/usr/bin/env node
// A BROKEN variant of examples/node-vendor/vendor.js: it misreads one clause,
// p54.pp5.a5, and has refusals at the regional level signed by a deputy
// instead of the head. It exists to show what a failing certificate looks like:
//
//   kzappeals certify --impl "cmd:node examples/node-vendor-broken/vendor.js"
"use strict";

const vendor = require("../node-vendor/vendor.js");

const rightly = vendor.RULES.signatory;
vendor.RULES.signatory = (c) =>
  rightly(c).map(([clause, applies, answer]) =>
    clause === "p54.pp5.a5" ? [clause, applies, "deputy_head"] : [clause, applies, answer]); // MISREAD

vendor.serve("node-vendor-broken");
