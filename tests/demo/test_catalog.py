from loadscout.demo.catalog import PAGE_SIZE, Page, build_catalog


def test_catalog_is_deterministic_and_large_enough() -> None:
    first, second = build_catalog(), build_catalog()
    assert len(first.products) >= 50
    assert [(p.id, p.name, p.price_cents) for p in first.products] == [
        (p.id, p.name, p.price_cents) for p in second.products
    ]
    assert len({p.name for p in first.products}) == len(first.products)
    assert [p.id for p in first.products] == list(range(1, len(first.products) + 1))
    assert all(p.price_cents > 0 for p in first.products)


def test_pages_cover_each_category_exactly_once() -> None:
    catalog = build_catalog()
    page_counts = []
    for category in catalog.categories:
        pages: list[Page] = []
        while (page := catalog.page(category, len(pages) + 1)) is not None:
            pages.append(page)
        assert [p for page in pages for p in page.items] == [
            p for p in catalog.products if p.category == category
        ]
        assert all(len(page.items) <= PAGE_SIZE for page in pages)
        assert [page.has_next for page in pages] == [True] * (len(pages) - 1) + [False]
        assert catalog.page(category, 0) is None
        page_counts.append(len(pages))
    assert max(page_counts) >= 3


def test_search_matches_every_word_case_insensitively() -> None:
    catalog = build_catalog()
    assert [p.name for p in catalog.search("TEAPOT")] == [
        p.name for p in catalog.products if "Teapot" in p.name
    ]
    assert catalog.search("teapot kitchen")
    assert catalog.search("teapot garden") == []
    assert catalog.search("   ") == []
