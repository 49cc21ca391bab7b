import pytest

from loadscout.demo.accounts import check_credentials


@pytest.mark.parametrize(
    ("username", "password", "ok"),
    [
        ("alice", "wonderland", True),
        ("bob", "builder", True),
        ("user7", "password7", True),
        ("user123456", "password123456", True),
        ("alice", "builder", False),
        ("user7", "password8", False),
        ("userx", "passwordx", False),
        ("carol", "", False),
        ("", "", False),
    ],
)
def test_credentials(username: str, password: str, ok: bool) -> None:
    assert check_credentials(username, password, deleted=set()) is ok


def test_deleted_account_cannot_log_in() -> None:
    assert not check_credentials("user3", "password3", deleted={"user3"})
