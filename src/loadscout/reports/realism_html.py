# ruff: noqa: E501  (template lines follow the HTML, not Python's width)
"""The realism report as an HTML section of the run report (escaped like the rest)."""

from __future__ import annotations

import jinja2
from markupsafe import Markup

from loadscout.metrics.realism import RealismReport
from loadscout.metrics.summary import MISSING, ms_text

_SECTION = """
<section aria-labelledby="realism"><h2 id="realism">Load coverage (journeys)</h2>
<p class="muted">Each page pattern's share of the journeys' requests against the share the
journey model predicts, how many distinct URLs it got and the busiest URL's share: one URL
taking most requests measures a cache, not users.</p>
<div class="scroll"><table><thead><tr><th>Page pattern</th><th class="n">Requests</th>
<th class="n">Share</th><th class="n">Model</th><th class="n">Distinct URLs</th>
<th class="n">Top URL</th><th class="n">p50 ms</th><th class="n">p95 ms</th>
<th class="n">Errors</th></tr></thead><tbody>
{% for p in r.patterns %}
<tr><td><code>{{ p.pattern }}</code>{% if p.name != p.pattern %}<br><span class="muted">{{ p.name }}</span>{% endif %}</td>
<td class="n">{{ "{:,}".format(p.requests) }}</td>
<td class="n {{ 'fail' if p.off_model else '' }}">{{ "%.1f"|format(p.share * 100) }}%</td>
<td class="n">{{ "%.1f"|format(p.model_share * 100) }}%</td>
<td class="n">{{ "{:,}".format(p.distinct_urls) }}</td>
<td class="n">{{ "%.0f"|format(p.top_url_share * 100) ~ "%" if p.requests else missing }}</td>
<td class="n">{{ ms(p.p50_ms) }}</td><td class="n">{{ ms(p.p95_ms) }}</td>
<td class="n">{{ "{:,}".format(p.errors) }}</td></tr>
{% endfor %}
</tbody></table></div>
{% for j in r.journeys %}
<h3>Journey “{{ j.name }}”</h3>
<p>{{ "{:,}".format(j.sessions) }} sessions · median {{ j.median_pages }} pages (mean
{{ "%.1f"|format(j.mean_pages) }}, model {{ "%.1f"|format(j.model_mean_pages) }})
{% if j.search_hit_rate is not none %} · searches found results {{ "%.0f"|format(j.search_hit_rate * 100) }}% of {{ "{:,}".format(j.searches) }}{% endif %}</p>
<table><thead><tr><th>State</th><th class="n">Sessions reaching it</th><th class="n">Reached</th>
<th class="n">Exits here</th></tr></thead><tbody>
{% for f in j.funnel %}
<tr><td><code>{{ f.state }}</code></td><td class="n">{{ "{:,}".format(f.sessions) }}</td>
<td class="n">{{ "%.0f"|format(f.reached * 100) }}%</td><td class="n">{{ "{:,}".format(f.exits) }}</td></tr>
{% endfor %}
</tbody></table>
{% endfor %}
{% if r.think_mean_s is not none %}<p>Think time: mean {{ "%.2f"|format(r.think_mean_s) }} s.</p>{% endif %}
{% if r.unloaded_patterns %}<p class="muted">Found by discovery, no load:
{% for p in r.unloaded_patterns %}<code>{{ p }}</code>{{ ", " if not loop.last }}{% endfor %}</p>{% endif %}
{% for w in r.warnings %}<p class="fail">{{ w }}</p>{% endfor %}
</section>
"""

_ENV = jinja2.Environment(
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
)
_TEMPLATE = _ENV.from_string(_SECTION)


def realism_section(report: RealismReport | None) -> Markup:
    """The section's markup (empty without journeys); every value is escaped."""
    if report is None:
        return Markup("")
    return Markup(_TEMPLATE.render(r=report, ms=ms_text, missing=MISSING))
