"""``@record``: a frozen, slotted dataclass that costs almost nothing to define.

Python 3.11's ``dataclasses`` compiles each method it writes with an ``exec`` of its own
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``): ~0.5 ms
a class, ~25 ms of the TUI's start-up for the ~45 classes its first screen imports (model, store
rules, config). ``@record`` makes the same class as ``@dataclass(frozen=True, slots=True)``:

* a real dataclass (``dataclasses.fields``, ``replace``, ``asdict``, ``__match_args__``; its
  ``__dataclass_params__`` say init, repr, eq and frozen), checked by mypy as one
  (``dataclass_transform``);
* the same behaviour: equal and hashed by its fields' values (same class only), the same
  ``repr``, ``FrozenInstanceError`` on assignment, pickling and copying as dataclasses do it;
* ``__repr__``, ``__eq__``, ``__hash__`` and the rest are shared functions; only ``__init__``
  is compiled, on the class's first instance, so a class never instantiated costs no compile.

Fields take a default or ``field(default=...)`` / ``field(default_factory=...)``; any other
field option (``init=False``, ``repr=False``, ``compare=False``, ``kw_only``…) is refused when
the class is defined, rather than half honoured: use ``@dataclass`` for those.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

_T = TypeVar("_T")


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: type[_T]) -> type[_T]:
    """Decorate a class as ``@dataclass(frozen=True, slots=True)`` would (see the module)."""
    if not cls.__doc__:  # else dataclasses writes one from inspect.signature: ~1 ms a class
        cls.__doc__ = f"{cls.__name__}({', '.join(cls.__annotations__)})"
    made: Any = dataclasses.dataclass(init=False, repr=False, eq=False, slots=True)(cls)
    fields = dataclasses.fields(made)
    for f in fields:
        if not (f.init and f.repr and f.compare and f.hash is None and not f.kw_only):
            raise TypeError(f"{made.__qualname__}.{f.name}: @record takes defaults only")
    key = _values(tuple(f.name for f in fields))
    made.__init__ = _first_init
    made.__repr__ = _repr
    made.__eq__ = _equal(key)
    made.__hash__ = _hash(key)
    made.__setattr__ = _set
    made.__delattr__ = _delete
    made.__getstate__ = _getstate
    made.__setstate__ = _setstate
    params = made.__dataclass_params__
    params.init = params.repr = params.eq = params.frozen = True
    return made  # type: ignore[no-any-return]


def _first_init(self: Any, *args: Any, **kwargs: Any) -> None:
    """Compile the class's ``__init__`` (as dataclasses writes it), put it in place and call it."""
    cls = type(self)
    init = _compile_init(cls)
    cls.__init__ = init
    init(self, *args, **kwargs)


def _compile_init(cls: Any) -> Callable[..., None]:
    params: list[str] = []
    body: list[str] = []
    scope: dict[str, Any] = {"_set_": object.__setattr__, "_factory_": _FACTORY}
    for f in dataclasses.fields(cls):
        name = f.name
        if f.default is not dataclasses.MISSING:
            scope[f"_default_{name}"] = f.default
            params.append(f"{name}=_default_{name}")
            body.append(f"    _set_(self, {name!r}, {name})")
        elif f.default_factory is not dataclasses.MISSING:
            scope[f"_make_{name}"] = f.default_factory
            params.append(f"{name}=_factory_")
            body.append(
                f"    _set_(self, {name!r}, _make_{name}() if {name} is _factory_ else {name})"
            )
        else:
            params.append(name)
            body.append(f"    _set_(self, {name!r}, {name})")
    source = f"def __init__(self, {', '.join(params)}):\n" + ("\n".join(body) or "    pass")
    exec(source, scope)  # our own text, built from the field names above
    init: Callable[..., None] = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of the fields' values that equality and the hash use, as dataclasses does."""
    if len(names) > 1:
        return attrgetter(*names)  # a tuple already, and C-fast
    return lambda obj: tuple(getattr(obj, name) for name in names)


class _Factory:
    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _repr(self: Any) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self))
    return f"{type(self).__qualname__}({shown})"


def _equal(key: Callable[[Any], Any]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return __eq__


def _hash(key: Callable[[Any], Any]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(key(self))

    return __hash__


def _set(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _delete(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, f.name) for f in dataclasses.fields(self)]


def _setstate(self: Any, state: list[Any]) -> None:
    for f, value in zip(dataclasses.fields(self), state, strict=True):
        object.__setattr__(self, f.name, value)
