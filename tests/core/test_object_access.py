"""Object-level access, as a matrix (issue 16): every route that takes an object's id or slug
is visited, with the objects of tests/routewalk/ (those of the `users` fixture's accounts:
the provincial coordinator, the class's and course's trainer, the enrolled learner who
applied), by a second learner, a second trainer and a coordinator of another commune
(xã Sơn Thủy, which nothing here belongs to). Where the route's roles let them in, the
object is not theirs: 403 or 404. The owners' own visits are walked by
test_route_access.py.

Every route with an argument must have a rule in RULES: a route added without one (the
certificates' routes, say) fails `test_every_route_with_an_id_has_a_rule` by name."""

from types import SimpleNamespace

import pytest

from tests.core.test_route_access import _param_values, _routes

# Who must be refused, by the kind of object the route's arguments name:
# - "class": a class (and its sessions, applications, papers, attendance, evidence):
#   the learner who did not apply, the trainer who does not teach it, the coordinator
#   outside whose commune it lies;
# - "cadre": a cadre: the coordinator of another commune;
# - "unit": a commune's villages (adding, editing): the coordinator of another commune;
# - "course": a course's workspace (drafts, lessons, quiz, attachments, learners): the
#   trainer who does not teach it;
# - "progress": a learner's own attempt (its token): the other learner, and the trainer who
#   does not teach the course;
# - "enrolled": a course's lessons and quiz, for the learners enrolled in it: the other
#   learner is sent to the course page to enrol (a redirect there is the refusal); trainers
#   read every course (app/auth/roles.py: STAFF), so none is refused here;
# - "apply": applying to a class: the learner whose commune is not invited is refused as bad
#   input (422, with the reason), and nothing is written;
# - "certificate": a certificate by its code: the learner who does not hold it, the trainer
#   who did not teach its class, the coordinator outside whose commune its class lies (the
#   public verification page is "shared": anybody may check a code);
# - "shared": not a person's object: reference lists the admin keeps (programs, accounts;
#   the units' own forms; report templates and API tokens), the course's public page and
#   files, the language switch. The API's routes (api_v1.) take a token, not a session: their
#   scopes are tested in tests/api/.
OTHERS = {"class": ("learner", "trainer", "coordinator"), "cadre": ("coordinator",),
          "unit": ("coordinator",),
          "course": ("trainer",), "progress": ("learner", "trainer"), "enrolled": ("learner",),
          "apply": ("learner",), "certificate": ("learner", "trainer", "coordinator"),
          "shared": ()}
REFUSALS = {"enrolled": (303, 302, 403, 404), "apply": (403, 404, 409, 422)}

RULES = {
    "people.detail": "cadre", "people.edit": "cadre", "people.toggle_active": "cadre",
    "people.account": "cadre",
    "courses.detail": "shared", "courses.attachment": "shared", "home.set_language": "shared",
    "courses.enroll": "shared",
    "courses.lesson": "enrolled", "courses.mark_done": "enrolled", "courses.quiz": "enrolled",
    "courses.start_quiz": "enrolled", "courses.resume": "enrolled",
    "courses.attempt": "progress", "classes.apply": "apply",
    "certificates.for_class": "class", "certificates.confirm": "class",
    "certificates.issue": "class", "certificates.class_pdf": "class",
    "certificates.verify": "shared", "allowance_settings.delete_rate": "shared",
}
PREFIXES = {"classes.": "class", "attendance.": "class", "attendance_api.": "class",
            "sheetphotos.": "class", "course_edit.": "course", "admin.": "shared",
            "programs.": "shared", "units.": "unit", "certificates.": "certificate",
            "costs.": "class", "report_templates.": "shared", "api_tokens.": "shared",
            "api_v1.": "shared"}


def rule_of(endpoint: str) -> str | None:
    if endpoint in RULES:
        return RULES[endpoint]
    return next((kind for prefix, kind in PREFIXES.items() if endpoint.startswith(prefix)),
                None)


def test_every_route_with_an_id_has_a_rule(app):
    missing = [rule.endpoint for rule, _view, _m in _routes(app)
               if rule.arguments and rule_of(rule.endpoint) is None]
    assert missing == [], ("routes with an id and no object rule in "
                           "tests/core/test_object_access.py: " + ", ".join(missing))


@pytest.fixture()
def others(db, son_ha, make_user, make_cadre):
    """The second learner (with a cadre of their own), trainer and coordinator."""
    learner = make_user("hocvien_khac", roles=("learner",))
    make_cadre("Hồ Thị Nhi", user_id=learner.id, commune=son_ha["new:son-thuy"])
    return {"learner": learner,
            "trainer": make_user("giangvien_khac", roles=("trainer",)),
            "coordinator": make_user("dieuphoi_son_thuy", roles=("coordinator",),
                                     unit_id=son_ha["new:son-thuy"].id)}


@pytest.mark.parametrize("role", ["learner", "trainer", "coordinator"])
def test_the_wrong_person_is_refused_every_object(app, client, db, login, users, son_ha,
                                                  make_cadre, make_village, make_user,
                                                  others, role):
    ctx = SimpleNamespace(db=db, son_ha=son_ha, users=users, make_cadre=make_cadre,
                          make_village=make_village, make_user=make_user)
    values = _param_values(ctx)
    assert login(others[role]).status_code == 302
    checked, wrong = 0, []
    for rule, view, methods in _routes(app):
        kind = rule_of(rule.endpoint)
        if not rule.arguments or role not in OTHERS.get(kind, ()):
            continue
        access = view.access
        if not isinstance(access, frozenset) or role not in access:
            continue  # the route's roles already keep them out (test_route_access.py)
        url = rule.build(values, append_unknown=False)[1]
        for method in methods:
            response = client.open(url, method=method, data={})
            status = response.status_code
            refused = REFUSALS.get(kind, (403, 404))
            if status not in refused or (status in (302, 303) and not response.location.rstrip(
                    "/").endswith(url.split("/")[2])):  # a redirect only to the course page
                wrong.append(f"{method} {url} ({rule.endpoint}): {status}")
            checked += 1
    assert wrong == [], f"{role} who is not the owner got in:\n" + "\n".join(wrong)
    assert checked >= 3
