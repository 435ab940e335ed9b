"""The dashboard and its .xlsx read each learner's attendance summary, never the marks
themselves (a district's year is 451,000 marks: app/attendance/summary.py), and the
activities by type once (the figures, the table and the page share one query)."""

from tests.conftest import statements
from tests.reports.test_dashboard import _figure
from tests.reports.test_indicators import data  # noqa: F401 - the hand-built data set

URLS = ("/reports/?kind=year&year=2026", "/reports/training.xlsx?kind=year&year=2026")


def test_the_reports_never_read_the_marks(client, data, users, login):  # noqa: F811
    login("coordinator")
    for url in URLS:
        with statements() as seen:
            response = client.get(url)
        assert response.status_code == 200, url
        assert [s for s in seen if "attendance_summaries" in s], url  # it does read these
        assert [s for s in seen if "attendance_marks" in s] == [], url
    page = client.get(URLS[0]).get_data(as_text=True)
    assert _figure(page, "buoi_du") == ["9", "12", "75%"]  # what the marks say


def test_the_dashboard_reads_the_activities_once(client, data, users, login):  # noqa: F811
    login("coordinator")
    with statements() as seen:
        page = client.get(URLS[0]).get_data(as_text=True)
    assert len([s for s in seen if "activity_types" in s]) == 1
    assert _figure(page, "so_hoat_dong") == ["2", "", ""]  # A and B, as the hand count says
