from __future__ import annotations

from loadscout.discovery.capture import Exchange
from loadscout.discovery.flow_builder import MAX_BROWSE_FLOWS, build_flowset, relative
from loadscout.discovery.records import CrawlResult, PageVisit

BASE = "http://127.0.0.1:8000"


def _doc(path: str, status: int = 200) -> Exchange:
    return Exchange(
        kind="document", method="GET", url=BASE + path, status=status, content_type="text/html"
    )


def _visit(path: str, pattern: str, parent: PageVisit | None, status: int = 200) -> PageVisit:
    depth = 0 if parent is None else parent.depth + 1
    return PageVisit(
        url=BASE + path, pattern=pattern, depth=depth, parent=parent, document=_doc(path, status)
    )


def test_browse_flows_follow_the_link_path_and_dedupe_by_pattern() -> None:
    home = _visit("/", "/", None)
    cat = _visit("/c/1", "/c/{num}", home)
    post = Exchange(
        kind="fetch",
        method="POST",
        url=BASE + "/api/x",
        post_data='{"a": 1}',
        request_type="application/json",
        status=201,
    )
    prod = _visit("/p/1", "/p/{num}", cat)
    prod.fetches.append(post)
    result = CrawlResult(
        visits=[
            home,
            cat,
            prod,
            _visit("/p/2", "/p/{num}", cat),
            _visit("/err", "/err", home, status=500),
        ],
        inlinks={"/c/{num}": 4},
    )
    flowset = build_flowset(result, target_url=BASE + "/", duration_s=2.5)
    names = [f.name for f in flowset.flows]
    assert sorted(names) == ["browse /", "browse /c/{num}", "browse /p/{num}"]
    prod_flow = next(f for f in flowset.flows if f.name == "browse /p/{num}")
    assert [s.name for s in prod_flow.steps] == [
        "GET /",
        "GET /c/{num}",
        "GET /p/{num}",
        "POST /api/x",
    ]
    assert prod_flow.steps[-1].json_body == {"a": 1}
    assert prod_flow.steps[-1].expect_status == 201
    assert flowset.flows[0].name == "browse /c/{num}"  # heaviest first
    assert flowset.flows[0].weight > prod_flow.weight  # shallower and more linked
    assert flowset.discovery is not None
    assert flowset.discovery.pages == 5
    assert flowset.discovery.api_calls == 1


def test_browse_flows_are_capped() -> None:
    home = _visit("/", "/", None)
    visits = [home] + [_visit(f"/s{i}", f"/s{i}", home) for i in range(40)]
    flowset = build_flowset(CrawlResult(visits=visits), target_url=BASE, duration_s=0)
    assert len(flowset.flows) == MAX_BROWSE_FLOWS


def test_relative_keeps_path_and_query() -> None:
    assert relative(BASE + "/a/b?x=1#f") == "/a/b?x=1"
    assert relative(BASE) == "/"


def test_a_flow_holding_a_recorded_cookie_is_left_out_and_reported() -> None:
    home = _visit("/", "/", None)
    leak = _visit("/s/Zx81kq0PpL2mN7vRt5Y", "/s/Zx81kq0PpL2mN7vRt5Y", home)
    result = CrawlResult(visits=[home, leak], cookies={"Zx81kq0PpL2mN7vRt5Y": "session"})
    flowset = build_flowset(result, target_url=BASE, duration_s=0)
    assert [f.name for f in flowset.flows] == ["browse /"]
    assert flowset.discovery is not None
    assert any("recorded session cookie" in s.reason for s in flowset.discovery.skipped)
