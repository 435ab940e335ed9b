"""Seat allocation for a class (xét chọn học viên): a pure function, no Flask, no database.

Cách xét chọn học viên (tiếng Việt)
-----------------------------------
1. Mỗi người đăng ký được chấm điểm ưu tiên theo các tiêu chí của lớp, mặc định: nữ +3 điểm,
   cán bộ cấp thôn +2 điểm, chưa được tập huấn chuyên đề này +1 điểm.
2. Xếp hạng theo điểm từ cao xuống thấp; cùng điểm thì ai đăng ký trước xếp trước; cùng cả
   thời gian đăng ký thì hồ sơ có mã số nhỏ hơn xếp trước. Không bao giờ xét theo họ tên.
3. Số chỗ tối đa của một đơn vị (xã): không xã nào được nhận quá mức này khi người của xã khác
   còn phải chờ. Nếu giữ mức này mà lớp vẫn bỏ trống chỗ, mức được nâng đều cho mọi xã, từng
   chỗ một, vừa đủ để lấp đầy lớp.
4. Tỷ lệ nữ tối thiểu (mặc định 50% số chỗ): trong giới hạn chỗ của từng xã, chị em có điểm cao
   nhất được nhận trước cho đến khi đủ tỷ lệ. Nếu không đủ nữ đăng ký, hoặc giới hạn của xã
   không cho nhận thêm, thì nhận tất cả số nữ có thể nhận: giới hạn của xã được áp dụng trước.
5. Số chỗ còn lại dành cho những người xếp hạng cao nhất, không phân biệt nam nữ.
6. Lớp luôn được lấp đủ chỗ khi còn người đăng ký; ai chưa được nhận thì vào danh sách chờ,
   đúng theo thứ tự xếp hạng.
7. Mỗi người đều có lý do ghi rõ: điểm từng tiêu chí, quy định nào đã áp dụng cho mình, và
   cách xử lý khi cùng điểm. Cùng dữ liệu thì luôn cho cùng kết quả.

How seats are allocated (English)
---------------------------------
1. Every applicant gets priority points for the class's criteria, by default: woman +3,
   village-level leader +2, not yet trained on this topic +1.
2. Applicants are ranked by points, highest first; on equal points the earlier application
   comes first, then the smaller application number. Names never decide anything.
3. Seats per unit (commune): no commune gets more than this many seats while people from
   other communes wait. If keeping to it would leave seats empty, the limit is raised for all
   communes equally, one seat at a time, just enough to fill the class.
4. Minimum share of women (default 50% of the seats): within each commune's limit, the
   best-ranked women are admitted first until the share is reached. If too few women
   applied, or the commune limits leave no room for more, every woman who can be admitted
   is: the commune limit comes first.
5. The remaining seats go to the best-ranked applicants, women or men.
6. The class is always filled while applicants remain; everyone else is waitlisted in rank
   order.
7. Everyone gets written reasons: the points for each criterion, the rule that applied to
   them, and how a tie was broken. The same data always gives the same result.

Precise rules
-------------
Let ``n`` be the number of applicants, ``A = min(capacity, n)`` the number admitted (seats are
never left empty while someone waits), ``K = policy.max_per_unit``, and ``n_u`` / ``w_u`` the
number of applicants / women of unit ``u``.

*Rank.* ``score = weight_woman·[woman] + weight_village_leader·[leader] +
weight_not_trained·[not trained before]``; rank key ``(-score, applied_at, id)``. Both output
lists are in rank order.

*Unit limits (applied first).* If ``K`` is None there is no limit. If
``Σ_u min(K, n_u) >= A`` the caps can fill the class: every unit gets at most ``K`` seats
(``unit_limit = K``). Otherwise ``unit_limit = L`` = the smallest integer ``> K`` with
``Σ_u min(L, n_u) >= A``; every unit gets at least ``min(L - 1, n_u)`` seats (its *floor*) and at
most ``L``. Hence a unit exceeds ``K`` only when everybody who fits under ``K`` is admitted, and
the extra seats are spread evenly: a unit with someone waiting has at least ``L - 1`` seats and
no unit has more than ``L``. "No unit over ``K`` while others wait" cannot hold literally when
two or more units have more than ``K`` applicants and the caps leave seats empty (someone from
an over-cap unit then waits); when at most one unit has more than ``K`` applicants it does hold:
if a unit is over ``K``, nobody from any other unit waits.

*Women quota (within the limits).* ``women_required = min(ceil(share · A), W)`` where ``W`` is the
largest number of women that any admission of ``A`` applicants respecting the limits above
can contain: with floors ``f_u`` (0 when the caps fill the class) and limit ``L`` (∞ if none),
``W = Σ min(f_u, w_u) + min(A − Σ f_u, Σ (min(L, w_u) − min(f_u, w_u)))``. When the quota and a
unit limit conflict, the limit wins and the quota shrinks to what the limits allow.
``share · A`` is computed exactly from the decimal value of the share (28% of 25 seats = 7, not 8).

*Selection.* Pass 1 admits women in rank order while ``women_required`` is not reached;
pass 2 admits everybody still out, in rank order, until ``A`` seats are taken. In both passes
an applicant is skipped when their unit is at its limit, or when taking them would leave too
few seats for the floors of the other units. ``women_admitted >= women_required`` always.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from app.timeutil import LOCAL_TZ

__all__ = [
    "Allocation",
    "Applicant",
    "Policy",
    "allocate",
    "promote",
    "rank",
    "rank_key",
    "score",
    "women_required",
]

WOMAN = "F"
MAN = "M"

_NUMBER_TYPES = (int, float, Fraction, Decimal)


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
    """The priority policy of a class. Numbers are stored as float, ``max_per_unit`` as int."""

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


@dataclass(frozen=True)
class Allocation:
    """Result of :func:`allocate`; everything the preview page shows."""

    admitted: list[int]  # ids, rank order
    waitlist: list[int]  # ids, rank order
    reasons: dict[int, list[str]]  # id -> Vietnamese reasons, for every applicant
    score: dict[int, float]  # id -> priority points
    women_admitted: int
    women_required: int
    per_unit: dict[int, int]  # unit_id -> seats admitted, for every unit that applied
    capacity: int
    unit_limit: int | None  # limit actually applied: max_per_unit, raised if needed, or None


# ---------------------------------------------------------------------------------------------
# Ranking


def score(applicant: Applicant, policy: Policy) -> float:
    """Priority points of one applicant (sum of the weights of the criteria met)."""
    points = 0.0
    if applicant.gender == WOMAN:
        points += policy.weight_woman
    if applicant.village_leader:
        points += policy.weight_village_leader
    if not applicant.trained_before:
        points += policy.weight_not_trained
    return points


def rank_key(applicant: Applicant, policy: Policy) -> tuple[float, datetime, int]:
    """Sort key: higher score first, then earlier application, then smaller id."""
    return (-score(applicant, policy), applicant.applied_at, applicant.id)


def rank(applicants: Iterable[Applicant], policy: Policy) -> list[Applicant]:
    """Applicants in rank order (the order used by :func:`allocate`)."""
    applicants = list(applicants)
    _check_applicants(applicants)
    return sorted(applicants, key=lambda a: rank_key(a, policy))


def women_required(share: float, seats: int) -> int:
    """``ceil(share * seats)`` on the decimal value of ``share``: (0.28, 25) -> 7, not 8."""
    return math.ceil(_fraction(share) * seats)


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

    scores = {a.id: score(a, policy) for a in applicants}
    ranked = sorted(applicants, key=lambda a: (-scores[a.id], a.applied_at, a.id))
    position = {a.id: i for i, a in enumerate(ranked)}
    seats_total = min(capacity, len(ranked))

    by_unit = Counter(a.unit_id for a in ranked)
    women_by_unit = Counter(a.unit_id for a in ranked if a.gender == WOMAN)
    limit, floor_level = _unit_limits(seats_total, by_unit, policy.max_per_unit)
    floors = {u: min(floor_level, c) for u, c in by_unit.items()}
    required = min(
        women_required(policy.min_women_share, seats_total),
        _max_women(seats_total, by_unit, women_by_unit, limit, floors),
    )

    # Greedy passes. Invariant: seats_left >= deficit (seats still owed to unit floors).
    taken: dict[int, int] = {}  # id -> pass (1 = women quota, 2 = general)
    count: Counter[int] = Counter()
    seats_left = seats_total
    deficit = sum(floors.values())

    def try_admit(applicant: Applicant, phase: int) -> bool:
        nonlocal seats_left, deficit
        unit = applicant.unit_id
        have = count[unit]
        if seats_left == 0 or (limit is not None and have >= limit):
            return False
        if have < floors[unit]:
            deficit -= 1
        elif seats_left - 1 < deficit:
            return False
        count[unit] = have + 1
        seats_left -= 1
        taken[applicant.id] = phase
        return True

    women = 0
    if required:
        for applicant in ranked:
            if applicant.gender == WOMAN and try_admit(applicant, 1):
                women += 1
                if women == required:
                    break
    for applicant in ranked:
        if seats_left == 0:
            break
        if applicant.id not in taken and try_admit(applicant, 2):
            women += applicant.gender == WOMAN

    admitted = [a for a in ranked if a.id in taken]
    waiting = [a for a in ranked if a.id not in taken]
    assert len(admitted) == seats_total and women >= required  # see "Precise rules"

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


def _unit_limits(seats: int, by_unit: Counter[int], cap: int | None) -> tuple[int | None, int]:
    """(limit, floor level): ``(cap, 0)`` when the caps can fill the seats, else raised."""
    if cap is None:
        return None, 0

    def room(level: int) -> int:
        return sum(min(level, c) for c in by_unit.values())

    if room(cap) >= seats:
        return cap, 0
    low, high = cap + 1, max(by_unit.values())  # room(high) == n >= seats
    while low < high:
        mid = (low + high) // 2
        if room(mid) >= seats:
            high = mid
        else:
            low = mid + 1
    return low, low - 1


def _max_women(
    seats: int,
    by_unit: Counter[int],
    women_by_unit: Counter[int],
    limit: int | None,
    floors: dict[int, int],
) -> int:
    """Most women an admission of ``seats`` applicants can hold within the unit limits."""
    if limit is None:
        return min(seats, sum(women_by_unit.values()))
    free = sum(min(floors[u], women_by_unit[u]) for u in by_unit)
    extra = sum(min(limit, women_by_unit[u]) - min(floors[u], women_by_unit[u]) for u in by_unit)
    return free + min(seats - sum(floors.values()), extra)


def _reasons(
    *,
    capacity: int,
    policy: Policy,
    scores: dict[int, float],
    position: dict[int, int],
    admitted: list[Applicant],
    waiting: list[Applicant],
    taken: dict[int, int],
    count: Counter[int],
    limit: int | None,
) -> dict[int, list[str]]:
    cap = policy.max_per_unit
    share = _percent(policy.min_women_share)
    last_admitted = max((position[a.id] for a in admitted), default=-1)

    # Waitlisted applicants ranked above someone admitted were kept out by a rule.
    def held_by_cap(a: Applicant) -> bool:
        return cap is not None and count[a.unit_id] >= cap

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
    sides: dict[float, set[bool]] = defaultdict(set)
    for a in admitted:
        sides[scores[a.id]].add(True)
    for a in waiting:
        sides[scores[a.id]].add(False)
    same_moment = Counter((scores[a.id], a.applied_at) for a in (*admitted, *waiting))

    reasons: dict[int, list[str]] = {}
    for i, a in enumerate(admitted, 1):
        lines = [f"Được xét chọn: thứ {i}/{len(admitted)} trong danh sách chính thức"]
        lines += _criteria(a, policy, scores[a.id])
        if taken[a.id] == 1 and position[a.id] > best_displaced:
            lines.append(f"Được ưu tiên theo tỷ lệ nữ tối thiểu {share}%")
        if a.id in over_cap:
            if any(u != a.unit_id for u in waiting_units):
                lines.append(
                    f"Vượt mức tối đa {cap} chỗ của đơn vị vì trong mức tối đa không đủ người "
                    f"để lấp đủ chỗ; các đơn vị được nâng đều lên tối đa {limit} chỗ"
                )
            else:
                lines.append("Vượt mức tối đa của đơn vị vì không còn người của đơn vị khác chờ")
        reasons[a.id] = lines
    for i, a in enumerate(waiting, 1):
        lines = [f"Danh sách chờ: thứ {i}/{len(waiting)}"]
        lines += _criteria(a, policy, scores[a.id])
        if position[a.id] < last_admitted and held_by_cap(a):
            have = count[a.unit_id]
            if have == cap:
                lines.append(f"Đơn vị đã đủ {cap} chỗ tối đa — xếp vào danh sách chờ")
            else:
                lines.append(
                    f"Đơn vị đã có {have} chỗ, vượt mức tối đa {cap} chỗ — xếp vào danh sách chờ"
                )
        elif position[a.id] < last_admitted:
            lines.append(
                f"Nhường chỗ để bảo đảm tỷ lệ nữ tối thiểu {share}% — xếp vào danh sách chờ"
            )
        elif capacity == 0:
            lines.append("Lớp chưa có chỗ nào — xếp vào danh sách chờ")
        else:
            lines.append(f"Đã đủ {capacity} chỗ cho người xếp hạng cao hơn — xếp vào danh sách chờ")
        reasons[a.id] = lines
    for a in (*admitted, *waiting):
        if len(sides[scores[a.id]]) == 2:
            line = f"Cùng điểm: xét theo thời gian đăng ký {_moment(a.applied_at)}"
            if same_moment[(scores[a.id], a.applied_at)] > 1:
                line += f"; cùng thời điểm đăng ký: xét theo mã hồ sơ số {a.id} (số nhỏ trước)"
            reasons[a.id].append(line)
    return reasons


def _criteria(a: Applicant, policy: Policy, points: float) -> list[str]:
    lines = []
    if a.gender == WOMAN and policy.weight_woman:
        lines.append(f"Nữ: +{_number(policy.weight_woman)} điểm")
    if a.village_leader and policy.weight_village_leader:
        lines.append(f"Cán bộ cấp thôn: +{_number(policy.weight_village_leader)} điểm")
    if not a.trained_before and policy.weight_not_trained:
        lines.append(
            f"Chưa được tập huấn chuyên đề này: +{_number(policy.weight_not_trained)} điểm"
        )
    if not lines:
        lines.append("Không có tiêu chí ưu tiên nào: 0 điểm")
    lines.append(f"Tổng điểm ưu tiên: {_number(points)} điểm")
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


def _fraction(value: float) -> Fraction:
    """Exact value of a share as the user wrote it: 0.3 -> 3/10 (not 0.29999...)."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def _number(value: float) -> str:
    """3.0 -> "3", 1.5 -> "1,5" (Vietnamese decimal comma)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _percent(share: float) -> str:
    return _number(float(_fraction(share) * 100))


def _moment(moment: datetime) -> str:
    """Format as "08:15 12/03/2025" (seconds only when not zero); aware times in Vietnam time."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL_TZ)
    clock = "%H:%M:%S" if moment.second or moment.microsecond else "%H:%M"
    return moment.strftime(f"{clock} %d/%m/%Y")
