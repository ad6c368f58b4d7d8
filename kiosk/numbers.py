"""Headline figures: how numbers are written on a slide and how they count up.

Qt-free on purpose (stdlib only), so the playlist loader, the renderers and the
tests can all share it.  Numbers are formatted with :mod:`decimal` so that
rounding is the "half away from zero" people expect from a report (2.675 with
two decimals is 2.68), never banker's rounding and never ``-0``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

Easing = Callable[[float], float]

MAX_DECIMALS = 6
"""The most decimals :func:`decimals_of` reports."""

_WIDTH_SAMPLES = 256
_DIGIT = re.compile(r"\d")
_THOUSANDS = str.maketrans("", "", ",_ \u00a0")


# --------------------------------------------------------------------------
# Decimals as written
# --------------------------------------------------------------------------


def decimals_of(value: float | int | str) -> int:
    """Decimals as the number was written, between 0 and :data:`MAX_DECIMALS`.

    * An int ``written_decimals`` attribute wins (the YAML loader attaches it
      to floats, so ``2.90`` keeps 2).
    * ``str``: the digits after the ``'.'`` of the text (``'99.20'`` -> 2,
      ``'9400'`` -> 0, ``'1e3'`` -> 0, ``'1.5e-3'`` -> 4); ``','`` grouping is
      ignored.  Raises ValueError when the text is not a number.
    * ``int`` (and ``bool``) -> 0.
    * ``float``: the shortest repr (``99.2`` -> 1, ``1.0`` -> 1); exponent
      forms count positional decimals (``1e-05`` -> 5).  NaN/inf -> 0.
    """
    written = getattr(value, "written_decimals", None)
    if isinstance(written, int) and not isinstance(written, bool):
        return _cap_decimals(written)
    if isinstance(value, int):
        return 0
    if isinstance(value, str):
        return _cap_decimals(_decimals_of_decimal(_parse_written(value)))
    return _cap_decimals(_decimals_of_decimal(_to_decimal(value)))


def _cap_decimals(decimals: int) -> int:
    """Clamp a decimal count to ``0..MAX_DECIMALS``."""
    return max(0, min(MAX_DECIMALS, decimals))


def _decimals_of_decimal(number: Decimal) -> int:
    """Positional decimals of a Decimal (its negated exponent, at least 0)."""
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int):  # NaN / Infinity
        return 0
    return max(0, -exponent)


def _parse_written(text: str) -> Decimal:
    """The Decimal a person wrote as text, ignoring thousands separators."""
    try:
        return Decimal(text.strip().translate(_THOUSANDS))
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None


def _to_decimal(value: float | int | Decimal) -> Decimal:
    """A Decimal for a number; floats go through their shortest repr.

    Using the repr (``2.675``) rather than the exact binary value
    (``2.67499999...``) is what makes rounding match the written number.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(int(value))
    return Decimal(repr(float(value)))


# --------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------


def format_number(value: float, decimals: int, *, grouping: bool = False) -> str:
    """Fixed-point text with exactly `decimals` digits after the point.

    Rounds half away from zero, writes ``'-'`` for negatives, never returns
    ``'-0'`` / ``'-0.0'`` (anything that rounds to zero prints unsigned), and
    with ``grouping=True`` puts ``','`` every three integer digits (Chinese
    report style is no grouping, hence the default).  Raises ValueError for
    NaN/inf or negative `decimals`.
    """
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    number = _to_decimal(value)
    if not number.is_finite():
        raise ValueError(f"cannot format a non-finite number: {value!r}")
    rounded = _round_half_up(number, decimals)
    if rounded.is_zero():
        rounded = rounded.copy_abs()
    return format(rounded, ",f" if grouping else "f")


def _round_half_up(number: Decimal, decimals: int) -> Decimal:
    """`number` rounded half away from zero to `decimals` places, any magnitude."""
    precision = max(28, number.adjusted() + decimals + 2)
    with localcontext(Context(prec=precision, rounding=ROUND_HALF_UP)):
        return number.quantize(Decimal(1).scaleb(-decimals))


def percent_of(value: float, total: float) -> float:
    """`value` as a percentage of `total` (0..100 for shares); 0 when total is 0."""
    if total == 0:
        return 0.0
    return value / total * 100.0


def format_percent(value: float, total: float, decimals: int = 0) -> str:
    """A pie-label share such as ``'33%'``.

    Shares are rounded one by one, so the labels of a pie need not add up to
    exactly 100%.
    """
    return format_number(percent_of(value, total), decimals) + "%"


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 x 10^n that is >= `value`, for chart axes.

    ``87`` -> 100, ``0.04`` -> 0.05, ``21.6`` -> 25, ``100`` -> 100, ``0`` -> 1;
    negatives give the negative of the ceiling of their magnitude
    (``-87`` -> -100).  Raises ValueError for NaN/inf.
    """
    if not math.isfinite(value):
        raise ValueError(f"no nice ceiling for {value!r}")
    if value == 0:
        return 1.0
    if value < 0:
        return -nice_ceiling(-value)
    number = _to_decimal(value)
    power = Decimal(1).scaleb(number.adjusted())
    for step in ("1", "2", "2.5", "5", "10"):
        candidate = Decimal(step) * power
        if candidate >= number:
            ceiling = float(candidate)
            return ceiling if math.isfinite(ceiling) else float(value)
    raise AssertionError("unreachable: 10 x 10^adjusted always exceeds the value")


# --------------------------------------------------------------------------
# Easing
# --------------------------------------------------------------------------


def _clamp01(t: float) -> float:
    """`t` limited to [0, 1]; NaN counts as finished (1) so a figure is never wrong."""
    if math.isnan(t):
        return 1.0
    return 0.0 if t < 0.0 else 1.0 if t > 1.0 else t


def linear(t: float) -> float:
    """No easing: progress as is (clamped to [0, 1])."""
    return _clamp01(t)


def ease_out_cubic(t: float) -> float:
    """Fast start, gentle landing: ``1 - (1 - t)^3`` with `t` clamped to [0, 1]."""
    u = 1.0 - _clamp01(t)
    return 1.0 - u * u * u


def ease_in_out_cubic(t: float) -> float:
    """Slow start and landing, cubic, with `t` clamped to [0, 1]."""
    t = _clamp01(t)
    if t < 0.5:
        return 4.0 * t * t * t
    u = 2.0 - 2.0 * t
    return 1.0 - u * u * u / 2.0


def ease_out_back(t: float, overshoot: float = 1.4) -> float:
    """Lands past 1 and settles back (about 7% over with the default overshoot).

    The input is clamped to [0, 1]; the output is 0 at 0, 1 at 1 and may exceed
    1 in between.
    """
    u = _clamp01(t) - 1.0
    return 1.0 + (overshoot + 1.0) * u * u * u + overshoot * u * u


# --------------------------------------------------------------------------
# Count-up
# --------------------------------------------------------------------------


def count_up_value(
    target: float,
    progress: float,
    *,
    start: float = 0.0,
    easing: Easing = ease_out_cubic,
) -> float:
    """The value shown at animation `progress` (clamped to [0, 1]).

    ``start + (target - start) * easing(progress)``; exactly `start` at 0 and
    exactly `target` at 1.  While the easing stays inside [0, 1] the value
    stays between `start` and `target` (float error included); an overshooting
    easing such as :func:`ease_out_back` may go past `target`.
    """
    progress = _clamp01(progress)
    if progress <= 0.0:
        return start
    if progress >= 1.0:
        return target
    eased = easing(progress)
    value = start + (target - start) * eased
    if 0.0 <= eased <= 1.0:
        value = min(max(value, min(start, target)), max(start, target))
    if not math.isfinite(value):
        return target  # an overshooting easing near the float limit: show the target
    return value


def count_up_text(
    target: float,
    progress: float,
    decimals: int,
    *,
    start: float = 0.0,
    easing: Easing = ease_out_cubic,
    grouping: bool = False,
) -> str:
    """The text shown at `progress`, always with exactly `decimals` decimals.

    ``99.2`` with one decimal shows ``'0.0'``, ..., ``'49.6'``, ..., ``'99.2'``;
    at progress 1 the text equals ``format_number(target, decimals)``.
    """
    value = count_up_value(target, progress, start=start, easing=easing)
    return format_number(value, decimals, grouping=grouping)


@dataclass(frozen=True)
class FigureText:
    """The parts of a headline figure, so a renderer can set them in different sizes."""

    prefix: str
    number: str
    unit: str
    suffix: str

    def full(self) -> str:
        """All parts together, e.g. ``'近20%'``, ``'9400余名'``, ``'80%以上'``."""
        return f"{self.prefix}{self.number}{self.unit}{self.suffix}"

    def __str__(self) -> str:
        """Same as :meth:`full`."""
        return self.full()


def compose(
    value: float,
    decimals: int,
    *,
    prefix: str = "",
    unit: str = "",
    suffix: str = "",
    progress: float = 1.0,
    start: float = 0.0,
    easing: Easing = ease_out_cubic,
    grouping: bool = False,
) -> FigureText:
    """The parts of a figure at a count-up `progress` (1 = the final figure)."""
    number = count_up_text(value, progress, decimals, start=start, easing=easing, grouping=grouping)
    return FigureText(prefix=prefix, number=number, unit=unit, suffix=suffix)


def widest_text(
    target: float,
    decimals: int,
    *,
    start: float = 0.0,
    easing: Easing = ease_out_cubic,
    grouping: bool = False,
) -> str:
    """A string at least as long as any text the count-up will show.

    Formats the largest magnitude the count passes through with every digit
    replaced by ``'8'`` and a leading ``'-'`` if any shown text is negative
    (``99.2`` -> ``'88.8'``, ``-18.4`` -> ``'-88.8'``).  Overshooting easings
    are sampled, so ``ease_out_back`` towards 95 reserves ``'888'``.
    """
    values = _shown_values(target, start, easing)
    texts = [format_number(v, decimals, grouping=grouping) for v in values]
    widest = max(texts, key=lambda text: len(text.lstrip("-")))
    digits = _DIGIT.sub("8", widest.lstrip("-"))
    negative = any(text.startswith("-") for text in texts)
    return ("-" if negative else "") + digits


def _shown_values(target: float, start: float, easing: Easing) -> list[float]:
    """The endpoints of a count-up plus samples of its path (for overshoot)."""
    if easing in (ease_out_cubic, ease_in_out_cubic, linear):
        return [start, target]  # these never leave [start, target]: the ends are the widest
    steps = range(1, _WIDTH_SAMPLES)
    sampled = [count_up_value(target, i / _WIDTH_SAMPLES, start=start, easing=easing) for i in steps]
    return [start, target, *sampled]
