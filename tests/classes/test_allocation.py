"""Seat allocation (app/classes/allocation.py): readable examples, then properties."""

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.classes.allocation import (
    Allocation,
    Applicant,
    Policy,
    allocate,
    format_points,
    promote,
    rank,
)

BASE = datetime(2025, 3, 12, 8, 0)
VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE
)


def person(id, gender="M", *, leader=False, unit=1, trained=True, minute=0, village=None,
           position=None, minority=False):
    return Applicant(
        id=id,
        gender=gender,
        village_leader=leader,
        unit_id=unit,
        trained_before=trained,
        applied_at=BASE + timedelta(minutes=minute),
        village_id=village,
        position=position,
        ethnic_minority=minority,
    )


def reasons_text(result: Allocation, id) -> str:
    return "\n".join(result.reasons[id])


# ---------------------------------------------------------------------------------------------
# Examples


def test_by_default_the_women_share_is_the_gender_lever():
    # Eight women (no leader among them), 22 men of whom 11 are village leaders, 10 seats.
    # Being a woman earns no points by default: the leaders rank first, and the 50% share
    # brings in the five best-ranked women.
    women = [person(i, "F", minute=i) for i in range(1, 9)]
    men = [person(i, "M", leader=i % 2 == 0, minute=i) for i in range(9, 31)]
    result = allocate(10, women + men, Policy())

    assert result.women_required == 5 == result.women_admitted  # ceil(50% of 10)
    assert result.admitted == [10, 12, 14, 16, 18, 1, 2, 3, 4, 5]
    assert "Nữ: +3 điểm" not in reasons_text(result, 1)
    assert "Được xét chọn để bảo đảm tỷ lệ nữ tối thiểu 50%" in result.reasons[1]
    gave_way = "Chưa được xét chọn do cần bảo đảm tỷ lệ nữ tối thiểu 50%; xếp vào danh sách chờ"
    assert gave_way in result.reasons[20]


def test_a_woman_weight_counts_the_same_preference_again():
    # The old default (woman +3 over leader +2) let every woman outrank every leader: all
    # eight women were admitted although the share asked for five.
    women = [person(i, "F", minute=i) for i in range(1, 9)]
    men = [person(i, "M", leader=i % 2 == 0, minute=i) for i in range(9, 31)]
    result = allocate(10, women + men, Policy(weight_woman=3))
    assert set(range(1, 9)) <= set(result.admitted) and result.women_admitted == 8
    assert "Nữ: +3 điểm" in result.reasons[1]
    assert result.admitted[8:] == [10, 12]


def test_defaults_weigh_leaders_and_the_untrained_at_least_as_much_as_being_a_woman():
    defaults = Policy()
    assert defaults.weight_village_leader >= defaults.weight_woman
    assert defaults.weight_not_trained >= defaults.weight_woman
    assert defaults.min_women_share == 0.5 and defaults.weight_ethnic_minority == 0
    # A male village head already trained outranks a woman commune officer not yet trained.
    head, officer = person(1, leader=True, minute=5), person(2, "F", trained=False)
    assert [a.id for a in rank([officer, head], defaults)] == [1, 2]


def test_quota_admits_best_women_ahead_of_higher_scoring_men():
    # Women get no points here, so only the 50% quota brings them in.
    policy = Policy(weight_woman=0)
    men = [person(i, "M", leader=True, trained=False, minute=i) for i in range(1, 21)]
    women = [person(i, "F", minute=i) for i in range(21, 27)]
    result = allocate(10, men + women, policy)

    assert result.women_required == 5
    assert result.women_admitted == 5
    assert result.admitted == [1, 2, 3, 4, 5, 21, 22, 23, 24, 25]
    assert "Được xét chọn để bảo đảm tỷ lệ nữ tối thiểu 50%" in result.reasons[21]
    gave_way = "Chưa được xét chọn do cần bảo đảm tỷ lệ nữ tối thiểu 50%; xếp vào danh sách chờ"
    assert gave_way in result.reasons[6]
    assert result.waitlist[:2] == [6, 7]  # waitlist stays in rank order
    assert result.waitlist[-1] == 26
    full = "Chưa được xét chọn do lớp đã đủ 10 chỗ cho những người xếp trên; xếp vào danh sách chờ"
    assert full in result.reasons[26]


def test_too_few_women_all_admitted_quota_shrinks():
    policy = Policy(weight_woman=0)
    applicants = [person(i, "M", leader=True, minute=i) for i in range(1, 20)]
    applicants += [person(100, "F"), person(101, "F"), person(102, "F")]
    result = allocate(10, applicants, policy)
    assert result.women_required == 3
    assert {100, 101, 102} <= set(result.admitted)


def test_share_is_exact_decimal():
    policy = Policy(min_women_share=0.28, weight_woman=0)
    applicants = [person(i, "M", leader=True, minute=i) for i in range(1, 30)]
    applicants += [person(i, "F", minute=i) for i in range(30, 45)]
    result = allocate(25, applicants, policy)
    assert result.women_required == 7  # 28% of 25 = 7; in floats 0.28 * 25 = 7.000000000000001
    assert result.women_admitted == 7
    assert "Được xét chọn để bảo đảm tỷ lệ nữ tối thiểu 28%" in result.reasons[30]


def test_unit_cap_lets_other_communes_in():
    policy = Policy(max_per_unit=3)
    strong = [person(i, "F", leader=True, trained=False, unit=1, minute=i) for i in range(1, 11)]
    others = [person(20 + i, "M", unit=2 + i % 2, minute=i) for i in range(4)]
    result = allocate(6, strong + others, policy, places={1: "xã Sơn Hà"})

    assert result.per_unit == {1: 3, 2: 2, 3: 1}
    assert result.admitted[:3] == [1, 2, 3]
    assert result.unit_limit == 3
    full = ("Chưa được xét chọn do xã Sơn Hà đã đủ 3 người, là số chỗ tối đa của mỗi xã; xếp "
            "vào danh sách chờ")
    assert full in result.reasons[4]


def test_unit_cap_is_soft_when_seats_would_stay_empty():
    policy = Policy(max_per_unit=3)
    applicants = [person(i, unit=1, minute=i) for i in range(1, 11)]
    applicants += [person(11, unit=2), person(12, unit=2)]
    result = allocate(10, applicants, policy)

    assert result.per_unit == {1: 8, 2: 2}
    assert result.waitlist == [9, 10]
    assert result.unit_limit == 8
    over = "Được nhận vượt số chỗ tối đa 3 người của mỗi xã do không còn người của xã khác chờ"
    assert over in result.reasons[8]
    assert over not in result.reasons[3]  # the first three are within the cap


def test_extra_seats_are_spread_evenly_between_communes():
    policy = Policy(max_per_unit=1)
    applicants = [person(10 * u + i, unit=u, minute=u) for u in (1, 2, 3) for i in range(4)]
    result = allocate(7, applicants, policy)
    assert result.per_unit == {1: 3, 2: 2, 3: 2}
    assert result.unit_limit == 3


def test_cap_wins_over_quota():
    # Only commune 1 has women, and it may send 2: the quota shrinks from 3 to 2.
    policy = Policy(max_per_unit=2)
    applicants = [person(i, "F", unit=1, minute=i) for i in range(1, 6)]
    applicants += [person(i, "M", unit=2, minute=i) for i in range(6, 11)]
    applicants += [person(i, "M", unit=3, minute=i) for i in range(11, 16)]
    result = allocate(6, applicants, policy)

    assert result.women_required == 2
    assert result.women_admitted == 2
    assert result.per_unit == {1: 2, 2: 2, 3: 2}
    assert ("Chưa được xét chọn do xã này đã đủ 2 người, là số chỗ tối đa của mỗi xã; xếp vào "
            "danh sách chờ") in result.reasons[3]


def test_quota_counts_the_women_the_raised_limits_allow():
    # Caps of 1 cannot fill 7 seats, so the limit is raised to 3. Spreading the extra seats
    # evenly (2 + 2 + 2 + 1) would give commune 3 (men only) 2 seats and leave room for 5
    # women only; the quota comes first, so communes 1 and 2 take 3 women each: 6 women.
    # The men are leaders and women get no points: the men rank first.
    policy = Policy(min_women_share=1.0, max_per_unit=1, weight_woman=0)
    applicants = [
        person(10 * u + i, "M" if u == 3 else "F", leader=u == 3, unit=u)
        for u in (1, 2, 3)
        for i in range(10)
    ]
    result = allocate(7, applicants, policy)
    assert result.unit_limit == 3
    assert result.women_required == 6 == result.women_admitted
    assert result.per_unit == {1: 3, 2: 3, 3: 1}  # commune 3 keeps its seat within the cap
    assert 30 in result.admitted
    assert "do cần bảo đảm tỷ lệ nữ tối thiểu 100%" in reasons_text(result, 31)
    assert "do xã này đã có 3 người, vượt số chỗ tối đa 1 người của mỗi xã" in reasons_text(
        result, 13)


def test_raised_seats_are_spread_evenly_when_the_quota_does_not_need_them():
    # Same communes, share 50%: 4 women are needed, the even spread allows 5, so it is kept.
    policy = Policy(min_women_share=0.5, max_per_unit=1)
    applicants = [
        person(10 * u + i, "M" if u == 3 else "F", unit=u) for u in (1, 2, 3) for i in range(10)
    ]
    result = allocate(7, applicants, policy)
    assert result.women_required == 4 and result.women_admitted == 5
    assert sorted(result.per_unit.values()) == [2, 2, 3]


def test_ties_break_by_application_time_then_the_application_recorded_first():
    applicants = [
        person(7, minute=20),
        person(5, minute=15),
        person(3, minute=25),
        person(9, minute=15),
    ]
    result = allocate(2, applicants, Policy())
    assert result.admitted == [5, 9]
    assert result.waitlist == [7, 3]
    tie = ("Cùng điểm với người khác: ai đăng ký trước xếp trước (đăng ký lúc 08:20 ngày "
           "12/03/2025)")
    assert tie in result.reasons[7]
    same_moment = "cùng thời điểm đăng ký thì hồ sơ được ghi nhận trước xếp trước"
    assert same_moment in reasons_text(result, 9)
    assert "9" not in reasons_text(result, 9).replace("2025", "")  # never an internal number


def test_no_tie_reason_when_the_tie_decided_nothing():
    applicants = [person(1, "F"), person(2, "F"), person(3, "M")]
    result = allocate(2, applicants, Policy(weight_woman=3))
    assert "Cùng điểm" not in reasons_text(result, 1)


def test_aware_times_are_shown_in_vietnam_time():
    moment = datetime(2025, 3, 12, 1, 15, tzinfo=UTC)
    applicants = [replace(person(1), applied_at=moment), replace(person(2), applied_at=moment)]
    result = allocate(1, applicants, Policy())
    assert any("đăng ký lúc 08:15 ngày 12/03/2025" in line for line in result.reasons[2])


def test_no_seats_and_no_applicants():
    result = allocate(0, [person(1, "F"), person(2)], Policy())
    assert result.admitted == [] and result.waitlist == [1, 2]
    assert "Chưa được xét chọn do lớp chưa có chỗ nào; xếp vào danh sách chờ" in result.reasons[1]
    empty = allocate(5, [], Policy())
    assert empty.admitted == [] and empty.waitlist == [] and empty.reasons == {}
    assert empty.women_required == 0


def test_scores_and_rank_helper():
    applicants = [person(1), person(2, "F", leader=True, trained=False), person(3, leader=True)]
    policy = Policy(weight_woman=1.5)
    result = allocate(3, applicants, policy)
    assert result.score == {1: 0, 2: Fraction(9, 2), 3: 2}
    assert [a.id for a in rank(applicants, policy)] == [2, 3, 1] == result.admitted
    assert result.reasons[2][1:] == [
        "Nữ: +1,5 điểm",
        "Cán bộ cấp thôn: +2 điểm",
        "Chưa được tập huấn chuyên đề này: +1 điểm",
        "Tổng điểm ưu tiên: 4,5 điểm",
    ]
    assert "Không có tiêu chí ưu tiên nào: 0 điểm" in result.reasons[1]
    assert format_points(Fraction(6)) == "6" and format_points(Fraction(1, 3)) == "0,33"


def test_scores_are_exact_so_rounding_noise_never_ranks():
    # In floats 0.1 + 0.2 = 0.30000000000000004 > 0.3: the man (leader, not trained, applied
    # first) would rank above the woman. Exactly, both have 0.3 points, and on equal points
    # the woman comes first.
    policy = Policy(weight_woman=0.3, weight_village_leader=0.1, weight_not_trained=0.2,
                    min_women_share=0)
    man = person(1, "M", leader=True, trained=False, minute=0)
    woman = person(2, "F", minute=5)
    result = allocate(1, [man, woman], policy)
    assert result.score[1] == result.score[2] == Fraction(3, 10)
    assert result.admitted == [2] and result.waitlist == [1]
    assert "Tổng điểm ưu tiên: 0,3 điểm" in result.reasons[1]
    assert any(line.startswith("Cùng điểm với người khác: xếp trước lần lượt là nữ")
               for line in result.reasons[1])


@pytest.mark.parametrize(
    ("weights", "better", "worse"),
    [
        ({"weight_woman": 0}, {"gender": "F"}, {"gender": "M"}),
        ({"weight_village_leader": 0}, {"leader": True}, {"leader": False}),
        ({"weight_not_trained": 0}, {"trained": False}, {"trained": True}),
    ],
)
def test_a_zero_weight_still_breaks_ties(weights, better, worse):
    # Otherwise equal, applied at the same moment, the worse one has the smaller id.
    policy = Policy(min_women_share=0, **weights)
    first, second = person(1, **worse), person(2, **better)
    result = allocate(1, [first, second], policy)
    assert result.score[1] == result.score[2]
    assert result.admitted == [2] and result.waitlist == [1]


def test_a_broken_result_raises_instead_of_passing_silently(monkeypatch):
    import app.classes.allocation as allocation

    monkeypatch.setattr(allocation, "_lowest", lambda low, high, ok: 1)  # a limit too low
    applicants = [person(i, unit=1, minute=i) for i in range(1, 6)]
    with pytest.raises(allocation.AllocationError, match="Lỗi chương trình khi xét chọn"):
        allocate(3, applicants, Policy(max_per_unit=1))


@pytest.mark.parametrize(
    "make",
    [
        lambda: allocate(-1, [], Policy()),
        lambda: allocate(2, [person(1), person(1, "F")], Policy()),
        lambda: allocate(
            2, [person(1), replace(person(2), applied_at=datetime.now(UTC))], Policy()
        ),
        lambda: Policy(min_women_share=1.5),
        lambda: Policy(min_women_share=-0.1),
        lambda: Policy(min_women_share=float("nan")),
        lambda: Policy(weight_woman=-1),
        lambda: Policy(weight_not_trained=float("inf")),
        lambda: Policy(max_per_unit=0),
        lambda: Policy(max_per_unit=2.5),
        lambda: Policy(weight_ethnic_minority=-0.5),
        lambda: Policy(min_per_village=3, max_per_village=2),
        lambda: Policy(min_per_village=-1),
        lambda: Policy(max_per_village=0),
        lambda: Policy(required_positions="truong-thon"),
        lambda: Policy(required_positions=["truong-thon", ""]),
        lambda: person(1, "X"),
        lambda: person(1, village="3"),
        lambda: allocate(2, [person(1, unit=1, village=9), person(2, unit=2, village=9)],
                         Policy()),
        lambda: promote(-3, [], [], Policy()),
    ],
)
def test_bad_input_raises_in_vietnamese(make):
    with pytest.raises(ValueError) as error:
        make()
    assert VIETNAMESE.search(str(error.value))


def test_promote_examples():
    policy = Policy(max_per_unit=2)
    admitted = [person(1, "F", unit=1), person(2, "F", unit=1), person(3, unit=2)]
    man_capped, man_free, woman_capped = person(4, unit=1), person(5, unit=2), person(6, "F")
    # 4 seats, 3 taken; 2 women of 4 keeps 50%, unit 1 is full -> first who fits: 5.
    assert promote(4, admitted, [man_capped, man_free, woman_capped], policy) == 5
    # A man would break the quota (1 woman of 3): the woman from the free unit comes first.
    two = [person(1, "F", unit=1), person(3, unit=2)]
    woman_free = person(7, "F", unit=3)
    assert promote(3, two, [man_free, woman_free], policy) == 7
    # Nobody keeps the quota (1 woman of 4 with any man): the cap still holds.
    three = [person(1, "F", unit=1), person(3, unit=2), person(8, unit=2)]
    assert promote(4, three, [person(9, unit=2), person(10, unit=3)], policy) == 10
    # Nobody keeps the cap: first in the waitlist, the seat is not left empty.
    assert promote(4, admitted, [man_capped, woman_capped], policy) == 4
    # No free seat, or nobody waiting.
    assert promote(3, admitted, [man_free], policy) is None
    assert promote(5, admitted, [], policy) is None


# Required roles, village quotas, the ethnic-minority weight


def test_required_roles_are_admitted_before_everyone_else():
    # Two village heads ("tt") with no points and late applications come first, and the
    # commune cap does not keep them out: commune 2 has 2 seats although the cap is 1.
    policy = Policy(required_positions={"tt"}, max_per_unit=1)
    applicants = [person(i, "F", leader=True, trained=False, unit=1, minute=i) for i in range(1, 5)]
    applicants += [person(10, unit=2, minute=50, position="tt"),
                   person(11, unit=2, minute=51, position="tt"),
                   person(12, unit=3, minute=1), person(13, unit=3, minute=2)]
    result = allocate(4, applicants, policy, positions={"tt": "Trưởng thôn"})
    assert result.required == [10, 11]
    assert result.admitted == [10, 11, 1, 12]
    assert result.per_unit == {1: 1, 2: 2, 3: 1}
    assert ("Thuộc đối tượng bắt buộc của lớp (Trưởng thôn): được xét chọn trước những người "
            "khác") in result.reasons[10]
    assert ("Chưa được xét chọn do xã này đã đủ 1 người, là số chỗ tối đa của mỗi xã; xếp vào "
            "danh sách chờ") in result.reasons[2]


def test_more_required_people_than_seats_share_the_seats_by_the_same_rules():
    policy = Policy(required_positions={"tt", "rsv"}, min_women_share=0.5)
    heads = [person(i, "M", leader=True, position="tt", minute=i) for i in range(1, 5)]
    checkers = [person(i, "F", position="rsv", minute=i) for i in range(5, 7)]
    others = [person(i, "F", leader=True, trained=False, minute=i) for i in range(7, 9)]
    result = allocate(4, heads + checkers + others, policy)
    assert set(result.admitted) == {1, 2, 5, 6}  # the share holds among the required too
    assert result.waitlist[:2] == [3, 4]  # required ones wait first
    only = ("Chưa được xét chọn do số người thuộc đối tượng bắt buộc của lớp đã nhiều hơn số "
            "chỗ; xếp vào danh sách chờ")
    assert only in result.reasons[7]


def test_required_women_count_towards_the_share():
    policy = Policy(required_positions={"rsv"})
    applicants = [person(1, "F", position="rsv", minute=30), person(2, "F", position="rsv")]
    applicants += [person(i, leader=True, minute=i) for i in range(3, 8)]
    applicants += [person(i, "F", minute=i) for i in range(8, 10)]
    result = allocate(4, applicants, policy)
    assert result.admitted == [2, 1, 3, 4]  # 2 women of 4: the share already holds
    assert result.women_admitted == 2


def test_village_maximum_lets_other_villages_in():
    places = {1: "xã Sơn Hà", 11: "thôn Gò Da", 12: "thôn Tà Bần"}
    policy = Policy(max_per_village=2, min_women_share=0)
    strong = [person(i, leader=True, village=11, minute=i) for i in range(1, 6)]
    rest = [person(6, village=12, minute=6), person(7, minute=7)]  # 7: a commune officer
    result = allocate(4, strong + rest, policy, places=places)
    assert result.admitted == [1, 2, 6, 7]
    assert result.per_village == {11: 2, 12: 1} and result.village_limit == 2
    full = ("Chưa được xét chọn do thôn Gò Da đã đủ 2 người, là số người tối đa của mỗi thôn; "
            "xếp vào danh sách chờ")
    assert full in result.reasons[3]


def test_village_maximum_is_raised_only_to_fill_the_class():
    policy = Policy(max_per_village=1, min_women_share=0)
    applicants = [person(i, leader=True, village=11, minute=i) for i in range(1, 6)]
    applicants += [person(6, village=12, minute=6), person(7, village=13, minute=7)]
    result = allocate(5, applicants, policy)
    # Everybody within one per village first (1, 6, 7), then the limit is raised to 3.
    assert result.village_limit == 3
    assert result.admitted == [1, 2, 3, 6, 7]
    assert ("Được nhận vượt số người tối đa 1 người của mỗi thôn do không còn người của thôn "
            "khác chờ") in result.reasons[2]


def test_village_minimum_brings_in_each_village_that_applied():
    policy = Policy(min_per_village=1, min_women_share=0)
    strong = [person(i, leader=True, trained=False, village=11, minute=i) for i in range(1, 6)]
    weak = [person(6, village=12, minute=40), person(7, village=13, minute=41)]
    result = allocate(4, strong + weak, policy, places={12: "thôn Tà Bần"})
    assert result.admitted == [1, 2, 6, 7]
    assert result.village_shortfall == {}
    assert "Được xét chọn để thôn Tà Bần có ít nhất 1 người dự lớp" in result.reasons[6]
    assert ("Chưa được xét chọn do cần bảo đảm mỗi thôn có ít nhất 1 người dự lớp; xếp vào "
            "danh sách chờ") in result.reasons[3]


def test_village_minimum_within_the_seats_and_the_commune_cap():
    policy = Policy(min_per_village=2, max_per_unit=3, min_women_share=0)
    applicants = [person(10 * v + i, unit=1, village=v, minute=10 * v + i)
                  for v in (1, 2) for i in range(3)]
    applicants += [person(50 + i, unit=2, village=5, minute=i) for i in range(3)]
    result = allocate(5, applicants, policy)
    # Commune 1 may send 3: village 1 gets its 2, village 2 only 1; the cap comes first.
    assert result.per_village == {1: 2, 2: 1, 5: 2}
    assert result.village_shortfall == {2: 1}


def test_the_village_minimum_counts_seats_the_women_share_fills():
    # Village 12 has a woman and a man leader: its one seat goes to the woman when the
    # share needs her, so a village floor never costs the share a seat it could keep.
    policy = Policy(min_per_village=1)
    applicants = [person(1, leader=True, village=11, minute=1),
                  person(2, leader=True, village=12, minute=2), person(3, "F", village=12,
                                                                       minute=3)]
    result = allocate(2, applicants, policy)
    assert result.admitted == [1, 3] and result.women_admitted == 1


def test_village_floors_hold_when_the_raised_seats_are_spread():
    # Found by the properties: 9 seats, cap 1 raised to 3, a 100% share, a minimum of 1 per
    # village. After the women, commune 1 holds 2 women and still owes its village 10 a seat
    # (the man 3): the even spread (level 1, so up to 2 per commune) must let it take him.
    loose = {"village": None}
    applicants = [person(1, "F", unit=1, **loose), person(2, "F", unit=1, **loose),
                  person(3, unit=1, village=10), person(4, leader=True, unit=2, minute=8,
                                                        village=20),
                  person(5, "F", unit=3, **loose), person(6, "F", unit=3, **loose),
                  person(7, "F", unit=3, minute=11, village=30), person(8, unit=4, **loose),
                  person(9, "F", unit=4, **loose), person(10, "F", unit=2, **loose)]
    policy = Policy(min_women_share=1.0, max_per_unit=1, weight_village_leader=0,
                    weight_not_trained=0, min_per_village=1)
    result = allocate(9, applicants, policy)
    assert result.unit_limit == 3 and result.women_required == 7 == result.women_admitted
    assert result.per_village == {10: 1, 20: 1, 30: 1} and result.village_shortfall == {}
    assert result.waitlist == [8]


def test_ethnic_minority_weight_is_optional():
    kinh, hre = person(1, minute=0), person(2, minute=5, minority=True)
    assert allocate(1, [kinh, hre], Policy()).admitted == [1]  # off by default: no tie-break
    result = allocate(1, [kinh, hre], Policy(weight_ethnic_minority=1))
    assert result.admitted == [2]
    assert "Người dân tộc thiểu số: +1 điểm" in result.reasons[2]


def test_promote_keeps_required_roles_and_village_quotas():
    policy = Policy(required_positions={"tt"}, max_per_village=1, min_per_village=1)
    admitted = [person(1, "F", village=11), person(2, village=12)]
    waiting = [person(3, "F", village=11), person(4, village=12), person(5, village=13),
               person(6, village=12, position="tt")]
    assert promote(3, admitted, waiting, policy) == 6  # the required role first
    assert promote(3, admitted, waiting[:3], policy) == 5  # village 13 has nobody yet
    assert promote(3, admitted, waiting[:2], policy) == 3  # nobody keeps the village cap


# ---------------------------------------------------------------------------------------------
# Properties

WEIGHTS = st.sampled_from([0, 0.1, 0.2, 0.3, 0.5, 1, 1.5, 2, 3, 5])
CAPACITY = st.integers(0, 60)
FAST = settings(max_examples=200, deadline=None)


ID_PRIME = 10_007  # ids = k * step mod ID_PRIME: distinct, in scrambled order, one draw


@st.composite
def applicant_lists(draw, min_size=0, max_size=200):
    """0..200 applicants in 1..8 units, with many equal applied_at (31 distinct minutes).

    Each applicant is decoded from one integer, which keeps generation fast enough for
    200 examples of up to 200 applicants per test.
    """
    size = draw(st.integers(min_size, max_size))  # uniform sizes: plain lists stay short
    units = draw(st.integers(1, 8))
    women_in_ten = draw(st.integers(0, 10))  # from no women to only women
    step = draw(st.integers(1, ID_PRIME - 1))
    codes = draw(st.lists(st.integers(0, 2**16 - 1), min_size=size, max_size=size))
    applicants = []
    for k, code in enumerate(codes, 1):
        code, tenth = divmod(code, 10)
        code, leader = divmod(code, 2)
        code, trained = divmod(code, 2)
        code, minute = divmod(code, 31)
        applicants.append(
            Applicant(
                id=k * step % ID_PRIME,
                gender="F" if tenth < women_in_ten else "M",
                village_leader=bool(leader),
                unit_id=code % units + 1,
                trained_before=bool(trained),
                applied_at=BASE + timedelta(minutes=minute),
            )
        )
    return applicants


@st.composite
def policies(draw, weights=WEIGHTS):
    percent = draw(st.one_of(st.sampled_from([0, 50, 100]), st.integers(0, 100)))
    return Policy(
        min_women_share=percent / 100,
        max_per_unit=draw(st.one_of(st.none(), st.integers(1, 4), st.integers(1, 12))),
        weight_woman=draw(weights),
        weight_village_leader=draw(weights),
        weight_not_trained=draw(weights),
    )


def exact(weight: float) -> Fraction:
    return Fraction(repr(weight)) if isinstance(weight, float) else Fraction(weight)


def expected_score(a: Applicant, policy: Policy) -> Fraction:
    return (
        exact(policy.weight_woman) * (a.gender == "F")
        + exact(policy.weight_village_leader) * a.village_leader
        + exact(policy.weight_not_trained) * (not a.trained_before)
    )


def expected_key(a: Applicant, policy: Policy):
    """Score, then woman, leader, not trained, then time, then id (module docstring)."""
    return (
        -expected_score(a, policy),
        a.gender != "F",
        not a.village_leader,
        a.trained_before,
        a.applied_at,
        a.id,
    )


def percent_of(policy: Policy) -> int:
    return round(policy.min_women_share * 100)


def raised_limit(seats, per_unit_applicants, cap):
    """The limit actually applied (module docstring), None without a cap."""
    if cap is None:
        return None
    level = cap
    while sum(min(level, n) for n in per_unit_applicants.values()) < seats:
        level += 1
    return level


def expected_limits(seats, per_unit_applicants, cap, floor_level=None):
    """Per unit (min, max) seats: the hard bounds of the cap rule (module docstring), or the
    floors of ``floor_level`` under the same limit."""
    limit = raised_limit(seats, per_unit_applicants, cap)
    if limit is None:
        return {u: (0, n) for u, n in per_unit_applicants.items()}
    if limit == cap:
        return {u: (0, min(cap, n)) for u, n in per_unit_applicants.items()}
    level = cap if floor_level is None else floor_level
    return {u: (min(level, n), min(limit, n)) for u, n in per_unit_applicants.items()}


def most_women_possible(seats, limits, women_per_unit):
    """Brute force (knapsack over units): most women in any admission within the limits."""
    best = {0: 0}
    for unit, (low, high) in limits.items():
        nxt = {}
        for taken, women in best.items():
            for k in range(low, min(high, seats - taken) + 1):
                value = women + min(women_per_unit[unit], k)
                if value > nxt.get(taken + k, -1):
                    nxt[taken + k] = value
        best = nxt
    return best[seats]


# 1. capacity
@FAST
@given(applicant_lists(), CAPACITY, policies())
def test_admitted_fills_capacity_and_never_exceeds_it(applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    assert len(result.admitted) == min(capacity, len(applicants)) <= capacity
    assert sum(result.per_unit.values()) == len(result.admitted)


# 2. partition
@FAST
@given(applicant_lists(), CAPACITY, policies())
def test_every_applicant_in_exactly_one_list(applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    everyone = result.admitted + result.waitlist
    assert len(everyone) == len(set(everyone)) == len(applicants)
    assert set(everyone) == {a.id for a in applicants}


# 3. women quota, within the unit limits
@FAST
@given(applicant_lists(), CAPACITY, policies())
def test_women_quota_within_unit_limits(applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    by_id = {a.id: a for a in applicants}
    seats = min(capacity, len(applicants))
    women_in = sum(by_id[i].gender == "F" for i in result.admitted)
    women_total = sum(a.gender == "F" for a in applicants)
    share_seats = -(-percent_of(policy) * seats // 100)  # exact ceil(share * seats)

    limits = expected_limits(seats, Counter(a.unit_id for a in applicants), policy.max_per_unit)
    women_per_unit = Counter(a.unit_id for a in applicants if a.gender == "F")
    possible = most_women_possible(seats, limits, women_per_unit)

    assert result.women_admitted == women_in
    assert result.women_required == min(share_seats, possible)
    assert women_in >= result.women_required
    if policy.max_per_unit is None:  # no cap: the plain rule
        assert women_in >= min(share_seats, women_total)
    for unit, (low, high) in limits.items():
        assert low <= result.per_unit[unit] <= high


# 4. unit cap
@FAST
@given(applicant_lists(), CAPACITY, policies())
def test_no_unit_over_cap_while_others_could_fill_the_seat(applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    cap = policy.max_per_unit
    if cap is None:
        return
    by_id = {a.id: a for a in applicants}
    counts = result.per_unit
    over = {u for u, c in counts.items() if c > cap}
    waiting_units = {by_id[i].unit_id for i in result.waitlist}
    applied = Counter(a.unit_id for a in applicants)
    seats = len(result.admitted)

    if sum(min(cap, n) for n in applied.values()) >= seats:
        assert not over  # the caps can fill the class: nobody goes over
        assert result.unit_limit == cap
    if over:
        # A unit goes over the cap only when everybody who fits under it is in.
        for unit in waiting_units:
            assert counts[unit] >= cap
        assert max(counts.values()) <= result.unit_limit


# 4b. the raised seats are spread evenly unless that would cost the women quota
@FAST
@given(applicant_lists(), CAPACITY, policies())
def test_raised_seats_spread_evenly_unless_the_quota_needs_them(applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    cap, limit = policy.max_per_unit, result.unit_limit
    if cap is None or limit == cap:
        return
    by_id = {a.id: a for a in applicants}
    seats = len(result.admitted)
    applied = Counter(a.unit_id for a in applicants)
    women_per_unit = Counter(a.unit_id for a in applicants if a.gender == "F")
    even = expected_limits(seats, applied, cap, floor_level=limit - 1)
    if most_women_possible(seats, even, women_per_unit) >= result.women_required:
        waiting_units = {by_id[i].unit_id for i in result.waitlist}
        for unit in waiting_units:
            assert limit - 1 <= result.per_unit[unit] <= limit
    else:  # the quota needed seats the even spread would have given to other units
        assert result.women_admitted >= result.women_required


# 5. a better attribute never hurts
BETTER = {
    "gender": ({"gender": "M"}, {"gender": "F"}),
    "village_leader": ({"village_leader": False}, {"village_leader": True}),
    "trained_before": ({"trained_before": True}, {"trained_before": False}),
}


@FAST
@given(
    st.data(),
    applicant_lists(min_size=1),
    CAPACITY,
    policies(),  # weights include 0: the tie-break keeps the property
    st.sampled_from(sorted(BETTER)),
    st.booleans(),
)
def test_better_twin_never_ranked_below(data, applicants, capacity, policy, attribute, low_id):
    i = data.draw(st.integers(0, len(applicants) - 1))
    worse_values, better_values = BETTER[attribute]
    worse = replace(applicants[i], **worse_values)
    ids = [a.id for a in applicants]
    twin_id = min(ids) - 1 if low_id else max(ids) + 1
    better = replace(worse, id=twin_id, **better_values)
    field = applicants[:i] + [worse] + applicants[i + 1 :] + [better]

    result = allocate(capacity, field, policy)
    order = result.admitted + result.waitlist
    assert result.score[better.id] >= result.score[worse.id]
    assert not (better.id in result.waitlist and worse.id in result.admitted)
    assert order.index(better.id) < order.index(worse.id)


@FAST
@given(applicant_lists(), CAPACITY, policies())
def test_within_a_unit_and_gender_admission_follows_rank(applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    admitted = set(result.admitted)
    groups = {}
    for a in sorted(applicants, key=lambda a: expected_key(a, policy)):
        groups.setdefault((a.unit_id, a.gender), []).append(a.id in admitted)
    for flags in groups.values():
        assert flags == sorted(flags, reverse=True)  # admitted ones form a prefix


# 6. input order does not matter
@FAST
@given(st.data(), applicant_lists(), CAPACITY, policies())
def test_result_does_not_depend_on_input_order(data, applicants, capacity, policy):
    shuffled = data.draw(st.permutations(applicants))
    assert allocate(capacity, shuffled, policy) == allocate(capacity, applicants, policy)


# 7. ties
@FAST
@given(applicant_lists(), CAPACITY, policies())
def test_lists_are_in_rank_order_with_the_documented_tie_break(applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    by_id = {a.id: a for a in applicants}
    for ids in (result.admitted, result.waitlist):
        keys = [expected_key(by_id[i], policy) for i in ids]
        assert keys == sorted(keys)
    for a in applicants:
        assert result.score[a.id] == expected_score(a, policy)


@FAST
@given(applicant_lists(), CAPACITY, policies())
def test_without_quota_or_cap_the_top_of_the_ranking_is_admitted(applicants, capacity, policy):
    policy = replace(policy, min_women_share=0.0, max_per_unit=None)
    result = allocate(capacity, applicants, policy)
    ranked = sorted(applicants, key=lambda a: expected_key(a, policy))
    assert result.admitted == [a.id for a in ranked[:capacity]]
    assert result.waitlist == [a.id for a in ranked[capacity:]]


# 8. reasons
RULE_WORDS = ("tỷ lệ nữ", "số chỗ tối đa của mỗi xã", "số chỗ tối đa", "mỗi thôn",
              "chia đều cho các xã", "từng xã, từng thôn")

@FAST
@given(applicant_lists(), CAPACITY, policies())
def test_every_applicant_has_vietnamese_reasons(applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    assert set(result.reasons) == {a.id for a in applicants}
    admitted = set(result.admitted)
    ranked = sorted(applicants, key=lambda a: expected_key(a, policy))
    position = {a.id: i for i, a in enumerate(ranked)}
    last_in = max((position[i] for i in admitted), default=-1)
    for a in applicants:
        lines = result.reasons[a.id]
        status = "Được xét chọn" if a.id in admitted else "Danh sách chờ"
        assert lines[0].startswith(status)
        assert any(line.startswith("Tổng điểm ưu tiên") for line in lines)
        for line in lines:
            assert VIETNAMESE.search(line), line
            assert unicodedata.is_normalized("NFC", line)
        if a.id not in admitted and position[a.id] < last_in:
            # Kept out although ranked above someone admitted: the rule is named.
            assert any(line.startswith("Chưa được xét chọn do") and any(
                rule in line for rule in RULE_WORDS) for line in lines), lines


@FAST
@given(st.data(), applicant_lists(min_size=1), st.integers(1, 60), policies())
def test_promote_picks_a_waitlisted_applicant_keeping_the_rules(data, applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    by_id = {a.id: a for a in applicants}
    admitted = [by_id[i] for i in result.admitted]
    leaving = data.draw(st.integers(0, len(admitted)))
    admitted = admitted[leaving:]
    waitlist = [by_id[i] for i in result.waitlist]

    chosen = promote(capacity, admitted, waitlist, policy)
    if len(admitted) >= capacity or not waitlist:
        assert chosen is None
        return
    assert chosen in result.waitlist
    cap = policy.max_per_unit
    units = Counter(a.unit_id for a in admitted)
    women = sum(a.gender == "F" for a in admitted)
    need = -(-percent_of(policy) * (len(admitted) + 1) // 100)

    def keeps(a):
        fits = cap is None or units[a.unit_id] < cap
        return fits and (a.gender == "F" or women >= need)

    keeping = [a.id for a in waitlist if keeps(a)]
    within_cap = [a.id for a in waitlist if cap is None or units[a.unit_id] < cap]
    if keeping:
        assert chosen == keeping[0]
    elif within_cap:  # nobody keeps both: the cap comes first
        assert chosen == within_cap[0]
    else:  # nobody keeps the cap: the seat is not left empty
        assert chosen == waitlist[0].id


# ---------------------------------------------------------------------------------------------
# Properties of the required roles and the village quota (with villages, positions, ethnicity)

CODES = ("tt", "rsv", "bt", *[None] * 7)  # position codes; None: a position no rule names


@st.composite
def rich_applicant_lists(draw, min_size=0, max_size=120):
    """0..120 applicants in 1..5 communes of 1..4 villages each, some without a village, with
    positions (of which the policies make some required) and ethnic minorities."""
    size = draw(st.integers(min_size, max_size))
    units = draw(st.integers(1, 5))
    villages = draw(st.integers(1, 4))
    loose_in_ten = draw(st.sampled_from([0, 0, 1, 3]))  # share without a village
    women_in_ten = draw(st.integers(0, 10))
    step = draw(st.integers(1, ID_PRIME - 1))
    codes = draw(st.lists(st.integers(0, 2**24 - 1), min_size=size, max_size=size))
    applicants = []
    for k, code in enumerate(codes, 1):
        code, tenth = divmod(code, 10)
        code, loose = divmod(code, 10)
        code, leader = divmod(code, 2)
        code, trained = divmod(code, 2)
        code, minute = divmod(code, 13)
        code, slot = divmod(code, villages)
        code, position = divmod(code, len(CODES))
        code, minority = divmod(code, 2)
        unit = code % units + 1
        applicants.append(Applicant(
            id=k * step % ID_PRIME,
            gender="F" if tenth < women_in_ten else "M",
            village_leader=bool(leader),
            unit_id=unit,
            trained_before=bool(trained),
            applied_at=BASE + timedelta(minutes=minute),
            village_id=None if loose < loose_in_ten else 10 * unit + slot,
            position=CODES[position],
            ethnic_minority=bool(minority),
        ))
    return applicants


@st.composite
def rich_policies(draw):
    base = draw(policies())
    village_max = draw(st.one_of(st.none(), st.integers(1, 4)))
    village_min = draw(st.one_of(st.just(0), st.integers(0, village_max or 3)))
    return replace(
        base,
        required_positions=draw(st.sampled_from(
            [frozenset(), frozenset(), {"tt"}, {"rsv"}, {"tt", "rsv"}])),
        min_per_village=village_min,
        max_per_village=village_max,
        weight_ethnic_minority=draw(st.sampled_from([0, 0, 0.5, 1, 3])),
    )


RICH_CAPACITY = st.integers(0, 40)


def is_required(a: Applicant, policy: Policy) -> bool:
    return a.position in policy.required_positions


def rich_score(a: Applicant, policy: Policy) -> Fraction:
    return expected_score(a, policy) + exact(policy.weight_ethnic_minority) * a.ethnic_minority


def rich_key(a: Applicant, policy: Policy):
    """Required role first, then score, woman, leader, not trained, time, id (ethnicity only
    through its points)."""
    return (not is_required(a, policy), -rich_score(a, policy), a.gender != "F",
            not a.village_leader, a.trained_before, a.applied_at, a.id)


class Field:
    """The applicants as the oracles see them: seats, required ones, groups (a village, or the
    people of a commune without a village) inside communes."""

    def __init__(self, applicants, capacity, policy):
        required = [a for a in applicants if is_required(a, policy)]
        self.seats = min(capacity, len(applicants))
        if len(required) > self.seats:  # the rules apply among the required only
            applicants, required = required, []
        self.applicants = applicants
        self.forced = {a.id for a in required}
        self.policy = policy
        self.n = Counter(group(a) for a in applicants)
        self.r = Counter(group(a) for a in applicants if a.id in self.forced)
        self.women = Counter(group(a) for a in applicants if a.gender == "F"
                             and a.id not in self.forced)
        self.forced_women = Counter(group(a) for a in applicants if a.gender == "F"
                                    and a.id in self.forced)
        self.units = sorted({a.unit_id for a in applicants})

    def groups(self, unit):
        return sorted((k for k in self.n if k[0] == unit), key=str)

    def hold(self, unit, level):
        return sum(n if level is None or k[1] is None else max(self.r[k], min(level, n))
                   for k in self.groups(unit) for n in [self.n[k]])

    def room(self, limit, level):
        r_u = self.forced_in
        return sum(max(r_u(u), self.hold(u, level) if limit is None
                       else min(limit, self.hold(u, level))) for u in self.units)

    def forced_in(self, unit):
        return sum(self.r[k] for k in self.groups(unit))

    def limits(self):
        """(commune limit, village limit), each raised one step at a time until the class can
        be filled: the commune's with unlimited villages, then the village's under it."""
        cap, vcap = self.policy.max_per_unit, self.policy.max_per_village
        limit = cap
        while limit is not None and self.room(limit, None) < self.seats:
            limit += 1
        vlimit = vcap
        while vlimit is not None and self.room(limit, vlimit) < self.seats:
            vlimit += 1
        return limit, vlimit

    def bounds(self, group_floor=None):
        """Per commune (low, high, groups) and per group (low, high) of the rules above the
        village minimum: required people in, commune limit and hard floors, village limit."""
        cap = self.policy.max_per_unit
        limit, vlimit = self.limits()
        out = []
        for u in self.units:
            groups = []
            for k in self.groups(u):
                high = self.n[k] if vlimit is None or k[1] is None else \
                    min(self.n[k], max(self.r[k], vlimit))
                low = self.r[k] if group_floor is None else max(self.r[k], group_floor(k))
                groups.append((k, low, high))
            held = sum(high for _k, _low, high in groups)
            low_u = self.forced_in(u)
            if limit is not None and limit > cap:
                low_u = max(low_u, min(cap, held))
            high_u = held if limit is None else min(held, max(self.forced_in(u), limit))
            out.append((low_u, high_u, groups))
        return out


def group(a: Applicant):
    return a.unit_id, a.village_id


def best_total(seats, communes, value):
    """Brute force (knapsack over communes, each a knapsack over its groups): the largest
    Σ value(group, seats of the group) over every way to give ``seats`` seats within the
    bounds; None when there is none."""
    total = {0: 0}
    for low_u, high_u, groups in communes:
        inner = {0: 0}
        for k, low, high in groups:
            nxt = {}
            for taken, v in inner.items():
                for c in range(low, min(high, seats - taken) + 1):
                    w = v + value(k, c)
                    if w > nxt.get(taken + c, -(10**9)):
                        nxt[taken + c] = w
            inner = nxt
        nxt = {}
        for taken, v in total.items():
            for c, w in inner.items():
                if low_u <= c <= high_u and taken + c <= seats and v + w > nxt.get(
                        taken + c, -(10**9)):
                    nxt[taken + c] = v + w
        total = nxt
    return total.get(seats)


def admitted_per_group(result, applicants):
    by_id = {a.id: a for a in applicants}
    return Counter(group(by_id[i]) for i in result.admitted)


RICH = settings(max_examples=200, deadline=None)


# 9. required roles
@RICH
@given(rich_applicant_lists(), RICH_CAPACITY, rich_policies())
def test_required_roles_are_admitted_first_or_share_the_seats(applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    required = sorted((a for a in applicants if is_required(a, policy)),
                      key=lambda a: rich_key(a, policy))
    assert result.required == [a.id for a in required]
    seats = min(capacity, len(applicants))
    if len(required) <= seats:
        assert {a.id for a in required} <= set(result.admitted)
    else:  # only required people, chosen among themselves by the same rules
        assert set(result.admitted) <= {a.id for a in required}
        assert result.admitted == allocate(capacity, required, policy).admitted


# 10. the rank, with the required roles first and the ethnic-minority points
@RICH
@given(rich_applicant_lists(), RICH_CAPACITY, rich_policies())
def test_rich_lists_are_in_rank_order(applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    by_id = {a.id: a for a in applicants}
    for ids in (result.admitted, result.waitlist):
        keys = [rich_key(by_id[i], policy) for i in ids]
        assert keys == sorted(keys)
    assert all(result.score[a.id] == rich_score(a, policy) for a in applicants)
    assert len(result.admitted) == min(capacity, len(applicants))
    assert sorted(result.admitted + result.waitlist) == sorted(by_id)


# 11. the limits: commune first, then village, each raised only to fill the class
@RICH
@given(rich_applicant_lists(), RICH_CAPACITY, rich_policies())
def test_commune_and_village_limits_hold(applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    field = Field(applicants, capacity, policy)
    limit, vlimit = field.limits()
    assert (result.unit_limit, result.village_limit) == (limit, vlimit)
    counts = admitted_per_group(result, field.applicants)
    for k, c in counts.items():
        if vlimit is not None and k[1] is not None:
            assert c <= max(field.r[k], vlimit)
    for u in field.units:
        if limit is not None:
            assert result.per_unit[u] <= max(field.forced_in(u), limit)
    every = admitted_per_group(result, applicants)
    assert result.per_village == {
        a.village_id: every[group(a)] for a in sorted(applicants, key=lambda a: a.village_id or 0)
        if a.village_id is not None}


# 12. a village goes over its maximum only when nobody who fits under it could take the seat
@RICH
@given(rich_applicant_lists(), RICH_CAPACITY, rich_policies())
def test_villages_over_the_maximum_only_when_the_class_needs_it(applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    vcap = policy.max_per_village
    if vcap is None:
        return
    field = Field(applicants, capacity, policy)
    counts = admitted_per_group(result, field.applicants)

    def over(k, c):
        return 0 if k[1] is None else max(0, c - max(field.r[k], vcap))

    fewest = -best_total(field.seats, field.bounds(), lambda k, c: -over(k, c))
    assert sum(over(k, c) for k, c in counts.items()) == fewest
    if result.village_limit == vcap:
        assert fewest == 0


# 13. the village minimum is met as far as the rules above it allow
@RICH
@given(rich_applicant_lists(), RICH_CAPACITY, rich_policies())
def test_village_minimum_is_met_as_far_as_possible(applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    vmin = policy.min_per_village
    field = Field(applicants, capacity, policy)
    counts = admitted_per_group(result, field.applicants)

    def target(k):
        return 0 if k[1] is None else min(vmin, field.n[k])

    short = {k[1]: target(k) - counts[k] for k in field.n if counts[k] < target(k)}
    assert result.village_shortfall == short
    if not vmin or result.village_limit != policy.max_per_village:
        return  # with a raised village limit, its own floors come first (test 12)
    covered = sum(min(c, target(k)) for k, c in counts.items())
    assert covered == best_total(field.seats, field.bounds(), lambda k, c: min(c, target(k)))


# 14. the women quota within every rule above it
@RICH
@given(rich_applicant_lists(), RICH_CAPACITY, rich_policies())
def test_women_quota_within_the_required_roles_and_the_limits(applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    field = Field(applicants, capacity, policy)
    by_id = {a.id: a for a in applicants}
    women_in = sum(by_id[i].gender == "F" for i in result.admitted)
    share_seats = -(-percent_of(policy) * field.seats // 100)
    assert result.women_admitted == women_in >= result.women_required
    assert result.women_required <= share_seats
    if policy.min_per_village or result.village_limit != policy.max_per_village:
        return  # village floors (rank-dependent) come before the quota: tests 12 and 13

    def women(k, c):
        return field.forced_women[k] + min(c - field.r[k], field.women[k])

    possible = best_total(field.seats, field.bounds(), women)
    assert result.women_required == min(share_seats, possible)


# 15. a better twin never ranks or fares worse, whatever the rules
RICH_BETTER = {**BETTER, "required": ({"position": None}, {"position": "tt"}),
               "ethnic_minority": ({"ethnic_minority": False}, {"ethnic_minority": True})}


@RICH
@given(st.data(), rich_applicant_lists(min_size=1), RICH_CAPACITY, rich_policies(),
       st.sampled_from(sorted(RICH_BETTER)), st.booleans())
def test_rich_better_twin_never_below(data, applicants, capacity, policy, attribute, low_id):
    if attribute == "required":
        policy = replace(policy, required_positions=policy.required_positions | {"tt"})
    i = data.draw(st.integers(0, len(applicants) - 1))
    worse_values, better_values = RICH_BETTER[attribute]
    worse = replace(applicants[i], **worse_values)
    ids = [a.id for a in applicants]
    better = replace(worse, id=min(ids) - 1 if low_id else max(ids) + 1, **better_values)
    field = applicants[:i] + [worse] + applicants[i + 1 :] + [better]
    result = allocate(capacity, field, policy)
    if attribute == "ethnic_minority" and not policy.weight_ethnic_minority:
        return  # no points, no tie-break: the time and the record order decide
    order = result.admitted + result.waitlist
    assert not (better.id in result.waitlist and worse.id in result.admitted)
    assert order.index(better.id) < order.index(worse.id)


@RICH
@given(rich_applicant_lists(), RICH_CAPACITY, rich_policies())
def test_within_a_group_and_gender_admission_follows_rank(applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    admitted = set(result.admitted)
    flags = defaultdict(list)
    for a in sorted(applicants, key=lambda a: rich_key(a, policy)):
        flags[(group(a), a.gender, is_required(a, policy))].append(a.id in admitted)
    for seq in flags.values():
        assert seq == sorted(seq, reverse=True)


@RICH
@given(st.data(), rich_applicant_lists(), RICH_CAPACITY, rich_policies())
def test_rich_result_does_not_depend_on_input_order(data, applicants, capacity, policy):
    shuffled = data.draw(st.permutations(applicants))
    assert allocate(capacity, shuffled, policy) == allocate(capacity, applicants, policy)


@RICH
@given(rich_applicant_lists(), RICH_CAPACITY, rich_policies())
def test_without_any_rule_the_top_of_the_ranking_is_admitted(applicants, capacity, policy):
    policy = replace(policy, min_women_share=0.0, max_per_unit=None, max_per_village=None,
                     min_per_village=0, required_positions=frozenset())
    result = allocate(capacity, applicants, policy)
    ranked = sorted(applicants, key=lambda a: rich_key(a, policy))
    assert result.admitted == [a.id for a in ranked[:capacity]]


# 16. reasons: named rules and places, no internal number
@RICH
@given(rich_applicant_lists(), RICH_CAPACITY, rich_policies())
def test_rich_reasons_name_the_rule_and_the_place(applicants, capacity, policy):
    places = {u: f"xã Số{u}" for u in range(1, 6)}
    places |= {10 * u + s: f"thôn Số{10 * u + s}" for u in range(1, 6) for s in range(4)}
    result = allocate(capacity, applicants, policy, places=places,
                      positions={"tt": "Trưởng thôn"})
    admitted = set(result.admitted)
    ranked = sorted(applicants, key=lambda a: rich_key(a, policy))
    position = {a.id: i for i, a in enumerate(ranked)}
    last_in = max((position[i] for i in admitted), default=-1)
    for a in applicants:
        lines = result.reasons[a.id]
        assert lines[0].startswith("Được xét chọn" if a.id in admitted else "Danh sách chờ")
        assert all(VIETNAMESE.search(line) and unicodedata.is_normalized("NFC", line)
                   for line in lines)
        assert not any("mã" in line.lower() or "xã này" in line or "thôn này" in line
                       for line in lines)
        assert any(line.startswith("Tổng điểm ưu tiên") for line in lines)
        if is_required(a, policy):
            assert any(line.startswith("Thuộc đối tượng bắt buộc") for line in lines)
        if a.id not in admitted and position[a.id] < last_in:
            assert any(line.startswith("Chưa được xét chọn do") and any(
                rule in line for rule in RULE_WORDS + ("ít nhất",)) for line in lines), lines
        for line in lines:
            if line.startswith(("Chưa được xét chọn do xã", "Chưa được xét chọn do thôn")):
                assert f"Số{a.unit_id} " in line or f"Số{a.village_id} " in line


# 17. promotion: the first who keeps the longest run of rules, in order of precedence
@RICH
@given(st.data(), rich_applicant_lists(min_size=1), st.integers(1, 40), rich_policies())
def test_rich_promote_keeps_the_rules_in_order(data, applicants, capacity, policy):
    result = allocate(capacity, applicants, policy)
    by_id = {a.id: a for a in applicants}
    admitted = [by_id[i] for i in result.admitted]
    admitted = admitted[data.draw(st.integers(0, len(admitted))):]
    waitlist = [by_id[i] for i in result.waitlist]
    chosen = promote(capacity, admitted, waitlist, policy)
    if len(admitted) >= capacity or not waitlist:
        assert chosen is None
        return
    units = Counter(a.unit_id for a in admitted)
    villages = Counter(group(a) for a in admitted if a.village_id is not None)
    women = sum(a.gender == "F" for a in admitted)
    need = -(-percent_of(policy) * (len(admitted) + 1) // 100)
    vmin = policy.min_per_village

    def short(a):
        return a.village_id is not None and villages[group(a)] < vmin

    rules = [
        lambda a: is_required(a, policy) or not any(is_required(b, policy) for b in waitlist),
        lambda a: policy.max_per_unit is None or units[a.unit_id] < policy.max_per_unit,
        lambda a: policy.max_per_village is None or a.village_id is None
        or villages[group(a)] < policy.max_per_village,
        lambda a: short(a) or not any(short(b) for b in waitlist),
        lambda a: a.gender == "F" or women >= need,
    ]
    for j in range(len(rules), -1, -1):
        keeping = [a.id for a in waitlist if all(rule(a) for rule in rules[:j])]
        if keeping:
            assert chosen == keeping[0]
            break


def test_a_policy_is_stored_and_read_back_through_one_pair_of_helpers(app):
    """What the class stores, the preview fingerprints, the confirmation carries and the audit
    records is `Policy.as_dict()`; `Policy.from_dict` reads it back unchanged."""
    from app.classes.models import TrainingClass

    policy = Policy(min_women_share=0.35, max_per_unit=4, weight_woman=2.5,
                    weight_village_leader=0.1, weight_not_trained=0.2)
    assert Policy.from_dict(policy.as_dict()) == policy
    klass = TrainingClass()
    klass.policy = policy
    assert (klass.min_women_share, klass.max_per_unit, klass.weight_woman) == (0.35, 4, 2.5)
    assert klass.policy == policy
    with pytest.raises(ValueError):
        Policy.from_dict({**policy.as_dict(), "min_women_share": 1.5})
    with pytest.raises(ValueError):
        Policy.from_dict({"min_women_share": 0.5})
