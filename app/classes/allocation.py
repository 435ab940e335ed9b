"""Seat allocation for a class (xét chọn học viên): a pure function, no Flask, no database.

Cách xét chọn học viên (tiếng Việt)
-----------------------------------
1. Mỗi người đăng ký được chấm điểm ưu tiên theo các tiêu chí của lớp, mặc định: cán bộ cấp
   thôn +2 điểm, chưa được tập huấn chuyên đề này +1 điểm, nữ 0 điểm (bình đẳng giới được bảo
   đảm bằng tỷ lệ nữ ở mục 6), người dân tộc thiểu số 0 điểm (lớp có thể đặt điểm cho tiêu chí
   này). Điểm được tính chính xác theo số thập phân đã nhập (0,1 + 0,2 đúng bằng 0,3).
2. Người thuộc đối tượng bắt buộc của lớp (mục 3) xếp trước mọi người khác; sau đó xếp theo
   điểm từ cao xuống thấp. Cùng điểm thì nữ xếp trước nam, rồi cán bộ cấp thôn xếp trước, rồi
   người chưa được tập huấn chuyên đề này xếp trước (kể cả khi điểm của tiêu chí đó là 0); sau
   đó ai đăng ký trước xếp trước; cùng thời điểm đăng ký thì hồ sơ được ghi nhận trước xếp
   trước. Không bao giờ xét theo họ tên.
3. Đối tượng bắt buộc (ví dụ trưởng thôn và rà soát viên của các thôn ở lớp rà soát hộ
   nghèo): người giữ chức vụ thuộc đối tượng bắt buộc của lớp được nhận trước, kể cả khi xã
   hay thôn của họ đã đủ số tối đa; họ vẫn được tính vào số người của xã, của thôn và vào tỷ lệ
   nữ. Nếu số người thuộc đối tượng bắt buộc nhiều hơn số chỗ thì chỉ xét chọn giữa họ, theo
   đúng các mục dưới đây.
4. Số chỗ tối đa của mỗi xã: không xã nào được nhận quá mức này khi người của xã khác còn phải
   chờ. Lớp luôn được lấp đủ chỗ khi còn người đăng ký; nếu giữ đúng mức này thì lớp phải bỏ
   trống chỗ, nên khi đó mức được nâng đều cho mọi xã, vừa đủ để lấp đầy lớp, và mọi người của
   xã nào trong phạm vi mức ban đầu đều được nhận trước khi có xã vượt mức.
5. Số người của mỗi thôn, trong giới hạn của xã (mục 4). Số tối đa: không thôn nào vượt mức
   này khi người của thôn khác còn trong mức phải chờ; nếu giữ đúng mức thì lớp phải bỏ trống
   chỗ, nên khi đó mức được nâng vừa đủ để lấp đầy lớp, và người trong phạm vi mức ban đầu được
   nhận trước. Số tối thiểu: mỗi thôn có người đăng ký được dành ít nhất chừng ấy chỗ (hoặc bằng
   số người đăng ký nếu ít hơn), lần lượt theo thứ hạng, chừng nào số chỗ và giới hạn của xã
   còn cho phép; thôn nào chưa đủ thì trang xem trước ghi rõ. Người không thuộc thôn nào (như
   cán bộ xã) không tính vào hai mức này.
6. Tỷ lệ nữ tối thiểu (mặc định 50% số chỗ): trong các giới hạn và số chỗ đã dành ở trên, chị
   em có thứ hạng cao nhất được nhận trước cho đến khi đủ tỷ lệ; chỗ dành cho một thôn có thể
   do chị em của thôn đó nhận. Nếu không đủ nữ đăng ký, hoặc các giới hạn trên không cho nhận
   thêm, thì nhận nhiều nữ nhất mà các giới hạn đó cho phép.
7. Khi số chỗ tối đa của mỗi xã phải nâng lên, số chỗ vượt mức được chia đều giữa các xã còn
   người chờ (mỗi xã được nâng từng chỗ một), trừ khi chia đều như vậy làm giảm số nữ cần nhận
   theo mục 6: tỷ lệ nữ được ưu tiên hơn việc chia đều.
8. Số chỗ còn lại dành cho những người xếp hạng cao nhất, không phân biệt nam nữ. Ai chưa
   được nhận thì vào danh sách chờ, đúng theo thứ tự xếp hạng. Khi có chỗ trống, người được gọi
   bổ sung là người đầu tiên trong danh sách chờ giữ được nhiều nhất các quy định trên, theo
   đúng thứ tự từ mục 3 đến mục 6.
9. Mỗi người đều có lý do ghi rõ: điểm từng tiêu chí, quy định nào đã áp dụng cho mình, và
   cách xử lý khi cùng điểm. Cùng dữ liệu thì luôn cho cùng kết quả.

Vì sao mặc định như vậy: kế hoạch tập huấn nhắm vào "cán bộ làm công tác giảm nghèo các cấp,
nhất là cấp cơ sở …, chú trọng nâng cao năng lực cho cán bộ nữ", nên cán bộ cấp thôn và người
chưa được tập huấn có điểm ưu tiên. Với nữ, Luật Bình đẳng giới 2006 (Điều 19, khoản 1, điểm a
và e) cho phép quy định tỷ lệ nữ, hoặc ưu tiên nữ khi nữ có đủ điều kiện, tiêu chuẩn như nam;
lớp dùng cả hai: tỷ lệ nữ tối thiểu và nữ xếp trước khi cùng điểm. Trước đây nữ còn được cộng 3
điểm, tức một ưu tiên được tính hai lần: ở lớp rà soát mẫu, 24 trên 30 chỗ thuộc về nữ trong khi
một trưởng thôn, hai bí thư chi bộ và một người có uy tín phải chờ sau các chị cán bộ xã. Điểm
cho người dân tộc thiểu số để 0 vì ở các xã miền núi như Sơn Hà gần như mọi cán bộ đều là người
dân tộc thiểu số; lớp có nhiều thành phần có thể đặt điểm này.

How seats are allocated (English)
---------------------------------
1. Every applicant gets priority points for the class's criteria, by default: village-level
   leader +2, not yet trained on this topic +1, woman 0 (gender equality is ensured by the
   women's share of rule 6), ethnic minority 0 (a class may give this criterion points).
   Points are exact decimals as typed (0.1 + 0.2 is exactly 0.3).
2. Holders of a required role of the class (rule 3) come before everyone else; then applicants
   are ranked by points, highest first. On equal points a woman comes before a man, then a
   village-level leader before a non-leader, then someone not yet trained before someone
   trained (even when that criterion's weight is 0); then the earlier application; at the same
   moment, the application recorded first. Names never decide anything.
3. Required roles (for example the village heads and the poverty survey workers of the
   villages, in a survey class): whoever holds a position the class requires is admitted
   first, even when their commune or village is at its maximum; they still count in their
   commune's and village's seats and in the women's share. When more people hold a required
   role than there are seats, the seats are allocated among them only, by the rules below.
4. Seats per commune: no commune gets more than this many seats while people from other
   communes wait. The class is always filled while applicants remain; when keeping to the
   limit would leave seats empty, the limit is raised equally for all communes, just enough to
   fill the class, and everybody who fits under the original limit in their commune is
   admitted before any commune goes over it.
5. People per village, within the commune limits of rule 4. Maximum: no village goes over it
   while people of other villages who fit under it wait; when keeping to it would leave seats
   empty, it is raised just enough to fill the class, and everybody within the original
   maximum is admitted first. Minimum: every village that applied is given at least that many
   seats (or as many as applied, if fewer), in rank order, as far as the seats and the commune
   limits allow; the preview names every village left short. People attached to no village
   (commune officers) count in neither.
6. Minimum share of women (default 50% of the seats): within the limits and the seats set
   aside above, the best-ranked women are admitted first until the share is reached; a seat
   set aside for a village may go to a woman of that village. If too few women applied, or
   those limits leave no room for more, as many women as they allow are admitted.
7. When the commune limit has to be raised, the seats above it are spread evenly (one level at
   a time) over the communes that still have people waiting, unless spreading them evenly
   would lower the number of women that rule 6 asks for: the share comes before the even
   spread.
8. The remaining seats go to the best-ranked applicants, women or men. Everyone else is
   waitlisted in rank order. When a seat becomes free, it goes to the first person on the
   waitlist who keeps the most of the rules above, taken in order from rule 3 to rule 6.
9. Everyone gets written reasons: the points for each criterion, the rule that applied to
   them, and how a tie was broken. The same data always gives the same result.

Why these defaults: the training plan aims at "cán bộ làm công tác giảm nghèo các cấp, nhất là
cấp cơ sở …, chú trọng nâng cao năng lực cho cán bộ nữ" (poverty-reduction cadres of all
levels, above all the grassroots, with attention to women cadres), so village-level leaders
and the not-yet-trained earn points. For women, the Law on Gender Equality of 2006 (Article 19,
clause 1, points a and e) allows a share of women, or women first where they are as qualified
as men; a class uses both: the minimum share and women first on equal points. Women used to
earn 3 points as well, which counted the same preference twice: in the demo survey class 24 of
30 seats went to women while a village head, two party-cell secretaries and a prestigious
person waited behind women commune officers. The ethnic-minority weight is 0 because in
mountain communes such as Sơn Hà nearly every cadre belongs to an ethnic minority; a class
with a mixed audience may set it.

Precise rules
-------------
Let ``n`` be the number of applicants and ``A = min(capacity, n)`` the number admitted (seats
are never left empty while someone waits). A *group* is a village ``(u, v)`` of commune ``u``,
or the people of ``u`` attached to no village, ``(u, None)`` (no village rule applies to it).
``K = max_per_unit``, ``V = max_per_village``, ``m = min_per_village``.

*Score and rank.* ``score = Σ weight·[criterion]`` over woman, village leader, not trained
before and ethnic minority, computed exactly (``fractions.Fraction`` of the decimal value of
each weight: 0.1 is 1/10). Rank key ``(not required, -score, [man], [not leader], [trained
before], applied_at, id)``: holders of a required role first; on equal scores woman, leader
and not-trained come first, in that order, whatever the weights (ethnicity counts only
through its points). Both output lists are in rank order.

*Required roles (precedence 1).* ``R`` = the applicants whose position code is in
``required_positions``. If ``|R| > A`` the result is the allocation of ``A`` seats among ``R``
alone by the rules below, and everybody else waits. Otherwise ``R`` is admitted first; below,
``r_u`` / ``r_g`` are its members in commune ``u`` / group ``g``, every bound is at least
``r``, and they count towards every limit, floor and the share.

*Commune limit (precedence 2).* With ``hold_u(W)`` = the most seats ``u`` can fill when every
village takes at most ``max(r_g, W)`` (``W = None``: no village limit) and
``room(L, W) = Σ_u max(r_u, min(L, hold_u(W)))``: ``L = K`` if ``room(K, None) >= A``, else the
smallest ``L > K`` with ``room(L, None) >= A`` (the *raised* limit; ``None`` without ``K``).
Commune ``u`` gets at most ``max(r_u, L)`` seats. When raised, its *hard floor* is
``max(r_u, min(K, held_u))`` (``held_u``: what ``u`` can fill under the village limits below):
everybody who fits under ``K`` is admitted before any commune exceeds it.

*Village limit (precedence 3).* ``Lv = V`` if ``room(L, V) >= A``, else the smallest ``Lv > V``
with ``room(L, Lv) >= A`` (the commune limit is raised first, with villages unlimited, then the
village limit under it). When raised, a commune that can reach its limit with every village
within ``V`` (``hold_u(V) >= max(r_u, L)``) keeps ``V`` for its villages and claims seats up to
its limit; in the other communes every group claims everybody within ``V`` (the whole group
``(u, None)``), and their villages may go up to ``Lv``.

*Village minimum (precedence 4).* Each village ``g`` claims seats up to ``min(m, n_g)``.
Claims are made in rank order, one per applicant (first those of the village limit, then
those of the minimum, each in its own pass over the ranking); a claim is granted when the
commune's claims stay within its limit and the seats promised,
``Σ_u max(hard floor_u, claims_u)``, stay within ``A``. The granted claims (with ``r_g``) are
the group floors ``f_g``; the villages whose floor stays below ``min(m, n_g)`` are the
shortfall.

*Women quota (precedence 5).* ``women_required = min(ceil(share · A), W(hard))``, where
``W(M)`` is the most women in any admission of ``A`` applicants that holds ``R``, keeps every
group within ``[f_g, its limit]`` and every commune within ``[max(hard floor_u, Σ_g f_g,
min(M, held_u)), max(r_u, L)]`` (a sum over communes of the women the group floors can take,
plus the women the remaining seats can take: exact and O(groups)). ``share · A`` is computed
exactly from the decimal value of the share (28% of 25 seats = 7, not 8).

*Even spread (precedence 6).* When the commune limit is raised, the *floor level* ``M*`` is the
highest ``M`` in ``[K, L − 1]`` with ``W(M) >= women_required`` (``W`` does not increase with
``M``). When ``M* = L − 1`` every commune with someone waiting gets at least ``L − 1`` seats
and at most ``L``: the extra seats are spread evenly. A lower ``M*`` happens only when the
even spread would cost women seats (share 100%, ``K = 1``, 7 seats, two communes of women and
one of men: ``L = 3``; floors of 2 would allow 5 women, floors of 1 allow 6, which are
admitted: 3 + 3 + 1).

*Selection.* Pass 1 admits women in rank order while ``women_required`` is not reached, with
the floors of level ``M*`` (no level when the limit is not raised). Pass 2 admits everybody
still out in rank order until ``A`` seats are taken; when the limit is raised it fills by
water-filling on top of pass 1: with ``R'`` the seats left, the level ``M`` is the highest in
``[M*, L]`` whose floors need at most ``R'`` seats, every commune is brought to its floor at
``M`` (and its groups to theirs) and the seats that remain go, in rank order, to communes
still below ``M + 1`` (never above ``L``). In both passes an applicant is skipped when their
commune or village is at its limit, when their commune would keep too little room for its
groups' floors, or when taking them would leave too few seats for the floors of the others.
``women_admitted >= women_required`` always; :class:`AllocationError` is raised if the result
ever broke these rules (a bug, never a user error).

*Promotion.* :func:`promote` gives a freed seat to the first waitlisted person who keeps rules
1 to ``j`` of its docstring for the largest ``j`` someone keeps.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from app.core import collector
from app.i18n_markers import N_
from app.numbers import format_number
from app.timeutil import LOCAL_TZ, format_local

__all__ = [
    "Allocation",
    "AllocationError",
    "Applicant",
    "Policy",
    "admitted_place",
    "allocate",
    "format_points",
    "moment_text",
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
    village_id: int | None = None  # None: not attached to a village (a commune officer...)
    position: str | None = None  # the position's code (required roles are codes)
    ethnic_minority: bool = False

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
        village = self.village_id
        if village is not None and (isinstance(village, bool) or not isinstance(village, int)):
            raise ValueError(f"Mã thôn của hồ sơ {self.id} phải là số nguyên hoặc để trống.")
        if self.position is not None and not isinstance(self.position, str):
            raise ValueError(f"Chức vụ của hồ sơ {self.id} phải là mã chức vụ (chuỗi ký tự).")


_WEIGHT_LABELS = {
    "weight_woman": "Điểm ưu tiên cho nữ",
    "weight_village_leader": "Điểm ưu tiên cho cán bộ cấp thôn",
    "weight_not_trained": "Điểm ưu tiên cho người chưa được tập huấn",
    "weight_ethnic_minority": "Điểm ưu tiên cho người dân tộc thiểu số",
}


@dataclass(frozen=True)
class Policy:
    """The priority policy of a class (the defaults and why: module docstring). Weights and the
    share are stored as float (scores use their exact decimal value), counts as int, the
    required roles as a frozenset of position codes."""

    min_women_share: float = 0.5
    max_per_unit: int | None = None
    weight_woman: float = 0.0
    weight_village_leader: float = 2.0
    weight_not_trained: float = 1.0
    weight_ethnic_minority: float = 0.0
    required_positions: frozenset[str] = field(default_factory=frozenset)
    min_per_village: int = 0
    max_per_village: int | None = None

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
        if cap is not None and not _is_count(cap, 1):
            raise ValueError(
                "Số chỗ tối đa của mỗi xã phải là số nguyên từ 1 trở lên, "
                f"hoặc để trống nếu không giới hạn (nhận được {cap!r})."
            )
        low, high = self.min_per_village, self.max_per_village
        if low is None:
            low = 0
            object.__setattr__(self, "min_per_village", 0)
        if not _is_count(low, 0):
            raise ValueError(
                "Số người tối thiểu của mỗi thôn phải là số nguyên từ 0 trở lên "
                f"(nhận được {low!r})."
            )
        if high is not None and not _is_count(high, 1):
            raise ValueError(
                "Số người tối đa của mỗi thôn phải là số nguyên từ 1 trở lên, "
                f"hoặc để trống nếu không giới hạn (nhận được {high!r})."
            )
        if high is not None and low > high:
            raise ValueError(
                f"Số người tối thiểu của mỗi thôn ({low}) không được lớn hơn số người tối đa "
                f"của mỗi thôn ({high})."
            )
        roles = self.required_positions
        if isinstance(roles, str) or not isinstance(roles, Iterable):
            raise ValueError(
                f"Đối tượng bắt buộc phải là danh sách mã chức vụ (nhận được {roles!r})."
            )
        roles = frozenset(roles)
        if not all(isinstance(code, str) and code.strip() for code in roles):
            raise ValueError(
                "Mỗi đối tượng bắt buộc phải là một mã chức vụ "
                f"(nhận được {sorted(map(repr, roles))})."
            )
        object.__setattr__(self, "required_positions", roles)

    def as_dict(self) -> dict:
        """The policy as plain values (JSON-ready: the required roles as a sorted list), the one
        form in which it is stored on a class, fingerprinted with a preview, carried by the
        confirmation form and audited."""
        data = {name: getattr(self, name) for name in POLICY_FIELDS}
        data["required_positions"] = sorted(self.required_positions)
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> Policy:
        """The policy of `as_dict` (or of anything holding those names, such as a class);
        ValueError when a value is missing or out of range."""
        try:
            return cls(**{name: data[name] for name in POLICY_FIELDS})
        except (KeyError, TypeError) as exc:
            raise ValueError(f"Chính sách xét chọn thiếu hoặc sai giá trị: {exc}.") from exc

    def is_required(self, applicant: Applicant) -> bool:
        """Whether the applicant holds one of the class's required roles."""
        return applicant.position is not None and applicant.position in self.required_positions


POLICY_FIELDS = ("min_women_share", "max_per_unit", "weight_woman", "weight_village_leader",
                 "weight_not_trained", "weight_ethnic_minority", "required_positions",
                 "min_per_village", "max_per_village")


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
    per_village: dict[int, int] = field(default_factory=dict)  # village_id -> seats admitted
    village_limit: int | None = None  # max_per_village, raised if needed, or None
    required: list[int] = field(default_factory=list)  # holders of a required role, rank order
    village_shortfall: dict[int, int] = field(default_factory=dict)  # village -> seats missing


# ---------------------------------------------------------------------------------------------
# Ranking


def _profile(applicant: Applicant, policy: Policy) -> tuple[bool, bool, bool, bool, bool]:
    """(required, woman, village leader, not trained before, ethnic minority): what the rank
    looks at besides the time of application."""
    return (policy.is_required(applicant), applicant.gender == WOMAN, applicant.village_leader,
            not applicant.trained_before, applicant.ethnic_minority)


def _points(profile: tuple[bool, ...], policy: Policy) -> Fraction:
    _required, woman, leader, untrained, minority = profile
    points = Fraction(0)
    if woman:
        points += _fraction(policy.weight_woman)
    if leader:
        points += _fraction(policy.weight_village_leader)
    if untrained:
        points += _fraction(policy.weight_not_trained)
    if minority:
        points += _fraction(policy.weight_ethnic_minority)
    return points


def _profile_key(profile: tuple[bool, ...], policy: Policy) -> tuple:
    required, woman, leader, untrained, _minority = profile
    return (not required, -_points(profile, policy), not woman, not leader, not untrained)


def score(applicant: Applicant, policy: Policy) -> Fraction:
    """Priority points of one applicant (sum of the weights of the criteria met), exact."""
    return _points(_profile(applicant, policy), policy)


def rank_key(applicant: Applicant, policy: Policy) -> tuple:
    """Sort key: holders of a required role first; then higher score; then woman, leader, not
    trained; then earlier application; then the application recorded first (smaller id)."""
    return (*_profile_key(_profile(applicant, policy), policy), applicant.applied_at,
            applicant.id)


def _places(policy: Policy) -> dict[tuple, int]:
    """The 32 profiles ranked once, as small integers (sorting then compares integers, not
    fractions). Profiles with equal keys (they differ only by a criterion worth 0 that breaks
    no tie) share a place, so the time of application decides between them."""
    flags = (True, False)
    profiles = [(r, w, le, u, m) for r in flags for w in flags for le in flags for u in flags
                for m in flags]
    keys = {p: _profile_key(p, policy) for p in profiles}
    distinct = sorted(set(keys.values()))
    place = {key: i for i, key in enumerate(distinct)}
    return {p: place[keys[p]] for p in profiles}


def _ranker(policy: Policy) -> Callable[[Applicant], tuple]:
    """A fast equivalent of :func:`rank_key`."""
    place = _places(policy)
    return lambda a: (place[_profile(a, policy)], a.applied_at, a.id)


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


def admitted_place(reasons: Sequence[str] | None) -> tuple[int, int] | None:
    """``(i, n)`` when the first reason is the allocation's "Được xét chọn: thứ i/n trong danh
    sách chính thức" (the rank the reasons speak of), else None (waitlisted, or admitted later
    from the waitlist or by a coordinator)."""
    match = _ADMITTED_LINE.fullmatch(reasons[0]) if reasons else None
    return (int(match["i"]), int(match["n"])) if match else None


def moment_text(moment: datetime, *, seconds: bool = True) -> str:
    """"14:16 ngày 12/11/2026" (with ``seconds``, "14:16:05 ngày ..." when they are not zero:
    they may decide a tie), as reasons write a moment after "lúc"; aware times in Vietnam
    time, naive ones as given."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL_TZ)
    clock, day = format_local(moment, seconds=seconds).split(" ")
    return f"{clock} ngày {day}"


# ---------------------------------------------------------------------------------------------
# Allocation


def allocate(capacity: int, applicants: Sequence[Applicant], policy: Policy, *,
             places: Mapping[int, str] | None = None,
             positions: Mapping[str, str] | None = None) -> Allocation:
    """Decide who gets the ``capacity`` seats; see the module docstring for the exact rules.

    ``places`` names communes and villages by id as reasons write them ("xã Sơn Hà", "thôn
    Gò Da") and ``positions`` names positions by code; both only change the wording of the
    reasons, never the result. Runs in O(n log n). Raises ValueError (Vietnamese message) for
    a negative capacity, repeated ids, a village under two communes, or a mix of naive and
    timezone-aware ``applied_at``. The garbage collector is paused meanwhile
    (app/core/collector.py).
    """
    with collector.paused():
        return _allocate(capacity, applicants, policy, places, positions)


def _allocate(capacity: int, applicants: Sequence[Applicant], policy: Policy,
              places: Mapping[int, str] | None, positions: Mapping[str, str] | None
              ) -> Allocation:
    _check_capacity(capacity)
    applicants = list(applicants)
    _check_applicants(applicants)

    required_roles = policy.required_positions
    profile = {a.id: (a.position in required_roles, a.gender == WOMAN, a.village_leader,
                      not a.trained_before, a.ethnic_minority) for a in applicants}  # _profile
    points = {p: _points(p, policy) for p in set(profile.values())}
    scores = {a.id: points[profile[a.id]] for a in applicants}
    place = _places(policy)
    ranked = sorted(applicants, key=lambda a: (place[profile[a.id]], a.applied_at, a.id))
    seats = min(capacity, len(ranked))
    required = [a for a in ranked if policy.is_required(a)]  # a prefix of `ranked`
    overflow = len(required) > seats
    if overflow:  # more holders of a required role than seats: the rules among them only
        chosen = _select(seats, required, 0, policy)
    else:
        chosen = _select(seats, ranked, len(required), policy)

    admitted = [a for a in ranked if a.id in chosen.taken]
    waiting = [a for a in ranked if a.id not in chosen.taken]
    reasons = _Reasons(
        capacity=capacity, policy=policy, scores=scores, ranked=ranked, admitted=admitted,
        waiting=waiting, chosen=chosen, overflow=overflow, places=places or {},
        positions=positions or {}, profile=profile, place=place,
    ).build()
    per_village = Counter(a.village_id for a in admitted if a.village_id is not None)
    return Allocation(
        admitted=[a.id for a in admitted],
        waitlist=[a.id for a in waiting],
        reasons=reasons,
        score=scores,
        women_admitted=chosen.women,
        women_required=chosen.women_required,
        per_unit={u: chosen.count_u[u] for u in sorted({a.unit_id for a in ranked})},
        capacity=capacity,
        unit_limit=chosen.limit,
        per_village={v: per_village[v] for v in
                     sorted({a.village_id for a in ranked if a.village_id is not None})},
        village_limit=chosen.village_limit,
        required=[a.id for a in required],
        village_shortfall={k[1]: s for k, s in sorted(chosen.shortfall.items())},
    )


@dataclass
class _Selection:
    """What `_select` decided, and what the reasons need to explain it."""

    taken: dict[int, int]  # id -> pass: 0 required, 1 women quota, 2 the rest
    floor_of: dict[int, str]  # id -> the floor their seat filled: "village-min",
    #                           "village-within" or "commune"
    count_u: Counter[int]
    count_v: Counter[tuple]
    women: int
    women_required: int
    limit: int | None  # commune limit applied (K, raised, or None)
    village_limit: int | None  # village limit applied (V, raised, or None)
    shortfall: dict[tuple, int]  # village -> seats missing to its minimum
    village_caps: dict[tuple, int | None]  # village -> its limit (the cap, or raised)


def _select(seats: int, pool: list[Applicant], forced: int, policy: Policy) -> _Selection:
    """Choose ``seats`` of ``pool`` (in rank order); its first ``forced`` are admitted first.
    The steps and their order are the "Precise rules" of the module docstring. Groups: a
    commune ``u``; a village ``(u, village_id)``; the people of ``u`` without a village,
    ``(u, None)``, are a group with no village limit or minimum."""
    cap, vcap, vmin = policy.max_per_unit, policy.max_per_village, policy.min_per_village
    n_u: Counter[int] = Counter()
    r_u: Counter[int] = Counter()
    n_v: Counter[tuple] = Counter()
    r_v: Counter[tuple] = Counter()
    groups: defaultdict[int, list[tuple]] = defaultdict(list)
    for i, a in enumerate(pool):
        u, k = a.unit_id, (a.unit_id, a.village_id)
        if k not in n_v:
            groups[u].append(k)
        n_u[u] += 1
        r_u[u] += i < forced
        n_v[k] += 1
        r_v[k] += i < forced
    units = list(n_u)

    def hold(u: int, level: int | None) -> int:
        """Most seats commune u can fill with every village at ``level`` (None: no limit)."""
        if level is None:
            return n_u[u]
        return sum(n_v[k] if k[1] is None else max(r_v[k], min(level, n_v[k]))
                   for k in groups[u])

    def room(limit: int | None, level: int | None) -> int:
        return sum(max(r_u[u], hold(u, level) if limit is None else min(limit, hold(u, level)))
                   for u in units)

    # Limits: the commune cap first (raised with unlimited villages), then the village cap
    # (raised under the commune limit), each just enough to fill the class.
    limit = cap
    if cap is not None and room(cap, None) < seats:
        limit = _lowest(cap + 1, max(n_u.values()), lambda m: room(m, None) >= seats)
    vlimit = vcap
    if vcap is not None and room(limit, vcap) < seats:
        vlimit = _lowest(vcap + 1, max(n for k, n in n_v.items() if k[1] is not None),
                         lambda m: room(limit, m) >= seats)
    raised = limit is not None and limit > cap
    vraised = vlimit is not None and vlimit > vcap
    hi = {u: None if limit is None else max(r_u[u], limit) for u in units}
    # A commune that can reach its limit with every village within the cap keeps the cap for
    # its villages; the others get the raised village limit.
    within = {u: vraised and hi[u] is not None and hold(u, vcap) >= hi[u] for u in units}
    hv = {k: None if vlimit is None or k[1] is None else
          max(r_v[k], vcap if within[k[0]] else vlimit) for k in n_v}
    held = {u: sum(n_v[k] if hv[k] is None else min(hv[k], n_v[k]) for k in groups[u])
            for u in units}
    hard = {u: max(r_u[u], min(cap, held[u])) if raised else r_u[u] for u in units}

    # Floors claimed in rank order, while the commune limits and the seats allow: when the
    # village cap was raised, everybody within it (in a commune that keeps the cap: the commune
    # up to its limit); then the village minimum.
    fv: Counter[tuple] = Counter(r_v)  # group floors
    vf = Counter(r_u)  # per commune: the sum of its group floors
    cf: Counter[int] = Counter()  # per commune: floor claimed for a commune that keeps the cap
    promised = sum(max(hard[u], vf[u]) for u in units)

    def promise(u: int) -> int:
        return max(hard[u], vf[u], cf[u])

    def claim(target: Callable[[tuple], int], communes: bool = False) -> None:
        nonlocal promised
        for a in pool[forced:]:
            u, k = a.unit_id, (a.unit_id, a.village_id)
            if communes and within[u]:
                if cf[u] >= hi[u]:
                    continue
                before = promise(u)
                cf[u] += 1
                if promised + promise(u) - before > seats:
                    cf[u] -= 1
                    continue
                promised += promise(u) - before
                continue
            if fv[k] >= target(k) or (hi[u] is not None and vf[u] >= hi[u]):
                continue
            before = promise(u)
            vf[u] += 1
            if promised + promise(u) - before > seats:
                vf[u] -= 1
                continue
            fv[k] += 1
            promised += promise(u) - before

    if vraised:
        claim(lambda k: n_v[k] if k[1] is None else min(vcap, n_v[k]), communes=True)
    if vmin:
        claim(lambda k: 0 if k[1] is None else min(vmin, n_v[k]))
    shortfall = {k: min(vmin, n) - fv[k] for k, n in n_v.items()
                 if k[1] is not None and fv[k] < min(vmin, n)}

    def floors(level: int) -> dict[int, int]:
        """Commune floors: hard floors, claimed floors, and ``level`` (the even spread)."""
        return {u: max(hard[u], vf[u], cf[u], min(level, held[u])) for u in units}

    count_u: Counter[int] = Counter()
    count_v: Counter[tuple] = Counter()
    deficit_v: Counter[int] = Counter({u: vf[u] - r_u[u] for u in units})  # Σ group deficits
    taken: dict[int, int] = {}
    floor_of: dict[int, str] = {}
    women = 0
    for a in pool[:forced]:
        count_u[a.unit_id] += 1
        count_v[(a.unit_id, a.village_id)] += 1
        women += a.gender == WOMAN
        taken[a.id] = 0
    seats_left = seats - forced
    women_left = Counter((a.unit_id, a.village_id) for a in pool[forced:] if a.gender == WOMAN)

    def most_women(level: int) -> int:
        """Most women an admission can hold from here within the limits and floors; -1 when
        the floors of this level do not fit in the seats."""
        low = floors(level)
        free = paid = owed = 0
        for u in units:
            deficit = in_deficits = extra = 0
            for k in groups[u]:
                d, w = max(0, fv[k] - count_v[k]), women_left[k]
                space = w if hv[k] is None else hv[k] - count_v[k]
                deficit += d
                in_deficits += min(d, w)
                extra += min(space, w) - min(d, w)
            need = max(low[u] - count_u[u], deficit, 0)
            slack = extra if hi[u] is None else hi[u] - count_u[u] - deficit
            also_free = min(need - deficit, extra, slack)
            free += in_deficits + also_free
            paid += min(extra, slack) - also_free
            owed += need
        if owed > seats_left:
            return -1
        return women + free + min(seats_left - owed, paid)

    hard_level = cap if raised else 0
    required = min(women_required(policy.min_women_share, seats), most_women(hard_level))
    floor_level = hard_level
    if raised:  # highest level in [K, L - 1] that keeps the quota (most_women is monotone)
        floor_level = _highest(hard_level, limit - 1, lambda m: most_women(m) >= required)

    def admit_pass(candidates: Iterable[Applicant], phase: int, low: dict[int, int],
                   limits: Callable[[int], int | None], stop: Callable[[], bool]) -> None:
        """Greedy in rank order. Invariants: seats_left >= owed (the seats the floors still
        need), and every commune has room for its groups' floors."""
        nonlocal seats_left, women
        need = {u: max(low[u] - count_u[u], deficit_v[u], 0) for u in units}
        owed = sum(need.values())
        for a in candidates:
            if seats_left == 0 or stop():
                return
            if a.id in taken:
                continue
            u, k = a.unit_id, (a.unit_id, a.village_id)
            most = limits(u)
            if most is not None and count_u[u] >= most:
                continue
            if hv[k] is not None and count_v[k] >= hv[k]:
                continue
            fills_group = count_v[k] < fv[k]
            deficit = deficit_v[u] - fills_group
            if most is not None and most - count_u[u] - 1 < deficit:
                continue
            need_after = max(low[u] - count_u[u] - 1, deficit, 0)
            if seats_left - 1 < owed - need[u] + need_after:
                continue
            if fills_group:
                short = k[1] is not None and count_v[k] < min(vmin, n_v[k])
                floor_of[a.id] = "village-min" if short else "village-within"
            elif count_u[u] < low[u]:
                floor_of[a.id] = "commune"
            owed += need_after - need[u]
            need[u] = need_after
            deficit_v[u] = deficit
            count_u[u] += 1
            count_v[k] += 1
            seats_left -= 1
            women += a.gender == WOMAN
            taken[a.id] = phase

    # Pass 1: the women quota, within the limits and the floors of level M*.
    if women < required:
        admit_pass((a for a in pool if a.gender == WOMAN), 1, floors(floor_level),
                   hi.get, lambda: women >= required)

    # Pass 2: fill the class, spreading the raised seats as evenly as pass 1 allows.
    if raised:
        def owed_at(level: int) -> int:
            low = floors(level)
            return sum(max(low[u] - count_u[u], deficit_v[u], 0) for u in units)

        level = _highest(floor_level, limit, lambda m: owed_at(m) <= seats_left)
        # A commune may go up to the next level, and always as far as its groups' floors need.
        owed_by = {u: count_u[u] + deficit_v[u] for u in units}
        top = min(level + 1, limit)
        low = floors(level)
        admit_pass(pool, 2, low, lambda u: max(owed_by[u], top, low[u]), lambda: False)
    else:
        admit_pass(pool, 2, floors(0), hi.get, lambda: False)

    _check_result(
        pool=pool, forced=forced, seats=seats, taken=taken, women=women, required=required,
        count_u=count_u, count_v=count_v, hi=hi, hv=hv, hard=hard, fv=fv)
    return _Selection(taken=taken, floor_of=floor_of, count_u=count_u, count_v=count_v,
                      women=women, women_required=required, limit=limit,
                      village_limit=vlimit, shortfall=shortfall, village_caps=hv)


def promote(
    capacity: int,
    admitted: Sequence[Applicant],
    waitlist: Sequence[Applicant],
    policy: Policy,
) -> int | None:
    """Who takes a seat that became free (e.g. after a withdrawal); None if no seat is free.

    ``waitlist`` is taken in the order given (the waitlist of :func:`allocate` is in rank
    order). The rules are checked in the order of precedence of :func:`allocate`:

    1. holds a required role (kept by everybody when no one waiting holds one);
    2. their commune is below ``max_per_unit``;
    3. their village is below ``max_per_village`` (someone without a village keeps it);
    4. their village is below ``min_per_village`` (kept by everybody when no one waiting
       is in such a village);
    5. the women quota still holds after them (a woman always keeps it; a man keeps it when
       the admitted women are at least ``ceil(share * (len(admitted) + 1))``).

    The chosen one is the first in the waitlist who keeps rules 1 to ``j`` for the largest
    ``j`` that someone keeps (``j = 0``: the first in the waitlist, as a seat is never left
    empty while someone waits, as in :func:`allocate`). Without required roles or village
    quotas this is: the first who keeps the commune cap and the quota, failing that the first
    who keeps the cap, failing that the first in the waitlist.

    None when ``len(admitted) >= capacity`` or the waitlist is empty.
    """
    _check_capacity(capacity)
    if len(admitted) >= capacity or not waitlist:
        return None
    for keeps in _promotion_rules(admitted, waitlist, policy):
        if not any(keeps(a) for a in waitlist):
            break
        waitlist = [a for a in waitlist if keeps(a)]
    return waitlist[0].id


def _promotion_rules(admitted: Sequence[Applicant], waitlist: Sequence[Applicant],
                     policy: Policy) -> list[Callable[[Applicant], bool]]:
    """The rules of :func:`promote`, in order, as predicates on a waitlisted applicant."""
    women = sum(a.gender == WOMAN for a in admitted)
    quota_holds_with_a_man = women >= women_required(policy.min_women_share, len(admitted) + 1)
    per_unit = Counter(a.unit_id for a in admitted)
    per_village = Counter((a.unit_id, a.village_id) for a in admitted
                          if a.village_id is not None)
    cap, vcap, vmin = policy.max_per_unit, policy.max_per_village, policy.min_per_village
    any_required = any(policy.is_required(a) for a in waitlist)

    def short(a: Applicant) -> bool:
        return a.village_id is not None and per_village[(a.unit_id, a.village_id)] < vmin

    any_short = any(short(a) for a in waitlist)
    return [
        lambda a: not any_required or policy.is_required(a),
        lambda a: cap is None or per_unit[a.unit_id] < cap,
        lambda a: vcap is None or a.village_id is None
        or per_village[(a.unit_id, a.village_id)] < vcap,
        lambda a: not any_short or short(a),
        lambda a: a.gender == WOMAN or quota_holds_with_a_man,
    ]


# ---------------------------------------------------------------------------------------------
# Helpers


def _lowest(low: int, high: int, ok: Callable[[int], bool]) -> int:
    """The lowest ``m`` in ``[low, high]`` with ``ok(m)``, for ``ok`` false up to some point and
    true after it, and ``ok(high)`` true."""
    while low < high:
        mid = (low + high) // 2
        if ok(mid):
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


def _check_result(*, pool, forced, seats, taken, women, required, count_u, count_v, hi, hv,
                  hard, fv) -> None:
    """The guarantees of the module docstring; a failure is a bug (AllocationError)."""
    problems = []
    if len(taken) != seats:
        problems.append(f"nhận {len(taken)} người thay vì {seats}")
    if any(a.id not in taken for a in pool[:forced]):
        problems.append("có người thuộc đối tượng bắt buộc chưa được nhận")
    if women < required:
        problems.append(f"chỉ có {women} nữ, cần ít nhất {required}")
    if any(m is not None and count_u[u] > m for u, m in hi.items()):
        problems.append("có xã vượt quá số chỗ tối đa đã áp dụng")
    if any(m is not None and count_v[k] > m for k, m in hv.items()):
        problems.append("có thôn vượt quá số người tối đa đã áp dụng")
    if any(count_u[u] < f for u, f in hard.items()):
        problems.append("có xã chưa được nhận đủ số người trong mức tối đa ban đầu")
    if any(count_v[k] < f for k, f in fv.items()):
        problems.append("có thôn chưa được nhận đủ số người tối thiểu đã dành")
    if problems:
        raise AllocationError("Lỗi chương trình khi xét chọn: " + "; ".join(problems) + ".")


# The reasons, as message templates: the text is Vietnamese (what is stored and printed);
# pages in another language translate a reason by its template (app/classes/reasons.py).
# A commune or village is named as the caller gives it ("xã Sơn Hà", "thôn Gò Da"), else
# "xã này" / "thôn này"; a moment is written "14:16 ngày 12/11/2026" (`moment_text`).
R_ADMITTED = N_("Được xét chọn: thứ %(i)s/%(n)s trong danh sách chính thức")
R_WAITING = N_("Danh sách chờ: thứ %(i)s/%(n)s")
R_REQUIRED = N_("Thuộc đối tượng bắt buộc của lớp (%(position)s): được xét chọn trước những "
                "người khác")
R_REQUIRED_PLAIN = N_("Thuộc đối tượng bắt buộc của lớp: được xét chọn trước những người khác")
R_WOMAN = N_("Nữ: +%(n)s điểm")
R_LEADER = N_("Cán bộ cấp thôn: +%(n)s điểm")
R_NOT_TRAINED = N_("Chưa được tập huấn chuyên đề này: +%(n)s điểm")
R_MINORITY = N_("Người dân tộc thiểu số: +%(n)s điểm")
R_NO_CRITERIA = N_("Không có tiêu chí ưu tiên nào: 0 điểm")
R_TOTAL = N_("Tổng điểm ưu tiên: %(n)s điểm")
R_WOMEN_QUOTA = N_("Được xét chọn để bảo đảm tỷ lệ nữ tối thiểu %(share)s%%")
R_VILLAGE_MIN = N_("Được xét chọn để %(village)s có ít nhất %(min)s người dự lớp")
R_VILLAGE_WITHIN = N_("Được xét chọn trước người của các thôn đã có đủ %(cap)s người (số người "
                      "tối đa của mỗi thôn)")
R_COMMUNE_SPREAD = N_("Được xét chọn để chia đều số chỗ giữa các xã")
R_OVER_CAP_RAISED = N_("Được nhận vượt số chỗ tối đa %(cap)s người của mỗi xã do các xã khác "
                       "không đủ người để lấp đủ chỗ; số chỗ tối đa được nâng đều lên "
                       "%(limit)s người mỗi xã")
R_OVER_CAP_ALONE = N_("Được nhận vượt số chỗ tối đa %(cap)s người của mỗi xã do không còn "
                      "người của xã khác chờ")
R_OVER_VILLAGE_RAISED = N_("Được nhận vượt số người tối đa %(cap)s người của mỗi thôn do các "
                           "thôn khác không đủ người để lấp đủ chỗ; số người tối đa được nâng "
                           "lên %(limit)s người mỗi thôn")
R_OVER_VILLAGE_ALONE = N_("Được nhận vượt số người tối đa %(cap)s người của mỗi thôn do không "
                          "còn người của thôn khác chờ")
R_UNIT_FULL = N_("Chưa được xét chọn do %(commune)s đã đủ %(cap)s người, là số chỗ tối đa của "
                 "mỗi xã; xếp vào danh sách chờ")
R_UNIT_OVER = N_("Chưa được xét chọn do %(commune)s đã có %(have)s người, vượt số chỗ tối đa "
                 "%(cap)s người của mỗi xã; xếp vào danh sách chờ")
R_VILLAGE_FULL = N_("Chưa được xét chọn do %(village)s đã đủ %(cap)s người, là số người tối đa "
                    "của mỗi thôn; xếp vào danh sách chờ")
R_VILLAGE_OVER = N_("Chưa được xét chọn do %(village)s đã có %(have)s người, vượt số người tối "
                    "đa %(cap)s người của mỗi thôn; xếp vào danh sách chờ")
R_YIELD_TO_WOMEN = N_("Chưa được xét chọn do cần bảo đảm tỷ lệ nữ tối thiểu %(share)s%%; xếp "
                      "vào danh sách chờ")
R_YIELD_TO_VILLAGES = N_("Chưa được xét chọn do cần bảo đảm mỗi thôn có ít nhất %(min)s người "
                         "dự lớp; xếp vào danh sách chờ")
R_YIELD_TO_VILLAGES_WITHIN = N_("Chưa được xét chọn do người của các thôn chưa đủ %(cap)s người "
                                "(số người tối đa của mỗi thôn) được xét trước; xếp vào danh "
                                "sách chờ")
R_YIELD_TO_COMMUNES = N_("Chưa được xét chọn do số chỗ còn lại được chia đều cho các xã; xếp "
                         "vào danh sách chờ")
R_YIELD_RULES = N_("Chưa được xét chọn do các quy định về số chỗ của từng xã, từng thôn và tỷ "
                   "lệ nữ của lớp; xếp vào danh sách chờ")
R_ONLY_REQUIRED = N_("Chưa được xét chọn do số người thuộc đối tượng bắt buộc của lớp đã nhiều "
                     "hơn số chỗ; xếp vào danh sách chờ")
R_NO_SEATS = N_("Chưa được xét chọn do lớp chưa có chỗ nào; xếp vào danh sách chờ")
R_FULL = N_("Chưa được xét chọn do lớp đã đủ %(capacity)s chỗ cho những người xếp trên; xếp vào "
            "danh sách chờ")
R_TIE_PROFILE = N_("Cùng điểm với người khác: xếp trước lần lượt là nữ, cán bộ cấp thôn, người "
                   "chưa được tập huấn; sau đó ai đăng ký trước xếp trước (đăng ký lúc "
                   "%(moment)s)")
R_TIE_PROFILE_SAME_TIME = N_("Cùng điểm với người khác: xếp trước lần lượt là nữ, cán bộ cấp "
                             "thôn, người chưa được tập huấn; sau đó ai đăng ký trước xếp "
                             "trước (đăng ký lúc %(moment)s); cùng thời điểm đăng ký thì hồ sơ "
                             "được ghi nhận trước xếp trước")
R_TIE_TIME = N_("Cùng điểm với người khác: ai đăng ký trước xếp trước (đăng ký lúc "
                "%(moment)s)")
R_TIE_TIME_SAME_TIME = N_("Cùng điểm với người khác: ai đăng ký trước xếp trước (đăng ký lúc "
                          "%(moment)s); cùng thời điểm đăng ký thì hồ sơ được ghi nhận trước "
                          "xếp trước")
REASON_TEMPLATES = (
    R_ADMITTED, R_WAITING, R_REQUIRED, R_REQUIRED_PLAIN, R_WOMAN, R_LEADER, R_NOT_TRAINED,
    R_MINORITY, R_NO_CRITERIA, R_TOTAL, R_WOMEN_QUOTA, R_VILLAGE_MIN, R_VILLAGE_WITHIN,
    R_COMMUNE_SPREAD, R_OVER_CAP_RAISED, R_OVER_CAP_ALONE, R_OVER_VILLAGE_RAISED,
    R_OVER_VILLAGE_ALONE, R_UNIT_FULL, R_UNIT_OVER, R_VILLAGE_FULL, R_VILLAGE_OVER,
    R_YIELD_TO_WOMEN, R_YIELD_TO_VILLAGES, R_YIELD_TO_VILLAGES_WITHIN, R_YIELD_TO_COMMUNES,
    R_YIELD_RULES, R_ONLY_REQUIRED, R_NO_SEATS, R_FULL, R_TIE_PROFILE, R_TIE_PROFILE_SAME_TIME,
    R_TIE_TIME, R_TIE_TIME_SAME_TIME)
_ADMITTED_LINE = re.compile(re.escape(R_ADMITTED).replace(re.escape("%(i)s"), r"(?P<i>\d+)")
                           .replace(re.escape("%(n)s"), r"(?P<n>\d+)"))
COMMUNE_FALLBACK = "xã này"
VILLAGE_FALLBACK = "thôn này"


@dataclass
class _Reasons:
    """Everyone's written reasons: their place, their points, the rule that applied to them
    and how a tie was broken."""

    capacity: int
    policy: Policy
    scores: dict[int, Fraction]
    ranked: list[Applicant]
    admitted: list[Applicant]
    waiting: list[Applicant]
    chosen: _Selection
    overflow: bool
    places: Mapping[int, str]
    positions: Mapping[str, str]
    profile: dict[int, tuple]  # id -> profile
    place: dict[tuple, int]  # profile -> its place in the rank (equal keys, equal places)

    def build(self) -> dict[int, list[str]]:
        policy, chosen = self.policy, self.chosen
        self.position = {a.id: i for i, a in enumerate(self.ranked)}
        self.share = _percent(policy.min_women_share)
        cap, limit = policy.max_per_unit, chosen.limit
        vcap, vlimit = policy.max_per_village, chosen.village_limit
        self.raised = limit is not None and limit > cap
        self.vraised = vlimit is not None and vlimit > vcap
        position = self.position
        # Everything that depends only on a profile (at most 32 of them) is computed once.
        self.criteria_lines: dict[tuple, tuple[str, ...]] = {}  # by profile and required role
        last_admitted = max((position[a.id] for a in self.admitted), default=-1)

        # The lowest-ranked admission of each kind: someone waiting ranked above it was kept
        # out by that kind of rule.
        lowest: dict[str, int] = defaultdict(lambda: -1)
        for a in self.admitted:
            kinds = [chosen.floor_of.get(a.id, "")]
            if chosen.taken[a.id] == 1:
                kinds.append("women")
            for kind in kinds:
                lowest[kind] = max(lowest[kind], position[a.id])
        self.lowest = lowest
        free = [position[a.id] for a in self.waiting
                if position[a.id] < last_admitted and not self._held(a)]
        best_displaced = min(free, default=len(position))

        over_cap = self._over(self.admitted, lambda a: a.unit_id, cap)
        over_village = self._over([a for a in self.admitted if a.village_id is not None],
                                  lambda a: (a.unit_id, a.village_id), vcap)
        waiting_units = {a.unit_id for a in self.waiting}
        waiting_villages = {(a.unit_id, a.village_id) for a in self.waiting
                            if a.village_id is not None}

        # Per person, the work is a few lookups: 20,000 people are 20,000 lists of lines.
        reasons: dict[int, list[str]] = {}
        criteria = self._criteria
        admitted_n = len(self.admitted)
        for i, a in enumerate(self.admitted, 1):
            lines = [R_ADMITTED % {"i": i, "n": admitted_n}, *criteria(a)]
            if position[a.id] > best_displaced:
                lines += self._why_admitted(a)
            if a.id in over_cap:
                if waiting_units - {a.unit_id}:
                    lines.append(R_OVER_CAP_RAISED % {"cap": cap, "limit": limit})
                else:
                    lines.append(R_OVER_CAP_ALONE % {"cap": cap})
            if a.id in over_village:
                if waiting_villages - {(a.unit_id, a.village_id)}:
                    lines.append(R_OVER_VILLAGE_RAISED % {"cap": vcap, "limit": vlimit})
                else:
                    lines.append(R_OVER_VILLAGE_ALONE % {"cap": vcap})
            reasons[a.id] = lines
        waiting_n, overflow = len(self.waiting), self.overflow
        below = R_NO_SEATS if self.capacity == 0 else R_FULL % {"capacity": self.capacity}
        for i, a in enumerate(self.waiting, 1):
            if position[a.id] < last_admitted:
                last = self._why_waiting(a)
            elif overflow and not policy.is_required(a):
                last = R_ONLY_REQUIRED
            else:
                last = below
            reasons[a.id] = [R_WAITING % {"i": i, "n": waiting_n}, *criteria(a), last]
        self._ties(reasons)
        return reasons

    def _commune(self, a: Applicant) -> str:
        return self.places.get(a.unit_id) or COMMUNE_FALLBACK

    def _village(self, a: Applicant) -> str:
        return self.places.get(a.village_id) or VILLAGE_FALLBACK

    def _held_by_commune(self, a: Applicant) -> bool:
        limit = self.chosen.limit
        if limit is None:
            return False
        return self.chosen.count_u[a.unit_id] >= (limit - 1 if self.raised else limit)

    def _held_by_village(self, a: Applicant) -> bool:
        k = (a.unit_id, a.village_id)
        most = self.chosen.village_caps[k]
        return most is not None and self.chosen.count_v[k] >= most

    def _held(self, a: Applicant) -> bool:
        return self._held_by_commune(a) or self._held_by_village(a)

    @staticmethod
    def _over(admitted: list[Applicant], group: Callable, cap: int | None) -> set[int]:
        """The admissions beyond ``cap`` in their group (the lowest-ranked ones), apart from
        holders of a required role (their own line explains them)."""
        if cap is None:
            return set()
        seen: Counter = Counter()
        out = set()
        for a in admitted:
            seen[group(a)] += 1
            if seen[group(a)] > cap:
                out.add(a.id)
        return out

    def _why_admitted(self, a: Applicant) -> list[str]:
        """The rule that admitted ``a`` ahead of someone ranked higher who is free of limits."""
        chosen, policy = self.chosen, self.policy
        if chosen.taken[a.id] == 1:
            return [R_WOMEN_QUOTA % {"share": self.share}]
        kind = chosen.floor_of.get(a.id)
        if kind == "village-min":
            return [R_VILLAGE_MIN % {"village": self._village(a), "min": policy.min_per_village}]
        if kind == "village-within":
            return [R_VILLAGE_WITHIN % {"cap": policy.max_per_village}]
        if kind == "commune":
            return [R_COMMUNE_SPREAD]
        return []

    def _why_waiting(self, a: Applicant) -> str:
        """The rule that kept ``a`` out although someone ranked lower was admitted."""
        chosen, policy = self.chosen, self.policy
        cap, vcap = policy.max_per_unit, policy.max_per_village
        place = self.position[a.id]
        if self._held_by_commune(a):
            have = chosen.count_u[a.unit_id]
            if have == cap:
                return R_UNIT_FULL % {"commune": self._commune(a), "cap": cap}
            return R_UNIT_OVER % {"commune": self._commune(a), "have": have, "cap": cap}
        village_count = chosen.count_v[(a.unit_id, a.village_id)]
        if self._held_by_village(a) or (
                self.vraised and a.village_id is not None and village_count >= vcap
                and self.lowest["village-within"] > place):
            if village_count == vcap:
                return R_VILLAGE_FULL % {"village": self._village(a), "cap": vcap}
            return R_VILLAGE_OVER % {"village": self._village(a), "have": village_count,
                                     "cap": vcap}
        if a.gender == MAN and self.lowest["women"] > place:
            return R_YIELD_TO_WOMEN % {"share": self.share}
        if self.lowest["village-min"] > place:
            return R_YIELD_TO_VILLAGES % {"min": policy.min_per_village}
        if self.lowest["village-within"] > place:
            return R_YIELD_TO_VILLAGES_WITHIN % {"cap": vcap}
        if self.lowest["commune"] > place:
            return R_YIELD_TO_COMMUNES
        return R_YIELD_RULES

    def _criteria(self, a: Applicant) -> tuple[str, ...]:
        profile = self.profile[a.id]
        key = (profile, a.position if profile[0] else None)
        lines = self.criteria_lines.get(key)
        if lines is None:
            lines = self.criteria_lines[key] = tuple(self._criteria_of(a))
        return lines

    def _criteria_of(self, a: Applicant) -> list[str]:
        policy = self.policy
        lines = []
        if policy.is_required(a):
            name = self.positions.get(a.position)
            lines.append(R_REQUIRED % {"position": name} if name else R_REQUIRED_PLAIN)
        if a.gender == WOMAN and policy.weight_woman:
            lines.append(R_WOMAN % {"n": _number(policy.weight_woman)})
        if a.village_leader and policy.weight_village_leader:
            lines.append(R_LEADER % {"n": _number(policy.weight_village_leader)})
        if not a.trained_before and policy.weight_not_trained:
            lines.append(R_NOT_TRAINED % {"n": _number(policy.weight_not_trained)})
        if a.ethnic_minority and policy.weight_ethnic_minority:
            lines.append(R_MINORITY % {"n": _number(policy.weight_ethnic_minority)})
        if not any(line.endswith(" điểm") for line in lines):
            lines.append(R_NO_CRITERIA)
        lines.append(R_TOTAL % {"n": _number(self.scores[a.id])})
        return lines

    def _ties(self, reasons: dict[int, list[str]]) -> None:
        """A tie line for everyone whose equals (same role, same points) are on both sides of
        the cut: what decided between them."""
        # Small integers for the groups of equals (role, points) and for the places.
        groups: dict[tuple, int] = {}
        group_of = {}
        for p in set(self.profile.values()):
            group_of[p] = groups.setdefault((p[0], _points(p, self.policy)), len(groups))
        sides: dict[int, set[bool]] = defaultdict(set)
        places: dict[int, set[int]] = defaultdict(set)
        for p, g in group_of.items():
            places[g].add(self.place[p])
        for a in self.admitted:
            sides[group_of[self.profile[a.id]]].add(True)
        for a in self.waiting:
            sides[group_of[self.profile[a.id]]].add(False)
        decided = {g for g, seen in sides.items() if len(seen) == 2}
        if not decided:
            return
        tied = [(a, self.place[p], g) for a in self.ranked
                for p in [self.profile[a.id]] for g in [group_of[p]] if g in decided]
        same_moment = Counter((place, a.applied_at) for a, place, _g in tied)
        lines: dict[tuple, str] = {}  # (template, moment) -> its line, written once
        for a, place, g in tied:
            same_time = same_moment[(place, a.applied_at)] > 1
            if len(places[g]) > 1:
                template = R_TIE_PROFILE_SAME_TIME if same_time else R_TIE_PROFILE
            else:
                template = R_TIE_TIME_SAME_TIME if same_time else R_TIE_TIME
            line = lines.get((template, a.applied_at))
            if line is None:
                line = lines[(template, a.applied_at)] = template % {
                    "moment": moment_text(a.applied_at)}
            reasons[a.id].append(line)


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
    communes: dict[int, int] = {}
    for a in applicants:
        if a.village_id is not None and communes.setdefault(a.village_id, a.unit_id) != a.unit_id:
            raise ValueError(
                f"Thôn mã {a.village_id} có người đăng ký ở hai xã khác nhau; mỗi thôn chỉ "
                "thuộc một xã."
            )


def _is_number(value: object) -> bool:
    return isinstance(value, _NUMBER_TYPES) and not isinstance(value, bool)


def _is_count(value: object, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


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
