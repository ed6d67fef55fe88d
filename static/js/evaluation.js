/*
 * Label Actions Innovantes — jury scoring form, progressive enhancement only.
 *
 * The page shows the weighted total computed by the server; this file only
 * recomputes it while the juror types, with the server's formula, the one of
 * jury/aggregation.py (partial_weighted_total: the criteria scored so far):
 *
 *   sum(weight * score / scale) / sum(weights) * 100
 *
 * Nothing of the grid is written here: each criterion's weight and scale come
 * from the markup the server renders (data-weight, data-scale, jury/forms.py).
 * tests/browser/test_live_total.py types scores and checks that the total
 * read here equals aggregation's for the same scores.
 *
 * over the criteria that have a valid score (0 to scale, one decimal at most,
 * comma or dot), rounded half up to 2 decimals and written the French way
 * ("Total pondéré : 83,33 / 100"). The sums are done on integers (tenths of
 * weights and scores, a common multiple of the scales) so that the rounding
 * matches the server's exact Decimal arithmetic.
 *
 * Inputs: elements with class "score-input" and the attributes data-weight
 * and data-scale. Output: the element #total-pondere (an aria-live region).
 * Loaded with "defer"; no inline script (the Content-Security-Policy
 * forbids it).
 */
(function () {
  "use strict";

  var NUMBER = /^(\d+(\.\d*)?|\.\d+)$/;

  // A decimal string as an integer number of tenths, or null when it is not
  // a number or has a non-zero digit after the first decimal.
  function tenths(text) {
    var value = String(text || "").trim().replace(",", ".");
    if (!NUMBER.test(value)) {
      return null;
    }
    var parts = value.split(".");
    var whole = parts[0] === "" ? 0 : parseInt(parts[0], 10);
    var decimals = parts.length > 1 ? parts[1] : "";
    if (/[1-9]/.test(decimals.slice(1))) {
      return null;
    }
    var first = decimals.length ? parseInt(decimals.charAt(0), 10) : 0;
    var result = whole * 10 + first;
    return Number.isSafeInteger(result) ? result : null;
  }

  function gcd(a, b) {
    while (b) {
      var rest = a % b;
      a = b;
      b = rest;
    }
    return a;
  }

  // Valid scored criteria: {weight: tenths, score: tenths, scale: integer}.
  function scoredCriteria(inputs) {
    var rows = [];
    Array.prototype.forEach.call(inputs, function (input) {
      var weight = tenths(input.getAttribute("data-weight"));
      var scale = parseInt(input.getAttribute("data-scale"), 10);
      var score = tenths(input.value);
      if (weight === null || !(scale > 0) || score === null || score > scale * 10) {
        return;
      }
      rows.push({ weight: weight, score: score, scale: scale });
    });
    return rows;
  }

  // The weighted total on 100 in hundredths (an integer), or null.
  function totalInHundredths(rows) {
    var weights = 0;
    var common = 1;
    rows.forEach(function (row) {
      weights += row.weight;
      common = (common / gcd(common, row.scale)) * row.scale;
    });
    if (!rows.length || weights === 0) {
      return null;
    }
    // total = sum(w * s * common / scale) / (common * weights) * 100, with
    // w and s in tenths: in hundredths of a point that is
    // sum(w10 * s10 * common / scale) * 1000 / (common * w10 sum).
    var numerator = 0;
    rows.forEach(function (row) {
      numerator += row.weight * row.score * (common / row.scale);
    });
    numerator *= 1000;
    var denominator = common * weights;
    if (Number.isSafeInteger(2 * numerator + denominator) && Number.isSafeInteger(2 * denominator)) {
      // Round half up, on integers.
      return Math.floor((2 * numerator + denominator) / (2 * denominator));
    }
    return Math.round(numerator / denominator);
  }

  function format(hundredths) {
    if (hundredths === null) {
      return "Total pondéré : non calculé";
    }
    var whole = Math.floor(hundredths / 100);
    var cents = String(hundredths % 100);
    if (cents.length < 2) {
      cents = "0" + cents;
    }
    return "Total pondéré : " + whole + "," + cents + " / 100";
  }

  function init() {
    var output = document.getElementById("total-pondere");
    var inputs = document.querySelectorAll("input.score-input[data-weight][data-scale]");
    if (!output || !inputs.length) {
      return;
    }
    function update() {
      var text = format(totalInHundredths(scoredCriteria(inputs)));
      if (output.textContent !== text) {
        output.textContent = text;
      }
    }
    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener("input", update);
      input.addEventListener("change", update);
    });
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
