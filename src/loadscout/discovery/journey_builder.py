"""A journey derived from the crawl: the site's navigation graph between page patterns.

No one writes rules: each page pattern becomes a state, the links the crawl saw on its pages
become transitions weighted as people click (content over navigation, the top of a page over
its bottom), the GET forms it submitted become form transitions filled from pools the site
itself provides (search terms from the names of the items it lists, select options). The
defaults are heuristics from published workload studies (docs/flows.md, "Journeys").
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from loadscout.discovery.patterns import path_pattern
from loadscout.discovery.records import CrawlResult, FormSubmission, LinkSeen, PageVisit
from loadscout.flows.journeys import Journey, JourneyState, Transition, pattern_regex, pool_names

CONTENT_WEIGHT = 1.0  # a link in the page's main content
NAV_WEIGHT = 0.5  # in header/nav/aside/footer: seen on every page, clicked less
FORM_WEIGHT = 1.0  # a GET form counts like the first content link
ENTRY_EXIT = 0.25  # about half of visits end within two pages
EXIT = 0.2  # about five pages per session
AFTER_FORM_EXIT = 0.3
BACK = 0.1
MAX_TRANSITIONS = 20  # per state, the heaviest
MAX_POOL = 50
JOURNEY_NAME = "browse the site"
_WORD = re.compile(r"[^\W\d_]{4,}")
_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        "about after also back been before down each from have here home into just last like "
        "more most next only other over page pages previous some than that their them then "
        "there these they this those very what when where which will with your sign login "
        "logout search",
    )
)


@dataclass(frozen=True, slots=True)
class DerivedJourney:
    journey: Journey
    pools: dict[str, list[str]]


def state_pattern(crawl_pattern: str) -> str:
    """The crawl's pattern without its query (``/records?page={}`` is the list ``/records``),
    with placeholders a journey accepts (``{num}``, ``{param}``)."""
    return crawl_pattern.partition("?")[0] or "/"


@dataclass(frozen=True, slots=True)
class _Page:
    """A page the crawl saw: one it visited, or the one a read-only form led to."""

    pattern: str
    url: str
    links: list[LinkSeen]


def derive_journey(result: CrawlResult) -> DerivedJourney | None:
    """The site's journey, or None when the crawl saw fewer than two linked page patterns."""
    pages = [_Page(state_pattern(v.pattern), v.url, v.links) for v in result.visits if _loaded(v)]
    if not pages:
        return None
    linked = {page.pattern for page in pages}  # states a link leads to: entered by that URL
    searches = [s for s in result.submissions if _read_only(s)]
    pages += [_Page(_target(s), s.submit.url, s.links) for s in searches]
    first: dict[str, _Page] = {}
    for page in pages:
        first.setdefault(page.pattern, page)
    entry = pages[0].pattern
    weights = _link_weights(pages, set(first))
    pools: dict[str, list[str]] = {}
    forms = _form_transitions(searches, weights, pools, pages)
    for move in forms:
        page = first[move.target]
        if move.target not in linked:  # only a form leads there: entered by its filled URL
            first[move.target] = _Page(move.target, _filled(move, pools), page.links)
        if not weights[move.target]:  # the crawl's own search found nothing to link
            weights[move.target] = {p: CONTENT_WEIGHT for p in move.items if p in weights}
    reachable = _reachable(entry, weights)
    if len(reachable) < 2:
        return None
    states = [
        _state(pattern, first[pattern].url, weights[pattern], forms, entry=pattern == entry)
        for pattern in first
        if pattern in reachable
    ]
    used = {p for s in states for t in s.transitions for p in pool_names(t.form)}
    journey = Journey(name=JOURNEY_NAME, entry=entry, states=states)
    return DerivedJourney(journey=journey, pools={k: v for k, v in pools.items() if k in used})


def _loaded(visit: PageVisit) -> bool:
    status = visit.document.status
    return status is not None and status < 400


def _read_only(sub: FormSubmission) -> bool:
    """A search or filter: GET, read-only, answered with a page."""
    status = sub.submit.status
    read = sub.submit.method.upper() == "GET" and sub.kind in ("search", "read")
    return read and status is not None and status < 400


def _target(sub: FormSubmission) -> str:
    return state_pattern(path_pattern(sub.submit.url))


def _link_weights(pages: list[_Page], states: set[str]) -> dict[str, dict[str, float]]:
    """Per source pattern, the mean click weight of each target pattern over its pages:
    region weight x 1/sqrt(1 + rank among the page's links)."""
    total: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    seen: Counter[str] = Counter()
    for page in pages:
        if not page.links:
            continue
        seen[page.pattern] += 1
        for rank, link in enumerate(page.links):
            target = state_pattern(link.pattern)
            if target in states:
                region = NAV_WEIGHT if link.nav else CONTENT_WEIGHT
                total[page.pattern][target] += region / math.sqrt(1 + rank)
    means = {
        source: {t: w / seen[source] for t, w in targets.items()}
        for source, targets in total.items()
    }
    return means | {s: {} for s in states if s not in means}


@dataclass(frozen=True, slots=True)
class _FormMove:
    source: str
    target: str
    url: str
    fields: list[tuple[str, str]]
    items: list[str]  # the item patterns its terms came from: where its results lead


def _form_transitions(
    submissions: list[FormSubmission],
    weights: dict[str, dict[str, float]],
    pools: dict[str, list[str]],
    pages: list[_Page],
) -> list[_FormMove]:
    """Read-only GET forms (searches, filters) whose every field a pool or a constant fills;
    writes stay recorded flows (behind --allow-writes)."""
    moves: list[_FormMove] = []
    for sub in submissions:
        source, target = state_pattern(sub.page.pattern), _target(sub)
        if source not in weights or target not in weights:
            continue
        url = urlsplit(sub.submit.url).path or "/"
        terms = _search_terms(pages, _section(url)) or _search_terms(pages, "")
        fields = _form_fields(sub, pools, terms)
        if fields is None or any(m.source == source and m.target == target for m in moves):
            continue
        moves.append(
            _FormMove(
                source=source,
                target=target,
                url=url,
                fields=fields,
                items=terms.items if terms else [],
            )
        )
        weights[source][target] = weights[source].get(target, 0.0) + FORM_WEIGHT
    return moves


def _form_fields(
    sub: FormSubmission, pools: dict[str, list[str]], terms: _Terms | None
) -> list[tuple[str, str]] | None:
    """Each submitted field from a pool (search text: terms; a select: its options) or the
    value the crawl sent; None when a value needs an extractor (a token) or no terms exist."""
    submitted = parse_qsl(urlsplit(sub.submit.url).query, keep_blank_values=True)
    specs = {f.name: f for f in sub.form.fields}
    fields: list[tuple[str, str]] = []
    for name, value in submitted:
        spec = specs.get(name)
        if name in sub.extractors or "${" in sub.templates.get(name, ""):
            return None
        options = [o.value for o in spec.options if o.value] if spec else []
        if spec is not None and spec.type in ("text", "search") and value:
            if terms is None:
                return None
            pools[terms.pool] = terms.words
            fields.append((name, f"${{pool.{terms.pool}}}"))
        elif len(options) > 1:
            pool = f"{_slug(name)}_options"
            pools[pool] = options[:MAX_POOL]
            fields.append((name, f"${{pool.{pool}}}"))
        else:
            fields.append((name, value))
    return fields


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return slug if slug[:1].isalpha() else f"f_{slug}"


@dataclass(frozen=True, slots=True)
class _Terms:
    pool: str
    words: list[str]
    items: list[str]


def _section(path: str) -> str:
    """The first path segment (``/catalogue/search`` -> ``catalogue``): a site's section."""
    return path.strip("/").partition("/")[0]


def _search_terms(pages: list[_Page], section: str) -> _Terms | None:
    """Words from the names of the items the site lists (content links to a pattern with a
    placeholder) in ``section`` (``""``: anywhere), most frequent first, so a search returns
    results; and those item patterns, where a search's results most likely lead."""
    prefix = f"/{section}/" if section else "/"
    words: Counter[str] = Counter()
    items: Counter[str] = Counter()
    for page in pages:
        for link in page.links:
            if "{" in link.pattern and not link.nav and link.pattern.startswith(prefix):
                found = [w for w in _WORD.findall(link.text) if w.lower() not in _STOPWORDS]
                words.update(found)
                items[state_pattern(link.pattern)] += bool(found)
    if not words:
        return None
    pool = f"{_slug(section)}_terms" if section else "search_terms"
    patterns = [p for p, n in items.most_common(2) if n]
    return _Terms(pool=pool, words=[w for w, _ in words.most_common(MAX_POOL)], items=patterns)


def _filled(move: _FormMove, pools: dict[str, list[str]]) -> str:
    """The form's URL with each pool's first value: how its results page is entered directly
    (and verified)."""
    prefix = "${pool."
    values = [
        (k, pools[v[len(prefix) : -1]][0] if v.startswith(prefix) else v) for k, v in move.fields
    ]
    return f"{move.url}?{urlencode(values)}"


def _reachable(entry: str, weights: dict[str, dict[str, float]]) -> set[str]:
    seen, todo = {entry}, [entry]
    while todo:
        for target in weights.get(todo.pop(), {}):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _state(
    pattern: str, url: str, weights: dict[str, float], forms: list[_FormMove], *, entry: bool
) -> JourneyState:
    """Exit and back first; the rest of the probability over the damped link weights."""
    after_form = any(m.target == pattern for m in forms)
    exit_p = ENTRY_EXIT if entry else AFTER_FORM_EXIT if after_form else EXIT
    back = 0.0 if entry else BACK
    heaviest = sorted(weights.items(), key=lambda tw: -tw[1])[:MAX_TRANSITIONS]
    damped = {t: math.log1p(w) for t, w in heaviest}
    total = sum(damped.values())
    by_form = {m.target: m for m in forms if m.source == pattern}
    transitions = []
    for target, weight in damped.items():
        share = math.floor(1e4 * (1 - exit_p - back) * weight / total) / 1e4 if total else 0.0
        if share <= 0:
            continue
        form = by_form.get(target)
        transitions.append(
            Transition(to=target, probability=share, form=form.fields, url=form.url)
            if form
            else Transition(to=target, probability=share)
        )
    path = urlsplit(url)
    direct: str | None = (path.path or "/") + (f"?{path.query}" if path.query else "")
    if not pattern_regex(pattern).match(path.path or "/"):
        direct = None
    return JourneyState(
        name=pattern,
        pattern=pattern,
        url=direct,
        exit=exit_p,
        back=back if transitions else 0.0,
        transitions=transitions,
    )
