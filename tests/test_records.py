"""``@record`` makes what ``@dataclass(frozen=True, slots=True)`` makes: held side by side."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Generic, TypeVar

import pytest

from netmsg_tui.model import ChangeBatch, Conversation, Page
from netmsg_tui.records import record

T = TypeVar("T")


@record
class Point:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    extra: dict[str, int] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class PointDC:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    extra: dict[str, int] = dataclasses.field(default_factory=dict)


@record
class One:
    value: str


@record
class Box(Generic[T]):
    items: tuple[T, ...]


def test_construction_defaults_and_factories() -> None:
    a, b = Point(1), Point(x=1)
    assert (a.x, a.y, a.tags, a.extra) == (1, 0, (), {})
    assert a.extra is not b.extra  # one dict each, as default_factory promises
    assert Point(1, 2, ("t",), {"k": 1}).extra == {"k": 1}
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, z=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, 2, (), {}, 5)  # type: ignore[call-arg]


def test_repr_equality_and_hash_as_dataclasses_make_them() -> None:
    ours, theirs = Point(1, 2, ("a",)), PointDC(1, 2, ("a",))
    assert repr(ours) == repr(theirs).replace("PointDC", "Point")
    assert Point(1, 2) == Point(1, 2)
    assert Point(1, 2) != Point(1, 3)
    assert Point(1) != PointDC(1)  # another class is never equal, as with dataclasses
    assert One("a") == One("a") and One("a") != One("b")
    assert hash(One("a")) == hash(One("a"))
    assert len({One("x"), One("x"), One("y")}) == 2
    assert hash(Box((1, "a"))) == hash(Box((1, "a")))
    assert Point(1) == Point(1, 0, (), {})
    for unhashable in (Point(1), PointDC(1)):  # a dict field: neither can be hashed
        with pytest.raises(TypeError):
            hash(unhashable)


def test_frozen_and_slotted() -> None:
    p = Point(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del p.x  # type: ignore[misc]
    with pytest.raises((dataclasses.FrozenInstanceError, AttributeError)):
        p.other = 1  # type: ignore[attr-defined]
    assert not hasattr(p, "__dict__")
    assert Point.__slots__ == PointDC.__slots__


def test_a_real_dataclass() -> None:
    p = Point(1, 2)
    assert dataclasses.is_dataclass(p)
    assert [f.name for f in dataclasses.fields(Point)] == ["x", "y", "tags", "extra"]
    assert dataclasses.replace(p, y=5) == Point(1, 5)
    assert dataclasses.asdict(p) == {"x": 1, "y": 2, "tags": (), "extra": {}}
    assert Point.__match_args__ == ("x", "y", "tags", "extra")
    params = Point.__dataclass_params__  # type: ignore[attr-defined]
    assert (params.init, params.repr, params.eq, params.frozen) == (True, True, True, True)
    match p:
        case Point(1, y):
            assert y == 2
        case _:
            pytest.fail("no match")


def test_pickle_and_copy() -> None:
    p = Point(1, 2, ("a",), {"k": 3})
    for again in (pickle.loads(pickle.dumps(p)), copy.copy(p), copy.deepcopy(p)):
        assert again == p and again is not p


def test_generic_and_model_classes() -> None:
    assert Box[int]((1, 2)).items == (1, 2)
    page = Page(items=(1, 2), next_cursor="c")
    assert page == Page((1, 2), "c") and page.next_cursor == "c"
    assert ChangeBatch((), 3).extra == {}
    assert "last_preview=''" in repr(
        Conversation(1, 2, "n", "s", None, None, None, None, 0, 0)  # type: ignore[arg-type]
    )


def test_other_field_options_are_refused() -> None:
    with pytest.raises(TypeError, match="defaults only"):

        @record
        class Hidden:
            secret: str = dataclasses.field(default="", repr=False)
