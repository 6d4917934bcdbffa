from __future__ import annotations

from services.projections.views_cache import Answers


def test_an_answer_is_kept_while_the_generation_and_watermark_stay() -> None:
    answers = Answers()
    answers.put((1, 10, 10), "summary", {"activities": 3})
    assert answers.get((1, 10, 10), "summary") == {"activities": 3}
    assert answers.get((1, 10, 10), "training") is None


def test_an_answer_is_dropped_once_a_new_event_is_applied_beyond_the_watermark() -> None:
    answers = Answers()
    answers.put((1, 10, 10), "summary", 3)
    assert answers.get((1, 10, 12), "summary") is None


def test_every_answer_is_dropped_once_the_watermark_or_generation_moves() -> None:
    answers = Answers()
    answers.put((1, 10, 10), "summary", 3)
    assert answers.get((1, 11, 11), "summary") is None
    answers.put((1, 11, 11), "training", 4)
    assert answers.get((1, 10, 10), "summary") is None
    assert answers.get((1, 11, 11), "summary") is None
    answers.put((2, 0, 0), "summary", 5)
    assert answers.get((1, 11, 11), "training") is None
    assert answers.get((2, 0, 0), "summary") == 5


def test_an_answer_read_before_the_figures_moved_does_not_displace_newer_ones() -> None:
    answers = Answers()
    answers.put((1, 11, 11), "summary", "new")
    answers.put((1, 10, 10), "summary", "old")
    assert answers.get((1, 11, 11), "summary") == "new"
    assert answers.get((1, 10, 10), "summary") is None


def test_the_least_recently_asked_answer_goes_first_when_full() -> None:
    answers = Answers(most=2)
    answers.put((1, 1, 1), "a", 1)
    answers.put((1, 1, 1), "b", 2)
    assert answers.get((1, 1, 1), "a") == 1
    answers.put((1, 1, 1), "c", 3)
    assert answers.get((1, 1, 1), "b") is None
    assert (answers.get((1, 1, 1), "a"), answers.get((1, 1, 1), "c")) == (1, 3)
