# ruff: noqa: E501  (template lines follow the HTML, not Python's width)
"""The Jinja2 template of the HTML report: one file, inline CSS, no scripts or external assets.

Kept as a Python string so the report needs no package data; rendered with autoescape on.
"""

from __future__ import annotations

TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>loadscout run {{ s.run_id }}: {{ s.target_url }}</title>
<style>
:root { color-scheme: light dark; --fg:#0f172a; --muted:#64748b; --bg:#fff; --card:#f8fafc;
  --line:#e2e8f0; --good:#059669; --bad:#e11d48; --accent:#4f46e5; }
@media (prefers-color-scheme: dark) { :root { --fg:#e2e8f0; --muted:#94a3b8; --bg:#0f172a;
  --card:#1e293b; --line:#334155; --good:#34d399; --bad:#fb7185; --accent:#818cf8; } }
* { box-sizing: border-box; }
body { margin:0; padding:24px; font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;
  color:var(--fg); background:var(--bg); }
main { max-width:1100px; margin:0 auto; }
h1 { font-size:20px; margin:0 0 4px; word-break:break-all; }
h2 { font-size:16px; margin:28px 0 8px; }
.muted { color:var(--muted); }
.status { display:inline-block; padding:1px 8px; border-radius:999px; font-size:12px;
  font-weight:600; border:1px solid currentColor; }
.status.completed, .pass { color:var(--good); }
.status.failed, .status.cancelled, .fail { color:var(--bad); }
.verdict { display:inline-block; padding:4px 14px; border-radius:6px; font-size:16px; font-weight:700;
  color:#fff; background:var(--bad); margin:8px 0; }
.verdict.passed { background:var(--good); }
.stats { display:grid; grid-template-columns:repeat(auto-fit,minmax(140px,1fr)); gap:12px; margin:0; }
.stats div { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:10px 12px; }
.stats dt { font-size:12px; color:var(--muted); }
.stats dd { margin:0; font-size:20px; font-weight:600; font-variant-numeric:tabular-nums; }
.scroll { overflow-x:auto; }
table { border-collapse:collapse; width:100%; font-variant-numeric:tabular-nums; }
th, td { padding:6px 10px; border-bottom:1px solid var(--line); text-align:left; vertical-align:top; }
th { font-size:12px; color:var(--muted); font-weight:600; }
td.n, th.n { text-align:right; white-space:nowrap; }
tr.flow td { font-weight:600; background:var(--card); }
tr.total td { font-weight:600; border-top:2px solid var(--line); }
code { font:12px ui-monospace,monospace; word-break:break-all; }
.charts { display:grid; gap:1rem; grid-template-columns:repeat(auto-fit, minmax(300px, 1fr)); }
.charts figure { margin:0; }
svg.chart { width:100%; height:auto; display:block; }
svg.chart .grid { stroke:var(--line); stroke-width:1; }
svg.chart .axis { fill:var(--muted); font-size:11px; }
footer { margin-top:32px; font-size:12px; color:var(--muted); }
</style>
</head>
<body>
<main>
<header>
{% if s.verdict %}<p class="verdict {{ s.verdict.value }}" role="status">{{ s.verdict.label }}{% if failed %}: {{ failed|length }} of {{ s.thresholds|length }} thresholds failed{% elif s.verdict.value == "errors" %}: {{ "%.2f"|format(t.error_rate * 100) }}% of requests failed{% endif %}</p>
{% else %}<p class="verdict" role="status">No verdict ({{ s.status }})</p>{% endif %}
<h1>{{ s.target_url }}</h1>
<p class="muted">Run #{{ s.run_id }} <span class="status {{ s.status }}">{{ s.status }}</span>
 · {{ s.users }} users · {{ "%.1f"|format(s.duration_s) }} s of load
{% if s.started_at %} · started {{ local(s.started_at) }}{% endif %}
{% if s.finished_at %} · finished {{ local(s.finished_at) }}{% endif %}
{% if s.started_at or s.finished_at %} <small>(times in {{ zone }})</small>{% endif %}</p>
{% if s.reason %}<p class="fail">Reason: {{ s.reason }}</p>{% endif %}
{% if trail %}<p class="muted audit">{% for what, who, when in trail %}{{ what|capitalize }} by {{ who }} at {{ when }}{% if not loop.last %} · {% endif %}{% endfor %}</p>{% endif %}
</header>

<section aria-labelledby="totals"><h2 id="totals">Totals</h2>
<dl class="stats">
<div><dt>Requests</dt><dd>{{ "{:,}".format(t.requests) }}</dd></div>
<div><dt>Errors</dt><dd>{{ "{:,}".format(t.errors) }} <small class="muted">{{ "%.2f"|format(t.error_rate * 100) }}%</small></dd></div>
<div><dt>Throughput</dt><dd>{{ "%.1f"|format(t.rps) }} <small class="muted">req/s</small></dd></div>
<div><dt>p50</dt><dd>{{ ms(t.latency_ms.p50) }} <small class="muted">ms</small></dd></div>
<div><dt>p95</dt><dd>{{ ms(t.latency_ms.p95) }} <small class="muted">ms</small></dd></div>
<div><dt>p99</dt><dd>{{ ms(t.latency_ms.p99) }} <small class="muted">ms</small></dd></div>
<div><dt>max</dt><dd>{{ ms(t.latency_ms.max) }} <small class="muted">ms</small></dd></div>
{% if t.dropped_iterations %}<div><dt>Dropped iterations</dt><dd>{{ "{:,}".format(t.dropped_iterations) }}</dd></div>{% endif %}
</dl>
{% if phases %}
<table aria-label="Where request time went">
<thead><tr><th>phase</th><th class="n">p50 ms</th><th class="n">p95 ms</th><th class="n">p99 ms</th></tr></thead>
<tbody>
{% for label, p in phases %}<tr><td>{{ label }}</td><td class="n">{{ ms(p.p50) }}</td><td class="n">{{ ms(p.p95) }}</td><td class="n">{{ ms(p.p99) }}</td></tr>
{% endfor %}</tbody></table>
{% endif %}
{% if t.assets_skipped %}<p class="muted">{{ "{:,}".format(t.assets_skipped) }} off-scope assets not fetched (widen with --scope).</p>{% endif %}
</section>

{% if charts %}
<section aria-labelledby="charts"><h2 id="charts">Over time</h2>
<p class="muted">Seconds since the first request of the load. Gaps are seconds without a response (never drawn as 0 ms). Peak {{ "%.1f"|format(peak_rps) }} req/s.</p>
<div class="charts">{% for chart in charts %}<figure>{{ chart }}</figure>{% endfor %}</div>
</section>
{% endif %}

<section aria-labelledby="thresholds"><h2 id="thresholds">Thresholds</h2>
{% if s.thresholds %}
<table><thead><tr><th>Threshold</th><th>Verdict</th><th class="n">Observed</th></tr></thead><tbody>
{% for th in s.thresholds %}
<tr><td><code>{{ th.expression }}</code></td>
<td class="{{ 'pass' if th.passed else 'fail' }}">{{ "pass" if th.passed else "FAIL" }}</td>
<td class="n">{{ th.observed_text }}</td></tr>
{% endfor %}
</tbody></table>
{% else %}<p class="muted">No thresholds were set.</p>{% endif %}
</section>

<section aria-labelledby="steps"><h2 id="steps">Per step</h2>
<div class="scroll"><table><thead><tr><th>Flow / step</th><th>Method</th>
<th class="n">Sent</th><th class="n" title="Of those sent: sent again after a dropped connection">Retried</th>
<th class="n" title="Of those sent: redirect hops followed">Redirects</th><th class="n">Errors</th><th class="n">p50 ms</th><th class="n">p90 ms</th>
<th class="n">p95 ms</th><th class="n">p99 ms</th><th class="n">max ms</th></tr></thead><tbody>
{% for flow, steps in flows %}
<tr class="flow"><td colspan="11">{{ flow }}</td></tr>
{% for st in steps %}
<tr><td>{{ st.name }}<br><code class="muted">{{ st.url }}</code></td><td>{{ st.method }}</td>
<td class="n">{{ "{:,}".format(st.requests) }}</td><td class="n">{{ "{:,}".format(st.retried) }}</td>
<td class="n">{{ "{:,}".format(st.redirects) }}</td><td class="n">{{ "{:,}".format(st.errors) }}</td>
<td class="n">{{ ms(st.latency_ms.p50) }}</td><td class="n">{{ ms(st.latency_ms.p90) }}</td>
<td class="n">{{ ms(st.latency_ms.p95) }}</td><td class="n">{{ ms(st.latency_ms.p99) }}</td>
<td class="n">{{ ms(st.latency_ms.max) }}</td></tr>
{% endfor %}
{% endfor %}
<tr class="total"><td>Total</td><td></td><td class="n">{{ "{:,}".format(t.requests) }}</td>
<td class="n">{{ "{:,}".format(s.steps | sum(attribute="retried")) }}</td>
<td class="n">{{ "{:,}".format(s.steps | sum(attribute="redirects")) }}</td>
<td class="n">{{ "{:,}".format(t.errors) }}</td><td class="n">{{ ms(t.latency_ms.p50) }}</td>
<td class="n">{{ ms(t.latency_ms.p90) }}</td><td class="n">{{ ms(t.latency_ms.p95) }}</td>
<td class="n">{{ ms(t.latency_ms.p99) }}</td><td class="n">{{ ms(t.latency_ms.max) }}</td></tr>
</tbody></table></div>
</section>

{% if s.endpoints %}
<section aria-labelledby="endpoints"><h2 id="endpoints">Per endpoint</h2>
<p class="muted">Every flow's requests merged per method and URL pattern. Percentiles of fewer than {{ low_sample }} responses are marked: they are anecdotes, not percentiles.</p>
<div class="scroll"><table><thead><tr><th>Endpoint</th>
<th class="n">Requests</th><th class="n">Errors</th><th class="n">p50 ms</th><th class="n">p95 ms</th><th class="n">p99 ms</th><th class="n">max ms</th></tr></thead><tbody>
{% for e in s.endpoints %}
<tr><td><code>{{ e.method }} {{ e.pattern }}</code>{% if e.low_sample %} <span class="fail">few samples ({{ e.samples }})</span>{% endif %}</td>
<td class="n">{{ "{:,}".format(e.requests) }}</td><td class="n">{{ "{:,}".format(e.errors) }}</td>
<td class="n">{{ ms(e.latency_ms.p50) }}</td><td class="n">{{ ms(e.latency_ms.p95) }}</td>
<td class="n">{{ ms(e.latency_ms.p99) }}</td><td class="n">{{ ms(e.latency_ms.max) }}</td></tr>
{% endfor %}
<tr class="total"><td>Total</td><td class="n">{{ "{:,}".format(t.requests) }}</td><td class="n">{{ "{:,}".format(t.errors) }}</td>
<td class="n">{{ ms(t.latency_ms.p50) }}</td><td class="n">{{ ms(t.latency_ms.p95) }}</td>
<td class="n">{{ ms(t.latency_ms.p99) }}</td><td class="n">{{ ms(t.latency_ms.max) }}</td></tr>
</tbody></table></div>
</section>
{% endif %}

<section aria-labelledby="errors"><h2 id="errors">Errors</h2>
{% if s.errors %}
<div class="scroll"><table><thead><tr><th>Flow / step</th><th>Kind</th><th class="n">Count</th><th>Message</th><th>Example URL</th></tr></thead><tbody>
{% for e in s.errors %}
<tr><td>{{ e.flow ~ " / " ~ e.step if e.step else "–" }}</td><td>{{ e.kind }}</td><td class="n">{{ "{:,}".format(e.count) }}</td><td>{{ e.message or e.example }}</td><td><code>{{ e.url }}</code></td></tr>
{% endfor %}
</tbody></table></div>
{% else %}<p class="muted">No errors.</p>{% endif %}
</section>

{{ realism }}
<section aria-labelledby="discovery"><h2 id="discovery">Discovery</h2>
<dl class="stats">
<div><dt>Pages</dt><dd>{{ d.pages }}</dd></div>
<div><dt>URL patterns</dt><dd>{{ d.patterns|length }}</dd></div>
<div><dt>Forms</dt><dd>{{ d.forms }}</dd></div>
<div><dt>API calls</dt><dd>{{ d.api_calls }}</dd></div>
<div><dt>Flows</dt><dd>{{ d.flows }}</dd></div>
<div><dt>Actions skipped</dt><dd>{{ d.skipped|length }}</dd></div>
{% if d.stop_reason %}<div><dt>Stopped</dt><dd>{{ stopped.get(d.stop_reason, d.stop_reason) }}</dd></div>{% endif %}
</dl>
{% if d.coverage %}
<h3>Where the time went</h3>
<div class="scroll"><table><thead><tr><th>Page pattern</th><th class="n">Pages</th><th class="n">Over plain HTTP</th><th class="n">Seconds</th></tr></thead><tbody>
{% for c in d.coverage %}
<tr><td><code>{{ c.pattern }}</code></td><td class="n">{{ c.pages }}</td><td class="n">{{ c.plain_pages }}</td><td class="n">{{ "%.1f"|format(c.seconds) }}</td></tr>
{% endfor %}
</tbody></table></div>
{% endif %}
{% if d.verification %}
<h3>Flow verification</h3>
<table><thead><tr><th>Flow</th><th>Verdict</th><th>Detail</th></tr></thead><tbody>
{% for v in d.verification %}
<tr><td>{{ v.flow }}</td><td class="{{ 'pass' if v.passed else 'fail' }}">{{ "pass" if v.passed else "FAIL" }}</td>
<td>{{ v.detail }}</td></tr>
{% endfor %}
</tbody></table>
{% endif %}
{% if d.skipped %}
<h3>Skipped actions</h3>
<ul>{% for a in d.skipped %}<li><code>{{ a.method }} {{ a.url }}</code> — {{ a.reason }}</li>{% endfor %}</ul>
{% endif %}
</section>

<footer>Generated by loadscout {{ version }}. Latencies in milliseconds.</footer>
</main>
</body>
</html>
"""
