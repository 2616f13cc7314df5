"""Script generation: reactions, past lives, Facebook comments (with replies, edits and
deletions) and YouTube live chat, all drawn from one seeded ``random.Random``; the comments under
each replay and the channel's chat answers come from streams of their own.

``Scenario`` calls these in a fixed order after drawing the viewer curves (``audience``); the
moments of comments, chat and reactions are drawn where the viewers are."""

from __future__ import annotations

import random
from dataclasses import replace

from sandbox.scenario.audience import Audience
from sandbox.scenario.params import (
    DAY,
    HOSTILE_MESSAGES,
    REACTION_TYPES,
    REACTION_WEIGHTS,
    ScenarioParams,
)
from sandbox.scenario.records import Author, ChatMessage, PastLive, ScriptedComment
from sandbox.scenario.vocabulary import (
    PAGE_REPLIES,
    USER_REPLIES,
    draw_categories,
    draw_message,
    draw_people,
    phone_spellings,
)

ASKING = ("question", "question_plain", "phone")  # the categories the page answers
ANSWER_EVERY = 4  # the channel answers every fourth asker in its live chat
CHAT_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def script_reactions(
    rng: random.Random, audience: Audience, p: ScenarioParams
) -> dict[str, list[float]]:
    """When each reaction of the final count comes, by type (every type at least once)."""
    counts = [max(1, round(p.final_reactions * w)) for w in REACTION_WEIGHTS]
    return {
        kind: audience.event_times(rng, n, p.late_share)
        for kind, n in zip(REACTION_TYPES, counts, strict=True)
    }


def script_past_lives(rng: random.Random, p: ScenarioParams) -> tuple[PastLive, ...]:
    """Earlier broadcasts of the same Page, a month apart, long since VOD."""
    lives = []
    for n in range(1, p.past_lives + 1):
        views = rng.randint(600, 2400)
        lives.append(
            PastLive(
                live_video_id=str(int(p.live_video_id) - 7919 * n),
                video_id=str(int(p.video_id) - 6271 * n),
                title=f"Livestream tư vấn BHXH tự nguyện kỳ {p.past_lives + 1 - n}",
                start=-30 * DAY * n,
                duration=rng.choice((2700.0, 3600.0, 4500.0)),
                views=views,
                reactions={
                    kind: max(1, round(views * 0.35 * w))
                    for kind, w in zip(REACTION_TYPES, REACTION_WEIGHTS, strict=True)
                },
                shares=rng.randint(20, 150),
            )
        )
    return tuple(lives)


def script_comments(
    rng: random.Random, audience: Audience, p: ScenarioParams
) -> tuple[ScriptedComment, ...]:
    """The live's comments: categories of what viewers write, replies by the Page and others."""
    page = Author(p.page_id, p.page_name)
    people = draw_people(
        rng, max(20, p.comment_count // 3), lambda n: str(100_000_000_000_001 + n * 37)
    )
    replies = p.comment_count * 3 // 20
    top = p.comment_count - replies
    drafts: list[dict] = []
    phones = 0
    for n, category in enumerate(draw_categories(rng, top)):
        hostile = {top // 3: HOSTILE_MESSAGES[0], 2 * top // 3: HOSTILE_MESSAGES[1]}
        message = hostile.get(n, "") if top >= 6 else ""
        category = "hostile" if message else category
        if category == "phone":
            phones += 1
        draft = {
            "created": int(audience.live_weighted_time(rng, margin=2)),
            "author": rng.choice(people),
            "category": category,
            "message": message or draw_message(rng, category, phones),
            "parent": None,
        }
        drafts.append(draft)
    askers = [d for d in drafts if d["category"] in ASKING]
    for _ in range(replies if askers else 0):
        parent = rng.choice(askers)
        by_page = rng.random() < 0.6
        created = min(parent["created"] + rng.randint(20, 400), int(audience.scripted_end) - 1)
        drafts.append(
            {
                "created": max(created, parent["created"] + 1),
                "author": page if by_page else rng.choice(people),
                "category": "reply",
                "message": rng.choice(PAGE_REPLIES if by_page else USER_REPLIES),
                "parent": parent,
            }
        )
    drafts.sort(key=lambda d: (d["created"], d["parent"] is not None))
    for seq, draft in enumerate(drafts):
        draft["id"] = f"{p.video_id}_{1_204_000_000_000_000 + 104_729 * (seq + 1)}"
    end = int(audience.scripted_end)
    _script_edits_and_deletions(rng, drafts, (p.deleted_comments, p.hidden_comments), end)
    return tuple(
        ScriptedComment(
            seq=seq,
            id=d["id"],
            created=d["created"],
            author=d["author"],
            message=d["message"],
            parent_id=d["parent"]["id"] if d["parent"] else None,
            edits=d.get("edits", ()),
            deleted_at=d.get("deleted_at"),
            hidden_at=d.get("hidden_at"),
            like_count=rng.choice((0, 0, 0, 1, 1, 2, 3, 5)),
        )
        for seq, d in enumerate(drafts)
    )


def _script_edits_and_deletions(
    rng: random.Random, drafts: list[dict], removals: tuple[int | None, int | None], end: int
) -> None:
    """A few comments get edited (a phone number added), a few deleted by their authors and a
    few hidden by the page, all during the live: the collector's sweep after the end finds what
    went before it (the truth's ``deleted_comment_ids`` and ``hidden_comment_ids``). Hiding
    draws nothing from ``rng``, so the rest of the script is the same with or without it."""
    deletions, hidden = removals
    parents = {id(d["parent"]) for d in drafts if d["parent"]}
    plain = [
        d
        for d in drafts
        if d["parent"] is None and d["category"] not in ("hostile",) and id(d) not in parents
    ]
    rng.shuffle(plain)
    edits = max(3, len(drafts) // 60)
    if deletions is None:
        deletions = max(3, len(drafts) // 75)
    for n, draft in enumerate(plain[:edits]):
        spelling = phone_spellings(rng)[n % 7]
        draft["edits"] = (
            (draft["created"] + rng.randint(30, 600), f"{draft['message']} - sđt em {spelling}"),
        )
    for draft in plain[edits : edits + deletions]:
        after = draft["created"] + rng.randint(60, 900)
        draft["deleted_at"] = max(draft["created"] + 1, min(after, end - 1))
    if hidden is None:
        hidden = max(2, len(drafts) // 100)
    start = edits + deletions
    for draft in plain[start : start + hidden]:  # a moderator hides it within the minute
        draft["hidden_at"] = max(draft["created"] + 1, min(draft["created"] + 45, end - 1))


REPLAY_ID_BASE = 1_305_000_000_000_000  # apart from the live's comment ids


def script_replay_comments(
    p: ScenarioParams, end: float, first_seq: int
) -> tuple[ScriptedComment, ...]:
    """Comments under the replay: two in the first quarter-hour after the scripted end (the first
    leaves a phone number, the second is deleted by its author five hours later), then the rest
    from the first hour on, thinning out over two days. Drawn from a random stream of their own
    (the live's script stays the same)."""
    count = max(2, p.comment_count // 25) if p.replay_comments is None else p.replay_comments
    rng = random.Random(p.seed * 7919 + 17)
    people = draw_people(rng, max(4, count), lambda n: str(100_000_000_900_001 + n * 41))
    categories = ["phone", *draw_categories(rng, max(count - 1, 0))][:count]
    comments = []
    for k, category in enumerate(categories):
        later = 3600 + (2 * DAY - 3600) * ((k - 1) / max(count - 1, 1)) ** 2
        created = int(end + (600 + 300 * k if k < 2 else later))
        comments.append(
            ScriptedComment(
                seq=first_seq + k,
                id=f"{p.video_id}_{REPLAY_ID_BASE + 104_729 * (k + 1)}",
                created=created,
                author=rng.choice(people),
                message=draw_message(rng, category, k),
                deleted_at=created + 5 * 3600 if k == 1 else None,
            )
        )
    return tuple(comments)


def script_youtube_replay(p: ScenarioParams, end: float) -> tuple[ScriptedComment, ...]:
    """Comments under the YouTube replay (``commentThreads``), timed as Facebook's: the first, in
    the first quarter-hour after the scripted end, leaves a phone number and the second is
    deleted by its author five hours later; the channel answers the first within the half-hour
    (the office is never a lead) and a viewer adds to it; the rest come from the first hour on,
    thinning out over two days. YouTube's own audience (channel ids, ``Ug…`` comment ids, a reply
    id is its parent's id, a dot and its own), from a random stream of their own."""
    count = max(2, p.chat_count // 25)
    count = count if p.youtube_replay_comments is None else p.youtube_replay_comments
    rng = random.Random(f"youtube replay {p.seed}")

    def token(k: int) -> str:
        return "".join(rng.choices(CHAT_ID_ALPHABET, k=k))

    people = draw_people(rng, max(4, count), lambda n: "UC" + token(22))
    drafts: list[tuple[int, str, Author, str, str | None, int | None]] = []
    for k, category in enumerate(["phone", *draw_categories(rng, max(count - 1, 0))][:count]):
        later = 3600 + (2 * DAY - 3600) * ((k - 1) / max(count - 1, 1)) ** 2
        created = int(end + (600 + 300 * k if k < 2 else later))
        deleted = created + 5 * 3600 if k == 1 else None
        author, message = rng.choice(people), draw_message(rng, category, k)
        drafts.append((created, f"Ugz{token(16)}4AaABAg", author, message, None, deleted))
    if drafts:
        first = drafts[0]
        channel = Author(p.youtube_channel_id, p.page_name)
        answer = (first[0] + 600, f"{first[1]}.{token(22)}", channel, PAGE_REPLIES[1], first[1])
        viewer = (first[0] + 900, f"{first[1]}.{token(22)}", rng.choice(people),
                  rng.choice(USER_REPLIES), first[1])  # fmt: skip
        drafts += [(*answer, None), (*viewer, None)]
    drafts.sort(key=lambda d: d[0])
    comments = tuple(
        ScriptedComment(
            seq,
            id_,
            created,
            author,
            message,
            parent_id=parent,
            deleted_at=deleted,
            like_count=rng.choice((0, 0, 1, 2, 4)),
        )
        for seq, (created, id_, author, message, parent, deleted) in enumerate(drafts)
    )
    return _long_thread(p, comments)


def _long_thread(
    p: ScenarioParams, comments: tuple[ScriptedComment, ...]
) -> tuple[ScriptedComment, ...]:
    """``youtube_long_thread`` more viewers answering the first comment, within its first hour,
    the last with a phone number: a thread longer than ``commentThreads`` carries. From a stream
    of their own, so every other comment keeps its draws (and its order)."""
    if not comments or p.youtube_long_thread <= 0:
        return comments
    first, count = comments[0], p.youtube_long_thread
    rng = random.Random(f"youtube long thread {p.seed}")

    def token(k: int) -> str:
        return "".join(rng.choices(CHAT_ID_ALPHABET, k=k))

    people = draw_people(rng, 4, lambda n: "UC" + token(22))
    extra = [
        ScriptedComment(
            len(comments) + k,
            f"{first.id}.{token(22)}",
            first.created + 1200 + 1500 * k // count,
            rng.choice(people),
            draw_message(rng, "phone", 0) if k == count - 1 else rng.choice(USER_REPLIES),
            parent_id=first.id,
            like_count=rng.choice((0, 0, 1)),
        )
        for k in range(count)
    ]
    ordered = sorted((*comments, *extra), key=lambda c: (c.created, c.seq))
    return tuple(replace(c, seq=n) for n, c in enumerate(ordered))


def script_chat(
    rng: random.Random, audience: Audience, p: ScenarioParams
) -> tuple[ChatMessage, ...]:
    """The YouTube live chat: messages of the same kinds, and a couple deleted by moderators."""
    alphabet = CHAT_ID_ALPHABET
    people = draw_people(
        rng, max(10, p.chat_count // 4), lambda n: "UC" + "".join(rng.choices(alphabet, k=22))
    )
    drafts = []
    phones = 0
    for category in draw_categories(rng, p.chat_count):
        if category == "phone":
            phones += 1
        published = audience.live_weighted_time(rng, margin=1)
        drafts.append(
            (round(published, 3), rng.choice(people), draw_message(rng, category, phones), category)
        )
    drafts.sort(key=lambda d: d[0])
    messages: list[ChatMessage] = []
    askers: list[ChatMessage] = []
    for published, author, text, category in drafts:
        token = "".join(rng.choices(alphabet, k=40))
        messages.append(ChatMessage(len(messages), f"LCC.{token}", published, author, text))
        if category in ASKING:
            askers.append(messages[-1])
    owner = Author(p.youtube_channel_id, p.page_name)
    # Moderators delete a couple of messages later on; deletions are chat items of their own.
    for victim in rng.sample(messages[: len(messages) // 2], k=min(2, len(messages) // 2)):
        at = min(victim.published + rng.uniform(20, 300), audience.scripted_end - 0.5)
        token = "".join(rng.choices(alphabet, k=40))
        messages.append(
            ChatMessage(
                0, f"LCC.{token}", round(at, 3), owner, "", "messageDeletedEvent", victim.id
            )
        )
    messages += _channel_answers(askers, owner, audience, p)
    messages.sort(key=lambda m: m.published)
    return tuple(replace(m, seq=n) for n, m in enumerate(messages))


def _channel_answers(
    askers: list[ChatMessage], owner: Author, audience: Audience, p: ScenarioParams
) -> list[ChatMessage]:
    """The channel answering some askers in its own chat, drawn from a generator of its own so
    the rest of the script (reactions, shares, past lives) stays what it was."""
    rng = random.Random(f"channel answers {p.seed}")
    answers = []
    for n, asker in enumerate(askers[::ANSWER_EVERY]):
        at = min(asker.published + rng.uniform(15, 120), audience.scripted_end - 0.5)
        token = "".join(rng.choices(CHAT_ID_ALPHABET, k=40))
        text = f"@{asker.author.name} {PAGE_REPLIES[n % len(PAGE_REPLIES)]}"
        answers.append(ChatMessage(0, f"LCC.{token}", round(at, 3), owner, text))
    return answers
