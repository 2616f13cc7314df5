"""Checking pasted links with the platforms: which accounts are asked, in which order, and which
problem is told when none answers (the sandbox on loopback HTTP; outside a request, in English)."""

from __future__ import annotations

from app.collection.links import MAX_ACCOUNTS, check_links
from app.models import Platform
from sandbox import Sandbox
from tests.app.collection import pasted
from tests.app.collection.pasted import connect_all, links
from tests.conftest import Factory

served, sandbox = pasted.served, pasted.sandbox  # the sandbox the links are checked against


def fanpage(make: Factory, sandbox: Sandbox, name: str, token: str, **kw: object):  # type: ignore[no-untyped-def]
    credentials = {"access_token": token, "base_url": sandbox.facebook_url}
    return make.account(name=name, credentials=credentials, **kw)


def tokens_sent(sandbox: Sandbox) -> list[str]:
    return [e["headers"].get("Authorization", "") for e in sandbox.requests_log]


def test_an_account_known_to_have_lost_its_access_is_asked_last(
    make: Factory, sandbox: Sandbox
) -> None:
    page = sandbox.scenario.params.page_id
    fanpage(make, sandbox, "Fanpage cũ", "revoked", external_id=page, health="auth_expired")
    good = fanpage(make, sandbox, "Fanpage", sandbox.facebook_token, external_id=page)
    user, event = make.user("officer"), make.event()
    [item] = check_links(event, links(sandbox)["facebook"][0], user)
    assert item.account is not None
    assert item.account.id == good.id
    assert [a.name for a in item.accounts] == ["Fanpage cũ", "Fanpage"]  # all, for the select
    assert tokens_sent(sandbox) == [f"Bearer {sandbox.facebook_token}"]  # one call, the good one


def test_when_no_account_answers_the_best_explained_problem_is_told(
    make: Factory, sandbox: Sandbox
) -> None:
    fanpage(make, sandbox, "Fanpage xã", sandbox.facebook_token, external_id="1234567890")
    fanpage(make, sandbox, "Fanpage tỉnh", "expired", external_id=sandbox.scenario.params.page_id)
    user, event = make.user("officer"), make.event()
    [item] = check_links(event, links(sandbox)["facebook"][0], user)
    # One page does not have the video, the other cannot be read: the expired one may have it.
    assert item.problem.startswith("The Facebook account “Fanpage tỉnh” must be connected again")


def test_only_a_few_accounts_are_asked_about_one_link(make: Factory, sandbox: Sandbox) -> None:
    for n in range(MAX_ACCOUNTS + 2):
        credentials = {"api_key": f"wrong-{n}", "base_url": sandbox.youtube_url}
        make.account(name=f"YouTube {n}", platform=Platform.YOUTUBE, credentials=credentials)
    user, event = make.user("officer"), make.event()
    [item] = check_links(event, links(sandbox)["youtube"][0], user)
    assert item.problem.startswith("The YouTube account “YouTube 0” must be connected again")
    assert len(item.accounts) == MAX_ACCOUNTS + 2
    assert len(sandbox.requests_log) == MAX_ACCOUNTS


def test_lines_keep_their_order_whatever_answers_first(make: Factory, sandbox: Sandbox) -> None:
    connect_all(make, sandbox)
    # An in-person conference may be streamed and held on a meeting: every kind fits it.
    user, event = make.user("officer"), make.event(channel="conference")
    known = links(sandbox)
    names = ["bbb", "facebook", "not a link", "meet", "zoom", "youtube", "teams"]
    pasted = [known[n][0] if n in known else n for n in names]
    checked = check_links(event, "\n".join(pasted), user)
    assert [c.line for c in checked] == pasted
    found = [c.description.kind if c.description else None for c in checked]
    assert found == [known[n][1] if n in known else None for n in names]


def test_a_link_no_account_has_names_the_account_asked(make: Factory, sandbox: Sandbox) -> None:
    """A tour read Facebook's "page or account" in a Teams refusal: the message names the
    account that was asked, whatever the platform calls it."""
    credentials = {"api_key": sandbox.youtube_api_key, "base_url": sandbox.youtube_url}
    make.account(name="Kênh BHXH tỉnh", platform=Platform.YOUTUBE, credentials=credentials)
    user, event = make.user("officer"), make.event()
    [item] = check_links(event, "https://www.youtube.com/watch?v=zzzzzzzzzzz", user)
    assert item.problem == (
        "YouTube finds nothing for this link through “Kênh BHXH tỉnh”. Check the link, and that "
        "it belongs to “Kênh BHXH tỉnh”."
    )
    assert "page" not in item.problem
