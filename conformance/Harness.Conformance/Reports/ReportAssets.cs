namespace Harness.Conformance.Reports;

/// <summary>The style sheet and script inlined into the HTML report (constants: the report loads nothing).</summary>
internal static class ReportAssets
{
    /// <summary>The style sheet: screen and print.</summary>
    public const string Css = """
:root {
  --fg: #1d2330; --muted: #5d6677; --line: #d9dee7; --bg: #ffffff; --panel: #f6f8fb;
  --pass: #1a7f37; --pass-bg: #e8f5ec; --fail: #c62828; --fail-bg: #fdecec;
  --warn: #9a6700; --warn-bg: #fff5d6; --info: #0b5cad; --info-bg: #e7f0fb;
  --na: #5d6677; --na-bg: #eef0f3; --error: #7b3fa6; --error-bg: #f3eafa;
  --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Roboto, Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 0 24px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 0; }
code, pre, .mono { font-family: var(--mono); font-size: 12.5px; }
a { color: var(--info); }
.top { background: #1d2330; color: #fff; }
.top-inner { max-width: 1200px; margin: 0 auto; padding: 18px 24px; display: flex; gap: 24px; align-items: center; justify-content: space-between; }
.top .meta { margin: 0; color: #c9d1de; font-size: 13px; }
.top .meta span + span::before { content: " \00b7  "; color: #7d889c; }
.overall { min-width: 140px; text-align: center; border-radius: 8px; padding: 8px 16px; font-weight: 700; font-size: 22px; letter-spacing: .04em; }
.overall small { display: block; font-size: 12px; font-weight: 500; letter-spacing: 0; opacity: .9; }
.overall.v-pass { background: var(--pass); } .overall.v-fail { background: var(--fail); }
.overall.v-error { background: var(--error); } .overall.v-notApplicable { background: var(--na); }
.overall.v-warn { background: var(--warn); } .overall.v-info { background: var(--info); }
.note { background: var(--warn-bg); border-left: 4px solid var(--warn); padding: 8px 12px; margin: 12px 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--panel); font-weight: 600; font-size: 12.5px; color: var(--muted); white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; width: 1%; white-space: nowrap; }
td.num.zero { color: #aab1bd; }
.devices td.name { font-weight: 600; overflow-wrap: anywhere; min-width: 16em; width: 30%; }
.devices .id { color: var(--muted); font-size: 12px; font-weight: 400; font-family: var(--mono); overflow-wrap: anywhere; }
.counts { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 24px; margin-top: 16px; }
.counts h3 { font-size: 14px; margin-bottom: 6px; }
.badge { display: inline-block; min-width: 52px; text-align: center; padding: 1px 8px; border-radius: 10px; font-size: 11.5px; font-weight: 700; letter-spacing: .03em; border: 1px solid transparent; white-space: nowrap; }
.badge.v-pass { color: var(--pass); background: var(--pass-bg); border-color: #b7dfc2; }
.badge.v-fail { color: var(--fail); background: var(--fail-bg); border-color: #f3b9b9; }
.badge.v-warn { color: var(--warn); background: var(--warn-bg); border-color: #efd88f; }
.badge.v-info { color: var(--info); background: var(--info-bg); border-color: #b7d0ef; }
.badge.v-notApplicable { color: var(--na); background: var(--na-bg); border-color: #d6dae1; }
.badge.v-error { color: var(--error); background: var(--error-bg); border-color: #d9c0ea; }
.level { display: inline-block; font-size: 11px; font-weight: 700; padding: 0 6px; border-radius: 4px; border: 1px solid var(--line); color: var(--muted); }
.level.l-must { color: #8a1c1c; border-color: #e6b3b3; }
.level.l-should { color: #7a5200; border-color: #e8d39a; }
.proto { font-size: 11.5px; color: var(--muted); font-family: var(--mono); }
.failures li { margin: 4px 0; }
.failures .msg { color: var(--muted); }
.filters { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: center; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; margin: 0 0 16px; position: sticky; top: 0; z-index: 2; }
.filters fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; }
.filters legend { float: left; font-weight: 600; margin-right: 6px; color: var(--muted); font-size: 12.5px; }
.filters label { white-space: nowrap; cursor: pointer; }
.filters .shown { margin-left: auto; color: var(--muted); font-size: 12.5px; }
.device { margin: 0 0 28px; }
.device > header { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; padding: 10px 0 6px; }
.device > header h3 { overflow-wrap: anywhere; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 12px; font-size: 13px; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.outcome { border: 1px solid var(--line); border-left: 5px solid var(--na); border-radius: 6px; margin: 8px 0; padding: 8px 12px; break-inside: avoid; }
.outcome.v-pass { border-left-color: var(--pass); } .outcome.v-fail { border-left-color: var(--fail); }
.outcome.v-warn { border-left-color: var(--warn); } .outcome.v-info { border-left-color: var(--info); }
.outcome.v-error { border-left-color: var(--error); }
.outcome > header { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.rule-id { font-weight: 700; }
.rule-title { font-weight: 600; }
.cite { margin: 4px 0 0; color: var(--muted); font-size: 12.5px; }
.cite q { font-style: italic; }
.cite .url { font-family: var(--mono); font-size: 11.5px; overflow-wrap: anywhere; }
.findings { list-style: none; margin: 6px 0 0; padding: 0; }
.finding { padding: 6px 0 2px; border-top: 1px dashed var(--line); display: grid; grid-template-columns: 64px 1fr; gap: 2px 10px; }
.finding .badge { min-width: 0; align-self: start; margin-top: 2px; }
.finding .text { overflow-wrap: anywhere; white-space: pre-wrap; }
.evidence { grid-column: 2; display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 4px 0; font-size: 13px; }
.evidence dt { color: var(--muted); }
.evidence dd { margin: 0; overflow-wrap: anywhere; white-space: pre-wrap; }
.evidence dd code { background: var(--panel); padding: 0 4px; border-radius: 3px; }
.evidence a { margin-right: 8px; font-family: var(--mono); font-size: 12.5px; }
.none-shown { color: var(--muted); font-style: italic; }
.message { border: 1px solid var(--line); border-radius: 6px; margin: 10px 0; break-inside: avoid-page; }
.message > header { background: var(--panel); padding: 6px 10px; border-bottom: 1px solid var(--line); font-size: 12.5px; display: flex; flex-wrap: wrap; gap: 4px 14px; }
.message > header .seq { font-weight: 700; font-family: var(--mono); }
.message .label { margin: 6px 10px 0; color: var(--muted); font-size: 12px; }
pre { margin: 6px 10px 10px; padding: 8px 10px; background: #fbfcfe; border: 1px solid #e6e9ef; border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 480px; overflow: auto; }
details { margin: 0 10px 10px; }
details summary { cursor: pointer; color: var(--muted); font-size: 12.5px; }
details pre { margin: 6px 0 0; }
.timeline td { font-size: 12.5px; }
.timeline td.t, .timeline td.ep { font-family: var(--mono); white-space: nowrap; }
.timeline td.sum { overflow-wrap: anywhere; }
.dir { font-weight: 600; white-space: nowrap; }
.dir.in { color: #0b5cad; } .dir.out { color: #8a5a00; }
.cited { font-weight: 700; }
footer { max-width: 1200px; margin: 0 auto; padding: 16px 24px 32px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); }
[hidden] { display: none !important; }
@media print {
  body { font-size: 11px; }
  .top { background: none; color: var(--fg); border-bottom: 2px solid var(--fg); }
  .top .meta { color: var(--muted); }
  main { max-width: none; padding: 0; }
  .filters { display: none !important; }
  th, td { padding: 4px 5px; }
  .counts { grid-template-columns: 1fr; gap: 8px; }
  .outcome, .message, tr { break-inside: avoid; }
  h2 { break-after: avoid; }
  pre { max-height: none; overflow: visible; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""";

    /// <summary>
    /// The filter script. Without it every outcome is shown and the filter bar stays hidden; with it, the check boxes
    /// hide outcomes whose verdict, protocol or level is unchecked.
    /// </summary>
    public const string Script = """
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) { return; }
  form.hidden = false;
  var outcomes = Array.prototype.slice.call(document.querySelectorAll('.outcome'));
  var devices = Array.prototype.slice.call(document.querySelectorAll('.device'));
  var counter = document.getElementById('shown-count');
  function checked(name) {
    var on = {};
    Array.prototype.forEach.call(form.querySelectorAll('input[name="' + name + '"]'), function (box) { on[box.value] = box.checked; });
    return on;
  }
  function apply() {
    var verdicts = checked('verdict'), protocols = checked('protocol'), levels = checked('level');
    var shown = 0;
    outcomes.forEach(function (o) {
      var visible = verdicts[o.getAttribute('data-verdict')] !== false
        && protocols[o.getAttribute('data-protocol')] !== false
        && levels[o.getAttribute('data-level')] !== false;
      o.hidden = !visible;
      if (visible) { shown++; }
    });
    devices.forEach(function (d) {
      var none = d.querySelector('.none-shown');
      if (none) { none.hidden = d.querySelector('.outcome:not([hidden])') !== null || d.querySelector('.outcome') === null; }
    });
    if (counter) { counter.textContent = shown + ' of ' + outcomes.length + ' shown'; }
  }
  form.addEventListener('change', apply);
  Array.prototype.forEach.call(form.querySelectorAll('button[data-preset]'), function (button) {
    button.addEventListener('click', function () {
      var problems = button.getAttribute('data-preset') === 'problems';
      Array.prototype.forEach.call(form.querySelectorAll('input[name="verdict"]'), function (box) {
        box.checked = !problems || box.value === 'fail' || box.value === 'error' || box.value === 'warn';
      });
      apply();
    });
  });
  apply();
})();
""";
}
