"""Seat allocation for a class (xét chọn học viên): a pure function, no Flask, no database.

Cách xét chọn học viên (tiếng Việt)
-----------------------------------
1. Mỗi người đăng ký được chấm điểm ưu tiên theo các tiêu chí của lớp, mặc định: nữ +3 điểm,
   cán bộ cấp thôn +2 điểm, chưa được tập huấn chuyên đề này +1 điểm. Điểm được tính chính
   xác theo số thập phân đã nhập (0,1 + 0,2 đúng bằng 0,3).
2. Xếp hạng theo điểm từ cao xuống thấp. Cùng điểm thì nữ xếp trước nam, rồi cán bộ cấp thôn
   xếp trước, rồi người chưa được tập huấn chuyên đề này xếp trước (kể cả khi điểm của tiêu chí
   đó là 0); sau đó ai đăng ký trước xếp trước; cuối cùng hồ sơ có mã số nhỏ hơn xếp trước.
   Không bao giờ xét theo họ tên.
3. Số chỗ tối đa của một đơn vị (xã): không xã nào được nhận quá mức này khi người của xã khác
   còn phải chờ. Lớp luôn được lấp đủ chỗ khi còn người đăng ký; nếu giữ đúng mức này thì lớp
   phải bỏ trống chỗ, nên khi đó mức được nâng đều cho mọi xã, vừa đủ để lấp đầy lớp, và mọi
   người của xã nào trong phạm vi mức ban đầu đều được nhận trước khi có xã vượt mức.
4. Tỷ lệ nữ tối thiểu (mặc định 50% số chỗ): trong giới hạn chỗ của từng xã (mục 3), chị em có
   điểm cao nhất được nhận trước cho đến khi đủ tỷ lệ. Nếu không đủ nữ đăng ký, hoặc giới hạn
   của xã không cho nhận thêm, thì nhận nhiều nữ nhất mà giới hạn cho phép: giới hạn của xã
   được áp dụng trước tỷ lệ nữ.
5. Khi mức tối đa phải nâng lên, số chỗ vượt mức được chia đều giữa các xã còn người chờ (mỗi
   xã được nâng từng chỗ một), trừ khi chia đều như vậy làm giảm số nữ cần nhận theo mục 4:
   tỷ lệ nữ được ưu tiên hơn việc chia đều.
6. Số chỗ còn lại dành cho những người xếp hạng cao nhất, không phân biệt nam nữ. Ai chưa
   được nhận thì vào danh sách chờ, đúng theo thứ tự xếp hạng.
7. Mỗi người đều có lý do ghi rõ: điểm từng tiêu chí, quy định nào đã áp dụng cho mình, và
   cách xử lý khi cùng điểm. Cùng dữ liệu thì luôn cho cùng kết quả.

How seats are allocated (English)
---------------------------------
1. Every applicant gets priority points for the class's criteria, by default: woman +3,
   village-level leader +2, not yet trained on this topic +1. Points are exact decimals as
   typed (0.1 + 0.2 is exactly 0.3).
2. Applicants are ranked by points, highest first. On equal points a woman comes before a man,
   then a village-level leader before a non-leader, then someone not yet trained before
   someone trained (even when that criterion's weight is 0); then the earlier application;
   then the smaller application number. Names never decide anything.
3. Seats per unit (commune): no commune gets more than this many seats while people from
   other communes wait. The class is always filled while applicants remain; when keeping to
   the limit would leave seats empty, the limit is raised equally for all communes, just
   enough to fill the class, and everybody who fits under the original limit in their commune
   is admitted before any commune goes over it.
4. Minimum share of women (default 50% of the seats): within the commune limits of rule 3, the
   best-ranked women are admitted first until the share is reached. If too few women applied,
   or the limits leave no room for more, as many women as the limits allow are admitted: the
   commune limit comes before the women quota.
5. When the limit has to be raised, the seats above it are spread evenly (one level at a
   time) over the communes that still have people waiting, unless spreading them evenly would
   lower the number of women that rule 4 asks for: the quota comes before the even spread.
6. The remaining seats go to the best-ranked applicants, women or men. Everyone else is
   waitlisted in rank order.
7. Everyone gets written reasons: the points for each criterion, the rule that applied to
   them, and how a tie was broken. The same data always gives the same result.

Precise rules
-------------
Let ``n`` be the number of applicants, ``A = min(capacity, n)`` the number admitted (seats are
never left empty while someone waits), ``K = policy.max_per_unit``, ``n_u`` / ``w_u`` the number
of applicants / women of unit ``u``, and ``room(L) = Σ_u min(L, n_u)``.

*Score and rank.* ``score = weight_woman·[woman] + weight_village_leader·[leader] +
weight_not_trained·[not trained before]``, computed exactly (``fractions.Fraction`` of the
decimal value of each weight: 0.1 is 1/10). Rank key ``(-score, [man], [not leader],
[trained before], applied_at, id)``: on equal scores woman, leader and not-trained come first,
in that order, whatever the weights. Both output lists are in rank order.

*Unit bounds (the cap rule, applied first).* If ``K`` is None there are no bounds. If
``room(K) >= A`` the caps can fill the class: every unit gets at most ``K`` seats
(``unit_limit = K``) and no unit is over ``K``. Otherwise the literal rule "no unit over ``K``
while others wait" could only hold by leaving seats empty; since seats are filled, the limit
is raised to ``L`` = the smallest integer ``> K`` with ``room(L) >= A`` (``unit_limit = L``), and
every unit gets between ``min(K, n_u)`` (its *hard floor*: everybody who fits under ``K`` is
admitted, so a unit exceeds ``K`` only when nobody of another unit who fits under ``K``
waits) and ``min(L, n_u)`` seats.

*Women quota (within the bounds).* ``women_required = min(ceil(share · A), W(K))`` where
``W(m)`` is the largest number of women in an admission of ``A`` applicants that gives every
unit between ``f_u = min(m, n_u)`` and ``L`` seats (when the limit is not raised: ``f_u = 0``
and ``L = K``, or no limit at all without a cap):
``W(m) = Σ min(f_u, w_u) + min(A − Σ f_u, Σ (min(L, w_u) − min(f_u, w_u)))``. When the quota
and the bounds conflict, the bounds win and the quota shrinks to what they allow.
``share · A`` is computed exactly from the decimal value of the share (28% of 25 seats = 7,
not 8).

*Even spread (after the quota).* When the limit is raised, the *floor level* ``M*`` is the
highest ``m`` in ``[K, L − 1]`` with ``W(m) >= women_required`` (``W`` does not increase with
``m``). When ``M* = L − 1`` every unit with someone waiting gets at least ``L − 1`` seats and at
most ``L``: the extra seats are spread evenly. A lower ``M*`` happens only when the even spread
would cost women seats (share 100%, ``K = 1``, 7 seats, two communes of women and one of men:
``L = 3``; floors of 2 would allow 5 women, floors of 1 allow 6, which are admitted: 3 + 3 + 1).

*Selection.* Pass 1 admits women in rank order while ``women_required`` is not reached, with
floors ``min(M*, n_u)`` and limit ``L`` (no floors, limit ``K`` or none, when not raised). When
not raised, pass 2 admits everybody still out, in rank order, within the limit, until ``A``
seats are taken. When raised, pass 2 fills the class by water-filling on top of pass 1: with
``c_u`` the seats taken in pass 1 and ``R`` the seats left, the level ``M`` is the highest in
``[M*, L]`` with ``Σ max(0, min(M, n_u) − c_u) <= R``; every unit is brought to
``max(c_u, min(M, n_u))`` and the seats that remain go, in rank order, to units still below
``M + 1`` (never above ``L``). In both passes an applicant is skipped when their unit is at its
limit, or when taking them would leave too few seats for the floors of the other units.
``women_admitted >= women_required`` always; :class:`AllocationError` is raised if the result
ever broke these rules (a bug, never a user error).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from app.i18n_markers import N_
from app.numbers import format_number
from app.timeutil import LOCAL_TZ, format_local

__all__ = [
    "Allocation",
    "AllocationError",
    "Applicant",
    "Policy",
    "allocate",
    "format_points",
    "promote",
    "rank",
    "rank_key",
    "score",
    "women_required",
]

WOMAN = "F"
MAN = "M"

_NUMBER_TYPES = (int, float, Fraction, Decimal)


class AllocationError(RuntimeError):
    """The result broke one of the rules in the module docstring: a bug, never bad input."""


@dataclass(frozen=True)
class Applicant:
    """One application for a class, reduced to what the allocation looks at."""

    id: int
    gender: str  # "F" (nữ) or "M" (nam)
    village_leader: bool
    unit_id: int  # the commune
    trained_before: bool  # already attended a class of the same topic
    applied_at: datetime  # reasons show aware times in Vietnam time, naive ones as given

    def __post_init__(self) -> None:
        if isinstance(self.id, bool) or not isinstance(self.id, int):
            raise ValueError(f"Mã hồ sơ phải là số nguyên (nhận được {self.id!r}).")
        if self.gender not in (WOMAN, MAN):
            raise ValueError(
                f"Giới tính của hồ sơ {self.id} phải là 'F' (nữ) hoặc 'M' (nam), "
                f"không phải {self.gender!r}."
            )
        if not isinstance(self.applied_at, datetime):
            raise ValueError(f"Hồ sơ {self.id} thiếu thời gian đăng ký hợp lệ.")


_WEIGHT_LABELS = {
    "weight_woman": "Điểm ưu tiên cho nữ",
    "weight_village_leader": "Điểm ưu tiên cho cán bộ cấp thôn",
    "weight_not_trained": "Điểm ưu tiên cho người chưa được tập huấn",
}


@dataclass(frozen=True)
class Policy:
    """The priority policy of a class. Numbers are stored as float (scores are computed from
    their exact decimal value), ``max_per_unit`` as int."""

    min_women_share: float = 0.5
    max_per_unit: int | None = None
    weight_woman: float = 3.0
    weight_village_leader: float = 2.0
    weight_not_trained: float = 1.0

    def __post_init__(self) -> None:
        for name, label in _WEIGHT_LABELS.items():
            value = getattr(self, name)
            if not _is_number(value) or not math.isfinite(value) or value < 0:
                raise ValueError(f"{label} phải là một số không âm (nhận được {value!r}).")
            object.__setattr__(self, name, float(value))
        share = self.min_women_share
        if not _is_number(share) or not 0 <= share <= 1:
            raise ValueError(
                "Tỷ lệ nữ tối thiểu phải nằm trong khoảng từ 0 đến 1 (0% đến 100%) "
                f"(nhận được {share!r})."
            )
        object.__setattr__(self, "min_women_share", float(share))
        cap = self.max_per_unit
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
            raise ValueError(
                "Số chỗ tối đa của mỗi đơn vị phải là số nguyên từ 1 trở lên, "
                f"hoặc để trống nếu không giới hạn (nhận được {cap!r})."
            )

    def as_dict(self) -> dict:
        """The policy as plain values, the one form in which it is stored on a class,
        fingerprinted with a preview, carried by the confirmation form and audited."""
        return {name: getattr(self, name) for name in POLICY_FIELDS}

    @classmethod
    def from_dict(cls, data: Mapping) -> Policy:
        """The policy of `as_dict` (or of anything holding those names, such as a class);
        ValueError when a value is missing or out of range."""
        try:
            return cls(**{name: data[name] for name in POLICY_FIELDS})
        except (KeyError, TypeError) as exc:
            raise ValueError(f"Chính sách xét chọn thiếu hoặc sai giá trị: {exc}.") from exc


POLICY_FIELDS = ("min_women_share", "max_per_unit", "weight_woman", "weight_village_leader",
                 "weight_not_trained")


@dataclass(frozen=True)
class Allocation:
    """Result of :func:`allocate`; everything the preview page shows."""

    admitted: list[int]  # ids, rank order
    waitlist: list[int]  # ids, rank order
    reasons: dict[int, list[str]]  # id -> Vietnamese reasons, for every applicant
    score: dict[int, Fraction]  # id -> priority points, exact
    women_admitted: int
    women_required: int
    per_unit: dict[int, int]  # unit_id -> seats admitted, for every unit that applied
    capacity: int
    unit_limit: int | None  # limit actually applied: max_per_unit, raised if needed, or None


# ---------------------------------------------------------------------------------------------
# Ranking


def _profile(applicant: Applicant) -> tuple[bool, bool, bool]:
    """(woman, village leader, not trained before): what the score and the tie-break use."""
    return applicant.gender == WOMAN, applicant.village_leader, not applicant.trained_before


def _points(profile: tuple[bool, bool, bool], policy: Policy) -> Fraction:
    woman, leader, untrained = profile
    points = Fraction(0)
    if woman:
        points += _fraction(policy.weight_woman)
    if leader:
        points += _fraction(policy.weight_village_leader)
    if untrained:
        points += _fraction(policy.weight_not_trained)
    return points


def score(applicant: Applicant, policy: Policy) -> Fraction:
    """Priority points of one applicant (sum of the weights of the criteria met), exact."""
    return _points(_profile(applicant), policy)


def rank_key(applicant: Applicant, policy: Policy) -> tuple:
    """Sort key: higher score first; then woman, leader, not trained; then earlier
    application; then smaller id."""
    woman, leader, untrained = _profile(applicant)
    return (-score(applicant, policy), not woman, not leader, not untrained,
            applicant.applied_at, applicant.id)


def _ranker(policy: Policy) -> Callable[[Applicant], tuple]:
    """A fast equivalent of :func:`rank_key`: the eight profiles are ranked once, so sorting
    compares small integers instead of fractions."""
    profiles = [(w, le, u) for w in (True, False) for le in (True, False) for u in (True, False)]
    ordered = sorted(profiles, key=lambda p: (-_points(p, policy), not p[0], not p[1], not p[2]))
    place = {p: i for i, p in enumerate(ordered)}
    return lambda a: (place[_profile(a)], a.applied_at, a.id)


def rank(applicants: Iterable[Applicant], policy: Policy) -> list[Applicant]:
    """Applicants in rank order (the order used by :func:`allocate`)."""
    applicants = list(applicants)
    _check_applicants(applicants)
    return sorted(applicants, key=_ranker(policy))


def women_required(share: float, seats: int) -> int:
    """``ceil(share * seats)`` on the decimal value of ``share``: (0.28, 25) -> 7, not 8."""
    return math.ceil(_fraction(share) * seats)


def format_points(points: Fraction | float | int) -> str:
    """6 -> "6", 4.5 -> "4,5", 1/3 -> "0,33" (Vietnamese decimal comma, at most 2 decimals)."""
    return _number(points)


# ---------------------------------------------------------------------------------------------
# Allocation


def allocate(capacity: int, applicants: Sequence[Applicant], policy: Policy) -> Allocation:
    """Decide who gets the ``capacity`` seats; see the module docstring for the exact rules.

    Runs in O(n log n). Raises ValueError (Vietnamese message) for a negative capacity,
    repeated ids, or a mix of naive and timezone-aware ``applied_at``.
    """
    _check_capacity(capacity)
    applicants = list(applicants)
    _check_applicants(applicants)

    points = {p: _points(p, policy) for p in {_profile(a) for a in applicants}}
    scores = {a.id: points[_profile(a)] for a in applicants}
    ranked = sorted(applicants, key=_ranker(policy))
    position = {a.id: i for i, a in enumerate(ranked)}
    seats_total = min(capacity, len(ranked))

    by_unit = Counter(a.unit_id for a in ranked)
    women_by_unit = Counter(a.unit_id for a in ranked if a.gender == WOMAN)
    cap = policy.max_per_unit
    limit = _unit_limit(seats_total, by_unit, cap)
    raised = limit is not None and cap is not None and limit > cap

    def floors_at(level: int) -> dict[int, int]:
        return {u: min(level, c) for u, c in by_unit.items()}

    def most_women(level: int) -> int:
        return _max_women(seats_total, by_unit, women_by_unit, limit, floors_at(level))

    hard_level = cap if raised else 0
    required = min(women_required(policy.min_women_share, seats_total), most_women(hard_level))
    floor_level = hard_level
    if raised:  # highest level in [K, L - 1] that keeps the quota (most_women is monotone)
        floor_level = _highest(hard_level, limit - 1, lambda m: most_women(m) >= required)

    taken: dict[int, int] = {}  # id -> pass (1 = women quota, 2 = general)
    count: Counter[int] = Counter()
    seats_left = seats_total

    def admit_pass(candidates: Iterable[Applicant], phase: int, floors: dict[int, int],
                   limits: Callable[[int], int | None], stop: Callable[[], bool]) -> None:
        """Greedy in rank order. Invariant: seats_left >= deficit (seats owed to floors)."""
        nonlocal seats_left
        deficit = sum(max(0, f - count[u]) for u, f in floors.items())
        for applicant in candidates:
            if stop() or seats_left == 0:
                return
            if applicant.id in taken:
                continue
            unit = applicant.unit_id
            have, most = count[unit], limits(unit)
            if most is not None and have >= most:
                continue
            if have < floors.get(unit, 0):
                deficit -= 1
            elif seats_left - 1 < deficit:
                continue
            count[unit] = have + 1
            seats_left -= 1
            taken[applicant.id] = phase

    # Pass 1: the women quota, within the limit and the floors of level M*.
    women_ranked = [a for a in ranked if a.gender == WOMAN]
    if required:
        admit_pass(women_ranked, 1, floors_at(floor_level), lambda _u: limit,
                   lambda: len(taken) >= required)

    # Pass 2: fill the class, spreading the raised seats as evenly as pass 1 allows.
    if raised:
        def deficit_at(level: int) -> int:
            return sum(max(0, min(level, c) - count[u]) for u, c in by_unit.items())

        level = _highest(floor_level, limit, lambda m: deficit_at(m) <= seats_left)
        after_pass1 = Counter(count)
        top = min(level + 1, limit)
        admit_pass(ranked, 2, {u: max(count[u], min(level, c)) for u, c in by_unit.items()},
                   lambda u: max(after_pass1[u], top), lambda: False)
    else:
        admit_pass(ranked, 2, {}, lambda _u: limit, lambda: False)

    admitted = [a for a in ranked if a.id in taken]
    waiting = [a for a in ranked if a.id not in taken]
    women = sum(a.gender == WOMAN for a in admitted)
    _check_result(admitted, seats_total, women, required, count, limit,
                  floors_at(hard_level))

    reasons = _reasons(
        capacity=capacity,
        policy=policy,
        scores=scores,
        position=position,
        admitted=admitted,
        waiting=waiting,
        taken=taken,
        count=count,
        limit=limit,
    )
    return Allocation(
        admitted=[a.id for a in admitted],
        waitlist=[a.id for a in waiting],
        reasons=reasons,
        score=scores,
        women_admitted=women,
        women_required=required,
        per_unit={u: count[u] for u in sorted(by_unit)},
        capacity=capacity,
        unit_limit=limit,
    )


def promote(
    capacity: int,
    admitted: Sequence[Applicant],
    waitlist: Sequence[Applicant],
    policy: Policy,
) -> int | None:
    """Who takes a seat that became free (e.g. after a withdrawal); None if no seat is free.

    ``waitlist`` is taken in the order given (the waitlist of :func:`allocate` is in rank
    order). Returns the id of the first waitlisted applicant who

    1. keeps both rules: their unit is below ``max_per_unit``, and the women quota still holds
       after them (a woman always keeps it; a man keeps it when the admitted women are at least
       ``ceil(share * (len(admitted) + 1))``);
    2. failing that, the first who keeps the unit limit (the limit comes before the quota, as
       in :func:`allocate`);
    3. failing that, the first in the waitlist (a seat is never left empty while someone waits,
       as in :func:`allocate` when the limits cannot fill the class).

    None when ``len(admitted) >= capacity`` or the waitlist is empty.
    """
    _check_capacity(capacity)
    if len(admitted) >= capacity or not waitlist:
        return None
    women = sum(a.gender == WOMAN for a in admitted)
    quota_holds_with_a_man = women >= women_required(policy.min_women_share, len(admitted) + 1)
    per_unit = Counter(a.unit_id for a in admitted)
    cap = policy.max_per_unit

    def keeps_cap(a: Applicant) -> bool:
        return cap is None or per_unit[a.unit_id] < cap

    for a in waitlist:
        if keeps_cap(a) and (a.gender == WOMAN or quota_holds_with_a_man):
            return a.id
    for a in waitlist:
        if keeps_cap(a):
            return a.id
    return waitlist[0].id


# ---------------------------------------------------------------------------------------------
# Helpers


def _unit_limit(seats: int, by_unit: Counter[int], cap: int | None) -> int | None:
    """``cap`` when the caps can fill the seats, else the smallest level above it that can;
    None without a cap."""
    if cap is None:
        return None

    def room(level: int) -> int:
        return sum(min(level, c) for c in by_unit.values())

    if room(cap) >= seats:
        return cap
    low, high = cap + 1, max(by_unit.values())  # room(high) == n >= seats
    while low < high:
        mid = (low + high) // 2
        if room(mid) >= seats:
            high = mid
        else:
            low = mid + 1
    return low


def _highest(low: int, high: int, ok: Callable[[int], bool]) -> int:
    """The highest ``m`` in ``[low, high]`` with ``ok(m)``, for ``ok`` true up to some point and
    false after it, and ``ok(low)`` true."""
    while low < high:
        mid = (low + high + 1) // 2
        if ok(mid):
            low = mid
        else:
            high = mid - 1
    return low


def _max_women(
    seats: int,
    by_unit: Counter[int],
    women_by_unit: Counter[int],
    limit: int | None,
    floors: dict[int, int],
) -> int:
    """Most women an admission of ``seats`` applicants can hold within the limit and floors."""
    if limit is None:
        return min(seats, sum(women_by_unit.values()))
    free = sum(min(floors[u], women_by_unit[u]) for u in by_unit)
    extra = sum(min(limit, women_by_unit[u]) - min(floors[u], women_by_unit[u]) for u in by_unit)
    return free + min(seats - sum(floors.values()), extra)


def _check_result(admitted: list[Applicant], seats: int, women: int, required: int,
                  count: Counter[int], limit: int | None, floors: dict[int, int]) -> None:
    """The guarantees of the module docstring; a failure is a bug (AllocationError)."""
    problems = []
    if len(admitted) != seats:
        problems.append(f"nhận {len(admitted)} người thay vì {seats}")
    if women < required:
        problems.append(f"chỉ có {women} nữ, cần ít nhất {required}")
    if limit is not None and any(c > limit for c in count.values()):
        problems.append(f"có đơn vị vượt quá {limit} chỗ")
    if any(count[u] < f for u, f in floors.items()):
        problems.append("có đơn vị chưa được nhận đủ số người trong mức tối đa ban đầu")
    if problems:
        raise AllocationError("Lỗi chương trình khi xét chọn: " + "; ".join(problems) + ".")


def _reasons(
    *,
    capacity: int,
    policy: Policy,
    scores: dict[int, Fraction],
    position: dict[int, int],
    admitted: list[Applicant],
    waiting: list[Applicant],
    taken: dict[int, int],
    count: Counter[int],
    limit: int | None,
) -> dict[int, list[str]]:
    cap = policy.max_per_unit
    raised = limit is not None and cap is not None and limit > cap
    share = _percent(policy.min_women_share)
    last_admitted = max((position[a.id] for a in admitted), default=-1)

    # Waitlisted applicants ranked above someone admitted were kept out by a rule: the unit
    # limit when their unit is full (or, when the limit was raised, at the even level), else
    # the women quota.
    def held_by_cap(a: Applicant) -> bool:
        if limit is None:
            return False
        return count[a.unit_id] >= (limit - 1 if raised else limit)

    displaced_by_quota = [
        position[a.id] for a in waiting if position[a.id] < last_admitted and not held_by_cap(a)
    ]
    best_displaced = min(displaced_by_quota, default=len(position))
    waiting_units = Counter(a.unit_id for a in waiting)

    # Admitted beyond the nominal cap: the lowest-ranked of a unit's seats above ``cap``.
    over_cap: set[int] = set()
    if cap is not None:
        seen: Counter[int] = Counter()
        for a in admitted:
            seen[a.unit_id] += 1
            if seen[a.unit_id] > cap:
                over_cap.add(a.id)

    # Ties that decided something: equal scores found on both sides of the cut.
    sides: dict[Fraction, set[bool]] = defaultdict(set)
    profiles: dict[Fraction, set[tuple[bool, bool, bool]]] = defaultdict(set)
    for a in admitted:
        sides[scores[a.id]].add(True)
    for a in waiting:
        sides[scores[a.id]].add(False)
    everyone = (*admitted, *waiting)
    for a in everyone:
        profiles[scores[a.id]].add(_profile(a))
    same_moment = Counter((scores[a.id], _profile(a), a.applied_at) for a in everyone)

    criteria_lines: dict[tuple[bool, bool, bool], list[str]] = {}

    def criteria(a: Applicant) -> list[str]:
        profile = _profile(a)
        if profile not in criteria_lines:
            criteria_lines[profile] = _criteria(a, policy, scores[a.id])
        return list(criteria_lines[profile])

    reasons: dict[int, list[str]] = {}
    for i, a in enumerate(admitted, 1):
        lines = [R_ADMITTED % {"i": i, "n": len(admitted)}]
        lines += criteria(a)
        if taken[a.id] == 1 and position[a.id] > best_displaced:
            lines.append(R_WOMEN_QUOTA % {"share": share})
        if a.id in over_cap:
            if any(u != a.unit_id for u in waiting_units):
                lines.append(R_OVER_CAP_RAISED % {"cap": cap, "limit": limit})
            else:
                lines.append(R_OVER_CAP_ALONE)
        reasons[a.id] = lines
    for i, a in enumerate(waiting, 1):
        lines = [R_WAITING % {"i": i, "n": len(waiting)}]
        lines += criteria(a)
        if position[a.id] < last_admitted and held_by_cap(a):
            have = count[a.unit_id]
            if have == cap:
                lines.append(R_UNIT_FULL % {"cap": cap})
            else:
                lines.append(R_UNIT_OVER % {"have": have, "cap": cap})
        elif position[a.id] < last_admitted:
            lines.append(R_YIELD_TO_WOMEN % {"share": share})
        elif capacity == 0:
            lines.append(R_NO_SEATS)
        else:
            lines.append(R_FULL % {"capacity": capacity})
        reasons[a.id] = lines
    for a in everyone:
        points = scores[a.id]
        if len(sides[points]) < 2:
            continue
        by_id = same_moment[(points, _profile(a), a.applied_at)] > 1
        if len(profiles[points]) > 1:
            template = R_TIE_PROFILE_ID if by_id else R_TIE_PROFILE
        else:
            template = R_TIE_TIME_ID if by_id else R_TIE_TIME
        reasons[a.id].append(template % {"moment": _moment(a.applied_at), "id": a.id})
    return reasons


# The reasons, as message templates: the text is Vietnamese (what is stored and printed);
# pages in another language translate a reason by its template (app/classes/reasons.py).
R_ADMITTED = N_("Được xét chọn: thứ %(i)s/%(n)s trong danh sách chính thức")
R_WOMEN_QUOTA = N_("Được ưu tiên theo tỷ lệ nữ tối thiểu %(share)s%%")
R_OVER_CAP_RAISED = N_("Vượt mức tối đa %(cap)s chỗ của đơn vị vì trong mức tối đa không đủ "
                       "người để lấp đủ chỗ; các đơn vị được nâng đều lên tối đa %(limit)s chỗ")
R_OVER_CAP_ALONE = N_("Vượt mức tối đa của đơn vị vì không còn người của đơn vị khác chờ")
R_WAITING = N_("Danh sách chờ: thứ %(i)s/%(n)s")
R_UNIT_FULL = N_("Đơn vị đã đủ %(cap)s chỗ tối đa — xếp vào danh sách chờ")
R_UNIT_OVER = N_("Đơn vị đã có %(have)s chỗ, vượt mức tối đa %(cap)s chỗ — xếp vào danh sách "
                 "chờ")
R_YIELD_TO_WOMEN = N_("Nhường chỗ để bảo đảm tỷ lệ nữ tối thiểu %(share)s%% — xếp vào danh "
                      "sách chờ")
R_NO_SEATS = N_("Lớp chưa có chỗ nào — xếp vào danh sách chờ")
R_FULL = N_("Đã đủ %(capacity)s chỗ cho người xếp hạng cao hơn — xếp vào danh sách chờ")
R_TIE_PROFILE = N_("Cùng điểm: xếp trước lần lượt là nữ, cán bộ cấp thôn, người chưa được "
                   "tập huấn; sau đó xét theo thời gian đăng ký %(moment)s")
R_TIE_PROFILE_ID = N_("Cùng điểm: xếp trước lần lượt là nữ, cán bộ cấp thôn, người chưa được "
                      "tập huấn; sau đó xét theo thời gian đăng ký %(moment)s; cùng thời điểm "
                      "đăng ký: xét theo mã hồ sơ số %(id)s (số nhỏ trước)")
R_TIE_TIME = N_("Cùng điểm: xét theo thời gian đăng ký %(moment)s")
R_TIE_TIME_ID = N_("Cùng điểm: xét theo thời gian đăng ký %(moment)s; cùng thời điểm đăng ký: "
                   "xét theo mã hồ sơ số %(id)s (số nhỏ trước)")
R_WOMAN = N_("Nữ: +%(n)s điểm")
R_LEADER = N_("Cán bộ cấp thôn: +%(n)s điểm")
R_NOT_TRAINED = N_("Chưa được tập huấn chuyên đề này: +%(n)s điểm")
R_NO_CRITERIA = N_("Không có tiêu chí ưu tiên nào: 0 điểm")
R_TOTAL = N_("Tổng điểm ưu tiên: %(n)s điểm")
REASON_TEMPLATES = (
    R_ADMITTED, R_WOMEN_QUOTA, R_OVER_CAP_RAISED, R_OVER_CAP_ALONE, R_WAITING, R_UNIT_FULL,
    R_UNIT_OVER, R_YIELD_TO_WOMEN, R_NO_SEATS, R_FULL, R_TIE_PROFILE, R_TIE_PROFILE_ID,
    R_TIE_TIME, R_TIE_TIME_ID, R_WOMAN, R_LEADER, R_NOT_TRAINED, R_NO_CRITERIA, R_TOTAL)


def _criteria(a: Applicant, policy: Policy, points: Fraction) -> list[str]:
    lines = []
    if a.gender == WOMAN and policy.weight_woman:
        lines.append(R_WOMAN % {"n": _number(policy.weight_woman)})
    if a.village_leader and policy.weight_village_leader:
        lines.append(R_LEADER % {"n": _number(policy.weight_village_leader)})
    if not a.trained_before and policy.weight_not_trained:
        lines.append(R_NOT_TRAINED % {"n": _number(policy.weight_not_trained)})
    if not lines:
        lines.append(R_NO_CRITERIA)
    lines.append(R_TOTAL % {"n": _number(points)})
    return lines


def _check_capacity(capacity: int) -> None:
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
        raise ValueError(f"Số chỗ của lớp phải là số nguyên không âm (nhận được {capacity!r}).")


def _check_applicants(applicants: list[Applicant]) -> None:
    ids = Counter(a.id for a in applicants)
    repeated = sorted(i for i, c in ids.items() if c > 1)
    if repeated:
        shown = ", ".join(str(i) for i in repeated[:10])
        raise ValueError(f"Mã hồ sơ bị trùng: {shown}.")
    kinds = {a.applied_at.tzinfo is None for a in applicants}
    if len(kinds) > 1:
        raise ValueError(
            "Thời gian đăng ký phải cùng một kiểu: tất cả có múi giờ hoặc tất cả không có."
        )


def _is_number(value: object) -> bool:
    return isinstance(value, _NUMBER_TYPES) and not isinstance(value, bool)


def _fraction(value: float | int | Fraction | Decimal) -> Fraction:
    """Exact value of a number as the user wrote it: 0.3 -> 3/10 (not 0.29999...)."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def _number(value: float | int | Fraction | Decimal) -> str:
    """3 -> "3", 1.5 -> "1,5", 1/3 -> "0,33": app.numbers.format_number with at most 2
    decimals, rounded half to even on the exact value."""
    return format_number(value, places=2, rounding=ROUND_HALF_EVEN)


def _percent(share: float) -> str:
    return _number(_fraction(share) * 100)


def _moment(moment: datetime) -> str:
    """"08:15 12/03/2025" (seconds only when not zero); aware times in Vietnam time, naive
    ones as given."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL_TZ)
    return format_local(moment, seconds=True)
