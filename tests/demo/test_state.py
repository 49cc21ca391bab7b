from loadscout.demo.state import SessionStore


def test_cycle_renews_id_and_token_and_keeps_data_only_when_asked() -> None:
    store = SessionStore()
    old = store.create()
    old.cart[3] = 2
    kept = store.cycle(old, keep_data=True)
    assert (kept.id, kept.csrf_token) != (old.id, old.csrf_token)
    assert kept.cart == {3: 2}
    assert store.get(old.id) is None
    cleared = store.cycle(kept, keep_data=False)
    assert cleared.cart == {}
    assert store.get(cleared.id) is cleared


def test_least_recently_used_sessions_are_dropped_beyond_the_cap() -> None:
    store = SessionStore(max_sessions=3)
    first, second, third = store.create(), store.create(), store.create()
    assert store.get(first.id) is first  # touch: second is now the oldest
    store.create()
    assert len(store) == 3
    assert store.get(second.id) is None
    assert store.get(first.id) is first
    assert store.get(third.id) is third
    assert store.get(None) is None
